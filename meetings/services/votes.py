"""Recorded votes on a meeting's resolutions, and the quorum that lets a
meeting decide anything.

A vote is counted (for, against, abstained) or named (how each member voted,
when a member asks for a recorded vote). Only members present vote: those
recorded as present or as a substitute for a member. Approved minutes are
frozen, their votes with them. A meeting that was not quorate decides
nothing: its resolutions can only note, and no vote is recorded at it.
"""

from collections import Counter
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from kcsp.models import Person
from meetings.models import (
    Attendance,
    Meeting,
    NamedVote,
    Resolution,
    meeting_quorum,
)

__all__ = [
    "decision_quorate_check",
    "members_present",
    "resolution_vote_clear",
    "resolution_vote_count",
    "resolution_vote_name",
]


def members_present(*, meeting: Meeting) -> list[Person]:
    """The members who could vote: present, or present as a substitute."""
    return list(
        Person.objects.filter(
            attendance__meeting=meeting,
            attendance__kind__in=Attendance.MEMBERS_PRESENT,
        ).alphabetical()
    )


def decision_quorate_check(*, meeting: Meeting, what: str) -> None:
    """Refuse to record `what` (a decision) at a meeting that was not quorate."""
    quorum = meeting_quorum(meeting)
    if quorum is not None and not quorum.quorate:
        raise ValidationError(
            f"The meeting was not quorate ({quorum.text.rstrip('.')}), so "
            f"{what} cannot be recorded as decided. Record the resolution as "
            "noted, or take the business to a quorate meeting."
        )


def _votable(resolution: Resolution) -> Meeting:
    """The meeting a vote on this resolution is recorded at, if it may be."""
    minutes = resolution.minute_item.minutes
    minutes.check_open()
    return minutes.meeting


def _voted_at(resolution: Resolution) -> Meeting:
    meeting = _votable(resolution)
    decision_quorate_check(meeting=meeting, what="a vote")
    return meeting


def _present_count(meeting: Meeting) -> int:
    return Attendance.objects.filter(
        meeting=meeting, kind__in=Attendance.MEMBERS_PRESENT
    ).count()


def _set(resolution: Resolution, vote: str, counts: tuple[int, ...] | None) -> None:
    resolution.vote = vote
    resolution.votes_for, resolution.votes_against, resolution.votes_abstained = (
        counts or (None, None, None)
    )
    resolution.save(
        update_fields=[
            "vote",
            "votes_for",
            "votes_against",
            "votes_abstained",
            "updated_at",
        ]
    )


@transaction.atomic
def resolution_vote_count(
    *, resolution: Resolution, votes_for: int, votes_against: int, abstained: int
) -> Resolution:
    """Record a counted vote: no more votes than members present, at a
    quorate meeting."""
    meeting = _voted_at(resolution)
    counts = (votes_for, votes_against, abstained)
    if min(counts) < 0:
        raise ValidationError("A number of votes cannot be less than 0.")
    present = _present_count(meeting)
    if sum(counts) > present:
        raise ValidationError(
            f"{sum(counts)} votes were counted, but only {present} "
            f"{'member was' if present == 1 else 'members were'} recorded as "
            "present to vote. Check the numbers, or the attendance."
        )
    resolution.named_votes.all().delete()
    _set(resolution, Resolution.Vote.COUNTED, counts)
    return resolution


@transaction.atomic
def resolution_vote_name(
    *, resolution: Resolution, votes: Mapping[Person, str]
) -> Resolution:
    """Record a named vote: how each member voted (members who did not vote
    are left out); only members present may vote, at a quorate meeting."""
    meeting = _voted_at(resolution)
    if not votes:
        raise ValidationError(
            "Record how at least one member voted, or choose another way of "
            "recording the vote."
        )
    present = {p.pk for p in members_present(meeting=meeting)}
    absent = sorted(p.formal_name for p in votes if p.pk not in present)
    if absent:
        raise ValidationError(
            "Only members present can vote; not recorded as present: "
            f"{', '.join(absent)}."
        )
    if any(choice not in NamedVote.Choice.values for choice in votes.values()):
        raise ValidationError("A member's vote is for, against or abstained.")
    resolution.named_votes.all().delete()
    for person, choice in votes.items():
        NamedVote.objects.create(resolution=resolution, person=person, choice=choice)
    tally = Counter(votes.values())
    _set(
        resolution,
        Resolution.Vote.NAMED,
        tuple(tally[choice] for choice in NamedVote.Choice.values),
    )
    return resolution


@transaction.atomic
def resolution_vote_clear(*, resolution: Resolution) -> Resolution:
    """No vote recorded on the resolution (any recorded is removed)."""
    _votable(resolution)
    resolution.named_votes.all().delete()
    _set(resolution, Resolution.Vote.NONE, None)
    return resolution
