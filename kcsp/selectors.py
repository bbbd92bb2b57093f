"""Reads of tracked actions for "My actions", the clerks' overview and reminders."""

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import HttpRequest
from django.utils import timezone

from kcsp.charts import BarChart, BarRows
from kcsp.models import Action, ActionUpdate, Partnership
from kcsp.models.actions import CURRENT_STATUSES, OPEN_STATUSES
from kcsp.pagecache import cached_reading
from kcsp.visibility import Content, audience_of


def actions_for_list(*, user: Any, today: dt.date | None = None) -> QuerySet[Action]:
    """The actions the viewer works on (`ActionQuerySet.worked_by`): open ones
    first (overdue before the rest, then by due date, undated last), then
    those awaiting sign-off, then closed and cancelled ones, latest due first.

    A partner officer gets their organisation's actions ("My actions"); a
    clerk every action but Domestic Homicide Review ones; the DHR coordinator
    every DHR action and their own organisation's.
    """
    today = today or timezone.localdate()
    return (
        Action.objects.worked_by(user)
        .select_related("owner_organisation", "owner_person")
        .annotate(
            overdue_rank=Case(
                When(status__in=OPEN_STATUSES, due_date__lt=today, then=Value(0)),
                When(status__in=OPEN_STATUSES, then=Value(1)),
                When(status__in=CURRENT_STATUSES, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            current_due=Case(
                When(status__in=CURRENT_STATUSES, then=F("due_date")),
                default=None,
                output_field=DateField(),
            ),
        )
        .order_by(
            "overdue_rank",
            F("current_due").asc(nulls_last=True),
            F("due_date").desc(nulls_last=True),
            "pk",
        )
    )


def action_for_page(*, user: Any, pk: int) -> Action | None:
    return (
        Action.objects.visible_to(user)
        .select_related("owner_organisation", "owner_person", "signed_off_by")
        .filter(pk=pk)
        .first()
    )


def updates_for(action: Action) -> list[ActionUpdate]:
    return list(
        action.updates.select_related("posted_by").order_by("-posted_at", "-pk")
    )


def action_bodies(
    actions: QuerySet[Action], *, request: HttpRequest | None
) -> list[str]:
    """The bodies these actions report to, A to Z. Reading them means a pass
    over every one of the actions (thousands for a large partner; for an
    organisation's own, over the index `action_org_reports_to`), so the list
    is kept until any record changes."""
    bodies = (
        actions.order_by("reports_to").values_list("reports_to", flat=True).distinct()
    )
    return cached_reading(
        request, "action-bodies", bodies, lambda: [b for b in bodies if b]
    )


# How counts of actions by RAG rating are kept and headed: each rating's key
# in a tally's `by_rag` (see `rag_key`) and its short label.
RAG_COLUMNS = (
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("none", "Not rated"),
)


def rag_key(rag: str) -> str:
    """Where an action of this rating is counted: unrated ones under "none"."""
    return rag or "none"


@dataclass
class Tally:
    """One row of the overview's tables: actions by status, the open ones by
    RAG rating (as the chart counts them), and the overdue ones."""

    label: str
    by_status: Counter[str] = field(default_factory=Counter)
    by_rag: Counter[str] = field(default_factory=Counter)
    overdue: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclass
class Overview:
    by_body: list[Tally]
    by_organisation: list[Tally]
    overdue: list[Action]
    chart: BarChart
    statuses: list[tuple[str, str]]
    rags: list[tuple[str, str]]


def _tally(rows: Sequence[Mapping[str, Any]], key: str, today: dt.date) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for row in rows:
        label = row[key] or "Not recorded"
        tally = tallies.setdefault(label, Tally(label))
        tally.by_status[row["status"]] += row["n"]
        if row["status"] not in OPEN_STATUSES:
            continue
        tally.by_rag[rag_key(row["rag"])] += row["n"]
        if row["due_date"] and row["due_date"] < today:
            tally.overdue += row["n"]
    return sorted(tallies.values(), key=lambda t: t.label)


@dataclass
class PartnershipGroup:
    label: str
    partnerships: list[Partnership]


def partnerships_by_kind() -> list[PartnershipGroup]:
    """Every partnership, the county's first, then the districts' and
    others', each group by name."""
    groups: dict[str, list[Partnership]] = {}
    for found in Partnership.objects.all():
        groups.setdefault(found.kind, []).append(found)
    labels = dict(Partnership.Kind.choices)
    return [PartnershipGroup(labels[kind], rows) for kind, rows in groups.items()]


def partnership_actions(*, partnership: Partnership, user: Any) -> list[Action]:
    """The partnership's actions not yet closed that this reader may see,
    soonest due first."""
    return list(
        Action.objects.visible_to(user)
        .filter(partnership=partnership, status__in=CURRENT_STATUSES)
        .select_related("owner_organisation")
        .order_by(F("due_date").asc(nulls_last=True), "pk")[:PARTNERSHIP_ACTIONS]
    )


# The most a partnership's page lists of its actions.
PARTNERSHIP_ACTIONS = 20


# The chart of open actions by RAG rating: its layout, and the pattern each
# rating's bar is filled with, so that patterns as well as colours tell the
# bars apart.
RAG_CHART = BarRows(left=110, length=300, right=110, top=10, step=40)
RAG_PATTERNS = {"red": "hatch", "amber": "dots", "green": "solid", "none": "empty"}


def oversees_actions(user: Any) -> bool:
    """Whether the user sees every action of some kind (a clerk, the DHR
    coordinator), and so has the overview of them."""
    audience = audience_of(user)
    return audience.manages(Content.ACTIONS) or audience.sees_all(Content.DHR)


def action_overview(*, user: Any, today: dt.date | None = None) -> Overview:
    """Of the actions the user oversees (`ActionQuerySet.overseen_by`):
    counts by status and RAG per body and per organisation, the overdue list
    and the geometry of a bar chart of open actions by RAG."""
    today = today or timezone.localdate()
    actions = Action.objects.overseen_by(user)
    rows = list(
        actions.values(
            "reports_to", "owner_organisation__name", "status", "rag", "due_date"
        ).annotate(n=Count("pk"))
    )
    open_rag: Counter[str] = Counter()
    for row in rows:
        if row["status"] in OPEN_STATUSES:
            open_rag[rag_key(row["rag"])] += row["n"]
    return Overview(
        by_body=_tally(rows, "reports_to", today),
        by_organisation=_tally(rows, "owner_organisation__name", today),
        overdue=list(
            actions.overdue(today)
            .select_related("owner_organisation")
            .order_by("due_date")[:50]
        ),
        chart=RAG_CHART.chart(
            [(label, open_rag[key], RAG_PATTERNS[key]) for key, label in RAG_COLUMNS]
        ),
        statuses=list(Action.Status.choices),
        rags=list(RAG_COLUMNS),
    )


def actions_needing_reminders(*, today: dt.date) -> QuerySet[Action]:
    """Open actions due in exactly seven days, or overdue, not reminded today."""
    return (
        Action.objects.open()
        .filter(Q(due_date=today + dt.timedelta(days=7)) | Q(due_date__lt=today))
        .exclude(last_reminded_on=today)
        .select_related("owner_organisation", "owner_person")
    )
