"""What the review pages offer the rest of the portal: a home page section,
and a daily job taking reviews' actions out of public view on take-down."""

import datetime as dt
from typing import Any

from django.http import HttpRequest

from dhr import selectors, services
from kcsp import roles
from kcsp.registry import HomeSection, register_daily_job, register_home_section


def _latest(request: HttpRequest) -> dict[str, Any]:
    return {
        "reviews": selectors.latest_reviews(),
        "is_coordinator": roles.is_dhr_coordinator(getattr(request, "user", None)),
    }


register_home_section(
    HomeSection(template="dhr/includes/home.html", context=_latest, order=50)
)


@register_daily_job("review take-downs")
def _takedowns(today: dt.date) -> int:
    return services.actions_follow_takedowns(today=today)
