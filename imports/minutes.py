"""Bringing in minutes as councils published them, from their text.

`minutes_import_text` reads one meeting's minutes in either form the text
comes in: a committee website page copied as text (told by its heading,
"Kent Community Safety Partnership - Thursday, 14th July, 2022 10.00 am";
read by `parse_website_text`), or printed notes ("NOTES of a meeting of
..."; read by `parse_minutes`). It turns them into the meeting's record
(`page_record`, `minutes_record`) and writes that with the one writer
(`meeting_record_write`) as draft minutes of a body, for a clerk to review
in the drafting screen with the source text kept alongside
(`Minutes.source_text`):

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

It never guesses silently: every line the parser could not place, every
warning, and everything the import did not import or had to assume is in the
report. Importing the same text again updates the same records and never
duplicates them; minutes a clerk has edited or published are replaced only
when asked (`replace`), and approved minutes never.
"""

import datetime as dt
import hashlib

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from imports.parsers.legacy_minutes import parse_minutes
from imports.parsers.legacy_minutes_record import minutes_record
from imports.parsers.website import page_record
from imports.parsers.website_text import is_website_text, parse_website_text
from imports.people import PeopleFinder
from imports.record import MeetingRecord
from imports.report import ImportReport
from imports.writer import Refused, WriteRules, meeting_record_write
from kcsp.formatting import long_date
from meetings.models import Body

__all__ = ["MINUTES_SOURCE", "minutes_import_text", "record_import"]

MINUTES_SOURCE = "minutes"
# Dates outside this range are misreadings, not meetings.
_EARLIEST, _LATEST = 1900, 2100


def minutes_import_text(
    *,
    text: str,
    body: Body,
    dry_run: bool = False,
    source_name: str = "",
    replace: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import one meeting's minutes, as published, into draft minutes of `body`.

    `source_name` (the file name) is recorded as the source of every record
    the import creates. Never raises on any text: text with no date, or
    minutes the import must not overwrite, give a report whose `failure`
    says why, with nothing saved. With `dry_run` nothing is saved either;
    the report says what would have changed. `replace` allows replacing
    minutes a clerk has edited or published as a draft (never approved
    ones).
    """
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    source = (source_name.strip() or f"text {digest[:16]}")[:80]
    report = ImportReport(
        title=f"Minutes from {source} for {body.name}", dry_run=dry_run
    )
    with transaction.atomic():
        _import(text, body, source, replace, now or timezone.now(), report)
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import(
    text: str,
    body: Body,
    source: str,
    replace: bool,
    now: dt.datetime,
    report: ImportReport,
) -> None:
    if "\x00" in text:
        text = text.replace("\x00", "")
        report.warn("the text held NUL characters; they were removed")
    record: MeetingRecord | None
    if is_website_text(text):
        # A committee website page copied as text; printed notes otherwise.
        record = page_record(
            parse_website_text(text), source_id=source, source_text=text
        )
    else:
        record = _printed_notes_record(text, source, report)
    if record is None:
        return
    report.title = f"Minutes of {body.name}, {long_date(record.date)} (from {source})"
    if not record.minutes:
        report.add_lines(unplaced=record.unplaced, warnings=record.warnings)
        report.fail("no minute items were found in the text")
        return
    rules = WriteRules(
        system=MINUTES_SOURCE,
        name="the text",
        meeting_by_date=True,
        replace=replace,
        refuse_kept_minutes=True,
    )
    record_import(record=record, body=body, rules=rules, now=now, report=report)


def record_import(
    *,
    record: MeetingRecord,
    body: Body,
    rules: WriteRules,
    now: dt.datetime,
    report: ImportReport,
) -> None:
    """Write one meeting's record read from a source of minutes; a refusal
    or an error that stops it becomes the report's failure."""
    try:
        with transaction.atomic():
            meeting_record_write(
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


def _printed_notes_record(
    text: str, source: str, report: ImportReport
) -> MeetingRecord | None:
    parsed = parse_minutes(text)
    if parsed.date is None or not _EARLIEST <= parsed.date.year <= _LATEST:
        report.add_lines(unplaced=parsed.unplaced, warnings=parsed.warnings)
        report.fail(
            "no meeting date was found. The text is in neither form the import "
            "reads: printed notes with their heading, for example 'NOTES of a "
            "meeting of the Kent Community Safety Partnership held online on "
            "Thursday, 24 March 2022.', or a committee website page with its "
            "heading, for example 'Kent Community Safety Partnership - Thursday, "
            "14th July, 2022 10.00 am'"
            if parsed.date is None
            else f"the heading's date, {long_date(parsed.date)}, cannot be a meeting's"
        )
        return None
    return minutes_record(parsed, source_id=source, source_text=text)
