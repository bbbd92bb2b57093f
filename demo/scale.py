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
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kcsp.formatting import long_date
from kcsp.models import Action, Organisation, Person
from kcsp.pagecache import content_changed
from kcsp.visibility import Visibility
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
LONDON = ZoneInfo("Europe/London")
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
    people = _bulk(
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
            for n in range(max(40, bodies * 6))
        ],
        history,
    )
    taken = set(Body.objects.values_list("slug", flat=True))
    first_year = today.year - years + 1
    for index, (name, kind) in enumerate(names or _body_names(bodies)):
        slug = name.lower().replace(" ", "-")
        if slug in taken:
            raise ValueError(f"A body called {name} exists already.")
        with transaction.atomic():
            _one_body(
                index=index,
                name=name,
                slug=slug,
                kind=kind,
                first_year=first_year,
                today=today,
                people=people,
                partners=owners or partners,
                rng=rng,
                result=result,
                history=history,
                settings=(
                    meetings_per_year,
                    items_per_meeting,
                    paragraphs_per_item,
                    actions_per_meeting,
                    papers_per_meeting,
                    attendance_per_meeting,
                ),
            )
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


def _one_body(
    *,
    index: int,
    name: str,
    slug: str,
    kind: str,
    first_year: int,
    today: dt.date,
    people: list[Person],
    partners: list[Organisation],
    rng: random.Random,
    result: ScaleResult,
    history: bool,
    settings: tuple[int, int, int, int, int, int],
) -> None:
    per_year, n_items, n_paragraphs, n_actions, n_papers, n_attendance = settings
    body = _bulk(
        Body,
        [
            Body(
                name=name,
                slug=slug,
                kind=kind,
                clerk_name="Kent Community Safety Team",
                clerk_email="communitysafetyunit@kent.gov.uk",
                purpose=f"The {name} brings the partners together to reduce crime "
                "and disorder.",
                active_from=dt.date(first_year, 1, 1),
                order=200 + index,
                source_system=SOURCE,
            )
        ],
        history,
    )[0]
    members = [people[(index * 5 + n) % len(people)] for n in range(12)]
    _bulk(
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
                start=dt.date(first_year, 1, 1),
                source_system=SOURCE,
            )
            for n, person in enumerate(members)
        ],
        history,
    )

    # Meetings: `per_year` a year, the coming ones only scheduled.
    now = timezone.now()
    meetings: list[Meeting] = []
    for year in range(first_year, today.year + 1):
        for month in MONTHS[:per_year]:
            day = dt.date(year, month, 8 + (index % 18))
            start = dt.datetime.combine(
                day, dt.time(10 if index % 2 else 14), tzinfo=LONDON
            )
            past = day < today
            cancelled = past and rng.random() < 1 / 60
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
                    status_reason="The meeting was not quorate." if cancelled else "",
                    agenda_published_at=published,
                    url_key=day.isoformat(),
                    source_system=SOURCE,
                )
            )
    meetings = _bulk(Meeting, meetings, history)
    result.meetings += len(meetings)

    # Agendas: section A (committee business) and B (items for consideration).
    with_agenda = [m for m in meetings if m.agenda_published_at is not None]
    sections = _bulk(
        AgendaSection,
        [
            AgendaSection(meeting=m, letter=letter, title=title, order=order)
            for m in with_agenda
            for order, (letter, title) in enumerate(
                [("A", "Committee Business"), ("B", "Items for consideration")]
            )
        ],
        history,
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
                ["Apologies and substitutes", "Declarations of interest", "Minutes"][n]
                if n < 3
                else f"Update on {chosen[n]}"
            )
            exempt = n >= 3 and rng.random() < 1 / 25
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
    items = _bulk(AgendaItem, items, history)
    result.agenda_items += len(items)
    by_meeting: dict[int, list[AgendaItem]] = {}
    for item in items:
        by_meeting.setdefault(item.meeting_id, []).append(item)

    # Papers: metadata of reports held on the council's website.
    documents = []
    for meeting in with_agenda:
        reports = [i for i in by_meeting[meeting.pk] if i.section.letter == "B"]
        for n, item in enumerate(reports[:n_papers]):
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
                        f"https://democracy.kent.gov.uk/documents/{slug}/"
                        f"{meeting.url_key}/report-{n + 1}.pdf"
                    ),
                    visibility=item.visibility,
                    exempt_paragraph=item.exempt_paragraph,
                    published_at=meeting.agenda_published_at,
                    order=n,
                    source_system=SOURCE,
                )
            )
    result.documents += len(_bulk(Document, documents, history))

    # Minutes of every meeting held.
    held = [m for m in meetings if m.status == Meeting.Status.HELD]
    result.attendance += len(
        _bulk(
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
            history,
        )
    )
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
        number += n_items
    if minutes_list and index % 5 == 4:
        # The latest minutes of some bodies are still with the clerk.
        minutes_list[-1].status = Minutes.Status.DRAFT
        minutes_list[-1].published_at = None
    minutes_list = _bulk(Minutes, minutes_list, history)
    result.minutes += len(minutes_list)

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
    minute_items = _bulk(MinuteItem, minute_items, history)
    result.minute_items += len(minute_items)

    paragraphs = []
    resolutions = []
    for minute in minute_items:
        topic = topics[minute.minutes.meeting.pk][minute.order]
        for p in range(n_paragraphs):
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
    _bulk(MinuteParagraph, paragraphs, history)
    result.paragraphs += len(paragraphs)
    resolutions = _bulk(Resolution, resolutions, history)
    result.resolutions += len(resolutions)
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
    _bulk(ResolutionPart, parts, history)

    # Approval: each minutes approved by item A3 of the body's next meeting.
    by_minutes: dict[int, list[Resolution]] = {}
    for resolution in resolutions:
        by_minutes.setdefault(resolution.minute_item.minutes_id, []).append(resolution)
    approved = []
    for earlier, later in pairwise(minutes_list):
        if later.status == Minutes.Status.DRAFT:
            continue
        earlier.status = Minutes.Status.APPROVED
        earlier.approved_by = by_minutes[later.pk][2]
        earlier.approved_at = later.meeting.start
        approved.append(earlier)
    if approved:
        if history:
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

    # Actions: from the resolutions of items for consideration.
    actions = []
    links = []
    next_meeting = {a.pk: b for a, b in pairwise(meetings)}
    for record in minutes_list:
        meeting = record.meeting
        chosen = [
            r
            for r in by_minutes.get(record.pk, [])
            if r.minute_item.order >= 3 and not r.minute_item.is_exempt
        ][:n_actions]
        for resolution in chosen:
            minute = resolution.minute_item
            due = meeting.date + dt.timedelta(days=90)
            done = due < today - dt.timedelta(days=60)
            signed = (
                dt.datetime.combine(due, dt.time(12), tzinfo=LONDON) if done else None
            )
            actions.append(
                Action(
                    title=f"Report back on {topics[meeting.pk][minute.order]}",
                    owner_organisation=partners[(minute.pk) % len(partners)],
                    due_date=due,
                    status=Action.Status.CLOSED
                    if done
                    else Action.Status.IN_PROGRESS
                    if minute.pk % 3
                    else Action.Status.NOT_STARTED,
                    rag="" if done else ["green", "amber", "red"][minute.pk % 3],
                    source_kind=ResolutionAction.ACTION_KIND,
                    source_label=f"Minute {minute.number}, {name}, "
                    f"{long_date(meeting.date)}",
                    source_url=f"/meetings/{slug}/{meeting.url_key}/"
                    f"#minute-{minute.number}",
                    reports_to=name,
                    completed_at=signed,
                    signed_off_at=signed,
                    sign_off_note="Noted at the next meeting" if done else "",
                )
            )
            links.append((resolution, next_meeting.get(meeting.pk)))
    actions = _bulk(Action, actions, history)
    result.actions += len(actions)
    _bulk(
        ResolutionAction,
        [
            ResolutionAction(action=action, resolution=resolution, due_meeting=due)
            for action, (resolution, due) in zip(actions, links, strict=True)
        ],
        history,
    )
