"""What the core itself registers: the daily reminder e-mails, a
partnership's actions on its page, and what e-mail alerts can follow in the
core (a partnership, an action, search words), and the county partnership its migration
writes."""

from importlib import import_module
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from kcsp import selectors
from kcsp.alerts.events import keyword_matches
from kcsp.formatting import long_date
from kcsp.models import Action, ActionUpdate, Partnership
from kcsp.paging import row_id
from kcsp.registry import (
    AlertEvent,
    AlertSource,
    AlertTarget,
    PartnershipSection,
    open_action_kinds,
    register_alert_source,
    register_alert_target,
    register_daily_job,
    register_migration_rows,
    register_partnership_section,
)
from kcsp.reminders import send_action_reminders
from kcsp.search.query import parse_terms
from kcsp.visibility import Audience

register_daily_job("reminders")(send_action_reminders)


def _actions(request: HttpRequest, partnership: Any) -> dict[str, Any]:
    return {
        "actions": selectors.partnership_actions(
            partnership=partnership, user=request.user
        )
    }


register_partnership_section(
    PartnershipSection(
        template="kcsp/includes/partnership_actions.html", context=_actions, order=30
    )
)


# E-mail alerts: an action's updates, and keywords ------------------------------


def _open_actions() -> Any:
    """Public actions of the kinds published beyond their own pages (not, for
    example, Domestic Homicide Review actions)."""
    return Action.objects.public().filter(source_kind__in=open_action_kinds())


def _public_updates() -> Any:
    """Updates of public actions that change what the public sees of them
    (status or RAG rating): an update's words are not public, so they are
    never sent."""
    return (
        ActionUpdate.objects.filter(action__in=_open_actions())
        .exclude(status="", rag="")
        .select_related("action__partnership")
    )


def _update_event(update: ActionUpdate) -> AlertEvent:
    action = update.action
    lines = [
        f"Status: {update.get_status_display()}" if update.status else "",
        f"RAG rating: {update.get_rag_display()}" if update.rag else "",
        f"Due: {long_date(action.due_date)}" if action.due_date else "",
    ]
    return AlertEvent(
        key=f"action-update-{update.pk}",
        kind="action_updates",
        published_at=update.posted_at,
        title=f"Action update: {action.title}",
        url=action.source_url or reverse("api:action-detail", args=[action.pk]),
        lines=tuple(line for line in lines if line),
        subjects=frozenset(
            {("action", str(action.pk))}
            | (
                {("partnership", action.partnership.slug)}
                if action.partnership
                else set()
            )
        ),
    )


register_alert_source(
    AlertSource(
        kind="action_updates",
        label="Updates on an action",
        prefix="action-update",
        rows=_public_updates,
        published_field="posted_at",
        event=_update_event,
        order=50,
    )
)


def _partnership_name(value: str) -> str | None:
    # A partnership and its name are public (kcsp.models.partnerships).
    return (
        Partnership.objects.for_audience(Audience.PUBLIC)
        .filter(slug=value)
        .values_list("name", flat=True)
        .first()
    )


register_alert_target(
    AlertTarget(
        kind="partnership",
        label="Partnership",
        describe=_partnership_name,
        choices=lambda: list(
            Partnership.objects.for_audience(Audience.PUBLIC)
            .order_by("name")
            .values_list("slug", "name")
        ),
        order=5,
    )
)


def _public_action(value: str) -> str | None:
    pk = row_id(value)
    if pk is None:
        return None
    titles = _open_actions().filter(pk=pk).values_list("title", flat=True)
    return titles.first()


register_alert_target(
    AlertTarget(
        kind="action",
        label="Action",
        describe=_public_action,
        event_kinds=("action_updates",),
        order=30,
    )
)


def _keyword(value: str) -> str | None:
    words = value.strip()
    return f"Anything mentioning {words}" if parse_terms(words).include else None


register_alert_target(
    AlertTarget(
        kind="keyword",
        label="Search words",
        describe=_keyword,
        matches=keyword_matches,
        order=40,
    )
)


@register_migration_rows
def _county_partnership() -> list[Any]:
    """The county partnership kcsp.0013 writes."""
    made = import_module("kcsp.migrations.0013_partnerships")
    return [Partnership.objects.filter(slug=made.COUNTY["slug"])]
