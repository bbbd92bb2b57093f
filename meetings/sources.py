"""What the meetings app offers the rest of the portal (home page sections)."""

from typing import Any

from django.http import HttpRequest

from kcsp.registry import HomeSection, register_home_section
from meetings import selectors


def _upcoming(request: HttpRequest) -> dict[str, Any]:
    return {"meetings": selectors.upcoming_meetings(user=request.user)}


register_home_section(
    HomeSection(template="meetings/includes/upcoming.html", context=_upcoming, order=10)
)
