"""Councillor Calls for Action: the clerk records a call as received, puts
it before the committee under an agenda item (an existing one, or one added
through the agenda services), records the committee's outcome, or records
that the call was withdrawn or refused.

Calls are recorded by the clerk: the member who makes one writes to the
committee's clerk, as the committee's protocol asks; members hold no
sign-in role of their own.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kcsp.models import Person
from meetings.models import AgendaItem, AgendaSection, Body, CallForAction, Meeting
from meetings.services.agendas import agenda_item_add, agenda_section_add

__all__ = [
    "call_close",
    "call_consider",
    "call_decide",
    "call_record",
]

Status = CallForAction.Status


def _not_after_today(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"The {what} cannot be later than today.")


@transaction.atomic
def call_record(
    *,
    body: Body,
    member: Person,
    area: str,
    title: str,
    matter: str,
    tried: str,
    received_on: dt.date,
) -> CallForAction:
    """Record a call as the committee's clerk received it."""
    _not_after_today(received_on, "date received")
    call = CallForAction(
        body=body,
        member=member,
        area=area.strip(),
        title=title.strip(),
        matter=matter.strip(),
        tried=tried.strip(),
        received_on=received_on,
    )
    call.full_clean()
    call.save()
    return call


def _open(call: CallForAction) -> None:
    if call.is_closed:
        raise ValidationError(
            f"This call was {call.get_status_display().lower()}, so it cannot move on."
        )
    if call.status == Status.DECIDED:
        raise ValidationError("The committee has already decided this call.")


def _item_for(meeting: Meeting, title: str) -> AgendaItem:
    """A new item for the call at the end of the meeting's agenda."""
    section = AgendaSection.objects.filter(meeting=meeting).order_by(
        "-order", "-letter"
    ).first() or agenda_section_add(
        meeting=meeting, letter="B", title="Items for consideration"
    )
    return agenda_item_add(
        section=section,
        title=f"Councillor Call for Action: {title}",
        purpose=AgendaItem.Purpose.DECISION,
    )


@transaction.atomic
def call_consider(
    *,
    call: CallForAction,
    item: AgendaItem | None = None,
    meeting: Meeting | None = None,
) -> CallForAction:
    """Put the call before the committee: under `item`, an item of one of
    the committee's meetings, or under a new item added to `meeting`'s
    agenda (as urgent business only if the agenda is already published,
    which the agenda services refuse without a reason)."""
    _open(call)
    if (item is None) == (meeting is None):
        raise ValidationError(
            "Choose either an item of a meeting's agenda or a meeting to add "
            "an item to."
        )
    if meeting is not None:
        if meeting.body_id != call.body_id:
            raise ValidationError("Choose a meeting of the committee the call is to.")
        if meeting.is_cancelled:
            raise ValidationError("That meeting was cancelled.")
        item = _item_for(meeting, call.title)
    if item is None or item.meeting.body_id != call.body_id:
        raise ValidationError("Choose an item of the committee the call is to.")
    if item.meeting.date < call.received_on:
        raise ValidationError("Choose a meeting held after the call was received.")
    call.agenda_item = item
    call.status = Status.CONSIDERED
    call.save()
    return call


@transaction.atomic
def call_decide(
    *, call: CallForAction, outcome: str, text: str, on: dt.date
) -> CallForAction:
    """Record what the committee decided, on or after the meeting."""
    if call.is_closed:
        _open(call)
    if call.agenda_item is None or call.status == Status.RECEIVED:
        raise ValidationError(
            "Put the call on a meeting's agenda before recording its outcome."
        )
    if outcome not in CallForAction.Outcome.values:
        raise ValidationError("Choose the outcome.")
    if not text.strip():
        raise ValidationError("Say what the committee decided.")
    if on < call.agenda_item.meeting.date:
        raise ValidationError(
            "The outcome cannot come before the meeting that considered it."
        )
    _not_after_today(on, "date of the outcome")
    call.outcome = outcome
    call.outcome_text = text.strip()
    call.outcome_on = on
    call.status = Status.DECIDED
    call.save()
    return call


@transaction.atomic
def call_close(
    *, call: CallForAction, status: str, reason: str, on: dt.date
) -> CallForAction:
    """The call withdrawn by its member, or refused, with the reason."""
    _open(call)
    if status not in (Status.WITHDRAWN, Status.REFUSED):
        raise ValidationError("Choose withdrawn or refused.")
    if not reason.strip():
        raise ValidationError("Give the reason.")
    if on < call.received_on:
        raise ValidationError("The date cannot come before the call was received.")
    _not_after_today(on, "date")
    call.status = status
    call.closed_reason = reason.strip()
    call.closed_on = on
    call.save()
    return call
