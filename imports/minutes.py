"""Bringing in minutes as councils published them, from their text.

`minutes_import_text` reads one meeting's minutes in either form text comes
in: a committee website page copied as text (told by its heading, "Kent
Community Safety Partnership - Thursday, 14th July, 2022 10.00 am"; read by
`parse_website_text`), or printed notes ("NOTES of a meeting of ..."; read
by `parse_minutes`). It turns them into the meeting's record (`page_record`,
`minutes_record`) and writes that with the one writer (`record_import`,
through `meeting_record_write`) as draft minutes of a body, for a clerk to
review in the drafting screen with the source text kept alongside
(`Minutes.source_text`). Of printed notes:

- the meeting of that body on the heading's date is found, or created as
  held, with the heading's venue or "online" (at 10.00 am, reported, when
  the heading gives no time);
- PRESENT, ALSO PRESENT, IN ATTENDANCE, APOLOGIES and substitutes become
  attendance, people matched in the partner directory by surname and
  initials (a title that contradicts rules a match out) or created with
  their titles and honours; "(Vice-Chairman in the Chair)" marks who
  chaired;
- each minute keeps its number, title and agenda reference ("(Item B1)").
  When the meeting has no agenda yet, references like B1 create it:
  section B, item 1, so each minute links to its agenda item;
- paragraphs keep their text ("- " bullets included) and whether they were
  numbered; each RESOLVED block becomes a resolution, lettered parts a),
  b), c) as its parts.

Two more forms go the same way:

- minutes published only as a PDF (`minutes_import_pdf`): the text is read
  from it in reading order, without running headers, footers and page
  numbers (`parsers.minutes_pdf`), and the PDF itself is kept as the
  minutes' source document, a paper of the meeting;
- a single item page (one item of a meeting, as a committee website shows
  it): `ItemPlacing` gives the meeting's date (or a meeting title holding
  it) and the item's minute number, and the item is added to that
  meeting's minutes, beside the items other pages gave. Its number is the
  source's, never one the import makes up.

Attendance written as a table (name, organisation and role in columns) is
read a person a row. When attendance lines cannot be placed, the import
stops and lists them, unless it is asked to go on without them
(`allow_unplaced`).

It never guesses silently: every line the parser could not place, every
warning, and everything the import did not import or had to assume is in the
report. Importing the same text again updates the same records and never
duplicates them; minutes a clerk has edited or published are replaced only
when asked (`replace`), and approved minutes never.
"""

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, replace
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from imports.parsers import parse_british_date
from imports.parsers.legacy_minutes import ParsedMinutes, parse_minutes
from imports.parsers.legacy_minutes_record import minutes_record
from imports.parsers.minutes_pdf import PdfTextError, pdf_minutes_text
from imports.parsers.website import page_record
from imports.parsers.website_text import is_website_text, parse_website_text
from imports.people import PeopleFinder
from imports.record import LineReport, MeetingRecord
from imports.report import ImportReport
from imports.writer import Refused, WriteRules, Written, meeting_record_write
from kcsp.formatting import long_date
from kcsp.provenance import Source
from kcsp.uploads import is_pdf
from meetings import services
from meetings.models import Body, Document, Meeting

__all__ = [
    "MINUTES_SOURCE",
    "ImportOptions",
    "ItemPlacing",
    "minutes_import_pdf",
    "minutes_import_text",
    "record_import",
]

MINUTES_SOURCE = "minutes"
# Dates outside this range are misreadings, not meetings.
_EARLIEST, _LATEST = 1900, 2100


@dataclass(frozen=True, kw_only=True)
class ItemPlacing:
    """Where a single item page goes: its meeting and its minute number.

    `date` is the meeting's day; without it the date (and time) is read
    from `meeting_title`, the meeting as the source names it ("Crime and
    Disorder Committee - Friday, 8th July, 2011 2.00 pm"). `item_number`
    is the minute's number in the body's series, as the source gives it;
    a page that prints its own number needs none.
    """

    date: dt.date | None = None
    item_number: int | None = None
    meeting_title: str = ""


class ImportOptions(TypedDict, total=False):
    """How to import, the same for every form of minutes.

    `source_name` (the file name) is recorded as the source of every record
    the import creates. With `dry_run` nothing is saved; the report says
    what would have changed. `replace` allows replacing minutes a clerk has
    edited or published as a draft (never approved ones). `placing` puts a
    single item page into its meeting. `allow_unplaced` imports minutes
    whose attendance lines cannot all be placed (they are reported).
    """

    dry_run: bool
    source_name: str
    replace: bool
    placing: ItemPlacing | None
    allow_unplaced: bool
    now: dt.datetime | None


@dataclass(frozen=True)
class _Options:
    body: Body
    source: str
    replace: bool
    allow_unplaced: bool
    placing: ItemPlacing | None
    now: dt.datetime


def _begin(
    body: Body, fallback_name: str, options: ImportOptions
) -> tuple[ImportReport, _Options]:
    source = (options.get("source_name", "").strip() or fallback_name)[:80]
    report = ImportReport(
        title=f"Minutes from {source} for {body.name}",
        dry_run=options.get("dry_run", False),
    )
    return report, _Options(
        body=body,
        source=source,
        replace=options.get("replace", False),
        allow_unplaced=options.get("allow_unplaced", False),
        placing=options.get("placing"),
        now=options.get("now") or timezone.now(),
    )


def minutes_import_text(
    *, text: str, body: Body, **options: Unpack[ImportOptions]
) -> ImportReport:
    """Import one meeting's minutes, as published, into draft minutes of `body`.

    Never raises on any text: text with no date, a single item page without
    its number, attendance lines that cannot be placed (unless
    `allow_unplaced`), or minutes the import must not overwrite, give a
    report whose `failure` says why, with nothing saved. See
    `ImportOptions` for the rest.
    """
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    report, settings = _begin(body, f"text {digest[:16]}", options)
    with transaction.atomic():
        _import(text, settings, report)
        if report.dry_run:
            transaction.set_rollback(True)
    return report


def minutes_import_pdf(
    *, data: bytes, body: Body, **options: Unpack[ImportOptions]
) -> ImportReport:
    """Import one meeting's minutes published as a PDF, as `minutes_import_text`
    imports their text, keeping the PDF as the minutes' source document.

    The file must be a PDF by content (`kcsp.uploads.is_pdf`). Its text is
    read without running headers, footers and page numbers (the report
    lists what was left out). The PDF becomes a paper of the meeting, of
    the kind "Minutes", checked as any upload is; the same file imported
    again is not added twice. In a dry run it is counted, not stored.
    """
    digest = hashlib.sha256(data).hexdigest()
    report, settings = _begin(body, f"pdf {digest[:16]}", options)
    if not is_pdf(data):
        return report.fail("the file is not a PDF: its contents are not a PDF's")
    try:
        extracted = pdf_minutes_text(data)
    except PdfTextError as error:
        return report.fail(str(error))
    for line in extracted.dropped:
        report.warn(
            "left out as a running header, footer or page number of the PDF",
            source=line,
        )
    with transaction.atomic():
        written = _import(extracted.text, settings, report)
        if written is not None:
            _source_document(written.meeting, data, settings, report)
        if report.dry_run or report.failed:
            transaction.set_rollback(True)
    return report


def _import(text: str, options: _Options, report: ImportReport) -> Written | None:
    if "\x00" in text:
        text = text.replace("\x00", "")
        report.warn("the text held NUL characters; they were removed")
    some_items = options.placing is not None
    record: MeetingRecord | None
    if not some_items and is_website_text(text):
        # A committee website page copied as text; printed notes otherwise.
        record = page_record(
            parse_website_text(text), source_id=options.source, source_text=text
        )
    else:
        record = _printed_notes_record(text, options, report)
    if record is None:
        return None
    body = options.body
    report.title = (
        f"Minutes of {body.name}, {long_date(record.date)} (from {options.source})"
    )
    if not record.minutes:
        report.add_lines(unplaced=record.unplaced, warnings=record.warnings)
        report.fail("no minute items were found in the text")
        return None
    rules = WriteRules(
        system=MINUTES_SOURCE,
        name="the text",
        meeting_by_date=True,
        replace=options.replace,
        refuse_kept_minutes=True,
        some_items=some_items,
    )
    return record_import(
        record=record, body=body, rules=rules, now=options.now, report=report
    )


def record_import(
    *,
    record: MeetingRecord,
    body: Body,
    rules: WriteRules,
    now: dt.datetime,
    report: ImportReport,
) -> Written | None:
    """Write one meeting's record read from a source of minutes; a refusal
    or an error that stops it becomes the report's failure (and None)."""
    try:
        with transaction.atomic():
            return meeting_record_write(
                record=record,
                body=body,
                rules=rules,
                report=report,
                people=PeopleFinder(report=report, system=rules.system, now=now),
                now=now,
            )
    except Refused as refusal:
        report.fail(str(refusal))
    except (ValidationError, DatabaseError) as error:
        problem = (
            " ".join(error.messages)
            if isinstance(error, ValidationError)
            else str(error)
        )
        report.fail(f"the minutes could not be saved: {problem}")
    return None


def _printed_notes_record(
    text: str, options: _Options, report: ImportReport
) -> MeetingRecord | None:
    """Printed notes (or a single item page placed in its meeting) as the
    meeting's record; None, with the report failed, when they cannot be."""
    parsed = parse_minutes(text)
    if options.placing is not None:
        placed = _placed(parsed, options.placing, report)
        if placed is None:
            report.add_lines(unplaced=parsed.unplaced, warnings=parsed.warnings)
            return None
        parsed = placed
    if parsed.date is None or not _EARLIEST <= parsed.date.year <= _LATEST:
        report.add_lines(unplaced=parsed.unplaced, warnings=parsed.warnings)
        report.fail(
            "no meeting date was found. The text is in neither form the import "
            "reads: printed notes with their heading, for example 'NOTES of a "
            "meeting of the Kent Community Safety Partnership held online on "
            "Thursday, 24 March 2022.', or a committee website page with its "
            "heading, for example 'Kent Community Safety Partnership - Thursday, "
            "14th July, 2022 10.00 am'. A single item page needs --date (or "
            "--meeting-title) and --item-number"
            if parsed.date is None
            else f"the heading's date, {long_date(parsed.date)}, cannot be a meeting's"
        )
        return None
    if (missing := _attendance_not_placed(parsed)) and not options.allow_unplaced:
        report.add_lines(unplaced=missing, warnings=())
        report.fail(
            f"{len(missing)} attendance line(s) could not be placed (listed "
            "above). Correct them, or run the import again with "
            "--allow-unplaced to import the minutes without them"
        )
        return None
    if options.placing is None:
        return minutes_record(parsed, source_id=options.source, source_text=text)
    record = minutes_record(
        parsed, source_id=f"item pages {parsed.date.isoformat()}", source_text=""
    )
    return replace(
        record,
        minutes=tuple(
            replace(minute, key=f"{options.source}#{minute.number}")
            for minute in record.minutes
        ),
    )


def _placed(
    parsed: ParsedMinutes, placing: ItemPlacing, report: ImportReport
) -> ParsedMinutes | None:
    """A single item page's minutes put into their meeting; None (and the
    report failed) when the page is not one item or its number is unknown."""
    date, time = placing.date, None
    if placing.meeting_title:
        titled, time = parse_british_date(placing.meeting_title)
        if date is None and titled is None:
            report.fail(
                f"no date was found in the meeting title {placing.meeting_title!r}; "
                "give it with --date"
            )
            return None
        date = date or titled
    if parsed.date is not None and date is not None and parsed.date != date:
        report.fail(
            f"the text is of a meeting on {long_date(parsed.date)}, not "
            f"{long_date(date)}"
        )
        return None
    items = [item for item in parsed.items if item.title or item.number is not None]
    if len(items) != 1:
        report.fail(
            f"a single item page holds one minute item; this text holds {len(items)}"
        )
        return None
    item = items[0]
    number = item.number
    if placing.item_number is not None:
        if number is not None and number != placing.item_number:
            report.fail(
                f"the page gives the minute number {number}, not {placing.item_number}"
            )
            return None
        number = placing.item_number
    if number is None:
        report.fail(
            "the page gives no minute number, and the import never makes one "
            "up: give the number from the council's minutes with --item-number"
        )
        return None
    return replace(
        parsed,
        date=parsed.date or date,
        time=parsed.time or time,
        items=(replace(item, number=number),),
        warnings=tuple(
            warning
            for warning in parsed.warnings
            if warning.reason
            not in {
                "item page without a minute number",
                "no minutes heading: body, date and venue are unknown",
            }
        ),
    )


def _attendance_not_placed(parsed: ParsedMinutes) -> list[LineReport]:
    """Attendance lines the parser could not read into people."""
    roles = dict(parsed.placed)
    attendance_lines = [line for line, role in roles.items() if role == "attendance"]
    if not attendance_lines:
        return []
    first_item = min((item.line for item in parsed.items), default=0)
    first = min(attendance_lines)
    missing = [
        entry
        for entry in parsed.unplaced
        if first < entry.line and (not first_item or entry.line < first_item)
    ]
    missing.extend(
        LineReport(entry.line, entry.name.raw, "no surname could be read")
        for entry in parsed.attendance
        if not entry.name.surname
    )
    return sorted(missing)


def _source_document(
    meeting: Meeting, data: bytes, options: _Options, report: ImportReport
) -> None:
    """Keep the PDF the minutes were read from as a paper of the meeting."""
    digest = hashlib.sha256(data).hexdigest()
    if meeting.documents.filter(kind=Document.Kind.MINUTES, sha256=digest).exists():
        report.count("document", "unchanged")
        return
    if report.dry_run:
        report.count("document", "created")
        return
    name = options.source
    if not name.lower().endswith(".pdf"):
        name = f"{name}.pdf"
    try:
        with transaction.atomic():
            services.document_add(
                meeting=meeting,
                upload=io.BytesIO(data),
                name=name,
                title=f"Minutes of {long_date(meeting.date)} as published (PDF)",
                kind=Document.Kind.MINUTES,
                source=Source(system=MINUTES_SOURCE, id=options.source, at=options.now),
            )
    except ValidationError as error:
        report.fail(f"the PDF could not be kept: {' '.join(error.messages)}")
        return
    report.count("document", "created")
