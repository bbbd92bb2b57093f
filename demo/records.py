"""Building blocks of the demo's meeting records, shared by the county's
meetings (demo/meetings.py) and the district partnerships' (demo/districts.py).

Each writes through the meetings services, so that demo records pass the same
rules as a clerk's: an agenda is published, attendance recorded before the
minutes are published, minutes approved by a later meeting. Each is safe to
run again: it finds what an earlier run made and leaves it as it is.
"""

import datetime as dt
import functools
import io
from typing import Any

from django.utils import timezone
from django.utils.html import escape

from kcsp.models import Action, ActionUpdate, Organisation, Person
from kcsp.workdays import local_datetime
from meetings import services
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Body,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    Minutes,
    Resolution,
    ResolutionAction,
    StandardItem,
)


def at(day: str, time: str = "10:00") -> dt.datetime:
    """A moment in London: at("2022-03-24", "14:00")."""
    return local_datetime(dt.date.fromisoformat(day), dt.time.fromisoformat(time))


def person(surname: str, initials: str = "") -> Person:
    people = Person.objects.filter(surname=surname)
    if initials:
        people = people.filter(initials=initials)
    return people.first() or Person.objects.create(surname=surname, initials=initials)


def titled(title: str, surname: str, initials: str) -> Person:
    """A person with their title ("Councillor"), as the minutes name them."""
    found = person(surname, initials)
    if found.title != title:
        found.title = title
        found.save()
    return found


def upsert_body(slug: str, **fields: object) -> Body:
    body, _ = Body.objects.update_or_create(slug=slug, defaults=fields)
    return body


def membership(
    body: Body,
    surname: str,
    initials: str,
    role: str,
    start: str,
    end: str | None = None,
    group: str = "",
    org: str = "",
) -> None:
    Membership.objects.update_or_create(
        body=body,
        person=person(surname, initials),
        role=role,
        start=start,
        defaults={
            "end": end,
            "political_group": group,
            "representing": Organisation.objects.filter(short_name=org).first()
            if org
            else None,
        },
    )


def meeting_on(body: Body, start: dt.datetime, **fields: Any) -> Meeting:
    existing = Meeting.objects.filter(body=body, start=start).first()
    if existing:
        return existing
    return services.meeting_schedule(body=body, start=start, **fields)


Entry = tuple[str, dict[str, Any]]
Agenda = list[tuple[str, str, list[Entry]]]


def agenda(meeting: Meeting, sections: Agenda) -> dict[str, AgendaItem]:
    """Create sections and items once; later runs leave them as they are."""
    items: dict[str, AgendaItem] = {}
    if meeting.items.exists():
        return {i.reference: i for i in meeting.items.all()}
    for order, (letter, title, entries) in enumerate(sections):
        section = AgendaSection.objects.create(
            meeting=meeting, letter=letter, title=title, order=order
        )
        for item_title, fields in entries:
            item = services.agenda_item_add(section=section, title=item_title, **fields)
            items[item.reference] = item
    return items


# The items most agendas open with.
APOLOGIES: Entry = (
    "Introduction and apologies",
    {"standard": StandardItem.APOLOGIES},
)
DECLARATIONS: Entry = (
    "Declarations of interest",
    {"standard": StandardItem.DECLARATIONS},
)


def previous_minutes(held_on: str, noun: str = "Notes") -> Entry:
    """The item agreeing the record of the body's previous meeting."""
    return (
        f"{noun} of meeting held on {held_on}",
        {
            "standard": StandardItem.PREVIOUS_MINUTES,
            "purpose": AgendaItem.Purpose.DECISION,
        },
    )


class Papers:
    """A set of demo papers, each a one-page PDF of its title and words,
    rendered together in one pass the first time one is asked for."""

    def __init__(self, papers: dict[str, list[str]]) -> None:
        self.papers = papers

    @functools.cached_property
    def _pdfs(self) -> dict[str, bytes]:
        from pypdf import PdfReader, PdfWriter
        from weasyprint import HTML

        pages = "".join(
            f"<section><h1>{escape(title)}</h1>"
            + "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
            + "</section>"
            for title, paragraphs in self.papers.items()
        )
        html = (
            "<html lang='en-GB'><head><title>Demo papers</title><style>"
            "body { font-family: sans-serif } section + section { break-before: page }"
            f"</style></head><body>{pages}</body></html>"
        )
        reader = PdfReader(io.BytesIO(HTML(string=html).write_pdf()))
        pdfs = {}
        for title, page in zip(self.papers, reader.pages, strict=True):
            writer = PdfWriter()
            writer.add_page(page)
            writer.add_metadata({"/Title": title})
            buffer = io.BytesIO()
            writer.write(buffer)
            pdfs[title] = buffer.getvalue()
        return pdfs

    def pdf(self, title: str) -> io.BytesIO:
        return io.BytesIO(self._pdfs[title])

    @staticmethod
    def filename(title: str) -> str:
        return title.lower().replace(" ", "-").replace(",", "")[:60] + ".pdf"

    def add(
        self, meeting: Meeting, item: AgendaItem | None, title: str, **fields: Any
    ) -> None:
        """Add paper `title` to the meeting (at `item`), once."""
        if Document.objects.filter(meeting=meeting, title=title).exists():
            return
        services.document_add(
            meeting=meeting,
            item=item,
            upload=self.pdf(title),
            name=self.filename(title),
            title=title,
            **fields,
        )

    def attach(
        self,
        meeting: Meeting,
        items: dict[str, AgendaItem],
        papers: list[tuple[str, str, dict[str, Any]]],
    ) -> None:
        """Add each paper (agenda reference, title, document fields) to the
        item of the meeting's agenda it belongs to, once; none when the
        meeting has no agenda."""
        if not items:
            return
        for reference, title, fields in papers:
            self.add(meeting, items.get(reference), title, **fields)


def publish(meeting: Meeting, on: dt.datetime) -> None:
    if meeting.agenda_published_at is None:
        services.agenda_publish(meeting=meeting, at=on)


def held(meeting: Meeting) -> None:
    if meeting.status != Meeting.Status.HELD:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status", "updated_at"])


def minutes_of(meeting: Meeting) -> Minutes:
    """The meeting's minutes, started from its agenda the first time."""
    return services.minutes_for(meeting) or services.minutes_start_from_agenda(
        meeting=meeting
    )


def approve(minutes: Minutes, *, by: Minutes, reference: str) -> None:
    """Approve `minutes` by the resolution minuted at agenda item `reference`
    of a later meeting's minutes, once."""
    if minutes.status != Minutes.Status.APPROVED:
        approving = by.items.get(agenda_reference=reference).resolutions.get()
        services.minutes_approve(minutes=minutes, resolution=approving)


def minute(
    minutes: Minutes,
    reference: str,
    paragraphs: list[str],
    resolutions: list[services.ResolutionInput],
) -> MinuteItem:
    """Write the minute of agenda item `reference` of draft minutes."""
    item = minutes.items.get(agenda_reference=reference)
    services.minute_item_save(
        item=item,
        version=item.version,
        title=item.title,
        paragraphs=paragraphs,
        resolutions=resolutions,
    )
    return item


def resolution_action(
    resolution: Resolution, owner: Organisation, due: str | None, title: str
) -> ResolutionAction:
    """The action a resolution asked of `owner`: by the day `due`, or at the
    next meeting when it names none."""
    return services.resolution_action_create(
        resolution=resolution,
        owner_organisation=owner,
        at_next_meeting=due is None,
        due_date=dt.date.fromisoformat(due) if due else None,
        title=title,
    )


def post_update(
    action: Action, text: str, *, status: str, rag: str, posted_at: dt.datetime
) -> ActionUpdate:
    """A progress update on an action as recorded before the portal had its
    sign-in accounts: dated, naming no one. A "not started" status is not
    an update's to give."""
    return ActionUpdate.objects.create(
        action=action,
        text=text,
        status=status if status != Action.Status.NOT_STARTED else "",
        rag=rag,
        posted_at=posted_at,
    )


def progress(
    action: Action,
    status: str,
    rag: str = "",
    *,
    on: dt.datetime | None = None,
    note: str = "Noted as complete by the partnership.",
) -> Action:
    """Where an action had got to, set as the demo's records say (without the
    sign-in accounts an update through the portal needs); `on` is when it was
    completed or closed, now if not given, and `note` what its sign-off
    says."""
    on = on or timezone.now()
    action.status = status
    action.rag = rag
    if status in {Action.Status.COMPLETE, Action.Status.CLOSED}:
        action.completed_at = action.completed_at or on
    if status == Action.Status.CLOSED:
        action.signed_off_at = action.signed_off_at or on
        action.sign_off_note = note
    action.save()
    return action
