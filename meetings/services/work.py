"""From resolution to owner to the next agenda.

A resolution (or one lettered part) creates a tracked action owned by a
partner organisation, due by a date or at the body's next meeting. When the
clerk builds that meeting's agenda, open actions ("matters arising") and
forward-plan items due then are offered, and each one added is linked back.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from kcsp.formatting import long_date
from kcsp.models import Action, Organisation, Person
from kcsp.services import action_create
from meetings.models import (
    AgendaItem,
    AgendaSection,
    ForwardPlanItem,
    Meeting,
    RecurringItem,
    Resolution,
    ResolutionAction,
    ResolutionPart,
)
from meetings.services.agendas import agenda_item_add, next_meeting

__all__ = [
    "AgendaOffers",
    "agenda_add_action",
    "agenda_add_forward_plan",
    "agenda_add_recurring",
    "agenda_offers",
    "resolution_action_create",
]

_RESOLVED = re.compile(r"^\s*RESOLVED\s+that\s+", re.IGNORECASE)


def _title(resolution: Resolution, part: ResolutionPart | None) -> str:
    text = part.text if part else resolution.text
    text = _RESOLVED.sub("", text).strip()
    return (text[:1].upper() + text[1:])[:500] if text else "Action from the minutes"


@transaction.atomic
def resolution_action_create(
    *,
    resolution: Resolution,
    owner_organisation: Organisation,
    part: ResolutionPart | None = None,
    due_date: dt.date | None = None,
    at_next_meeting: bool = False,
    owner_person: Person | None = None,
    title: str = "",
) -> ResolutionAction:
    """An action from a resolution or one of its lettered parts.

    Due at the body's next meeting (its date becomes the due date) or by a
    date; it is public once the minutes are published, unless the item is
    exempt.
    """
    if part is not None and part.resolution_id != resolution.pk:
        raise ValidationError("That part belongs to another resolution.")
    item = resolution.minute_item
    minutes = item.minutes
    meeting = minutes.meeting
    due_meeting = None
    if at_next_meeting:
        due_meeting = next_meeting(meeting)
        if due_meeting is None:
            raise ValidationError(
                {"due": "No later meeting of the body is scheduled: give a due date."}
            )
        due_date = due_meeting.date
    if due_date is None:
        raise ValidationError({"due": "Choose the next meeting or give a due date."})
    number = f"Minute {item.number}{f' {part.letter})' if part else ''}"
    action = action_create(
        title=title.strip() or _title(resolution, part),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_date=due_date,
        source_kind=ResolutionAction.ACTION_KIND,
        source_label=f"{number}, {meeting.body.name}, {long_date(meeting.date)}",
        source_url=item.get_absolute_url(),
        reports_to=meeting.body.name,
        partnership=meeting.body.partnership,
    )
    return ResolutionAction.objects.create(
        action=action, resolution=resolution, part=part, due_meeting=due_meeting
    )


# Building the next agenda -------------------------------------------------------


@dataclass
class AgendaOffers:
    matters_arising: list[Action] = field(default_factory=list)
    due_actions: list[Action] = field(default_factory=list)
    recurring: list[RecurringItem] = field(default_factory=list)
    planned: list[ForwardPlanItem] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.matters_arising or self.due_actions or self.recurring or self.planned
        )


def agenda_offers(*, meeting: Meeting) -> AgendaOffers:
    """What the clerk should consider for this meeting's agenda.

    Open actions from the body's earlier minutes, actions due at this
    meeting, recurring items for this month and forward-plan items planned
    for it; anything already on this agenda is left out.
    """
    on_agenda = AgendaItem.objects.filter(meeting=meeting)
    linked_actions = on_agenda.exclude(action=None).values("action_id")
    linked_plans = on_agenda.exclude(forward_plan_item=None).values(
        "forward_plan_item_id"
    )
    body_actions = (
        Action.objects.open()
        .filter(
            resolution_link__resolution__minute_item__minutes__meeting__body=meeting.body,
            resolution_link__resolution__minute_item__minutes__meeting__start__lt=(
                meeting.start
            ),
        )
        .exclude(pk__in=linked_actions)
        .select_related("owner_organisation")
        .order_by("due_date", "pk")
    )
    due_here = [a for a in body_actions if _due_at(a, meeting)]
    arising = [a for a in body_actions if a not in due_here]
    used_recurring = ForwardPlanItem.objects.filter(
        meeting=meeting, source=ForwardPlanItem.Source.RECURRING
    ).values("recurring_id")
    recurring = [
        r
        for r in RecurringItem.objects.filter(body=meeting.body, active=True).exclude(
            pk__in=used_recurring
        )
        if r.falls_in(meeting.date.year, meeting.date.month)
    ]
    planned = list(
        ForwardPlanItem.objects.filter(meeting=meeting)
        .exclude(source=ForwardPlanItem.Source.RECURRING)
        .exclude(pk__in=linked_plans)
    )
    return AgendaOffers(
        matters_arising=arising,
        due_actions=due_here,
        recurring=recurring,
        planned=planned,
    )


def _due_at(action: Action, meeting: Meeting) -> bool:
    link = getattr(action, "resolution_link", None)
    if link is not None and link.due_meeting_id == meeting.pk:
        return True
    due = action.due_date
    return due is not None and (due.year, due.month) == (
        meeting.date.year,
        meeting.date.month,
    )


def _section(meeting: Meeting, letter: str, title: str) -> AgendaSection:
    section, _ = AgendaSection.objects.get_or_create(
        meeting=meeting,
        letter=letter,
        defaults={"title": title, "order": ord(letter) - ord("A")},
    )
    return section


@transaction.atomic
def agenda_add_action(
    *, meeting: Meeting, action: Action, urgency_reason: str = ""
) -> AgendaItem:
    """Put an action on the agenda as a matter arising, linked back to it."""
    if AgendaItem.objects.filter(meeting=meeting, action=action).exists():
        raise ValidationError("That action is already on this agenda.")
    due_here = _due_at(action, meeting)
    section = (
        _section(meeting, "B", "Items for consideration")
        if due_here
        else _section(meeting, "A", "Committee Business")
    )
    title = action.title if due_here else f"Matters arising: {action.title}"
    return agenda_item_add(
        section=section,
        title=title[:500],
        action=action,
        presenter=action.owner_organisation.name,
        urgency_reason=urgency_reason,
        description=f"<p>From {action.source_label}.</p>"
        if action.source_label
        else "",
    )


@transaction.atomic
def agenda_add_recurring(
    *, meeting: Meeting, recurring: RecurringItem, urgency_reason: str = ""
) -> AgendaItem:
    plan = ForwardPlanItem.objects.create(
        body=meeting.body,
        meeting=meeting,
        title=recurring.title,
        description=recurring.description,
        source=ForwardPlanItem.Source.RECURRING,
        recurring=recurring,
    )
    return agenda_add_forward_plan(
        meeting=meeting,
        plan=plan,
        presenter=recurring.presenter,
        urgency_reason=urgency_reason,
    )


@transaction.atomic
def agenda_add_forward_plan(
    *,
    meeting: Meeting,
    plan: ForwardPlanItem,
    presenter: str = "",
    urgency_reason: str = "",
) -> AgendaItem:
    if plan.meeting_id not in (None, meeting.pk):
        raise ValidationError("That item is planned for a different meeting.")
    if AgendaItem.objects.filter(meeting=meeting, forward_plan_item=plan).exists():
        raise ValidationError("That item is already on this agenda.")
    if plan.meeting_id is None:
        plan.meeting = meeting
        plan.save(update_fields=["meeting", "updated_at"])
    return agenda_item_add(
        section=_section(meeting, "B", "Items for consideration"),
        title=plan.title,
        forward_plan_item=plan,
        action=plan.action,
        presenter=presenter,
        urgency_reason=urgency_reason,
    )
