"""A partnership's decades of records, made in bulk for measuring speed.

`scale_build` writes bodies, their members, meetings with published agendas
and papers (metadata only), attendance, minutes (approved by the next
meeting, the latest published as drafts or still drafts), minute items with
numbered paragraphs and resolutions, and the actions those resolutions
created, as a county partnership and its district partnerships and
committees produce them over the years. Some items are exempt, a few
meetings are cancelled and the coming year's meetings are scheduled.

Rows are written with `bulk_create_with_history`, so the audit trail has a
"created" entry for each, one body at a time (bounded memory, one
transaction each). Every row is marked `source_system="seed_scale"` where
the model records provenance. Saves through bulk creation send no signals:
the search index is rebuilt afterwards by the caller when wanted.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kcsp.formatting import long_date
from kcsp.models import Action, Organisation, Person
from kcsp.pagecache import content_changed
from kcsp.visibility import Visibility
from kcsp.workdays import local_datetime
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    MinuteParagraph,
    Minutes,
    Resolution,
    ResolutionAction,
    ResolutionPart,
)

SOURCE = "seed_scale"
BATCH = 2000

DISTRICTS = [
    "Ashford", "Canterbury", "Dartford", "Dover", "Folkestone and Hythe",
    "Gravesham", "Maidstone", "Sevenoaks", "Swale", "Thanet",
    "Tonbridge and Malling", "Tunbridge Wells", "Medway",
]  # fmt: skip
BODY_KINDS = [
    ("Community Safety Partnership", Body.Kind.PARTNERSHIP_BOARD),
    ("Crime and Disorder Scrutiny Committee", Body.Kind.SCRUTINY_COMMITTEE),
    ("Community Safety Working Group", Body.Kind.WORKING_GROUP),
]
MONTHS = [1, 2, 3, 4, 6, 7, 9, 10, 11, 12]
TOPICS = [
    "domestic abuse services", "the Violence Reduction Unit",
    "anti-social behaviour", "the Prevent duty", "road safety and Vision Zero",
    "serious violence", "substance misuse", "exploitation and county lines",
    "the Domestic Homicide Review programme", "the strategic assessment",
    "hate crime", "modern slavery", "fraud against older residents",
    "the night-time economy", "youth diversion", "reducing reoffending",
]  # fmt: skip
PARAGRAPHS = [
    "The {body} considered the report on {topic}. Members noted the progress "
    "made by the statutory partners since the last meeting and the results of "
    "the quarterly performance measures.",
    "In answer to questions, officers explained how {topic} would be funded in "
    "the coming year and how the district partnerships would be kept informed "
    "of the risks recorded on the register.",
    "Members asked that the views of the Police and Crime Commissioner on "
    "{topic} be sought before the next refresh of the Community Safety "
    "Agreement.",
]
SURNAMES = [
    "Hill", "Rivers", "Brinson", "Burbeck", "Collins", "Creaton", "Harper",
    "Hinds", "Julian", "Keers", "King", "McMahon", "McMullan", "Mital",
    "Peerbux", "Fitch", "Ashby", "Baldock", "Chittenden", "Dance", "Eddy",
    "Farrell", "Gibbens", "Holden", "Iles", "Jeffrey", "Kennedy", "Lake",
]  # fmt: skip
TITLES = ["Mr", "Mrs", "Ms", "Dr", "Councillor", "Supt", "Chief Inspector"]
PARTNERS = [
    ("Kent Police", "Kent Police"),
    ("Kent Fire and Rescue Service", "KFRS"),
    ("Kent County Council", "KCC"),
    ("Probation Service Kent, Surrey and Sussex", "Probation"),
    ("NHS Kent and Medway", "NHS"),
    ("Office of the Kent Police and Crime Commissioner", "OPCC"),
]


@dataclass
class ScaleResult:
    bodies: int = 0
    meetings: int = 0
    agenda_items: int = 0
    documents: int = 0
    attendance: int = 0
    minutes: int = 0
    minute_items: int = 0
    paragraphs: int = 0
    resolutions: int = 0
    actions: int = 0
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [
            f"{self.bodies:,} bodies, {self.meetings:,} meetings, "
            f"{self.agenda_items:,} agenda items, {self.documents:,} papers, "
            f"{self.attendance:,} attendance rows",
            f"{self.minutes:,} minutes, {self.minute_items:,} minute items, "
            f"{self.paragraphs:,} paragraphs, {self.resolutions:,} resolutions, "
            f"{self.actions:,} actions",
        ]


def _bulk(model: type[Any], objs: list[Any], history: bool) -> list[Any]:
    if not objs:
        return objs
    if history:
        return bulk_create_with_history(objs, model, batch_size=BATCH)
    return model.objects.bulk_create(objs, batch_size=BATCH)


def _partners() -> list[Organisation]:
    found = list(Organisation.objects.filter(active=True).order_by("pk")[:12])
    if len(found) >= 3:
        return found
    for name, short in PARTNERS:
        Organisation.objects.get_or_create(
            name=name,
            defaults={
                "short_name": short,
                "slug": name.lower().replace(" ", "-").replace(",", ""),
                "kind": Organisation.Kind.STATUTORY_PARTNER,
            },
        )
    return list(Organisation.objects.filter(active=True).order_by("pk")[:12])


def _body_names(count: int) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = [
        (f"{district} {label}", kind)
        for label, kind in BODY_KINDS
        for district in DISTRICTS
    ]
    return names[:count] + [
        (f"Partnership Sub-group {n}", Body.Kind.SUB_GROUP)
        for n in range(1, count - len(names) + 1)
    ]


@dataclass(frozen=True)
class _Sizes:
    """How much each body has: meetings a year, and per meeting the rest."""

    meetings_per_year: int
    items: int
    paragraphs_per_item: int
    actions: int
    papers: int
    attendance: int


def vacuum_analyze() -> bool:
    """Vacuum and analyse every table, as autovacuum keeps a live PostgreSQL
    database: fresh statistics, or the planner treats the new tables as
    empty, and pages marked all-visible, or PostgreSQL reads the table as well
    as an index that holds every column a query needs. False on another
    database, where nothing is done."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
    return True


def scale_build(
    *,
    years: int = 25,
    bodies: int = 30,
    meetings_per_year: int = 10,
    items_per_meeting: int = 20,
    paragraphs_per_item: int = 2,
    actions_per_meeting: int = 7,
    papers_per_meeting: int = 5,
    attendance_per_meeting: int = 8,
    history: bool = True,
    today: dt.date | None = None,
    seed: int = 2011,
    names: list[tuple[str, str]] | None = None,
    owners: list[Organisation] | None = None,
    log: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Write `bodies` bodies with `years` years of meetings ending this year.

    Past meetings are held with published agendas and minutes (approved by
    the next meeting's minute; the latest published as a draft, or still a
    draft for every fifth body); one in 60 is cancelled; meetings later
    this year are scheduled. One item in 25 is exempt. `names` gives the
    bodies' names and kinds instead of the Kent districts' partnerships and
    committees. Actions are owned in turn by `owners` (by default the
    first active organisations).
    """
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - repeatable sample data, no secrets
    today = today or timezone.localdate()
    result = ScaleResult()
    partners = _partners()
    people = _people(rng, partners, count=max(40, bodies * 6), history=history)
    sizes = _Sizes(
        meetings_per_year,
        items_per_meeting,
        paragraphs_per_item,
        actions_per_meeting,
        papers_per_meeting,
        attendance_per_meeting,
    )
    taken = set(Body.objects.values_list("slug", flat=True))
    first_year = today.year - years + 1
    for index, (name, kind) in enumerate(names or _body_names(bodies)):
        slug = name.lower().replace(" ", "-")
        if slug in taken:
            raise ValueError(f"A body called {name} exists already.")
        with transaction.atomic():
            _BodyRecords(
                index=index,
                name=name,
                slug=slug,
                first_year=first_year,
                today=today,
                partners=owners or partners,
                rng=rng,
                result=result,
                history=history,
                sizes=sizes,
            ).write(kind, people)
            # Bulk writes send no signals: cached pages must still change.
            content_changed()
        result.bodies += 1
        if log:
            log(
                f"  {name}: {result.meetings:,} meetings so far "
                f"({time.perf_counter() - started:.0f} s)"
            )
    result.seconds = time.perf_counter() - started
    return result


def _people(
    rng: random.Random, partners: list[Organisation], *, count: int, history: bool
) -> list[Person]:
    """The pool of officers and members the bodies draw their members from."""
    return _bulk(
        Person,
        [
            Person(
                title=rng.choice(TITLES),
                initials=f"{chr(65 + n % 26)} {chr(65 + (n * 7) % 26)}",
                surname=SURNAMES[n % len(SURNAMES)],
                organisation=partners[n % len(partners)],
                job_title="Community Safety Manager",
                source_system=SOURCE,
            )
            for n in range(count)
        ],
        history,
    )


@dataclass
class _BodyRecords:
    """One body's years of records, written a kind of record at a time.

    Each step writes its rows in bulk and hands on what the later steps
    build on (the meetings, their agenda items and topics, the minutes and
    their resolutions), in the order the records are made in life.
    """

    index: int
    name: str
    slug: str
    first_year: int
    today: dt.date
    partners: list[Organisation]
    rng: random.Random
    result: ScaleResult
    history: bool
    sizes: _Sizes

    def write(self, kind: str, people: list[Person]) -> None:
        body = self._body(kind)
        members = self._members(body, people)
        meetings = self._meetings(body)
        self.result.meetings += len(meetings)
        with_agenda = [m for m in meetings if m.agenda_published_at is not None]
        by_meeting, topics = self._agendas(with_agenda)
        self._papers(with_agenda, by_meeting)
        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        self._attendance(held, members)
        minutes_list = self._minutes(held)
        self.result.minutes += len(minutes_list)
        minute_items = self._minute_items(minutes_list, by_meeting)
        self.result.minute_items += len(minute_items)
        resolutions = self._paragraphs_and_resolutions(minute_items, topics)
        self._resolution_parts(resolutions, topics)
        by_minutes: dict[int, list[Resolution]] = {}
        for resolution in resolutions:
            by_minutes.setdefault(resolution.minute_item.minutes_id, []).append(
                resolution
            )
        self._approvals(minutes_list, by_minutes)
        self._actions(meetings, minutes_list, by_minutes, topics)

    def _bulk(self, model: type[Any], objs: list[Any]) -> list[Any]:
        return _bulk(model, objs, self.history)

    def _body(self, kind: str) -> Body:
        return self._bulk(
            Body,
            [
                Body(
                    name=self.name,
                    slug=self.slug,
                    kind=kind,
                    clerk_name="Kent Community Safety Team",
                    clerk_email="communitysafetyunit@kent.gov.uk",
                    purpose=f"The {self.name} brings the partners together to "
                    "reduce crime and disorder.",
                    active_from=dt.date(self.first_year, 1, 1),
                    order=200 + self.index,
                    source_system=SOURCE,
                )
            ],
        )[0]

    def _members(self, body: Body, people: list[Person]) -> list[Person]:
        """Twelve members from the pool: a chair, a vice-chair and ten more."""
        members = [people[(self.index * 5 + n) % len(people)] for n in range(12)]
        self._bulk(
            Membership,
            [
                Membership(
                    body=body,
                    person=person,
                    role=(
                        Membership.Role.CHAIR
                        if n == 0
                        else Membership.Role.VICE_CHAIR
                        if n == 1
                        else Membership.Role.MEMBER
                    ),
                    representing=person.organisation,
                    start=dt.date(self.first_year, 1, 1),
                    source_system=SOURCE,
                )
                for n, person in enumerate(members)
            ],
        )
        return members

    def _meetings(self, body: Body) -> list[Meeting]:
        """`meetings_per_year` a year, the coming ones only scheduled."""
        index, today = self.index, self.today
        now = timezone.now()
        meetings: list[Meeting] = []
        for year in range(self.first_year, today.year + 1):
            for month in MONTHS[: self.sizes.meetings_per_year]:
                day = dt.date(year, month, 8 + (index % 18))
                start = local_datetime(day, dt.time(10 if index % 2 else 14))
                past = day < today
                cancelled = past and self.rng.random() < 1 / 60
                status = (
                    Meeting.Status.CANCELLED
                    if cancelled
                    else Meeting.Status.HELD
                    if past
                    else Meeting.Status.SCHEDULED
                )
                published = (
                    start - dt.timedelta(days=7)
                    if not cancelled and start - dt.timedelta(days=7) < now
                    else None
                )
                if published is not None and not past:
                    status = Meeting.Status.AGENDA_PUBLISHED
                meetings.append(
                    Meeting(
                        body=body,
                        start=start,
                        end=start + dt.timedelta(hours=2),
                        venue="Council Chamber, Civic Centre" if index % 3 else "",
                        online=index % 3 == 0,
                        status=status,
                        status_reason="The meeting was not quorate."
                        if cancelled
                        else "",
                        agenda_published_at=published,
                        url_key=day.isoformat(),
                        source_system=SOURCE,
                    )
                )
        return self._bulk(Meeting, meetings)

    def _agendas(
        self, with_agenda: list[Meeting]
    ) -> tuple[dict[int, list[AgendaItem]], dict[int, list[str]]]:
        """Section A (committee business) and B (items for consideration).

        Returns each meeting's items and the topic of each of its items.
        """
        n_items = self.sizes.items
        sections = self._bulk(
            AgendaSection,
            [
                AgendaSection(meeting=m, letter=letter, title=title, order=order)
                for m in with_agenda
                for order, (letter, title) in enumerate(
                    [("A", "Committee Business"), ("B", "Items for consideration")]
                )
            ],
        )
        items: list[AgendaItem] = []
        topics: dict[int, list[str]] = {}
        for a, b in zip(sections[::2], sections[1::2], strict=True):
            meeting = a.meeting
            chosen = [TOPICS[(meeting.pk + n) % len(TOPICS)] for n in range(n_items)]
            topics[meeting.pk] = chosen
            for n in range(n_items):
                section, number = (a, n + 1) if n < 3 else (b, n - 2)
                title = (
                    [
                        "Apologies and substitutes",
                        "Declarations of interest",
                        "Minutes",
                    ][n]
                    if n < 3
                    else f"Update on {chosen[n]}"
                )
                exempt = n >= 3 and self.rng.random() < 1 / 25
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        section=section,
                        number=number,
                        reference=f"{section.letter}{number}",
                        title=title,
                        presenter="Head of Community Safety" if n >= 3 else "",
                        purpose=AgendaItem.Purpose.DECISION
                        if n % 4 == 0
                        else AgendaItem.Purpose.NOTING,
                        visibility=Visibility.EXEMPT if exempt else Visibility.PUBLIC,
                        exempt_paragraph=3 if exempt else None,
                        source_system=SOURCE,
                    )
                )
        items = self._bulk(AgendaItem, items)
        self.result.agenda_items += len(items)
        by_meeting: dict[int, list[AgendaItem]] = {}
        for item in items:
            by_meeting.setdefault(item.meeting_id, []).append(item)
        return by_meeting, topics

    def _papers(
        self, with_agenda: list[Meeting], by_meeting: dict[int, list[AgendaItem]]
    ) -> None:
        """Metadata of reports held on the council's website."""
        documents = []
        for meeting in with_agenda:
            reports = [i for i in by_meeting[meeting.pk] if i.section.letter == "B"]
            for n, item in enumerate(reports[: self.sizes.papers]):
                documents.append(
                    Document(
                        meeting=meeting,
                        item=item,
                        title=f"Report: {item.title}",
                        filename="report.pdf",
                        file_kind="pdf",
                        mime_type="application/pdf",
                        size_bytes=180_000 + n * 1000,
                        page_count=6 + n,
                        external_url=(
                            f"https://democracy.kent.gov.uk/documents/{self.slug}/"
                            f"{meeting.url_key}/report-{n + 1}.pdf"
                        ),
                        visibility=item.visibility,
                        exempt_paragraph=item.exempt_paragraph,
                        published_at=meeting.agenda_published_at,
                        order=n,
                        source_system=SOURCE,
                    )
                )
        self.result.documents += len(self._bulk(Document, documents))

    def _attendance(self, held: list[Meeting], members: list[Person]) -> None:
        """The first members at every meeting held, the last of them sending
        apologies."""
        n_attendance = self.sizes.attendance
        self.result.attendance += len(
            self._bulk(
                Attendance,
                [
                    Attendance(
                        meeting=m,
                        person=person,
                        kind=Attendance.Kind.APOLOGIES
                        if n == n_attendance - 1
                        else Attendance.Kind.PRESENT,
                        in_the_chair=n == 0,
                        order=n,
                    )
                    for m in held
                    for n, person in enumerate(members[:n_attendance])
                ],
            )
        )

    def _minutes(self, held: list[Meeting]) -> list[Minutes]:
        """Minutes of every meeting held, published as drafts for now."""
        minutes_list = []
        number = 1
        for m in held:
            minutes_list.append(
                Minutes(
                    meeting=m,
                    status=Minutes.Status.PUBLISHED_DRAFT,
                    published_at=m.start + dt.timedelta(days=10),
                    first_number=number,
                    source_system=SOURCE,
                )
            )
            number += self.sizes.items
        if minutes_list and self.index % 5 == 4:
            # The latest minutes of some bodies are still with the clerk.
            minutes_list[-1].status = Minutes.Status.DRAFT
            minutes_list[-1].published_at = None
        return self._bulk(Minutes, minutes_list)

    def _minute_items(
        self, minutes_list: list[Minutes], by_meeting: dict[int, list[AgendaItem]]
    ) -> list[MinuteItem]:
        """A minute for every item on the agenda, numbered through the years."""
        minute_items = []
        for record in minutes_list:
            for n, agenda_item in enumerate(by_meeting[record.meeting.pk]):
                minute_items.append(
                    MinuteItem(
                        minutes=record,
                        agenda_item=agenda_item,
                        number=record.first_number + n,
                        title=agenda_item.title,
                        agenda_reference=agenda_item.reference,
                        visibility=agenda_item.visibility,
                        exempt_paragraph=agenda_item.exempt_paragraph,
                        order=n,
                        source_system=SOURCE,
                    )
                )
        return self._bulk(MinuteItem, minute_items)

    def _paragraphs_and_resolutions(
        self, minute_items: list[MinuteItem], topics: dict[int, list[str]]
    ) -> list[Resolution]:
        """Each minute's paragraphs and its one resolution."""
        name = self.name
        paragraphs = []
        resolutions = []
        for minute in minute_items:
            topic = topics[minute.minutes.meeting.pk][minute.order]
            for p in range(self.sizes.paragraphs_per_item):
                paragraphs.append(
                    MinuteParagraph(
                        minute_item=minute,
                        order=p,
                        text=PARAGRAPHS[(minute.pk + p) % len(PARAGRAPHS)].format(
                            body=name, topic=topic
                        ),
                    )
                )
            resolutions.append(
                Resolution(
                    minute_item=minute,
                    order=0,
                    text=f"RESOLVED that the {name}"
                    + ("" if minute.order % 4 else f" note the update on {topic}."),
                    kind=Resolution.Kind.AGREED
                    if minute.order % 4
                    else Resolution.Kind.NOTED,
                )
            )
        self._bulk(MinuteParagraph, paragraphs)
        self.result.paragraphs += len(paragraphs)
        resolutions = self._bulk(Resolution, resolutions)
        self.result.resolutions += len(resolutions)
        return resolutions

    def _resolution_parts(
        self, resolutions: list[Resolution], topics: dict[int, list[str]]
    ) -> None:
        """The two parts of every resolution that agreed something."""
        parts = []
        for resolution in resolutions:
            if resolution.minute_item.order % 4 == 0:
                continue
            topic = topics[resolution.minute_item.minutes.meeting.pk][
                resolution.minute_item.order
            ]
            parts += [
                ResolutionPart(
                    resolution=resolution, order=0, text=f"note the update on {topic};"
                ),
                ResolutionPart(
                    resolution=resolution,
                    order=1,
                    text="ask for a further report to the next meeting.",
                ),
            ]
        self._bulk(ResolutionPart, parts)

    def _approvals(
        self, minutes_list: list[Minutes], by_minutes: dict[int, list[Resolution]]
    ) -> None:
        """Each minutes approved by item A3 of the body's next meeting."""
        approved = []
        for earlier, later in pairwise(minutes_list):
            if later.status == Minutes.Status.DRAFT:
                continue
            earlier.status = Minutes.Status.APPROVED
            earlier.approved_by = by_minutes[later.pk][2]
            earlier.approved_at = later.meeting.start
            approved.append(earlier)
        if not approved:
            return
        if self.history:
            bulk_update_with_history(
                approved,
                Minutes,
                ["status", "approved_by", "approved_at"],
                batch_size=BATCH,
            )
        else:
            Minutes.objects.bulk_update(
                approved, ["status", "approved_by", "approved_at"], batch_size=BATCH
            )

    def _actions(
        self,
        meetings: list[Meeting],
        minutes_list: list[Minutes],
        by_minutes: dict[int, list[Resolution]],
        topics: dict[int, list[str]],
    ) -> None:
        """Actions from the resolutions of items for consideration, due at
        the body's next meeting."""
        actions = []
        links = []
        next_meeting = {a.pk: b for a, b in pairwise(meetings)}
        for record in minutes_list:
            meeting = record.meeting
            chosen = [
                r
                for r in by_minutes.get(record.pk, [])
                if r.minute_item.order >= 3 and not r.minute_item.is_exempt
            ][: self.sizes.actions]
            for resolution in chosen:
                actions.append(
                    self._action(meeting, resolution.minute_item, topics[meeting.pk])
                )
                links.append((resolution, next_meeting.get(meeting.pk)))
        actions = self._bulk(Action, actions)
        self.result.actions += len(actions)
        self._bulk(
            ResolutionAction,
            [
                ResolutionAction(action=action, resolution=resolution, due_meeting=due)
                for action, (resolution, due) in zip(actions, links, strict=True)
            ],
        )

    def _action(
        self, meeting: Meeting, minute: MinuteItem, topics: list[str]
    ) -> Action:
        """One report-back action, signed off if it fell due long enough ago."""
        name, partners = self.name, self.partners
        due = meeting.date + dt.timedelta(days=90)
        done = due < self.today - dt.timedelta(days=60)
        signed = local_datetime(due, dt.time(12)) if done else None
        return Action(
            title=f"Report back on {topics[minute.order]}",
            owner_organisation=partners[(minute.pk) % len(partners)],
            due_date=due,
            status=Action.Status.CLOSED
            if done
            else Action.Status.IN_PROGRESS
            if minute.pk % 3
            else Action.Status.NOT_STARTED,
            rag="" if done else ["green", "amber", "red"][minute.pk % 3],
            source_kind=ResolutionAction.ACTION_KIND,
            source_label=f"Minute {minute.number}, {name}, {long_date(meeting.date)}",
            source_url=f"/meetings/{self.slug}/{meeting.url_key}/"
            f"#minute-{minute.number}",
            reports_to=name,
            partnership_id=meeting.body.partnership_id,
            completed_at=signed,
            signed_off_at=signed,
            sign_off_note="Noted at the next meeting" if done else "",
        )
