"""What the meetings app offers the rest of the portal: the home page's
upcoming meetings, which actions of resolutions are public, and the daily
job that deletes background papers past their retention period."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from kcsp.registry import (
    ActionSource,
    HomeSection,
    PartnershipSection,
    StartPage,
    register_action_source,
    register_daily_job,
    register_home_section,
    register_partnership_section,
    register_start_page,
)
from kcsp.visibility import Content
from meetings import selectors, services
from meetings.models import Resolution, ResolutionAction


def _upcoming(request: HttpRequest) -> dict[str, Any]:
    return {"meetings": selectors.upcoming_meetings(user=request.user)}


register_home_section(
    HomeSection(template="meetings/includes/upcoming.html", context=_upcoming, order=10)
)


def _partnership(request: HttpRequest, partnership: Any) -> dict[str, Any]:
    return {
        "meetings": selectors.partnership_meetings(
            partnership=partnership, user=request.user
        )
    }


register_partnership_section(
    PartnershipSection(
        template="meetings/includes/partnership.html", context=_partnership, order=10
    )
)


def _public_actions() -> QuerySet[ResolutionAction, Any]:
    """An action of a resolution is public while the resolution is: its
    minutes published, its item public, its body public."""
    return ResolutionAction.objects.filter(
        resolution__in=Resolution.objects.public()
    ).values("action_id")


# Clerks start in their workspace.
register_start_page(
    StartPage(content=Content.MEETINGS, url_name="manage:dashboard", order=10)
)

register_action_source(
    ActionSource(
        kind=ResolutionAction.ACTION_KIND,
        label="Resolution",
        public_ids=_public_actions,
    )
)


# The daily jobs: services given today's date.
for name, job in (
    ("retention: background papers", services.background_papers_expire),
    ("retention: questioners' e-mail addresses", services.question_emails_expire),
    ("petitions: close on the closing date", services.petitions_close),
    (
        "retention: petition signatures and petitioners' e-mail addresses",
        services.petition_personal_data_expire,
    ),
):
    register_daily_job(name)(job)
