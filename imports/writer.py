"""The one writer: a meeting's record into the portal, through its services.

`meeting_record_write` takes the `MeetingRecord` a parser produced and
writes it with the meetings services (`meeting_import`,
`agenda_section_add`, `agenda_item_import`, `document_link_import`,
`attendance_set`, `minutes_import`, `minute_item_import`), so an imported
record obeys the same rules as one a clerk typed, and counts in the report
what was created, updated or left unchanged:

- the meeting: found again by the source's id for it, or (for a source of
  minutes, `WriteRules.meeting_by_date`) the body's meeting on that day,
  whoever made it; otherwise scheduled, at 10.00 am when the source gives
  no time;
- the agenda: items keyed on the source's ids, in their lettered sections,
  moved on to the next free number where someone else's item holds theirs;
  an agenda inferred from the minutes' references only where the meeting
  has none of anyone else's, otherwise the minutes link to it by reference;
- papers the source links, as documents held on its site (title, kind,
  address, file type and size), each with its agenda item, published with
  the agenda;
- attendance, people found in the partner directory or created
  (`PeopleFinder`), one chair;
- the minutes, as a draft: numbered as printed (or on from the body's
  series), each minute's text written as the drafting screen writes it.
  Minutes a clerk has edited, added to or published are replaced only when
  the rules say so, and approved minutes never.

Writing the same record again writes nothing: every record is compared with
what the portal holds before it is saved, and one that already holds the
source's values is not saved, so a second run adds no history rows and leaves
the site's content version (and the public pages' cache) as it was.
It runs inside the caller's transaction: a validation or database error
leaves the caller to roll the meeting back.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from imports.people import PeopleFinder
from imports.record import (
    AttendanceKind,
    MeetingRecord,
    MeetingStatus,
    MinuteRecord,
)
from imports.report import ImportReport
from kcsp.formatting import long_date
from kcsp.models import Person
from kcsp.provenance import Source, fit
from kcsp.uploads import KINDS
from kcsp.visibility import ExemptParagraph, Visibility
from kcsp.workdays import local_datetime
from meetings import services
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    Document,
    Meeting,
    MinuteItem,
    Minutes,
)

__all__ = [
    "DEFAULT_EXEMPT_PARAGRAPH",
    "DEFAULT_START",
    "Refused",
    "WriteRules",
    "Written",
    "meeting_record_write",
]

# The usual start of council meetings, used (and reported) when the source
# gives no time.
DEFAULT_START = dt.time(10, 0)
# An exempt item stays exempt, never public by mistake; when the source does
# not say which paragraph of Schedule 12A applied, the most general one is
# recorded and the report asks a clerk to check it.
DEFAULT_EXEMPT_PARAGRAPH = ExemptParagraph.INDIVIDUAL
_CANCELLED = {MeetingStatus.CANCELLED, MeetingStatus.POSTPONED}


@dataclass(frozen=True, kw_only=True)
class WriteRules:
    """What differs between kinds of source.

    `system` is stored as every record's `source_system`; `name` is how the
    report names the source ("ModernGov"). A source of minutes
    (`meeting_by_date`) brings the minutes of the body's meeting on that
    day, whoever set it up; a committee system brings its own meetings and
    leaves a meeting set up elsewhere alone. `replace` replaces minutes a
    clerk has edited, added to or published (never approved ones). When
    minutes may not be replaced, `refuse_kept_minutes` refuses the whole
    record (the minutes are what a source of minutes is for); otherwise the
    rest of the meeting is written without them. A source of some items of
    the minutes (`some_items`: a single item page) adds them to the
    meeting's minutes, keeping the items it does not give and the minutes'
    source text.
    """

    system: str
    name: str
    meeting_by_date: bool = False
    replace: bool = False
    refuse_kept_minutes: bool = False
    some_items: bool = False


@dataclass(frozen=True)
class Written:
    """The meeting written, and its agenda items by `AgendaEntry.key`."""

    meeting: Meeting
    agenda: dict[str, AgendaItem]


class Refused(Exception):
    """The record must not be written; the message says why."""


def meeting_record_write(
    *,
    record: MeetingRecord,
    body: Body,
    rules: WriteRules,
    report: ImportReport,
    people: PeopleFinder,
    now: dt.datetime | None = None,
) -> Written | None:
    """Write one meeting's record as a meeting of `body`.

    Returns what was written, or None when the meeting was left alone (the
    report says why). Raises Refused when the record must not be written at
    all, and ValidationError or DatabaseError when it cannot be saved; the
    caller then rolls its transaction back.
    """
    return _Writer(record, body, rules, report, people, now or timezone.now()).write()


class _Writer:
    def __init__(
        self,
        record: MeetingRecord,
        body: Body,
        rules: WriteRules,
        report: ImportReport,
        people: PeopleFinder,
        now: dt.datetime,
    ) -> None:
        self.record = record
        self.body = body
        self.rules = rules
        self.report = report
        self.people = people
        self.now = now
        self.meeting_created = False

    def source(self, key: str, url: str = "") -> Source:
        return Source(system=self.rules.system, id=key, url=url, at=self.now)

    def warn(self, text: str, *, line: int = 0) -> None:
        label = self.record.label
        self.report.warn(f"{label}: {text}" if label else text, line=line)

    def write(self) -> Written | None:
        record = self.record
        self.report.add_lines(unplaced=record.unplaced, warnings=record.warnings)
        names = {self.body.name.casefold(), self.body.short_name.casefold()}
        if record.body_name and record.body_name.casefold() not in names:
            self.warn(
                f"the source names {record.body_name!r}, not {self.body.name!r}; "
                "imported as minutes of the body asked for"
            )
        meeting = self.meeting()
        if meeting is None:
            return None
        numbered = list(zip(self.numbers(meeting), record.minutes, strict=True))
        minutes = self.minutes(meeting, numbered) if numbered else None
        agenda = self.agenda(meeting) if record.agenda else {}
        if record.documents:
            self.documents(meeting, agenda)
        if record.attendance:
            self.attendance(meeting)
        if minutes is not None:
            self.minute_items(minutes, numbered, agenda)
        return Written(meeting, agenda)

    # -- the meeting -----------------------------------------------------------

    def ours(self, meeting: Meeting) -> bool:
        key = fit(Meeting, "source_id", self.record.key)
        return (meeting.source_system, meeting.source_id) == (self.rules.system, key)

    def meeting(self) -> Meeting | None:
        record, day = self.record, self.record.date
        same_day = Meeting.objects.filter(
            body=self.body,
            start__gte=local_datetime(day),
            start__lt=local_datetime(day + dt.timedelta(days=1)),
        ).order_by("start")
        if self.rules.meeting_by_date:
            found = self.meeting_of_the_day(list(same_day))
            if found is not None and not self.ours(found):
                self.report.count("meeting", "matched")
                self.warn_cancelled(found)
                return found
        else:
            found = Meeting.objects.filter(
                source_system=self.rules.system,
                source_id=fit(Meeting, "source_id", record.key),
            ).first()
            if (
                found is None
                and same_day.exclude(source_system=self.rules.system).exists()
            ):
                self.report.warn(
                    f"{self.body.name} already has a meeting on {long_date(day)} "
                    f"that did not come from {self.rules.name}: "
                    f"{record.label or 'the meeting'} was not imported, so the two "
                    "are not duplicated"
                )
                return None
        saved = services.meeting_import(
            body=self.body,
            source=self.source(record.key, record.url),
            meeting=found,
            **self.meeting_values(found),
        )
        self.meeting_created = found is None
        self.report.count("meeting", saved.outcome)
        self.warn_cancelled(saved.record)
        return saved.record

    def meeting_of_the_day(self, same_day: list[Meeting]) -> Meeting | None:
        """The body's meeting these minutes are of, when there is one."""
        if len(same_day) > 1:
            key = fit(Minutes, "source_id", self.record.key)
            ours = [
                meeting
                for meeting in same_day
                if self.ours(meeting)
                or Minutes.objects.filter(
                    meeting=meeting, source_system=self.rules.system, source_id=key
                ).exists()
            ]
            if len(ours) != 1:
                raise Refused(
                    f"{self.body.name} has {len(same_day)} meetings on "
                    f"{long_date(self.record.date)}; the import cannot tell which "
                    "these minutes are of"
                )
            same_day = ours
        return same_day[0] if same_day else None

    def meeting_values(self, found: Meeting | None) -> dict[str, object]:
        record = self.record
        time = record.time
        if time is None and found is not None:
            time = timezone.localtime(found.start).time()
        elif time is None:
            time = DEFAULT_START
            self.warn("the source gives no time: the meeting was put at 10.00 am")
        start = local_datetime(record.date, time)
        end = local_datetime(record.date, record.end_time) if record.end_time else None
        values: dict[str, object] = {
            "start": start,
            "end": end if end is not None and end > start else None,
            "venue": fit(Meeting, "venue", record.venue),
            "online": record.online,
        }
        if record.status is not None or found is None:
            values["status"] = record.status or MeetingStatus.HELD
        if (
            record.status in _CANCELLED
            and record.status_reason
            and (found is None or not found.status_reason)
        ):
            values["status_reason"] = record.status_reason
        if record.agenda_published_at and (
            found is None or found.agenda_published_at is None
        ):
            values["agenda_published_at"] = record.agenda_published_at
        return values

    def warn_cancelled(self, meeting: Meeting) -> None:
        if meeting.is_cancelled and self.record.minutes:
            self.warn(
                f"the meeting of {long_date(meeting.date)} is recorded as "
                f"{meeting.get_status_display().lower()}, yet has minutes"
            )

    # -- the agenda ------------------------------------------------------------

    def agenda(self, meeting: Meeting) -> dict[str, AgendaItem]:
        """The meeting's agenda items for the record's entries, by entry key."""
        current = list(meeting.items.select_related("section"))
        ours = {i.source_id: i for i in current if i.source_system == self.rules.system}
        others = [i for i in current if i.source_system != self.rules.system]
        if self.record.agenda_from_references and others:
            # The clerk's agenda is read, never rewritten from references.
            by_reference = {item.reference: item for item in current}
            return {
                entry.key: by_reference[f"{entry.letter}{entry.number}"]
                for entry in self.record.agenda
                if f"{entry.letter}{entry.number}" in by_reference
            }
        taken: dict[str, set[int]] = {}
        for item in others:
            if item.number is not None:
                taken.setdefault(item.section.letter, set()).add(item.number)
        sections = {section.letter: section for section in meeting.sections.all()}
        existing = set(sections)
        counted: set[str] = set()
        written: dict[str, AgendaItem] = {}
        for entry in self.record.agenda:
            letter = entry.letter.upper()
            used = taken.setdefault(letter, set())
            number = entry.number
            if number is None or number in used:
                number = max(used, default=0) + 1
                self.warn(
                    f"agenda item {entry.label or '(no number)'} {entry.title!r} "
                    f"placed as {letter}{number}"
                )
            used.add(number)
            section = self.section(meeting, sections, letter, entry.section_title)
            if letter not in counted:
                counted.add(letter)
                outcome = "unchanged" if letter in existing else "created"
                self.report.count("agenda section", outcome)
            found = ours.get(fit(AgendaItem, "source_id", entry.key))
            paragraph = None
            if entry.exempt:
                paragraph = (
                    entry.exempt_paragraph
                    or (found.exempt_paragraph if found else None)
                    or int(DEFAULT_EXEMPT_PARAGRAPH)
                )
            values: dict[str, object] = {
                "visibility": Visibility.EXEMPT if entry.exempt else Visibility.PUBLIC,
                "exempt_paragraph": paragraph,
            }
            if entry.description is not None:
                values["description"] = entry.description
            if entry.presenter is not None:
                values["presenter"] = fit(AgendaItem, "presenter", entry.presenter)
            if entry.decision:
                values["purpose"] = AgendaItem.Purpose.DECISION
            saved = services.agenda_item_import(
                section=section,
                number=number,
                title=fit(AgendaItem, "title", entry.title) or f"{letter}{number}",
                source=self.source(entry.key),
                item=found,
                **values,
            )
            self.report.count("agenda item", saved.outcome)
            written[entry.key] = saved.record
        listed = {
            fit(AgendaItem, "source_id", entry.key) for entry in self.record.agenda
        }
        for source_id, item in ours.items():
            if source_id not in listed:
                self.warn(
                    f"agenda item {item.reference} {item.title!r} is no longer in "
                    f"{self.rules.name}; it was left in place"
                )
        return written

    def section(
        self,
        meeting: Meeting,
        sections: dict[str, AgendaSection],
        letter: str,
        title: str,
    ) -> AgendaSection:
        section = sections.get(letter)
        if section is not None:
            return section
        if not title:
            titles = dict(services.DEFAULT_SECTIONS)
            for template in self.body.agenda_template.all():
                titles[template.section_letter] = template.section_title
            title = titles.get(letter, "")
        if not title:
            title = f"Section {letter}"
            self.warn(
                f"agenda section {letter} was given the title {title!r}: give it "
                "its real title"
            )
        section = services.agenda_section_add(
            meeting=meeting, letter=letter, title=title
        )
        sections[letter] = section
        return section

    # -- papers ----------------------------------------------------------------

    def documents(self, meeting: Meeting, agenda: dict[str, AgendaItem]) -> None:
        """The papers the source links, as links to where it holds them."""
        ours = {
            document.source_id: document
            for document in meeting.documents.filter(source_system=self.rules.system)
        }
        for order, record in enumerate(self.record.documents, start=1):
            item = agenda.get(record.agenda_key) if record.agenda_key else None
            if record.agenda_key and item is None:
                self.warn(
                    f"paper {record.title!r}: its item is not on the meeting's "
                    "agenda, so it was kept as a paper of the whole meeting",
                    line=record.line,
                )
            file_kind = KINDS.get(record.file_type)
            saved = services.document_link_import(
                meeting=meeting,
                source=self.source(record.key, record.url),
                document=ours.get(fit(Document, "source_id", record.key)),
                item=item,
                title=fit(Document, "title", record.title) or "Paper",
                kind=Document.Kind(record.kind.value),
                external_url=fit(Document, "external_url", record.url),
                file_kind=file_kind.key if file_kind else "",
                mime_type=file_kind.mime if file_kind else "",
                size_bytes=record.size_bytes,
                published_at=meeting.agenda_published_at,
                order=order,
            )
            self.report.count("document", saved.outcome)

    # -- attendance ------------------------------------------------------------

    def attendance(self, meeting: Meeting) -> None:
        seen: set[int] = set()
        chair: Person | None = None
        for order, entry in enumerate(self.record.attendance):
            source_id = entry.source_id or f"{self.record.key} attendee {order + 1}"
            person = self.people.find(
                entry.name,
                source_id=source_id,
                source_url=entry.url,
                external_id=entry.person_id,
                line=entry.line,
            )
            if person is None:
                continue
            if person.pk in seen:
                self.warn(
                    f"{entry.name.raw} is listed twice; the first listing was kept",
                    line=entry.line,
                )
                continue
            seen.add(person.pk)
            in_the_chair = entry.in_the_chair
            if in_the_chair and chair is not None:
                self.warn(
                    f"{entry.name.raw} is also said to be in the Chair; only "
                    f"{chair.formal_name} was recorded so",
                    line=entry.line,
                )
                in_the_chair = False
            if in_the_chair:
                chair = person
            substitute_for = None
            if entry.substitute_for is not None:
                substitute_for = self.people.find(
                    entry.substitute_for, source_id=source_id, line=entry.line
                )
            saved = services.attendance_set(
                meeting=meeting,
                person=person,
                kind=Attendance.Kind(entry.kind.value),
                order=order,
                capacity=fit(Attendance, "capacity", entry.capacity),
                in_the_chair=in_the_chair,
                substitute_for=substitute_for
                if entry.kind == AttendanceKind.SUBSTITUTE
                else None,
            )
            self.report.count("attendance", saved.outcome)
        if not self.meeting_created:
            others = meeting.attendance.exclude(person__in=seen).count()
            if others:
                self.warn(
                    f"{others} attendance record(s) of this meeting are not in "
                    f"{self.rules.name}; they were left as they are"
                )

    # -- the minutes -----------------------------------------------------------

    def numbers(self, meeting: Meeting) -> list[int]:
        """The minutes' numbers: as printed, or on from the body's series."""
        printed = [minute.number for minute in self.record.minutes]
        if not printed:
            return []
        series = services.next_minute_number(meeting=meeting)
        if all(number is None for number in printed):
            self.warn(
                f"the source gives no minute numbers: numbered from {series} in "
                f"{self.body.name}'s series"
            )
            return [series + index for index in range(len(printed))]
        numbers = [number or 0 for number in printed]
        if series not in {1, numbers[0]}:
            self.warn(
                f"the minutes start at {numbers[0]}, but {self.body.name}'s "
                f"series of minute numbers would continue at {series}"
            )
        return numbers

    def minutes(
        self, meeting: Meeting, numbered: list[tuple[int, MinuteRecord]]
    ) -> Minutes | None:
        """The meeting's draft minutes; None when they are kept as they are."""
        record, when = self.record, long_date(meeting.date)
        source = self.source(record.key, record.url)
        existing = services.minutes_for(meeting)
        replacing = ""
        if existing is not None and self.rules.replace and not existing.is_frozen:
            replacing = services.minutes_kept_reason(minutes=existing, source=source)
        first_number = min(number for number, _ in numbered)
        source_text: str | None = record.source_text
        if self.rules.some_items:
            source_text = None
            if existing is not None and existing.items.exists():
                first_number = min(first_number, existing.first_number)
        try:
            saved = services.minutes_import(
                meeting=meeting,
                first_number=first_number,
                source=source,
                source_text=source_text,
                replace=self.rules.replace,
            )
        except services.MinutesKept as kept:
            if self.rules.refuse_kept_minutes and kept.approved:
                raise Refused(
                    f"the minutes of {when} have been approved, so they are never "
                    "replaced; record a correction in the drafting screen instead"
                ) from kept
            if self.rules.refuse_kept_minutes:
                raise Refused(
                    f"the meeting of {when} already has minutes that {kept.reason}. "
                    "Nothing was changed. To replace them with this source, run the "
                    "import again with --replace"
                ) from kept
            self.report.warn(
                f"the minutes of {record.label or 'the meeting'} ({when}) have been "
                f"started, edited or published in the portal ({kept.reason}): not "
                "overwritten"
            )
            self.report.count("minutes", "skipped")
            return None
        if replacing:
            self.warn(f"replaced minutes that {replacing}, as asked")
            if saved.record.status == Minutes.Status.PUBLISHED_DRAFT:
                self.warn(
                    "these minutes are published as a draft: the public sees the "
                    "replaced text"
                )
        self.report.count("minutes", saved.outcome)
        return saved.record

    def minute_items(
        self,
        minutes: Minutes,
        numbered: list[tuple[int, MinuteRecord]],
        agenda: dict[str, AgendaItem],
    ) -> None:
        keys = [
            fit(MinuteItem, "source_id", minute.key or f"{self.record.key}#{number}")
            for number, minute in numbered
        ]
        ours: dict[str, MinuteItem] = {}
        for item in minutes.items.all():
            if item.source_system == self.rules.system and item.source_id in keys:
                ours[item.source_id] = item
            elif not self.rules.some_items:
                # An earlier version of the source had it, and this one has not
                # (or a clerk added it to minutes being replaced).
                services.minute_item_delete(item=item, renumber=False)
                self.report.count("minute item", "deleted")
        for order, ((number, minute), key) in enumerate(
            zip(numbered, keys, strict=True)
        ):
            try:
                with transaction.atomic():
                    self.minute_item(minutes, number, order, minute, key, ours, agenda)
            except ValidationError as error:
                self.warn(
                    f"minute {number} was not imported: {' '.join(error.messages)}",
                    line=minute.line,
                )

    def minute_item(
        self,
        minutes: Minutes,
        number: int,
        order: int,
        minute: MinuteRecord,
        key: str,
        ours: dict[str, MinuteItem],
        agenda: dict[str, AgendaItem],
    ) -> None:
        title = fit(MinuteItem, "title", minute.title)
        if not title:
            title = f"Minute {number}"
            self.warn(
                f"minute {number} has no title: called {title!r}", line=minute.line
            )
        agenda_item = agenda.get(minute.agenda_key) if minute.agenda_key else None
        if minute.agenda_key and agenda_item is None:
            self.warn(
                f"the agenda has no item {minute.reference or minute.agenda_key}: "
                f"minute {number} is not linked to one",
                line=minute.line,
            )
        item = ours.get(key)
        if minute.exempt is None and agenda_item is not None:
            visibility = agenda_item.visibility
            paragraph = agenda_item.exempt_paragraph
        elif minute.exempt:
            visibility = Visibility.EXEMPT
            paragraph = (
                minute.exempt_paragraph
                or (item.exempt_paragraph if item else None)
                or int(DEFAULT_EXEMPT_PARAGRAPH)
            )
            if minute.exempt_paragraph is None:
                self.warn(
                    f"minute {number} is exempt; the source does not say under which "
                    "paragraph of Schedule 12A, so paragraph "
                    f"{int(DEFAULT_EXEMPT_PARAGRAPH)} was recorded: check it",
                    line=minute.line,
                )
        else:
            visibility, paragraph = Visibility.PUBLIC, None
        reference = minute.reference
        if reference is None:
            reference = agenda_item.reference if agenda_item else ""
        saved = services.minute_item_import(
            minutes=minutes,
            item=item,
            number=number,
            title=title,
            paragraphs=[
                services.ParagraphInput(p.text, numbered=p.numbered)
                for p in minute.paragraphs
            ],
            resolutions=[
                services.ResolutionInput(text=r.text, parts=list(r.parts), kind=r.kind)
                for r in minute.resolutions
            ],
            source=self.source(key),
            order=order,
            agenda_item=agenda_item,
            agenda_reference=fit(MinuteItem, "agenda_reference", reference),
            visibility=visibility,
            exempt_paragraph=paragraph,
        )
        self.report.count("minute item", saved.outcome)
