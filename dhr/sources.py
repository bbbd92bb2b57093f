"""What the review pages offer the rest of the portal: a home page section,
and which agency actions are public."""

import datetime as dt
from importlib import import_module
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from dhr import selectors, services
from dhr.models import AgencyAction, Case, Configuration, StageTarget
from kcsp.registry import (
    ActionSource,
    HomeSection,
    StartPage,
    register_action_source,
    register_daily_job,
    register_home_section,
    register_migration_rows,
    register_start_page,
)
from kcsp.visibility import Content, audience_of


def _latest(request: HttpRequest) -> dict[str, Any]:
    return {
        "reviews": selectors.latest_reviews(),
        "is_coordinator": audience_of(getattr(request, "user", None)).sees_all(
            Content.DHR
        ),
    }


register_home_section(
    HomeSection(template="dhr/includes/home.html", context=_latest, order=50)
)


def _public_actions() -> QuerySet[AgencyAction, Any]:
    """An agency action is public while its review's action plan is:
    published with the review, and not yet taken down. Take-down happens by
    date, so the action leaves public view that day with no save."""
    return AgencyAction.objects.filter(
        recommendation__case__in=Case.objects.action_plan_shown()
    ).values("action_id")


def _sign_off_url(action_id: int) -> str:
    """The board's sign-off screen of the review the action belongs to."""
    case_id = AgencyAction.objects.filter(action_id=action_id).values_list(
        "recommendation__case", flat=True
    )[0]
    return reverse("dhr:sign_off", args=[case_id, action_id])


# The DHR coordinator starts at the reviews' dashboard.
register_start_page(StartPage(content=Content.DHR, url_name="dhr:dashboard", order=20))

register_action_source(
    ActionSource(
        kind=AgencyAction.ACTION_KIND,
        label=settings.DHR_LABEL,
        public_ids=_public_actions,
        # Review material: read by the DHR coordinator, not by clerks.
        content=Content.DHR,
        open_data=False,
        # The board signs off a completed action, with its date and minute.
        sign_off_url=_sign_off_url,
    )
)


@register_migration_rows
def _timescale_defaults() -> list[QuerySet[Any]]:
    """The timescale defaults and the configuration dhr.0002 writes."""
    defaults = import_module("dhr.migrations.0002_default_targets")
    return [
        StageTarget.objects.filter(stage__in=[t[0] for t in defaults.DEFAULT_TARGETS]),
        Configuration.objects.filter(pk=1),
    ]


@register_daily_job("retention: review documents (the host's policy)")
def _documents_expire(today: dt.date) -> int:
    return services.documents_expire(today=today)
