"""What the agreement app offers the rest of the portal: a district
partnership's strategic assessments on its page."""

from typing import Any

from django.http import HttpRequest

from agreement import selectors
from kcsp.registry import PartnershipSection, register_partnership_section
from kcsp.visibility import audience_of


def _assessments(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    """The partnership's strategic assessments, where it has recorded any."""
    found = selectors.partnership_assessments(
        partnership=partnership, audience=audience_of(request.user)
    )
    return {"assessments": found} if found else None


register_partnership_section(
    PartnershipSection(
        template="agreement/includes/partnership.html",
        context=_assessments,
        order=25,
    )
)
