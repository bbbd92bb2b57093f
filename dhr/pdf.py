"""Action plans as PDFs: the board's (restricted) and the published one.

The public PDF is built from the same selector as the public page, so it can
hold nothing the page does not show. It is cached per content version: its
key changes whenever the review, a recommendation or an action changes. The
board's PDF is never cached, so restricted content never sits in a shared
cache.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from dhr import selectors
from dhr.models import Case
from kcsp.formatting import long_date
from kcsp.pdf import render_pdf

TEMPLATE = "dhr/pdf/action_plan.html"
PUBLIC_CACHE_SECONDS = 24 * 60 * 60


def board_action_plan(*, case: Case, request: HttpRequest | None = None) -> bytes:
    """The whole action plan with the latest progress on each action,
    marked "Not for publication" on every page."""
    title = f"{settings.DHR_LABEL} {case.reference}: action plan"
    plan = selectors.action_plan(case=case, public=False, with_updates=True)
    return render_pdf(
        template_name=TEMPLATE,
        context={
            "case": case,
            "plan": plan,
            "public": False,
            "name": case.reference,
            "printed_on": long_date(timezone.localdate()),
            "label": settings.DHR_LABEL,
            "portal_name": settings.PORTAL_NAME,
        },
        title=title,
        header=f"{settings.PORTAL_NAME}: {settings.DHR_LABEL} {case.reference}",
        not_for_publication=True,
        author=settings.PORTAL_NAME,
        request=request,
    )


def _version(case: Case, plan: list[selectors.PlanRecommendation]) -> str:
    parts = [
        settings.DHR_LABEL,
        settings.PORTAL_NAME,
        case.public_name,
        timezone.localdate().isoformat(),
    ]
    for entry in plan:
        parts.append(entry.recommendation.updated_at.isoformat())
        parts.extend(row.action.updated_at.isoformat() for row in entry.actions)
        parts.extend(str(row.link.signed_off_on) for row in entry.actions)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


def public_action_plan(*, case: Case, request: HttpRequest | None = None) -> bytes:
    """The published action plan: public actions and public fields only."""
    plan = selectors.action_plan(case=case, public=True)
    key = f"dhr:public-plan:{case.pk}:{_version(case, plan)}"
    cached = cache.get(key)
    if cached is not None:
        return bytes(cached)
    title = f"{settings.DHR_LABEL} {case.public_name}: action plan"
    pdf = render_pdf(
        template_name=TEMPLATE,
        context={
            "case": case,
            "plan": plan,
            "public": True,
            "name": case.public_name,
            "printed_on": long_date(timezone.localdate()),
            "label": settings.DHR_LABEL,
            "portal_name": settings.PORTAL_NAME,
        },
        title=title,
        header=f"{settings.PORTAL_NAME}: {settings.DHR_LABEL} {case.public_name}",
        author=settings.PORTAL_NAME,
        request=request,
    )
    cache.set(key, pdf, PUBLIC_CACHE_SECONDS)
    return pdf
