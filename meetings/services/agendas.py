"""State changes of meetings, agendas and papers.

Each service is a keyword-only function that validates, writes inside one
transaction and returns what it changed. Views, the back office and the
importers all call these, so the rules hold however a change arrives.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Max, QuerySet
from django.utils import timezone

from kcsp.formatting import long_date
from kcsp.pdf import InvalidPdfError, page_count
from kcsp.provenance import (
    Outcome,
    Saved,
    Source,
    assign,
    imported_save,
    provenance,
    stamp,
)
from kcsp.uploads import check_upload, pdf_text
from kcsp.visibility import Visibility
from kcsp.workdays import (
    STATUTORY_CLEAR_DAYS,
    clear_working_days,
    latest_publication_date,
    local_datetime,
)
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Body,
    Document,
    Meeting,
    StandardItem,
    Supplement,
)

__all__ = [
    "DEFAULT_SECTIONS",
    "DEFAULT_STANDARD_ITEMS",
    "AgendaPublication",
    "agenda_item_add",
    "agenda_item_import",
    "agenda_item_late_rule",
    "agenda_item_move",
    "agenda_item_remove",
    "agenda_item_save",
    "agenda_items_start",
    "agenda_paper_add",
    "agenda_publish",
    "agenda_section_add",
    "agenda_section_next_letter",
    "agenda_section_renumber",
    "agenda_start_from_template",
    "agenda_withdraw",
    "document_add",
    "document_attach_file",
    "document_link_import",
    "meeting_cancel",
    "meeting_cancel_check",
    "meeting_import",
    "meeting_move",
    "meeting_move_check",
    "meeting_save",
    "meeting_schedule",
    "meeting_url_key",
    "meetings_schedule_year",
    "next_meeting",
    "next_supplement_number",
    "paper_replace",
    "papers_waiting",
    "pattern_dates",
    "previous_meeting",
    "publication_notice",
    "standard_item_title",
    "supplement_publish",
]

# What publishing or withdrawing an agenda changes on its meeting.
_AGENDA_STATE = [
    "agenda_published_at",
    "agenda_withdrawn_at",
    "agenda_withdrawn_reason",
    "status",
    "updated_at",
]

# In a date pattern, the last such weekday of the month.
LAST_WEEK = 5

DEFAULT_SECTIONS = [
    ("A", "Committee Business"),
    ("B", "Items for consideration"),
]
DEFAULT_STANDARD_ITEMS = [
    ("A", StandardItem.SUBSTITUTES, "Substitutes"),
    (
        "A",
        StandardItem.DECLARATIONS,
        "Declarations of Interests by Members in items on the Agenda for this meeting",
    ),
    ("A", StandardItem.PREVIOUS_MINUTES, "Minutes of the previous meeting"),
]


# Meetings -----------------------------------------------------------------


def meeting_url_key(
    *, body: Body, start: dt.datetime, exclude_pk: int | None = None
) -> str:
    """The date part of a meeting's address, "-2" added for a second that day."""
    base = timezone.localtime(start).date().isoformat()
    taken = set(
        Meeting.objects.filter(body=body, url_key__startswith=base)
        .exclude(pk__in=[exclude_pk] if exclude_pk is not None else [])
        .values_list("url_key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def meeting_schedule(
    *,
    body: Body,
    start: dt.datetime,
    end: dt.datetime | None = None,
    venue: str = "",
    online: bool = False,
    **fields: Any,
) -> Meeting:
    """Create a meeting of `body` with a readable, stable address."""
    meeting = Meeting(
        body=body, start=start, end=end, venue=venue, online=online, **fields
    )
    meeting.url_key = meeting_url_key(body=body, start=start)
    meeting.full_clean()
    meeting.save()
    return meeting


def pattern_dates(
    *, year: int, months: list[int], week: int, weekday: int, time: dt.time
) -> list[dt.datetime]:
    """The meeting times of a pattern such as "the second Thursday of March,
    June, September and December": `week` 1 to 4 counts from the start of the
    month, 5 is the last such weekday; `weekday` 0 is Monday. London time."""
    found = []
    for month in sorted(set(months)):
        length = calendar.monthrange(year, month)[1]
        days = [
            day
            for day in (dt.date(year, month, n) for n in range(1, length + 1))
            if day.weekday() == weekday
        ]
        day = days[-1] if week == LAST_WEEK else days[week - 1]
        found.append(local_datetime(day, time))
    return found


@transaction.atomic
def meetings_schedule_year(
    *,
    body: Body,
    starts: list[dt.datetime],
    venue: str = "",
    online: bool = False,
    webcast_url: str = "",
) -> list[Meeting]:
    """Create the body's meetings at these times in one go, leaving out any
    day the body already meets; returns those created."""
    taken = {
        timezone.localtime(start).date()
        for start in Meeting.objects.filter(body=body).values_list("start", flat=True)
    }
    created = []
    for start in starts:
        if timezone.localtime(start).date() in taken:
            continue
        created.append(
            meeting_schedule(
                body=body,
                start=start,
                venue=venue.strip(),
                online=online,
                webcast_url=webcast_url.strip(),
            )
        )
    return created


@transaction.atomic
def meeting_save(*, meeting: Meeting) -> Meeting:
    """Save a meeting edited in the back office, keeping its address in step."""
    key_date = timezone.localtime(meeting.start).date().isoformat()
    if not meeting.url_key or not meeting.url_key.startswith(key_date):
        meeting.url_key = meeting_url_key(
            body=meeting.body, start=meeting.start, exclude_pk=meeting.pk
        )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_import(
    *, body: Body, source: Source, meeting: Meeting | None = None, **values: Any
) -> Saved[Meeting]:
    """A meeting as another system records it: scheduled, or brought up to date.

    `values` are the meeting's fields as the source gives them (`start`,
    `end`, `venue`, `status` ...). Without `meeting` one is scheduled
    (`meeting_schedule`) with its provenance; `meeting` (one this source
    imported before) is saved as a meeting of `body` with the values
    (`meeting_save`), or, when it already holds them, left unsaved.
    """
    if meeting is None:
        meeting = meeting_schedule(body=body, **values, **provenance(Meeting, source))
        return Saved(meeting, Outcome.CREATED)
    if assign(meeting, {"body": body, **values}) | stamp(meeting, source):
        meeting.last_imported_at = source.at
        meeting_save(meeting=meeting)
        return Saved(meeting, Outcome.UPDATED)
    return Saved(meeting, Outcome.UNCHANGED)


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, postpone: bool = False) -> Meeting:
    """Cancel (or postpone) a meeting: its record stays and the public is told."""
    if not reason.strip():
        raise ValidationError("Say why the meeting is cancelled or postponed.")
    meeting_cancel_check(meeting=meeting)
    meeting.status = Meeting.Status.POSTPONED if postpone else Meeting.Status.CANCELLED
    meeting.status_reason = reason.strip()
    meeting.save(update_fields=["status", "status_reason", "updated_at"])
    return meeting


def meeting_cancel_check(*, meeting: Meeting) -> None:
    """Refuse to cancel a meeting that has been held or is cancelled already."""
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError("A meeting that has been held cannot be cancelled.")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("The meeting is already cancelled.")


def meeting_move_check(*, meeting: Meeting, start: dt.datetime) -> None:
    """Refuse a move the public record could not show truthfully."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(
            "A cancelled meeting cannot be moved; create a new meeting instead."
        )
    postponed = meeting.status == Meeting.Status.POSTPONED
    if meeting.status == Meeting.Status.HELD or (meeting.has_begun and not postponed):
        raise ValidationError("A meeting that has begun or been held cannot be moved.")
    if start <= timezone.now():
        raise ValidationError({"date": "Choose a date and time still to come."})
    if start == meeting.start:
        raise ValidationError({"date": "The meeting is already at that time."})


@transaction.atomic
def meeting_move(*, meeting: Meeting, start: dt.datetime, reason: str) -> Meeting:
    """Move a meeting still to come (or a postponed one) to a new time.

    The page keeps what the public knew: the time it was to be held and why
    it moved. The end moves with the start; the address follows the new date
    and the old one leads to it.
    """
    if not reason.strip():
        raise ValidationError({"reason": "Say why the meeting is moved."})
    meeting_move_check(meeting=meeting, start=start)
    postponed = meeting.status == Meeting.Status.POSTPONED
    if meeting.end is not None:
        meeting.end += start - meeting.start
    meeting.moved_from, meeting.start = meeting.start, start
    meeting.status_reason = reason.strip()
    if postponed:
        meeting.status = (
            Meeting.Status.AGENDA_PUBLISHED
            if meeting.agenda_is_published
            else Meeting.Status.SCHEDULED
        )
    return meeting_save(meeting=meeting)


# Agendas ------------------------------------------------------------------


@dataclass
class AgendaPublication:
    meeting: Meeting
    clear_days: int
    warnings: list[str] = field(default_factory=list)


def publication_notice(meeting: Meeting, published: dt.date) -> str | None:
    """A warning when fewer than five clear working days remain, else None."""
    clear = clear_working_days(published, meeting.date)
    if clear >= STATUTORY_CLEAR_DAYS:
        return None
    latest = latest_publication_date(meeting.date)
    return (
        f"Only {clear} clear working day{'s' if clear != 1 else ''} before the "
        f"meeting on {long_date(meeting.date)}. The law asks for "
        f"{STATUTORY_CLEAR_DAYS} (the last day to publish was {long_date(latest)}). "
        "Items not on the agenda in time can be taken only as urgent business."
    )


@transaction.atomic
def agenda_publish(
    *, meeting: Meeting, at: dt.datetime | None = None
) -> AgendaPublication:
    """Publish the agenda and its papers, warning if it is late.

    Publication is recorded even when late (the clerk decides); the warning
    says how many clear days were left.
    """
    if meeting.is_cancelled:
        raise ValidationError("The agenda of a cancelled meeting cannot be published.")
    at = at or timezone.now()
    if not meeting.items.exists():
        raise ValidationError("Add at least one item before publishing the agenda.")
    meeting.agenda_published_at = at
    meeting.agenda_withdrawn_at = None
    meeting.agenda_withdrawn_reason = ""
    if meeting.status == Meeting.Status.SCHEDULED:
        meeting.status = Meeting.Status.AGENDA_PUBLISHED
    meeting.save(update_fields=_AGENDA_STATE)
    # A version replaced before the agenda went out was never public: it stays so.
    waiting = meeting.documents.filter(published_at__isnull=True)
    for document in waiting.filter(superseded_at__isnull=True):
        document.published_at = at
        document.save(update_fields=["published_at", "updated_at"])
    local = timezone.localtime(at).date()
    warning = publication_notice(meeting, local)
    return AgendaPublication(
        meeting=meeting,
        clear_days=clear_working_days(local, meeting.date),
        warnings=[warning] if warning else [],
    )


@transaction.atomic
def agenda_withdraw(
    *, meeting: Meeting, reason: str, at: dt.datetime | None = None
) -> Meeting:
    """Take a published agenda (and so its papers) out of public view, saying
    why, as when it was published by mistake. Publishing it again records a
    new publication time."""
    if meeting.agenda_published_at is None:
        raise ValidationError("The agenda is not published.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the agenda is withdrawn."})
    meeting.agenda_published_at = None
    meeting.agenda_withdrawn_at = at or timezone.now()
    meeting.agenda_withdrawn_reason = reason.strip()
    if meeting.status == Meeting.Status.AGENDA_PUBLISHED:
        meeting.status = Meeting.Status.SCHEDULED
    meeting.save(update_fields=_AGENDA_STATE)
    return meeting


def _nearest_meeting(meeting: Meeting, *, after: bool) -> Meeting | None:
    """The body's nearest meeting before (or after) this one that goes ahead:
    neither cancelled nor postponed."""
    around = {"start__gt" if after else "start__lt": meeting.start}
    return (
        Meeting.objects.filter(body=meeting.body, **around)
        .going_ahead()
        .order_by("start" if after else "-start")
        .first()
    )


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return _nearest_meeting(meeting, after=False)


def next_meeting(meeting: Meeting) -> Meeting | None:
    return _nearest_meeting(meeting, after=True)


def standard_item_title(meeting: Meeting, standard: str, title: str) -> str:
    """The title of a standard item for this meeting (previous minutes dated)."""
    if standard == StandardItem.PREVIOUS_MINUTES:
        previous = previous_meeting(meeting)
        if previous:
            return f"Minutes of the meeting held on {long_date(previous.date)}"
    return title


@transaction.atomic
def agenda_section_add(
    *, meeting: Meeting, letter: str, title: str, order: int | None = None
) -> AgendaSection:
    """Add a lettered section to a meeting's agenda, by default in letter order."""
    section = AgendaSection(
        meeting=meeting,
        letter=letter.strip().upper(),
        title=title.strip(),
        order=ord(letter.strip().upper()[:1] or "A") - ord("A")
        if order is None
        else order,
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def agenda_start_from_template(*, meeting: Meeting) -> list[AgendaItem]:
    """Give a new agenda its standard sections and items.

    The body's own template is used when it has one; otherwise substitutes,
    declarations and the previous meeting's minutes.
    """
    if meeting.items.exists():
        raise ValidationError("This agenda already has items.")
    template = [
        (t.section_letter, t.section_title, t.standard, t.title)
        for t in meeting.body.agenda_template.all()
    ]
    if not template:
        titles = dict(DEFAULT_SECTIONS)
        template = [
            (s, titles[s], std, title) for s, std, title in DEFAULT_STANDARD_ITEMS
        ]
    sections: dict[str, AgendaSection] = {}
    for order, (letter, title) in enumerate(DEFAULT_SECTIONS):
        sections[letter] = agenda_section_add(
            meeting=meeting, letter=letter, title=title, order=order
        )
    created = []
    for letter, section_title, standard, title in template:
        if letter not in sections:
            sections[letter] = agenda_section_add(
                meeting=meeting, letter=letter, title=section_title, order=len(sections)
            )
        created.append(
            agenda_item_add(
                section=sections[letter],
                title=standard_item_title(meeting, standard, title),
                standard=standard,
                purpose=AgendaItem.Purpose.DECISION
                if standard == StandardItem.PREVIOUS_MINUTES
                else "",
            )
        )
    return created


@transaction.atomic
def agenda_items_start(
    *, meeting: Meeting, standard: bool = True, titles: list[str] | None = None
) -> list[AgendaItem]:
    """A new meeting's first items: the body's standard items if `standard`,
    then each of `titles` under "Items for consideration"."""
    created = agenda_start_from_template(meeting=meeting) if standard else []
    if titles:
        letter, title = DEFAULT_SECTIONS[1]
        section = meeting.sections.filter(letter=letter).first()
        if section is None:
            section = agenda_section_add(
                meeting=meeting, letter=letter, title=title, order=1
            )
        created += [agenda_item_add(section=section, title=t) for t in titles]
    return created


def agenda_item_late_rule(*, item: AgendaItem, at: dt.datetime | None = None) -> None:
    """Apply the late-item rule to a new item before it is saved.

    After the agenda is published an item can only be added as urgent
    business, with the reason recorded (LGA 1972 s100B(4)(b)).
    """
    meeting = item.meeting
    late = meeting.agenda_published_at is not None and (
        (at or timezone.now()) >= meeting.agenda_published_at
    )
    if not late:
        return
    if not item.urgency_reason.strip():
        raise ValidationError(
            {
                "urgency_reason": (
                    "The agenda has already been published, so this item can be "
                    "taken only as urgent business. Give the reason for urgency."
                )
            }
        )
    item.is_urgent = True
    item.added_after_publication = True


@transaction.atomic
def agenda_item_add(
    *,
    section: AgendaSection,
    title: str,
    urgency_reason: str = "",
    at: dt.datetime | None = None,
    **fields: Any,
) -> AgendaItem:
    """Add an item at the end of a section (as urgent business if late)."""
    last = section.items.aggregate(n=Max("number"))["n"] or 0
    item = AgendaItem(
        meeting=section.meeting,
        section=section,
        number=last + 1,
        reference=f"{section.letter}{last + 1}",
        title=title,
        urgency_reason=urgency_reason.strip(),
        **fields,
    )
    agenda_item_late_rule(item=item, at=at)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_import(
    *,
    section: AgendaSection,
    number: int,
    title: str,
    source: Source,
    item: AgendaItem | None = None,
    **values: Any,
) -> Saved[AgendaItem]:
    """An agenda item as another system published it, at its number.

    Without `item` one is added to `section`, with its provenance; `item`
    (one this source imported before) is moved and brought up to date, or,
    when it already holds the values, left unsaved.
    The item stood on the agenda as published, so the late-item rule does
    not apply. An item of the same source holding the number in that
    section gives way (its number is cleared until it is placed itself);
    anyone else's item keeps its number and the import is refused.
    """
    holder = section.items.filter(number=number, source_system=source.system)
    if item is not None:
        holder = holder.exclude(pk=item.pk)
    for moving in holder:
        moving.number = None
        moving.save(update_fields=["number", "updated_at"])
    created = item is None
    if item is None:
        item = AgendaItem(meeting=section.meeting, section=section)
    changed = assign(
        item,
        {
            "section": section,
            "number": number,
            "reference": f"{section.letter}{number}",
            "title": title.strip(),
            **values,
        },
    )
    changed = stamp(item, source) or changed
    outcome = imported_save(item, created=created, changed=changed, at=source.at)
    return Saved(item, outcome)


@transaction.atomic
def agenda_section_renumber(*, section: AgendaSection) -> list[AgendaItem]:
    """Number a section's items 1, 2, 3 ... in their order, references to match."""
    items = list(section.items.order_by(F("number").asc(nulls_last=True), "pk"))
    _number_in_order(section, items)
    return items


def _number_in_order(section: AgendaSection, items: list[AgendaItem]) -> None:
    # Move everything out of the way first so the unique number never clashes.
    section.items.update(number=F("number") + 10_000)
    for number, each in enumerate(items, start=1):
        each.section = section
        each.number = number
        each.reference = f"{section.letter}{number}"
        each.save(update_fields=["section", "number", "reference", "updated_at"])


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, position: int) -> list[AgendaItem]:
    """Move an item to `position` (1-based) in its section and renumber."""
    ordered = item.section.items.order_by(F("number").asc(nulls_last=True), "pk")
    items = [i for i in ordered if i.pk != item.pk]
    position = max(1, min(position, len(items) + 1))
    items.insert(position - 1, item)
    _number_in_order(item.section, items)
    return items


@transaction.atomic
def agenda_item_save(
    *, item: AgendaItem, moved_from: AgendaSection | None = None
) -> AgendaItem:
    """Save an item edited by the clerk. An item moved to another section of
    its meeting goes to the end of that section, and the section it left is
    numbered again without a gap."""
    if moved_from is None or moved_from.pk == item.section_id:
        item.full_clean()
        item.save()
        return item
    last = item.section.items.exclude(pk=item.pk).aggregate(n=Max("number"))["n"]
    item.number = (last or 0) + 1
    item.reference = f"{item.section.letter}{item.number}"
    item.full_clean()
    item.save()
    agenda_section_renumber(section=moved_from)
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem) -> AgendaSection:
    """Take an item off the agenda with its papers, numbering the rest of its
    section again. An item the minutes already record stays: it happened."""
    if item.minute_items.exists():
        raise ValidationError(
            "The minutes record this item, so it stays on the agenda."
        )
    section = item.section
    item.delete()
    agenda_section_renumber(section=section)
    return section


def agenda_section_next_letter(meeting: Meeting) -> str:
    """The letter after the agenda's last section: "A" for an empty agenda."""
    letters = [s.upper() for s in meeting.sections.values_list("letter", flat=True)]
    last = max((letter for letter in letters if len(letter) == 1), default="")
    if not last:
        return "A"
    return chr(ord(last) + 1) if last < "Z" else "Z"


# Documents ----------------------------------------------------------------


def _pdf_pages(upload: IO[bytes]) -> int | None:
    """The paper's page count, or None where the PDF cannot be read: the
    paper is still accepted, and a pack lists it as "could not be included"."""
    upload.seek(0)
    try:
        pages: int | None = page_count(upload)
    except InvalidPdfError:
        pages = None
    upload.seek(0)
    return pages


def document_attach_file(
    *, document: Document, upload: IO[bytes], name: str
) -> Document:
    """Check a file by content and give the document it and its details.

    Raises ValidationError with a message for the clerk if the file is not
    what its name says, is empty or too large. Does not save the document.
    """
    checked = check_upload(upload, name)
    document.filename = checked.filename
    document.file_kind = checked.kind.key
    document.mime_type = checked.kind.mime
    document.size_bytes = checked.size
    document.sha256 = checked.sha256
    document.page_count = _pdf_pages(upload) if checked.kind.key == "pdf" else None
    document.text = pdf_text(upload) if checked.kind.key == "pdf" else ""
    if not document.title.strip():
        document.title = checked.filename
    document.file.save(
        checked.filename, File(upload, name=checked.filename), save=False
    )
    return document


@transaction.atomic
def document_add(
    *,
    meeting: Meeting,
    upload: IO[bytes],
    name: str,
    title: str,
    item: AgendaItem | None = None,
    kind: str = Document.Kind.REPORT,
    visibility: str = Visibility.PUBLIC,
    exempt_paragraph: int | None = None,
    by: Any = None,
    publish: bool | None = None,
    source: Source | None = None,
) -> Document:
    """Attach a checked file to a meeting or one of its items.

    The file is checked by content (a "PDF" must be a PDF). On an agenda that
    is already published the paper is published at once unless
    `publish=False`; before that it is published with the agenda. A file
    brought in by an import carries where it came from (`source`).
    """
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError("That item belongs to a different meeting.")
    if publish is None:
        publish = meeting.agenda_published_at is not None
    document = Document(
        meeting=meeting,
        item=item,
        title=title.strip(),
        kind=kind,
        visibility=visibility,
        exempt_paragraph=exempt_paragraph,
        published_at=timezone.now() if publish else None,
        uploaded_by=by if getattr(by, "pk", None) else None,
        order=(meeting.documents.filter(item=item).aggregate(n=Max("order"))["n"] or 0)
        + 1,
    )
    if source is not None:
        for field_name, value in provenance(Document, source).items():
            setattr(document, field_name, value)
    document.full_clean(exclude=["file", "title"])
    document_attach_file(document=document, upload=upload, name=name)
    document.full_clean(exclude=["file"])
    document.save()
    return document


@transaction.atomic
def document_link_import(
    *,
    meeting: Meeting,
    source: Source,
    document: Document | None = None,
    item: AgendaItem | None = None,
    **values: Any,
) -> Saved[Document]:
    """A paper another system holds, recorded as a link to it there.

    `values` are the document's fields as the source gives them (`title`,
    `kind`, `external_url`, `file_kind`, `mime_type`, `size_bytes`,
    `published_at`, `order` ...); no file is fetched. Without `document` one
    is created with its provenance; `document` (one this source imported
    before) is brought up to date, or, when it already holds the values,
    only has its last import moved on. A paper of an exempt item is exempt
    on the item's paragraph of Schedule 12A, as `agenda_paper_add` makes it.
    """
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError("That item belongs to a different meeting.")
    if item is not None and item.is_exempt:
        values["visibility"] = item.visibility
        values["exempt_paragraph"] = item.exempt_paragraph
    created = document is None
    if document is None:
        document = Document(meeting=meeting)
    changed = assign(document, {"meeting": meeting, "item": item, **values})
    changed = stamp(document, source) or changed
    outcome = imported_save(
        document, created=created, changed=changed, at=source.at, exclude=["file"]
    )
    return Saved(document, outcome)


@transaction.atomic
def agenda_paper_add(
    *,
    item: AgendaItem,
    upload: IO[bytes],
    name: str,
    title: str = "",
    kind: str = Document.Kind.REPORT,
    by: Any = None,
) -> Document:
    """A paper for one agenda item, as private as its item: a paper of an
    exempt item is exempt on the same paragraph of Schedule 12A."""
    return document_add(
        meeting=item.meeting,
        item=item,
        upload=upload,
        name=name,
        title=title or item.title,
        kind=kind,
        visibility=item.visibility,
        exempt_paragraph=item.exempt_paragraph if item.is_exempt else None,
        by=by,
        publish=False,
    )


@transaction.atomic
def paper_replace(
    *, document: Document, upload: IO[bytes], name: str, by: Any = None
) -> Document:
    """A new version of a paper. The old one stays listed as superseded, with
    its date, once the new one is public: at once before the agenda is
    published, with the next supplementary agenda after."""
    if document.superseded_at is not None or document.replacements.exists():
        raise ValidationError("A newer version of this paper exists: replace that.")
    new = document_add(
        meeting=document.meeting,
        item=document.item,
        upload=upload,
        name=name,
        title=document.title,
        kind=document.kind,
        visibility=document.visibility,
        exempt_paragraph=document.exempt_paragraph,
        by=by,
        publish=False,
    )
    new.version, new.replaces, new.order = (
        document.version + 1,
        document,
        document.order,
    )
    new.save(update_fields=["version", "replaces", "order", "updated_at"])
    if document.meeting.agenda_published_at is None:
        _supersede(document, timezone.now())
    return new


def _supersede(document: Document, at: dt.datetime) -> None:
    document.superseded_at = at
    document.save(update_fields=["superseded_at", "updated_at"])


def papers_waiting(meeting: Meeting) -> QuerySet[Document]:
    """Papers added after the agenda was published, not yet published in a
    supplement."""
    if meeting.agenda_published_at is None:
        return Document.objects.none()
    return meeting.documents.filter(
        published_at__isnull=True, superseded_at__isnull=True
    ).select_related("item", "replaces")


def next_supplement_number(meeting: Meeting) -> int:
    """The number the meeting's next supplementary agenda takes."""
    return (meeting.supplements.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def supplement_publish(
    *, meeting: Meeting, at: dt.datetime | None = None
) -> Supplement:
    """Publish the papers added since the agenda as the next supplementary
    agenda ("Supplementary agenda 2"), all at the same moment."""
    if meeting.agenda_published_at is None:
        raise ValidationError(
            "The agenda is not published: papers added now are published with it."
        )
    waiting = list(papers_waiting(meeting))
    if not waiting:
        raise ValidationError("No papers are waiting to be published.")
    at = at or timezone.now()
    supplement = Supplement.objects.create(
        meeting=meeting, number=next_supplement_number(meeting), published_at=at
    )
    for document in waiting:
        document.published_at, document.supplement = at, supplement
        document.save(update_fields=["published_at", "supplement", "updated_at"])
        if document.replaces is not None:
            _supersede(document.replaces, at)
    return supplement
