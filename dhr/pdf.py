"""Action plans as PDFs: the board's (restricted) and the published one.

The public PDF is built from the same selector as the public page, so it can
hold nothing the page does not show. Both are kept by the documents service
(`kcsp.documents`), each as its own kind: the board's is served privately,
to the coordinator only.
"""

from django.conf import settings
from django.utils import timezone

from dhr import selectors
from dhr.models import Case
from kcsp.documents import Built
from kcsp.formatting import long_date
from kcsp.pdf import page_count, render_pdf

TEMPLATE = "dhr/pdf/action_plan.html"
BOARD = "dhr.action_plan.board"
PUBLIC = "dhr.action_plan.public"


def subject_of(case: Case) -> str:
    return f"case:{case.pk}"


def _render(case: Case, *, public: bool) -> Built:
    name = case.public_name if public else case.reference
    plan = selectors.action_plan(case=case, public=public, with_updates=not public)
    content = render_pdf(
        template_name=TEMPLATE,
        context={
            "case": case,
            "plan": plan,
            "public": public,
            "name": name,
            "printed_on": long_date(timezone.localdate()),
            "label": settings.DHR_LABEL,
            "portal_name": settings.PORTAL_NAME,
        },
        title=f"{settings.DHR_LABEL} {name}: action plan",
        header=f"{settings.PORTAL_NAME}: {settings.DHR_LABEL} {name}",
        not_for_publication=not public,
        author=settings.PORTAL_NAME,
    )
    return Built(content=content, page_count=page_count(content))


def board_action_plan(*, case: Case) -> Built:
    """The whole action plan with the latest progress on each action,
    marked "Not for publication" on every page."""
    return _render(case, public=False)


def public_action_plan(*, case: Case) -> Built:
    """The published action plan: public actions and public fields only."""
    return _render(case, public=True)
