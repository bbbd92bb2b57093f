"""Who sits on a body: joining, leaving and changing role, and the annual
meeting's election of a chair and vice-chair. Each change is kept as dated
rows, so the membership on any day (a meeting's, or today) reads back."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from kcsp.formatting import long_date
from kcsp.models import Organisation, Person
from kcsp.services import validated_save
from meetings.models import (
    Body,
    Meeting,
    Membership,
    MinuteItem,
    Minutes,
    Resolution,
)
from meetings.services.minutes import (
    ResolutionInput,
    minute_item_add,
    minute_item_move,
    minute_item_save,
    minutes_for,
)

__all__ = [
    "chair_election",
    "chair_election_check",
    "membership_join",
    "membership_join_check",
    "membership_leave",
    "membership_role_change",
]

ONE_DAY = dt.timedelta(days=1)


def membership_join_check(*, body: Body, person: Person, start: dt.date) -> None:
    if body.memberships.on(start).filter(person=person).exists():
        already = f"{person.formal_name} is already a member on {long_date(start)}."
        raise ValidationError({"person": already})


@transaction.atomic
def membership_join(
    *,
    body: Body,
    person: Person,
    role: str,
    start: dt.date,
    representing: Organisation | None = None,
) -> Membership:
    """`person` sits on `body` in `role` from `start`."""
    membership_join_check(body=body, person=person, start=start)
    return validated_save(
        Membership(
            body=body, person=person, role=role, start=start, representing=representing
        )
    )


def _joined(membership: Membership) -> str:
    return f"They joined on {long_date(membership.start)}: choose a later day."


@transaction.atomic
def membership_leave(*, membership: Membership, end: dt.date) -> Membership:
    """The member's last day on the body is `end`."""
    if membership.start is not None and end < membership.start:
        raise ValidationError({"date": _joined(membership)})
    if membership.end is not None and membership.end < end:
        raise ValidationError({"date": "They had already left by then."})
    membership.end = end
    return validated_save(membership)


@transaction.atomic
def membership_role_change(
    *, membership: Membership, role: str, on: dt.date
) -> Membership:
    """From `on` the member sits in `role`: the old role ends the day before,
    so who held which role when stays on record. Returns the row in force."""
    if role == membership.role:
        raise ValidationError({"role": "That is already their role."})
    if membership.start is not None and on < membership.start:
        raise ValidationError({"date": _joined(membership)})
    if membership.start == on:
        membership.role = role
        return validated_save(membership)
    end = membership.end
    membership_leave(membership=membership, end=on - ONE_DAY)
    return validated_save(
        Membership(
            body=membership.body,
            person=membership.person,
            role=role,
            representing=membership.representing,
            political_group=membership.political_group,
            start=on,
            end=end,
        )
    )


def _take_role(body: Body, person: Person, role: str, day: dt.date) -> None:
    for holder in body.memberships.on(day).filter(role=role).exclude(person=person):
        membership_role_change(membership=holder, role=Membership.Role.MEMBER, on=day)
    seat = body.memberships.on(day).filter(person=person).first()
    if seat is None:
        membership_join(body=body, person=person, role=role, start=day)
    elif seat.role != role:
        membership_role_change(membership=seat, role=role, on=day)


def chair_election_check(
    *, meeting: Meeting, chair: Person, vice_chair: Person | None
) -> Minutes:
    """Refuse an election the minutes cannot record; gives the minutes."""
    minutes = minutes_for(meeting)
    if minutes is None:
        raise ValidationError(
            "Start the minutes of this meeting first: the election is recorded "
            "there as a resolution."
        )
    if vice_chair is not None and vice_chair == chair:
        raise ValidationError({"vice_chair": "Choose someone other than the chair."})
    return minutes


@transaction.atomic
def chair_election(
    *,
    meeting: Meeting,
    chair: Person,
    vice_chair: Person | None = None,
    by: Any = None,
) -> MinuteItem:
    """The annual meeting elects its chair (and vice-chair): the election is
    minuted first as a resolution, and the membership changes from the
    meeting's date, the former holders staying on as members."""
    minutes = chair_election_check(meeting=meeting, chair=chair, vice_chair=vice_chair)
    body, day = meeting.body, meeting.date
    elected = [(chair, Membership.Role.CHAIR)]
    if vice_chair is not None:
        elected.append((vice_chair, Membership.Role.VICE_CHAIR))
    for person, role in elected:
        _take_role(body, person, role, day)
    titles = [body.role_label(role) for _, role in elected]
    item = minute_item_add(
        minutes=minutes, title=f"Election of {' and '.join(titles)}", by=by
    )
    minute_item_save(
        item=item,
        version=item.version,
        title=item.title,
        paragraphs=[],
        resolutions=[
            ResolutionInput(
                text=f"RESOLVED that {person.formal_name} be elected "
                f"{body.role_label(role)} for the ensuing year.",
                kind=Resolution.Kind.ELECTED,
            )
            for person, role in elected
        ],
        by=by,
    )
    minute_item_move(item=item, position=1)
    item.refresh_from_db()
    return item
