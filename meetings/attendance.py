"""Attendance statistics: who was expected at a body's meetings over a
period, and whether they came, sent a substitute, sent apologies or were
absent; per member and per partner organisation.

Read only from the attendance the reader may see (`for_audience`): the
public counts meetings whose minutes are published; a clerk counts drafts
too. Four queries whatever the number of meetings, members and bodies.
"""

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from kcsp.models import Organisation
from kcsp.visibility import Audience
from meetings.models import Attendance, Body, Meeting, Membership

# Who is expected at every meeting: members with a seat, co-opted ones too.
EXPECTED_ROLES = (*Membership.VOTING_ROLES, Membership.Role.CO_OPTED)

ATTENDED, SUBSTITUTE, APOLOGIES, ABSENT = (
    "attended",
    "substitute",
    "apologies",
    "absent",
)
# Stronger outcomes win when an organisation has several members at a meeting.
OUTCOME_ORDER = [ATTENDED, SUBSTITUTE, APOLOGIES, ABSENT]


@dataclass
class Tally:
    """One member's or organisation's record over the period."""

    name: str
    detail: str = ""
    expected: int = 0
    attended: int = 0
    substitute: int = 0
    apologies: int = 0
    absent: int = 0

    def add(self, outcome: str) -> None:
        self.expected += 1
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def percent(self) -> int:
        """Meetings attended in person, as a whole percentage of those
        expected."""
        return round(100 * self.attended / self.expected) if self.expected else 0


@dataclass
class AttendanceStatistics:
    start: dt.date
    end: dt.date
    meetings: int = 0
    members: list[Tally] = field(default_factory=list)
    organisations: list[Tally] = field(default_factory=list)

    def csv(self) -> str:
        """Both tables in one CSV file, a row each, for a spreadsheet."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "Table",
                "Name",
                "Organisation or body",
                "Meetings expected",
                "Attended",
                "Substitute sent",
                "Apologies",
                "Absent",
                "Attended (%)",
            ]
        )
        for table, tallies in (
            ("Member", self.members),
            ("Organisation", self.organisations),
        ):
            for t in tallies:
                writer.writerow(
                    [
                        table,
                        _safe(t.name),
                        _safe(t.detail),
                        t.expected,
                        t.attended,
                        t.substitute,
                        t.apologies,
                        t.absent,
                        t.percent,
                    ]
                )
        return out.getvalue()


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


def _outcome(person_id: int, rows: dict[int, Attendance], sent: set[int]) -> str:
    row = rows.get(person_id)
    if row is not None and row.kind == Attendance.Kind.PRESENT:
        return ATTENDED
    if person_id in sent:
        return SUBSTITUTE
    if row is not None and row.kind == Attendance.Kind.APOLOGIES:
        return APOLOGIES
    return ABSENT


def _expected(
    *,
    body_ids: list[int],
    start: dt.date,
    end: dt.date,
    organisation: Organisation | None,
) -> dict[int, list[Membership]]:
    """Each body's members expected to attend at some time from `start` to
    `end` (only `organisation`'s, if given), in the order they are listed."""
    memberships = (
        Membership.objects.filter(body_id__in=body_ids, role__in=EXPECTED_ROLES)
        .filter(Q(start__isnull=True) | Q(start__lte=end))
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .select_related("person__organisation", "representing", "body")
        .order_by("person", "pk")
    )
    if organisation is not None:
        memberships = memberships.filter(
            Q(representing=organisation)
            | Q(representing__isnull=True, person__organisation=organisation)
        )
    by_body: dict[int, list[Membership]] = defaultdict(list)
    for membership in memberships:
        by_body[membership.body_id].append(membership)
    return by_body


@dataclass
class _Recorded:
    """The attendance recorded at each meeting: who was marked how, and
    whom each substitute stood in for."""

    meetings: dict[int, Meeting] = field(default_factory=dict)
    rows: dict[int, dict[int, Attendance]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    sent: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, rows: Iterable[Attendance]) -> "_Recorded":
        recorded = cls()
        for row in rows:
            recorded.meetings[row.meeting_id] = row.meeting
            recorded.rows[row.meeting_id][row.person_id] = row
            if row.kind == Attendance.Kind.SUBSTITUTE and row.substitute_for_id:
                recorded.sent[row.meeting_id].add(row.substitute_for_id)
        return recorded


def attendance_statistics(
    *,
    bodies: Iterable[Body],
    audience: Audience,
    start: dt.date,
    end: dt.date,
    organisation: Organisation | None = None,
) -> AttendanceStatistics:
    """Each expected member's and organisation's attendance at the meetings
    of `bodies` held from `start` to `end` whose attendance `audience` may
    read. With `organisation`, only its members, and its record per body (for
    a partner's attendance across the partnership)."""
    body_ids = [b.pk for b in bodies]
    recorded = _Recorded.of(
        Attendance.objects.for_audience(audience)
        .filter(
            meeting__body_id__in=body_ids,
            meeting__start__date__gte=start,
            meeting__start__date__lte=end,
        )
        .select_related("meeting")
    )
    by_body = _expected(
        body_ids=body_ids, start=start, end=end, organisation=organisation
    )
    members: dict[Any, Tally] = {}
    organisations: dict[Any, Tally] = {}
    for meeting in sorted(recorded.meetings.values(), key=lambda m: m.start):
        day = meeting.date
        seen: set[int] = set()
        org_outcomes: dict[Any, list[str]] = defaultdict(list)
        for membership in by_body[meeting.body_id]:
            in_force = (membership.start is None or membership.start <= day) and (
                membership.end is None or membership.end >= day
            )
            if not in_force or membership.person_id in seen:
                continue
            seen.add(membership.person_id)
            outcome = _outcome(
                membership.person_id,
                recorded.rows[meeting.pk],
                recorded.sent[meeting.pk],
            )
            org = membership.representing or membership.person.organisation
            person = membership.person
            key = (person.pk, meeting.body_id if organisation else None)
            if key not in members:
                members[key] = Tally(
                    name=person.formal_name,
                    detail=membership.body.name
                    if organisation
                    else (org.name if org else membership.political_group),
                )
            members[key].add(outcome)
            if org is not None:
                org_key = meeting.body_id if organisation else org.pk
                org_outcomes[org_key].append(outcome)
                if org_key not in organisations:
                    organisations[org_key] = Tally(
                        name=membership.body.name if organisation else org.name
                    )
        for org_key, outcomes in org_outcomes.items():
            organisations[org_key].add(min(outcomes, key=OUTCOME_ORDER.index))
    return AttendanceStatistics(
        start=start,
        end=end,
        meetings=len(recorded.meetings),
        members=list(members.values()),
        organisations=sorted(organisations.values(), key=lambda t: t.name),
    )
