"""Bringing in minutes as councils published them, from their text.

`minutes_import_text` reads one meeting's minutes with `parse_minutes` and
writes them as draft minutes of a body, for a clerk to review in the
drafting screen with the source text kept alongside (`Minutes.source_text`):

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

When the numbering starts again part way (an agenda pack holding a protocol,
minutes and a report), only one numbered series is imported: the one whose
minute headings carry the most agenda references (the first on a tie). It
never guesses silently: every line the parser could not place, every
warning, and everything the import did not import or had to assume is in the
report. Importing the same text again updates the same records and never
duplicates them; minutes a clerk has edited or published are replaced only
when asked (`replace`), and approved minutes never.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from imports.parsers.legacy_minutes import (
    AttendanceEntry,
    ParsedMinutes,
    parse_minutes,
)
from imports.parsers.legacy_minutes import MinuteItem as ParsedItem
from imports.parsers.legacy_minutes import Resolution as ParsedResolution
from imports.people import PeopleFinder
from imports.records import (
    MINUTES_SOURCE,
    assign,
    fit,
    resolution_kind,
    save_imported,
    stamp,
)
from imports.report import ImportReport
from kcsp.formatting import long_date
from kcsp.models import Person
from kcsp.provenance import Source
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    Meeting,
    MinuteItem,
    Minutes,
)
from meetings.services import ParagraphInput, ResolutionInput

__all__ = ["DEFAULT_EXEMPT_PARAGRAPH", "DEFAULT_START", "minutes_import_text"]

LONDON = ZoneInfo("Europe/London")
# The usual start of council meetings, used (and reported) when the heading
# gives no time.
DEFAULT_START = dt.time(10, 0)
# An item under "EXEMPT ITEMS" stays exempt, never public by mistake; the
# minutes do not say which paragraph of Schedule 12A applied, so the most
# general one is recorded and the report asks a clerk to check it.
DEFAULT_EXEMPT_PARAGRAPH = ExemptParagraph.INDIVIDUAL
# Dates outside this range are misreadings, not meetings.
_EARLIEST, _LATEST = 1900, 2100

_LETTERED_REFERENCE = re.compile(r"(?P<letter>[A-Z]{1,2})(?P<number>\d{1,3})")
_IN_THE_CHAIR = re.compile(r"\s*\bin\s+the\s+chair\b\s*", re.IGNORECASE)
_SUBSTITUTE_NOTE = re.compile(r"[;,]?\s*substitut\w*\s+for\s+.+$", re.IGNORECASE)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=LONDON)


@dataclass(frozen=True)
class _Span:
    """The lines an item of the parsed text covers, for reporting it."""

    first: int
    last: int

    def __str__(self) -> str:
        if self.first == self.last:
            return f"line {self.first}"
        return f"lines {self.first}-{self.last}"


class _MinutesImport:
    def __init__(
        self,
        *,
        text: str,
        body: Body,
        source_name: str,
        replace: bool,
        dry_run: bool,
        now: dt.datetime,
    ) -> None:
        self.text = text
        self.body = body
        self.replace = replace
        self.now = now
        digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
        self.source = (source_name.strip() or f"text {digest[:16]}")[:80]
        self.report = ImportReport(
            title=f"Minutes from {self.source} for {body.name}", dry_run=dry_run
        )
        self.people = PeopleFinder(report=self.report, system=MINUTES_SOURCE, now=now)
        self.meeting_created = False

    # -- reading -------------------------------------------------------------

    def run(self) -> ImportReport:
        if "\x00" in self.text:
            self.text = self.text.replace("\x00", "")
            self.report.warn("the text held NUL characters; they were removed")
        parsed = parse_minutes(self.text)
        for entry in parsed.unplaced:
            self.report.not_placed(entry.reason, line=entry.line, source=entry.text)
        for entry in parsed.warnings:
            self.report.warn(entry.reason, line=entry.line, source=entry.text)
        if parsed.date is None:
            return self.report.fail(
                "no meeting date was found. The minutes need their heading, for "
                "example 'NOTES of a meeting of the Kent Community Safety "
                "Partnership held online on Thursday, 24 March 2022.'"
            )
        if not _EARLIEST <= parsed.date.year <= _LATEST:
            return self.report.fail(
                f"the heading's date, {long_date(parsed.date)}, cannot be a meeting's"
            )
        self.report.title = (
            f"Minutes of {self.body.name}, {long_date(parsed.date)} "
            f"(from {self.source})"
        )
        if parsed.body_name and parsed.body_name.casefold() not in {
            self.body.name.casefold(),
            self.body.short_name.casefold(),
        }:
            self.report.warn(
                f"the heading names {parsed.body_name!r}, not {self.body.name!r}; "
                "imported as minutes of the body asked for"
            )
        items = self.choose_items(parsed)
        if not items:
            return self.report.fail("no minute items were found in the text")
        try:
            with transaction.atomic():
                self.write(parsed, parsed.date, items)
        except _Refused as refusal:
            self.report.fail(str(refusal))
        except (ValidationError, DatabaseError) as error:
            problem = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else str(error)
            )
            self.report.fail(f"the minutes could not be saved: {problem}")
        return self.report

    def spans(self, parsed: ParsedMinutes) -> dict[int, _Span]:
        """Each item's lines, from its heading to the line before the next."""
        placed = [entry.line for entry in parsed.placed]
        last_line = max(placed, default=0)
        spans: dict[int, _Span] = {}
        for index, item in enumerate(parsed.items):
            following = (
                parsed.items[index + 1].line
                if index + 1 < len(parsed.items)
                else last_line + 1
            )
            inside = [line for line in placed if item.line <= line < following]
            spans[id(item)] = _Span(item.line, max(inside, default=item.line))
        return spans

    def choose_items(self, parsed: ParsedMinutes) -> list[ParsedItem]:
        """The items to import; every other item is reported, not dropped."""
        spans = self.spans(parsed)
        numbered = [item for item in parsed.items if item.number is not None]
        if not numbered:
            pages = [item for item in parsed.items if item.title]
            for item in parsed.items:
                if not item.title:
                    self.report.not_placed(
                        f"{spans[id(item)]}: text with no minute heading, not imported"
                    )
            return pages
        runs: list[list[ParsedItem]] = []
        for item in numbered:
            previous = runs[-1][-1].number if runs else None
            if (
                previous is not None
                and item.number is not None
                and item.number > previous
            ):
                runs[-1].append(item)
            else:
                runs.append([item])
        chosen = max(runs, key=lambda run: sum(1 for item in run if item.reference))
        kept = {id(item) for item in chosen}
        if len(runs) > 1:
            why = (
                "chosen for their agenda references"
                if any(item.reference for item in chosen)
                else "the first list, as none has agenda references"
            )
            self.report.warn(
                f"the minute numbers start again {len(runs) - 1} time(s), so the text "
                f"holds more than one numbered list; minutes {chosen[0].number} to "
                f"{chosen[-1].number} (line {chosen[0].line}) were imported, {why}"
            )
        for item in parsed.items:
            if id(item) in kept:
                continue
            if item.number is None:
                what = "text with no minute heading"
            else:
                what = f"{item.number}. {item.title}"
            self.report.not_placed(
                f"{spans[id(item)]}: {what!s} not imported (not part of the "
                "numbered minutes chosen)"
            )
        return chosen

    # -- writing -------------------------------------------------------------

    def write(
        self, parsed: ParsedMinutes, day: dt.date, items: list[ParsedItem]
    ) -> None:
        meeting = self.meeting(parsed, day)
        minutes = self.minutes(meeting, items)
        if items[0].number is None:
            # Item pages carry no minute number: they continue the body's
            # series, and the report says so.
            first = services.next_minute_number(meeting=meeting)
            self.report.warn(
                f"the minutes give no minute numbers: numbered from {first} in "
                f"{self.body.name}'s series"
            )
            numbers = [first + index for index in range(len(items))]
        else:
            numbers = [item.number or 0 for item in items]
            series = services.next_minute_number(meeting=meeting)
            if series != 1 and series != numbers[0]:
                self.report.warn(
                    f"the minutes start at {numbers[0]}, but {self.body.name}'s "
                    f"series of minute numbers would continue at {series}"
                )
        if assign(minutes, {"first_number": numbers[0]}):
            minutes.save(update_fields=["first_number", "updated_at"])
        agenda = self.agenda(meeting, items)
        self.attendance(meeting, parsed)
        for order, (number, item) in enumerate(zip(numbers, items, strict=True)):
            try:
                with transaction.atomic():
                    self.minute_item(minutes, number, order, item, agenda)
            except ValidationError as error:
                self.report.warn(
                    f"minute {number} was not imported: {' '.join(error.messages)}",
                    line=item.line,
                )
        # Items an earlier version of the text had, and this one has not.
        for extra in minutes.items.exclude(number__in=numbers):
            extra.delete()
            self.report.count("minute item", "deleted")

    def meeting(self, parsed: ParsedMinutes, day: dt.date) -> Meeting:
        same_day = list(
            Meeting.objects.filter(
                body=self.body,
                start__gte=_at(day, dt.time.min),
                start__lt=_at(day + dt.timedelta(days=1), dt.time.min),
            ).order_by("start")
        )
        if len(same_day) > 1:
            ours = [
                m
                for m in same_day
                if Minutes.objects.filter(
                    meeting=m, source_system=MINUTES_SOURCE, source_id=self.source
                ).exists()
            ]
            if len(ours) != 1:
                raise _Refused(
                    f"{self.body.name} has {len(same_day)} meetings on "
                    f"{long_date(day)}; the import cannot tell which these minutes "
                    "are of"
                )
            same_day = ours
        venue = fit(Meeting, "venue", parsed.venue)
        if same_day:
            meeting = same_day[0]
            if meeting.is_cancelled:
                self.report.warn(
                    f"the meeting of {long_date(day)} is recorded as "
                    f"{meeting.get_status_display().lower()}, yet has minutes"
                )
            if (
                meeting.source_system == MINUTES_SOURCE
                and meeting.source_id == self.source
            ):
                changed = assign(meeting, {"venue": venue, "online": parsed.online})
                if changed:
                    meeting.last_imported_at = self.now
                    services.meeting_save(meeting=meeting)
                    self.report.count("meeting", "updated")
                else:
                    save_imported(
                        meeting,
                        kind="meeting",
                        created=False,
                        changed=False,
                        report=self.report,
                        now=self.now,
                    )
            else:
                self.report.count("meeting", "matched")
            return meeting
        time = parsed.time
        if time is None:
            time = DEFAULT_START
            self.report.warn(
                "the heading gives no time: the meeting was put at 10.00 am"
            )
        meeting = services.meeting_schedule(
            body=self.body,
            start=_at(day, time),
            venue=venue,
            online=parsed.online,
            status=Meeting.Status.HELD,
            source_system=MINUTES_SOURCE,
            source_id=self.source,
            first_imported_at=self.now,
            last_imported_at=self.now,
        )
        self.meeting_created = True
        self.report.count("meeting", "created")
        return meeting

    def minutes(self, meeting: Meeting, items: list[ParsedItem]) -> Minutes:
        minutes = Minutes.objects.filter(meeting=meeting).first()
        when = long_date(meeting.date)
        if minutes is None:
            minutes = Minutes(
                meeting=meeting,
                status=Minutes.Status.DRAFT,
                first_number=items[0].number or 1,
                source_text=self.text,
            )
            stamp(minutes, system=MINUTES_SOURCE, source_id=self.source, now=self.now)
            save_imported(
                minutes,
                kind="minutes",
                created=True,
                changed=True,
                report=self.report,
                now=self.now,
            )
            return minutes
        if minutes.status == Minutes.Status.APPROVED:
            raise _Refused(
                f"the minutes of {when} have been approved, so they are never "
                "replaced; record a correction in the drafting screen instead"
            )
        reason = self.worked_on(minutes)
        if reason and not self.replace:
            raise _Refused(
                f"the meeting of {when} already has minutes that {reason}. Nothing "
                "was changed. To replace them with this text, run the import "
                "again with --replace"
            )
        if reason:
            self.report.warn(f"replaced minutes that {reason}, as asked")
            if minutes.status == Minutes.Status.PUBLISHED_DRAFT:
                self.report.warn(
                    "these minutes are published as a draft: the public sees the "
                    "replaced text"
                )
        changed = assign(
            minutes,
            {
                "source_text": self.text,
                "source_system": MINUTES_SOURCE,
                "source_id": fit(Minutes, "source_id", self.source),
            },
        )
        if minutes.first_imported_at is None:
            minutes.first_imported_at = self.now
        save_imported(
            minutes,
            kind="minutes",
            created=False,
            changed=changed,
            report=self.report,
            now=self.now,
        )
        return minutes

    def worked_on(self, minutes: Minutes) -> str:
        """Why existing minutes are not this import's to overwrite, or ""."""
        if minutes.status != Minutes.Status.DRAFT:
            return "have been published"
        if minutes.source_system != MINUTES_SOURCE or minutes.source_id != self.source:
            return "did not come from this text"
        edited = minutes.items.filter(version__gt=1).order_by("number").first()
        if edited is not None:
            return f"a clerk has edited (minute {edited.number} first)"
        if minutes.items.exclude(source_system=MINUTES_SOURCE).exists():
            return "a clerk has added to"
        return ""

    # -- agenda --------------------------------------------------------------

    def agenda(
        self, meeting: Meeting, items: list[ParsedItem]
    ) -> dict[str, AgendaItem]:
        """The agenda items the minutes refer to, by reference.

        A meeting without an agenda gets one from the references; an agenda
        this import made before is brought up to date; a clerk's agenda is
        only read.
        """
        prefix = f"{self.source}#"
        current = list(meeting.items.select_related("section"))
        ours = all(
            item.source_system == MINUTES_SOURCE and item.source_id.startswith(prefix)
            for item in current
        )
        by_reference = {item.reference: item for item in current}
        if not ours:
            for item in items:
                if item.reference and item.reference not in by_reference:
                    self.report.warn(
                        f"the agenda has no item {item.reference}: minute "
                        f"{item.number} is not linked to one",
                        line=item.line,
                    )
            return by_reference
        titles = {
            template.section_letter: template.section_title
            for template in self.body.agenda_template.all()
        }
        titles = {**dict(services.DEFAULT_SECTIONS), **titles}
        sections = {section.letter: section for section in meeting.sections.all()}
        done: set[str] = set()
        for item in items:
            if not item.reference:
                continue
            match = _LETTERED_REFERENCE.fullmatch(item.reference)
            if not match:
                self.report.warn(
                    f"reference {item.reference} names no lettered section: minute "
                    f"{item.number} is not linked to an agenda item",
                    line=item.line,
                )
                continue
            letter, number = match["letter"], int(match["number"])
            reference = f"{letter}{number}"
            if reference in done:
                by_reference[item.reference] = by_reference[reference]
                continue
            done.add(reference)
            section = sections.get(letter)
            if section is None:
                section = self.section(meeting, letter, titles)
                sections[letter] = section
            agenda_item = by_reference.get(reference)
            created = agenda_item is None
            if agenda_item is None:
                agenda_item = AgendaItem(meeting=meeting, section=section)
                stamp(
                    agenda_item,
                    system=MINUTES_SOURCE,
                    source_id=f"{prefix}{reference}",
                    now=self.now,
                )
            exempt = bool(item.exempt)
            changed = assign(
                agenda_item,
                {
                    "section": section,
                    "number": number,
                    "reference": reference,
                    "title": fit(AgendaItem, "title", item.title) or reference,
                    "visibility": Visibility.EXEMPT if exempt else Visibility.PUBLIC,
                    "exempt_paragraph": (
                        agenda_item.exempt_paragraph or int(DEFAULT_EXEMPT_PARAGRAPH)
                    )
                    if exempt
                    else None,
                },
            )
            save_imported(
                agenda_item,
                kind="agenda item",
                created=created,
                changed=changed,
                report=self.report,
                now=self.now,
            )
            by_reference[reference] = agenda_item
            by_reference[item.reference] = agenda_item
        return by_reference

    def section(
        self, meeting: Meeting, letter: str, titles: dict[str, str]
    ) -> AgendaSection:
        title = titles.get(letter)
        if title is None:
            title = f"Section {letter}"
            self.report.warn(
                f"agenda section {letter} was given the title {title!r}: give it "
                "its real title"
            )
        section = AgendaSection(
            meeting=meeting,
            letter=letter,
            title=title,
            order=ord(letter[0]) - ord("A"),
        )
        section.full_clean()
        section.save()
        self.report.count("agenda section", "created")
        return section

    # -- attendance ----------------------------------------------------------

    def attendance(self, meeting: Meeting, parsed: ParsedMinutes) -> None:
        seen: set[int] = set()
        chair: Person | None = None
        for order, entry in enumerate(parsed.attendance):
            person = self.people.find(
                entry.name,
                source_id=f"{self.source} line {entry.line}",
                line=entry.line,
            )
            if person is None:
                continue
            if person.pk in seen:
                self.report.warn(
                    f"{entry.name.raw} is listed twice; the first listing was kept",
                    line=entry.line,
                )
                continue
            seen.add(person.pk)
            in_the_chair = entry.in_the_chair
            if in_the_chair and chair is not None:
                self.report.warn(
                    f"{entry.name.raw} is also said to be in the Chair; only "
                    f"{chair.formal_name} was recorded so",
                    line=entry.line,
                )
                in_the_chair = False
            if in_the_chair:
                chair = person
            self.attendance_row(meeting, person, entry, order, in_the_chair)
        if not self.meeting_created:
            others = meeting.attendance.exclude(person__in=seen).count()
            if others:
                self.report.warn(
                    f"{others} attendance record(s) of this meeting are not in the "
                    "text; they were left as they are"
                )

    def attendance_row(
        self,
        meeting: Meeting,
        person: Person,
        entry: AttendanceEntry,
        order: int,
        in_the_chair: bool,
    ) -> None:
        substitute_for = None
        if entry.substitute_for is not None:
            substitute_for = self.people.find(
                entry.substitute_for,
                source_id=f"{self.source} line {entry.line}",
                line=entry.line,
            )
        kind = Attendance.Kind(entry.kind.value)
        capacity = entry.capacity
        if entry.in_the_chair:
            # The attendance list adds "in the Chair" itself.
            capacity = _IN_THE_CHAIR.sub(" ", capacity).strip(" ;,")
        if substitute_for is not None:
            # ... and "Substitute for ...".
            capacity = _SUBSTITUTE_NOTE.sub("", capacity).strip(" ;,")
        if kind != Attendance.Kind.SUBSTITUTE:
            substitute_for = None
        row = Attendance.objects.filter(meeting=meeting, person=person).first()
        created = row is None
        if row is None:
            row = Attendance(meeting=meeting, person=person)
        if in_the_chair and not row.in_the_chair:
            # One chair per meeting: clear any other first.
            for other in meeting.attendance.filter(in_the_chair=True).exclude(
                person=person
            ):
                other.in_the_chair = False
                other.save(update_fields=["in_the_chair", "updated_at"])
        changed = assign(
            row,
            {
                "kind": kind,
                "substitute_for": substitute_for,
                "in_the_chair": in_the_chair,
                "capacity": fit(Attendance, "capacity", capacity),
                "order": order,
            },
        )
        save_imported(
            row,
            kind="attendance",
            created=created,
            changed=changed,
            report=self.report,
            now=self.now,
        )

    # -- minute items ----------------------------------------------------------

    def minute_item(
        self,
        minutes: Minutes,
        number: int,
        order: int,
        parsed: ParsedItem,
        agenda: dict[str, AgendaItem],
    ) -> None:
        title = fit(MinuteItem, "title", parsed.title)
        if not title:
            title = f"Minute {number}"
            self.report.warn(
                f"minute {number} has no title: called {title!r}", line=parsed.line
            )
        exempt = bool(parsed.exempt)
        if exempt:
            self.report.warn(
                f"minute {number} is exempt; the minutes do not say under which "
                f"paragraph of Schedule 12A, so paragraph "
                f"{int(DEFAULT_EXEMPT_PARAGRAPH)} was recorded: check it",
                line=parsed.line,
            )
        agenda_item = agenda.get(parsed.reference) if parsed.reference else None
        paragraphs = [
            ParagraphInput(paragraph.text, numbered=paragraph.number is not None)
            for paragraph in parsed.paragraphs
        ]
        resolutions = [
            self.resolution(number, resolution) for resolution in parsed.resolutions
        ]
        if parsed.resolutions and any(
            paragraph.line > parsed.resolutions[0].line
            for paragraph in parsed.paragraphs
        ):
            self.report.warn(
                f"minute {number} has text after its first resolution; the portal "
                "shows paragraphs before resolutions",
                line=parsed.line,
            )

        item = minutes.items.filter(number=number).first()
        saved = services.minute_item_import(
            minutes=minutes,
            item=item,
            number=number,
            title=title,
            paragraphs=paragraphs,
            resolutions=resolutions,
            source=Source(
                system=MINUTES_SOURCE, id=f"{self.source}#{number}", at=self.now
            ),
            order=order,
            agenda_reference=fit(MinuteItem, "agenda_reference", parsed.reference),
            agenda_item=agenda_item,
            visibility=Visibility.EXEMPT if exempt else Visibility.PUBLIC,
            exempt_paragraph=(
                (item.exempt_paragraph if item else None)
                or int(DEFAULT_EXEMPT_PARAGRAPH)
            )
            if exempt
            else None,
        )
        self.report.count("minute item", saved.outcome)

    def resolution(self, number: int, parsed: ParsedResolution) -> ResolutionInput:
        labels = [part.label for part in parsed.parts]
        kind = resolution_kind(parsed.text)
        if parsed.parts and all(label == "" for label in labels):
            # Bullets, not lettered parts: they stay in the text as a list.
            bullets = "\n".join(f"- {part.text}" for part in parsed.parts)
            return ResolutionInput(text=f"{parsed.lead_in}\n{bullets}", kind=kind)
        expected = list(_LETTERS[: len(labels)])
        if labels and [label.lower() for label in labels] != expected:
            self.report.warn(
                f"minute {number}: the resolution's parts are labelled "
                f"{', '.join(label or '-' for label in labels)}; the portal letters "
                f"them {', '.join(expected)}",
                line=parsed.line,
            )
        return ResolutionInput(
            text=parsed.lead_in or "RESOLVED that:",
            parts=[part.text for part in parsed.parts],
            kind=kind,
        )


class _Refused(Exception):
    """The import must not go ahead; the message says why."""


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
    importer = _MinutesImport(
        text=text,
        body=body,
        source_name=source_name,
        replace=replace,
        dry_run=dry_run,
        now=now or timezone.now(),
    )
    if not dry_run:
        return importer.run()
    with transaction.atomic():
        report = importer.run()
        transaction.set_rollback(True)
    return report
