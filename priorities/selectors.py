"""Reads of priorities for the agreement document, priority pages, the home
page and the exception report.

Each selector applies the visibility rule (drafts are for staff; the public
sees public actions and measures only) and makes its joins up front, so a
page's query count does not grow with the number of priorities, leads,
actions, measures or meetings.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.utils import timezone

from agreement.models import Agreement
from kcsp.models import Action
from kcsp.models.actions import OPEN_STATUSES
from kcsp.visibility import (
    Audience,
    Content,
    audience_of,
)
from meetings.models import AgendaItem, Meeting, MinuteItem
from meetings.selectors import ExemptItemNotice
from priorities.models import (
    CrossCuttingTheme,
    Measure,
    MeasureValue,
    Priority,
    PriorityAction,
    PriorityDiscussion,
    PriorityLead,
)
from priorities.performance import MeasureStatus

LEAD_JOINS = ("post__organisation", "person__organisation", "organisation")


def leads_prefetch() -> Prefetch:
    """A priority's leads, primary first, with what their names are read from."""
    return Prefetch(
        "leads",
        queryset=PriorityLead.objects.select_related(*LEAD_JOINS).order_by(
            "role", "order", "pk"
        ),
    )


@dataclass
class PriorityView:
    priority: Priority
    url: str
    primary: PriorityLead | None
    secondaries: list[PriorityLead]

    @property
    def lead_is_gap(self) -> bool:
        """No lead yet: TBC, or none given at all."""
        return self.primary is None or self.primary.is_tbc


@dataclass
class ThemeView:
    theme: CrossCuttingTheme
    priorities: list[Priority]
    covers_all: bool


@dataclass
class PrioritiesDocument:
    agreement: Agreement
    priorities: list[PriorityView]
    themes: list[ThemeView]

    @property
    def gaps(self) -> list[PriorityView]:
        return [p for p in self.priorities if p.lead_is_gap]


def lead_roles(priority: Priority) -> tuple[PriorityLead | None, list[PriorityLead]]:
    """The priority's lead officer or agency (None when none is given) and its
    secondary leads, from its prefetched leads."""
    leads = list(priority.leads.all())
    primary = next((lead for lead in leads if lead.role == "primary"), None)
    return primary, [lead for lead in leads if lead.role != "primary"]


def _view(priority: Priority) -> PriorityView:
    primary, secondaries = lead_roles(priority)
    return PriorityView(
        priority=priority,
        url=priority.get_absolute_url(),
        primary=primary,
        secondaries=secondaries,
    )


def document_part(*, agreement: Agreement, audience: Audience) -> PrioritiesDocument:
    """The priorities, their leads and the themes of one version."""
    priorities = list(
        agreement.priorities.for_audience(audience)
        .prefetch_related(leads_prefetch())
        .order_by("order", "pk")
    )
    themes = (
        CrossCuttingTheme.objects.for_audience(audience)
        .filter(agreement=agreement)
        .prefetch_related(
            Prefetch("priorities", queryset=Priority.objects.order_by("order", "pk"))
        )
        .order_by("order", "pk")
    )
    return PrioritiesDocument(
        agreement=agreement,
        priorities=[_view(p) for p in priorities],
        themes=[
            ThemeView(
                theme=t,
                priorities=list(t.priorities.all()),
                covers_all=bool(priorities)
                and len(t.priorities.all()) == len(priorities),
            )
            for t in themes
        ],
    )


# The priority page ----------------------------------------------------------------


@dataclass
class LeadHistoryRow:
    agreement: Agreement
    name: str
    lead: str
    is_gap: bool
    url: str


def _item(link: PriorityDiscussion) -> AgendaItem | MinuteItem:
    item = link.agenda_item or link.minute_item
    if item is None:  # the database forbids it: see the model's constraints
        raise ValueError("A discussion needs an agenda item or a minute.")
    return item


@dataclass
class Discussion(ExemptItemNotice):
    link: PriorityDiscussion
    shows_content: bool
    minutes: list[MinuteItem]

    @property
    def item(self) -> AgendaItem | MinuteItem:
        return _item(self.link)

    @property
    def meeting(self) -> Meeting:
        item = self.item
        if isinstance(item, AgendaItem):
            return item.meeting
        return item.minutes.meeting

    @property
    def title(self) -> str:
        return self.item.title

    @property
    def reference(self) -> str:
        item = self.item
        if isinstance(item, AgendaItem):
            return f"Item {item.reference}"
        return f"Minute {item.number}"

    @property
    def url(self) -> str:
        return self.item.get_absolute_url()


@dataclass
class PriorityPage:
    priority: Priority
    view: PriorityView
    audience: Audience
    themes: list[CrossCuttingTheme]
    actions: list[PriorityAction]
    measures: list[MeasureStatus]
    discussions: list[Discussion]
    lead_history: list[LeadHistoryRow]
    successors: list[tuple[Priority, str]]
    current: Priority | None = None
    draft: Priority | None = None
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def agreement(self) -> Agreement:
        return self.priority.agreement

    @property
    def is_staff_view(self) -> bool:
        return self.audience.sees_all(Content.AGREEMENT)

    @property
    def is_current(self) -> bool:
        return self.priority.agreement.is_current


def _rank() -> Case:
    return Case(
        When(agreement__status=Agreement.Status.APPROVED, then=Value(0)),
        When(agreement__status=Agreement.Status.SUPERSEDED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def _discussions(slug: str, audience: Audience) -> list[Discussion]:
    minutes = MinuteItem.objects.for_audience(audience).select_related(
        "minutes__meeting__body"
    )
    links = (
        PriorityDiscussion.objects.for_audience(audience)
        .filter(priority__slug=slug)
        .select_related(
            "agenda_item__meeting__body", "minute_item__minutes__meeting__body"
        )
        .prefetch_related(
            Prefetch(
                "agenda_item__minute_items",
                queryset=minutes.order_by("number"),
                to_attr="visible_minutes",
            )
        )
    )
    seen: set[tuple[int | None, int | None]] = set()
    out = []
    for link in links:
        key = (link.agenda_item_id, link.minute_item_id)
        if key in seen:
            continue
        seen.add(key)
        visible = audience.shows(_item(link).visibility)
        out.append(
            Discussion(
                link=link,
                shows_content=visible,
                minutes=getattr(link.agenda_item, "visible_minutes", [])
                if visible and link.agenda_item_id
                else [],
            )
        )
    out.sort(key=lambda d: d.meeting.start, reverse=True)
    return out


def priority_page(*, slug: str, user: Any, version: str | None = None) -> PriorityPage:
    """A priority as this viewer may see it, in the current version unless
    `version` (an agreement's period, e.g. '2011-14') names another."""
    audience = audience_of(user)
    versions = list(
        Priority.objects.for_audience(audience)
        .filter(slug=slug)
        .select_related("agreement")
        .prefetch_related(leads_prefetch())
        .annotate(rank=_rank())
        .order_by("rank", "-agreement__period_start", "-pk")
    )
    if version:
        chosen = next((p for p in versions if p.agreement.slug == version), None)
    else:
        chosen = next((p for p in versions), None)
    if chosen is None:
        raise Http404("No such priority.")
    draft = next(
        (p for p in versions if p.agreement.is_draft and p.pk != chosen.pk), None
    )
    agreement = chosen.agreement
    audience = audience.within(agreement.partnership_id)
    history = sorted(
        (p for p in versions if p.agreement.is_published or p.pk == chosen.pk),
        key=lambda p: p.agreement.period_start,
    )
    themes = list(
        CrossCuttingTheme.objects.filter(priority_links__priority=chosen).order_by(
            "order", "pk"
        )
    )
    successors = [
        (s, s.get_absolute_url())
        for s in Priority.objects.for_audience(audience)
        .filter(predecessor_links__earlier=chosen)
        .exclude(slug=slug)
        .select_related("agreement")
    ]
    actions = list(
        PriorityAction.objects.filter(
            priority=chosen, action__in=Action.objects.visible_to(user)
        )
        .select_related("action__owner_organisation", "lead__post__organisation")
        .select_related("lead__person__organisation", "lead__organisation")
        .order_by("order", "pk")
    )
    measures = (
        Measure.objects.for_audience(audience)
        .filter(priority=chosen)
        .prefetch_related(
            Prefetch("values", queryset=MeasureValue.objects.order_by("period_end"))
        )
        .order_by("order", "pk")
    )
    return PriorityPage(
        priority=chosen,
        view=_view(chosen),
        audience=audience,
        themes=themes,
        actions=actions,
        measures=[MeasureStatus(m, list(m.values.all())) for m in measures],
        discussions=_discussions(slug, audience),
        lead_history=[_history_row(p) for p in history],
        successors=successors,
        current=next((p for p in versions if p.agreement.is_current), None),
        draft=draft if audience.sees_all(Content.AGREEMENT) else None,
    )


def _history_row(priority: Priority) -> LeadHistoryRow:
    view = _view(priority)
    return LeadHistoryRow(
        agreement=priority.agreement,
        name=priority.name,
        lead=view.primary.display if view.primary else "None given",
        is_gap=view.lead_is_gap,
        url=view.url,
    )


# The current priorities (index and home page) -------------------------------------


def _current_agreement(*, audience: Audience, partnership: Any) -> Agreement | None:
    agreements = Agreement.objects.for_audience(audience).current()
    if partnership is not None:
        agreements = agreements.filter(partnership=partnership)
    return agreements.first()


def current_priorities(
    *, audience: Audience, partnership: Any = None
) -> PrioritiesDocument | None:
    """The agreement in force and its priorities; of `partnership`'s
    agreements only, when given."""
    agreement = _current_agreement(audience=audience, partnership=partnership)
    if agreement is None:
        return None
    return document_part(agreement=agreement, audience=audience)


@dataclass
class PriorityLink:
    name: str
    url: str


@dataclass
class PriorityLinks:
    """The agreement in force and its priorities' names and pages: what the
    home page and a partnership's page list, without their leads and
    themes."""

    agreement: Agreement
    priorities: list[PriorityLink]


def current_priority_links(
    *, audience: Audience, partnership: Any = None
) -> PriorityLinks | None:
    agreement = _current_agreement(audience=audience, partnership=partnership)
    if agreement is None:
        return None
    priorities = (
        agreement.priorities.for_audience(audience)
        .order_by("order", "pk")
        .only("name", "slug", "agreement")
    )
    return PriorityLinks(
        agreement=agreement,
        priorities=[
            PriorityLink(name=p.name, url=p.get_absolute_url()) for p in priorities
        ],
    )


# The exception report -------------------------------------------------------------


@dataclass
class ActionException:
    entry: PriorityAction
    overdue: bool
    red: bool

    @property
    def action(self) -> Action:
        return self.entry.action


@dataclass
class ExceptionReport:
    agreement: Agreement
    today: dt.date
    measures: list[MeasureStatus]
    actions: list[ActionException]

    @property
    def off_target(self) -> list[MeasureStatus]:
        return [m for m in self.measures if m.off_target]

    @property
    def worsening(self) -> list[MeasureStatus]:
        return [m for m in self.measures if m.worsening]

    @property
    def empty(self) -> bool:
        return not (self.measures or self.actions)


def exception_report(
    *, agreement: Agreement, today: dt.date | None = None
) -> ExceptionReport:
    """Performance by exception for the partnership meeting.

    Measures whose latest value is off target or worse than the one before,
    and open actions of the version's plans rated red or past their due date.
    Everything is listed, public or not: the report is for staff.
    """
    today = today or timezone.localdate()
    measures = (
        Measure.objects.filter(priority__agreement=agreement)
        .select_related("priority__agreement")
        .prefetch_related(
            Prefetch("values", queryset=MeasureValue.objects.order_by("period_end"))
        )
        .order_by("priority__order", "order", "pk")
    )
    statuses = [MeasureStatus(m, list(m.values.all())) for m in measures]
    entries = (
        PriorityAction.objects.filter(
            priority__agreement=agreement, action__status__in=OPEN_STATUSES
        )
        .filter(Q(action__rag=Action.Rag.RED) | Q(action__due_date__lt=today))
        .select_related(
            "priority", "action__owner_organisation", "action__owner_person"
        )
        .order_by("action__due_date", "priority__order", "pk")
    )
    seen: set[int] = set()
    actions = []
    for entry in entries:
        if entry.action_id in seen:
            continue
        seen.add(entry.action_id)
        action = entry.action
        actions.append(
            ActionException(
                entry=entry,
                overdue=action.is_overdue(today),
                red=action.rag == Action.Rag.RED,
            )
        )
    return ExceptionReport(
        agreement=agreement,
        today=today,
        measures=[s for s in statuses if s.is_exception],
        actions=actions,
    )


def report_versions(*, audience: Audience) -> list[Agreement]:
    """The versions whose exception report this reader may have: those of
    the partnerships whose agreement they read all of."""
    return [
        agreement
        for agreement in Agreement.objects.for_audience(audience).order_by(
            "-period_start"
        )
        if audience.within(agreement.partnership_id).sees_all(Content.AGREEMENT)
    ]
