"""What the priorities app offers the home page: the current agreement."""

from typing import Any

from django.http import HttpRequest

from kcsp.registry import HomeSection, register_home_section
from kcsp.visibility import audience_of
from priorities import selectors


def _agreement(request: HttpRequest) -> dict[str, Any]:
    return {"part": selectors.current_priorities(audience=audience_of(request.user))}


register_home_section(
    HomeSection(template="priorities/includes/home.html", context=_agreement, order=20)
)
