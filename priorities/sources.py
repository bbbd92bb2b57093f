"""What the priorities app offers the rest of the portal: the current
agreement on the home page, and which actions of the plans are public."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from kcsp.registry import (
    ActionSource,
    HomeSection,
    PartnershipSection,
    register_action_source,
    register_home_section,
    register_partnership_section,
)
from kcsp.visibility import audience_of
from priorities import selectors
from priorities.models import PriorityAction


def _agreement(request: HttpRequest) -> dict[str, Any]:
    audience = audience_of(request.user)
    return {"part": selectors.current_priority_links(audience=audience)}


register_home_section(
    HomeSection(template="priorities/includes/home.html", context=_agreement, order=20)
)


def _partnership(request: HttpRequest, partnership: Any) -> dict[str, Any] | None:
    """The partnership's current agreement and its priorities, where it has
    one (the county partnership's)."""
    part = selectors.current_priority_links(
        audience=audience_of(request.user), partnership=partnership
    )
    return {"part": part} if part is not None else None


register_partnership_section(
    PartnershipSection(
        template="priorities/includes/home.html", context=_partnership, order=20
    )
)


def _public_actions() -> QuerySet[PriorityAction, Any]:
    """An action of a plan is public while any entry of it is: shown to the
    public, in an approved (or superseded) version."""
    return PriorityAction.objects.public().values("action_id")


register_action_source(
    ActionSource(
        kind=PriorityAction.ACTION_KIND,
        label="Community Safety Agreement action plan",
        public_ids=_public_actions,
    )
)
