"""Bringing a council's history in from its ModernGov committee system.

`moderngov_import` reads GetCommittees, GetMeetings and GetMeeting responses
(live or saved, see `moderngov_source`) and writes them into the portal:

- committees become bodies, keyed on the committee id. A deleted committee
  is kept but not published; an expired or deleted one gets an end date
  (`active_until`): the date of its last meeting read, else the day before
  the import. The slug comes from the title; the kind from words in it
  ("scrutiny", "select", "working group", "sub-committee"), otherwise a
  partnership board.
- meetings keep their date and time ("10.00 am", Europe/London), location
  as venue (online when it says so), and status: Cancelled and Postponed
  as such, otherwise held once the date has passed, agenda published when
  ModernGov says so, else scheduled.
- agenda items go into lettered sections: a display number that carries a
  letter ("B1") gives its section and position; a plain number ("9.")
  goes into section A, titled "Agenda", at that position, so item "9."
  is A9. A restricted item is exempt, under the Schedule 12A paragraph its
  `restrictionsRef` names, else paragraph 1 and a warning; an item not for
  display is exempt too (the portal cannot hide an item's title).
- documents keep their title, kind (from the title), address, publication
  date and restriction; their files are fetched only live (GetAttachment),
  checked by content like any upload, and only once.
- minutes HTML becomes draft minutes, one minute item per agenda item with
  a `minutesitemnumber`, its text as the portal's light markup (paragraphs,
  "- " bullets, **bold**, links) with RESOLVED blocks as resolutions.
  Minutes a clerk has edited or published in the portal are left alone.
- attendees become people (found by their member id, then by name, else
  created), memberships of the body (role, political group, first and last
  meeting seen) and attendance.

Every record carries provenance (`source_system` "moderngov", the source's
id); running the import again updates records in place and never
duplicates them, and the report says what was created, updated or
unchanged, and everything it could not place.
"""

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from imports.moderngov_source import FetchError, ModernGovSource
from imports.parsers.html_text import Block, html_blocks
from imports.parsers.moderngov import (
    MgAgendaItem,
    MgAttendee,
    MgCommittee,
    MgDocument,
    MgMeeting,
    MgMeetingSummary,
    ModernGovError,
    parse_committees,
    parse_meeting,
    parse_meetings,
)
from imports.people import PeopleFinder
from imports.records import (
    MODERNGOV_SOURCE,
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
from kcsp.richtext import sanitise_html as portal_sanitise_html
from kcsp.uploads import KINDS, UnsafeArchive, sniff
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    Minutes,
)
from meetings.services import ParagraphInput, ResolutionInput

__all__ = [
    "DEFAULT_EXEMPT_PARAGRAPH",
    "DEFAULT_START",
    "LONDON",
    "minute_content",
    "moderngov_import",
]

LONDON = ZoneInfo("Europe/London")
# A meeting whose time is not given is put at the usual start of council
# meetings, and the report says so.
DEFAULT_START = dt.time(10, 0)
# A restricted item whose reference names no paragraph of Schedule 12A is
# kept exempt (never public by mistake) under the most general paragraph,
# "information relating to any individual", and the report says so.
DEFAULT_EXEMPT_PARAGRAPH = ExemptParagraph.INDIVIDUAL
UNLETTERED_SECTION = ("A", "Agenda")

# Warnings of the parser that are normal in real responses: these optional
# times and the room are often empty.
_EXPECTED_EMPTY = re.compile(
    r"<(?:meetingactualstarttime|meetingactualfinishtime|meetingplannedfinishtime"
    r"|meetingroom|restrictionsRef)> is empty"
)
_DISPLAY_NUMBER = re.compile(
    r"(?:item\s+)?(?P<letter>[A-Za-z]{1,2})?\s*\.?\s*(?P<number>\d{1,4})\s*[.)]?",
    re.IGNORECASE,
)
_PARAGRAPH_REF = re.compile(r"\b(?:paragraphs?|paras?\.?)\s*(?P<n>\d{1,2})\b", re.I)
_LONE_DIGIT = re.compile(r"(?<![\d/.])(?P<n>[1-7])(?![\d/.])")
_ONLINE = re.compile(
    r"\b(?:online|virtual(?:ly)?|remote(?:ly)?|microsoft teams|zoom|webex)\b",
    re.IGNORECASE,
)

_STATUS_CANCELLED = {"cancelled", "canceled"}
_STATUS_POSTPONED = {"postponed", "adjourned"}
_STATUS_KNOWN = {"confirmed", "provisional", "draft", "moved", "rearranged", ""}

_ATTENDANCE = {
    "present": Attendance.Kind.PRESENT,
    "in attendance": Attendance.Kind.IN_ATTENDANCE,
    "attended": Attendance.Kind.PRESENT,
    "apologies": Attendance.Kind.APOLOGIES,
    "apologies for absence": Attendance.Kind.APOLOGIES,
    "apologies received": Attendance.Kind.APOLOGIES,
    "absent": Attendance.Kind.ABSENT,
    "present as substitute": Attendance.Kind.SUBSTITUTE,
    "substitute": Attendance.Kind.SUBSTITUTE,
    "also present": Attendance.Kind.ALSO_PRESENT,
}
_PARTIES = {
    "con": Membership.PoliticalGroup.CONSERVATIVE,
    "conservative": Membership.PoliticalGroup.CONSERVATIVE,
    "conservatives": Membership.PoliticalGroup.CONSERVATIVE,
    "lab": Membership.PoliticalGroup.LABOUR,
    "labour": Membership.PoliticalGroup.LABOUR,
    "labour and co-operative": Membership.PoliticalGroup.LABOUR,
    "ld": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "lib dem": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "lib dems": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "liberal democrat": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "liberal democrats": Membership.PoliticalGroup.LIBERAL_DEMOCRAT,
    "grn": Membership.PoliticalGroup.GREEN,
    "green": Membership.PoliticalGroup.GREEN,
    "green party": Membership.PoliticalGroup.GREEN,
    "ref": Membership.PoliticalGroup.REFORM,
    "reform": Membership.PoliticalGroup.REFORM,
    "reform uk": Membership.PoliticalGroup.REFORM,
    "ind": Membership.PoliticalGroup.INDEPENDENT,
    "independent": Membership.PoliticalGroup.INDEPENDENT,
}


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time).replace(tzinfo=LONDON)


def _exempt_paragraph(reference: str) -> int | None:
    """The Schedule 12A paragraph a restriction reference names, if any."""
    found = _PARAGRAPH_REF.search(reference) or _LONE_DIGIT.search(reference)
    if found and 1 <= int(found["n"]) <= len(ExemptParagraph):
        return int(found["n"])
    return None


def _body_kind(title: str) -> str:
    words = title.lower()
    if "scrutiny" in words:
        return Body.Kind.SCRUTINY_COMMITTEE
    if "select committee" in words:
        return Body.Kind.SELECT_COMMITTEE
    if re.search(r"\b(?:working|task(?: and finish)?) group\b", words):
        return Body.Kind.WORKING_GROUP
    if re.search(r"\bsub[- ]?(?:committee|group|panel)\b", words):
        return Body.Kind.SUB_GROUP
    return Body.Kind.PARTNERSHIP_BOARD


def _document_kind(title: str, owner_title: str) -> str:
    words = f"{title} {owner_title}".lower()
    for needle, kind in (
        ("minute", Document.Kind.MINUTES),
        ("appendix", Document.Kind.APPENDIX),
        ("annex", Document.Kind.APPENDIX),
        ("presentation", Document.Kind.PRESENTATION),
        ("supplement", Document.Kind.SUPPLEMENT),
        ("background", Document.Kind.BACKGROUND),
    ):
        if needle in words:
            return kind
    return Document.Kind.REPORT


def _membership_role(description: str) -> str | None:
    """The membership a role description states, or None for an officer."""
    words = description.lower()
    if "vice" in words and "chair" in words:
        return Membership.Role.VICE_CHAIR
    if "chair" in words:
        return Membership.Role.CHAIR
    if "co-opt" in words or "coopt" in words:
        return Membership.Role.CO_OPTED
    if "substitute" in words or "reserve" in words:
        return Membership.Role.SUBSTITUTE
    if "adviser" in words or "advisor" in words:
        return Membership.Role.ADVISER
    if "member" in words:
        return Membership.Role.MEMBER
    return None


# Minutes HTML to minute text ------------------------------------------------

_RESOLVED = re.compile(
    r"(?:\*\*)?(?:RESOLVED\b|Resolved(?=\s*(?:[:,\u2013\u2014-]|that\b|\*\*|$)))"
)
_NUMBERED = re.compile(r"\(?(?P<n>\d{1,3})[.)]\s+(?P<rest>\S.*)", re.DOTALL)
_LETTERED = re.compile(r"\(?(?P<label>[a-z]|[ivx]{1,4})\)\s+(?P<rest>\S.*)", re.DOTALL)


@dataclass
class _OpenResolution:
    lead: str
    parts: list[str] = field(default_factory=list)


def minute_content(
    blocks: list[Block],
) -> tuple[list[ParagraphInput], list[ResolutionInput], list[str]]:
    """A minute's paragraphs and resolutions from its HTML blocks, and notes.

    A paragraph opening "RESOLVED" starts a resolution; a list or lettered
    paragraphs ("a) ...") straight after it are its parts. A number opening
    a paragraph ("1.", "(1)") is the paragraph's number, so it is taken off
    and the paragraph marked numbered; other paragraphs are unnumbered. A
    list elsewhere joins the paragraph before it as "- " lines; a heading
    becomes a bold unnumbered paragraph; a table becomes one line per row,
    and the notes say so.
    """
    paragraphs: list[ParagraphInput] = []
    resolutions: list[ResolutionInput] = []
    notes: list[str] = []
    open_resolution: _OpenResolution | None = None

    def close() -> None:
        nonlocal open_resolution
        if open_resolution is not None:
            words = " ".join([open_resolution.lead, *open_resolution.parts])
            resolutions.append(
                ResolutionInput(
                    text=open_resolution.lead,
                    parts=list(open_resolution.parts),
                    kind=resolution_kind(words),
                )
            )
            open_resolution = None

    for block in blocks:
        if block.kind == "list":
            if open_resolution is not None:
                open_resolution.parts.extend(block.items)
                continue
            lines = "\n".join(f"- {entry}" for entry in block.items)
            if paragraphs:
                last = paragraphs.pop()
                paragraphs.append(
                    ParagraphInput(f"{last.text}\n{lines}", last.numbered)
                )
            else:
                paragraphs.append(ParagraphInput(lines, numbered=False))
            continue
        if block.kind == "table":
            close()
            paragraphs.append(ParagraphInput(block.text, numbered=False))
            notes.append("a table was kept as one line per row")
            continue
        if block.kind == "heading":
            close()
            paragraphs.append(ParagraphInput(f"**{block.text}**", numbered=False))
            continue
        text = block.text
        numbered = _NUMBERED.fullmatch(text)
        if numbered:
            text = numbered["rest"]
        if _RESOLVED.match(text):
            close()
            if text.startswith("**RESOLVED**"):
                text = "RESOLVED" + text[len("**RESOLVED**") :]
            open_resolution = _OpenResolution(lead=text)
            continue
        lettered = _LETTERED.fullmatch(text)
        if open_resolution is not None and lettered and not numbered:
            open_resolution.parts.append(lettered["rest"])
            continue
        close()
        paragraphs.append(ParagraphInput(text, numbered=numbered is not None))
    close()
    return paragraphs, resolutions, notes


# The import -------------------------------------------------------------------


@dataclass
class _Slot:
    item: MgAgendaItem
    letter: str
    number: int | None
    section_title: str


class _ModernGovImport:
    def __init__(
        self,
        *,
        source: ModernGovSource,
        committees: Sequence[str],
        from_date: dt.date | None,
        to_date: dt.date | None,
        fetch_files: bool,
        dry_run: bool,
        now: dt.datetime,
    ) -> None:
        self.source = source
        self.wanted = [value.strip() for value in committees if value.strip()]
        self.from_date = from_date
        self.to_date = to_date
        self.fetch_files = fetch_files and source.live and not dry_run
        self.dry_run = dry_run
        self.now = now
        self.today = timezone.localdate(now)
        self.report = ImportReport(
            title=f"ModernGov import from {source.description}", dry_run=dry_run
        )
        self.people = PeopleFinder(report=self.report, system=MODERNGOV_SOURCE, now=now)
        self.bodies: dict[int, Body] = {}
        self.documents_seen: set[int] = set()

    # -- the run ---------------------------------------------------------------

    def run(self) -> ImportReport:
        try:
            committees = self.read_committees()
            summaries = self.read_meeting_lists(committees)
            for committee in committees:
                self.import_body(committee, summaries)
            for summary in summaries:
                self.import_meeting(summary)
        except (FetchError, ModernGovError) as error:
            done = "" if self.dry_run else " Meetings imported before it stay imported."
            self.report.fail(f"{error}.{done}")
        return self.report

    def read_committees(self) -> list[MgCommittee]:
        problems: list[str] = []
        committees = parse_committees(self.source.committees(), warnings=problems)
        self._warn_all(problems)
        chosen = []
        matched: set[str] = set()
        for committee in committees:
            if committee.id is None:
                self.report.warn(
                    f"committee {committee.title!r} has no id: not imported"
                )
                continue
            if self.wanted:
                hits = {
                    value
                    for value in self.wanted
                    if value == str(committee.id)
                    or value.casefold() == committee.title.casefold()
                }
                if not hits:
                    continue
                matched |= hits
            self._warn_all(committee.warnings)
            chosen.append(committee)
        for value in self.wanted:
            if value not in matched:
                self.report.warn(f"no committee has the id or title {value!r}")
        return chosen

    def read_meeting_lists(
        self, committees: list[MgCommittee]
    ) -> list[MgMeetingSummary]:
        ids = [c.id for c in committees if c.id is not None]
        summaries: dict[int, MgMeetingSummary] = {}
        for name, content in self.source.meeting_lists(
            ids, self.from_date, self.to_date
        ):
            problems: list[str] = []
            try:
                listed = parse_meetings(content, warnings=problems)
            except ModernGovError as error:
                self.report.warn(f"{name}: {error}; its meetings were not imported")
                continue
            self._warn_all(problems)
            for summary in listed:
                if summary.committee_id not in ids:
                    continue
                self._warn_all(summary.warnings)
                if summary.id is None:
                    self.report.warn(
                        f"{name}: a meeting of {summary.committee_title} has no id: "
                        "not imported"
                    )
                    continue
                if summary.date is not None and not self._in_range(summary.date):
                    continue
                summaries.setdefault(summary.id, summary)
        return sorted(
            summaries.values(),
            key=lambda s: (s.date or dt.date.min, s.id or 0),
        )

    def _in_range(self, day: dt.date) -> bool:
        if self.from_date and day < self.from_date:
            return False
        return not (self.to_date and day > self.to_date)

    def _warn_all(self, problems: Sequence[str]) -> None:
        for problem in problems:
            if not _EXPECTED_EMPTY.search(problem):
                self.report.warn(problem)

    # -- bodies ----------------------------------------------------------------

    def import_body(
        self, committee: MgCommittee, summaries: list[MgMeetingSummary]
    ) -> None:
        if committee.id is None:  # read_committees leaves these out
            return
        title = fit(Body, "name", committee.title) or f"Committee {committee.id}"
        body = Body.objects.filter(
            source_system=MODERNGOV_SOURCE, source_id=str(committee.id)
        ).first()
        created = body is None
        if body is None:
            same_name = Body.objects.filter(name__iexact=title).first()
            if same_name is not None:
                # A body a clerk set up before the import: used as it is.
                self.bodies[committee.id] = same_name
                self.report.count("body", "matched")
                return
            body = Body(
                name=title,
                slug=self._slug(title, committee.id),
                kind=_body_kind(title),
                is_public=not committee.deleted,
            )
            stamp(
                body,
                system=MODERNGOV_SOURCE,
                source_id=str(committee.id),
                url=self.source.committee_url(committee.id),
                now=self.now,
            )
        changed = assign(body, {"name": title})
        if committee.deleted and body.is_public:
            body.is_public = False
            changed = True
        if (committee.expired or committee.deleted) and body.active_until is None:
            body.active_until = self._closing_date(body, committee.id, summaries)
            changed = True
        try:
            with transaction.atomic():
                save_imported(
                    body,
                    kind="body",
                    created=created,
                    changed=changed,
                    report=self.report,
                    now=self.now,
                )
        except ValidationError as error:
            kept = "" if created else "; the body was kept as it was"
            self.report.warn(
                f"committee {committee.id} ({committee.title}) could not be saved: "
                f"{' '.join(error.messages)}{kept}"
            )
            if created:
                return
            body.refresh_from_db()
        self.bodies[committee.id] = body

    def _slug(self, title: str, committee_id: int) -> str:
        base = slugify(title)[:90].strip("-") or f"committee-{committee_id}"
        slug, n = base, 2
        while Body.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        return slug

    def _closing_date(
        self, body: Body, committee_id: int, summaries: list[MgMeetingSummary]
    ) -> dt.date:
        dates = [s.date for s in summaries if s.committee_id == committee_id and s.date]
        if body.pk:
            last = body.meetings.order_by("-start").first()
            if last is not None:
                dates.append(last.date)
        return max(dates) if dates else self.today - dt.timedelta(days=1)

    # -- meetings --------------------------------------------------------------

    def import_meeting(self, summary: MgMeetingSummary) -> None:
        body = self.bodies.get(summary.committee_id or 0)
        if body is None or summary.id is None:  # not asked for, or unreadable
            return
        content = self.source.meeting(summary.id)
        detail: MgMeeting | None = None
        if content is None:
            if not summary.cancelled:
                self.report.warn(
                    f"meeting {summary.id} ({self._when(summary.date)}): no GetMeeting "
                    "response, so only its date, time and status were imported"
                )
        else:
            try:
                detail = parse_meeting(content)
            except ModernGovError as error:
                self.report.warn(
                    f"meeting {summary.id}: {error}; only its date, time and status "
                    "were imported"
                )
            else:
                if detail.id not in (None, summary.id):
                    self.report.warn(
                        f"meeting {summary.id}: the GetMeeting response is for meeting "
                        f"{detail.id}; only its date, time and status were imported"
                    )
                    detail = None
                else:
                    self._warn_all(detail.warnings)
        try:
            with transaction.atomic():
                meeting = self.save_meeting(body, summary, detail)
                if meeting is None or detail is None:
                    return
                items = self.import_agenda(meeting, detail)
                self.import_minutes(meeting, detail, items)
                self.import_attendees(meeting, body, summary, detail)
        except (ValidationError, DatabaseError) as error:
            # People created for this meeting went with its rollback.
            self.people.forget()
            messages = (
                " ".join(error.messages)
                if isinstance(error, ValidationError)
                else str(error)
            )
            self.report.warn(
                f"meeting {summary.id} ({self._when(summary.date)}) was not imported: "
                f"{messages}"
            )

    @staticmethod
    def _when(day: dt.date | None) -> str:
        return long_date(day) if day else "no date"

    def save_meeting(
        self, body: Body, summary: MgMeetingSummary, detail: MgMeeting | None
    ) -> Meeting | None:
        if summary.id is None:
            return None
        day = (detail.date if detail else None) or summary.date
        if day is None:
            self.report.warn(f"meeting {summary.id} has no date: not imported")
            return None
        time = (detail.time if detail else None) or summary.time
        if time is None:
            self.report.warn(
                f"meeting {summary.id} ({long_date(day)}) has no time: put at 10.00 am"
            )
            time = DEFAULT_START
        start = _at(day, time)
        finish = None
        if detail:
            finish = detail.actual_finish_time or detail.planned_finish_time
        end = _at(day, finish) if finish else None
        if end is not None and end <= start:
            end = None
        status_text = ((detail.status if detail else "") or summary.status).strip()
        location = (detail.location if detail else "") or summary.location or ""
        room = detail.room if detail else ""
        if room and room.casefold() not in location.casefold():
            location = f"{room}, {location}" if location else room

        meeting = Meeting.objects.filter(
            source_system=MODERNGOV_SOURCE, source_id=str(summary.id)
        ).first()
        if meeting is None:
            local_day = Meeting.objects.filter(
                body=body,
                start__gte=_at(day, dt.time.min),
                start__lt=_at(day + dt.timedelta(days=1), dt.time.min),
            ).exclude(source_system=MODERNGOV_SOURCE)
            if local_day.exists():
                self.report.warn(
                    f"{body.name} already has a meeting on {long_date(day)} that did "
                    f"not come from ModernGov: meeting {summary.id} was not imported, "
                    "so the two are not duplicated"
                )
                return None
        values: dict[str, Any] = {
            "body": body,
            "start": start,
            "end": end,
            "venue": fit(Meeting, "venue", location),
            "online": bool(_ONLINE.search(location)),
            "status": self._status(summary.id, day, status_text, detail),
        }
        if values["status"] in {
            Meeting.Status.CANCELLED,
            Meeting.Status.POSTPONED,
        } and (meeting is None or not meeting.status_reason):
            values["status_reason"] = (
                f"Recorded as {status_text.lower() or 'cancelled'} in the "
                "council's committee system; no reason was given."
            )
        if detail and detail.agenda_published:
            if detail.is_display_allowed is False:
                self.report.warn(
                    f"meeting {summary.id} ({long_date(day)}) is not for display in "
                    "ModernGov: its agenda and papers were left unpublished (the "
                    "portal lists every meeting of a published body by date)"
                )
            elif meeting is None or meeting.agenda_published_at is None:
                values["agenda_published_at"] = self._published_at(day, detail)
        url = self.source.meeting_url(summary.committee_id or 0, summary.id)
        if meeting is None:
            meeting = services.meeting_schedule(
                **values,
                source_system=MODERNGOV_SOURCE,
                source_id=str(summary.id),
                source_url=fit(Meeting, "source_url", url),
                first_imported_at=self.now,
                last_imported_at=self.now,
            )
            self.report.count("meeting", "created")
            return meeting
        if url:
            values["source_url"] = fit(Meeting, "source_url", url)
        if assign(meeting, values):
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
        return meeting

    def _status(
        self, meeting_id: int, day: dt.date, text: str, detail: MgMeeting | None
    ) -> str:
        folded = text.casefold()
        if folded in _STATUS_CANCELLED:
            return Meeting.Status.CANCELLED
        if folded in _STATUS_POSTPONED:
            return Meeting.Status.POSTPONED
        if folded not in _STATUS_KNOWN:
            self.report.warn(
                f"meeting {meeting_id} ({long_date(day)}) has the status {text!r}, "
                "which the import does not know: treated as confirmed"
            )
        if day < self.today:
            return Meeting.Status.HELD
        if detail and detail.agenda_published:
            return Meeting.Status.AGENDA_PUBLISHED
        return Meeting.Status.SCHEDULED

    @staticmethod
    def _published_at(day: dt.date, detail: MgMeeting) -> dt.datetime:
        """When the agenda was published: the earliest paper's publication date.

        ModernGov gives no date for the agenda itself; without any paper's
        date, the start of the meeting day stands in.
        """
        dates = [
            document.publication_date
            for item in detail.items
            for document in item.documents
            if document.publication_date and document.publication_date <= day
        ]
        return _at(min(dates) if dates else day, dt.time.min)

    # -- agenda ------------------------------------------------------------------

    def _slots(self, detail: MgMeeting) -> list[_Slot]:
        slots = []
        for item in detail.items:
            match = _DISPLAY_NUMBER.fullmatch(item.full_display_number.strip())
            if match:
                letter = (match["letter"] or "").upper()
                title = (
                    dict(services.DEFAULT_SECTIONS).get(letter, f"Section {letter}")
                    if letter
                    else UNLETTERED_SECTION[1]
                )
                slots.append(
                    _Slot(
                        item,
                        letter or UNLETTERED_SECTION[0],
                        int(match["number"]) or None,
                        title,
                    )
                )
            else:
                letter, title = UNLETTERED_SECTION
                slots.append(_Slot(item, letter, None, title))
        return slots

    def import_agenda(
        self, meeting: Meeting, detail: MgMeeting
    ) -> dict[int, AgendaItem]:
        slots = self._slots(detail)
        sections: dict[str, AgendaSection] = {}
        for slot in slots:
            if slot.letter in sections:
                continue
            section = AgendaSection.objects.filter(
                meeting=meeting, letter=slot.letter
            ).first()
            if section is None:
                section = AgendaSection(
                    meeting=meeting,
                    letter=slot.letter,
                    title=slot.section_title,
                    order=len(sections),
                )
                section.full_clean()
                section.save()
                self.report.count("agenda section", "created")
            else:
                self.report.count("agenda section", "unchanged")
            sections[slot.letter] = section

        existing = {
            item.source_id: item
            for item in AgendaItem.objects.filter(
                meeting=meeting, source_system=MODERNGOV_SOURCE
            )
        }
        taken: dict[str, set[int]] = {letter: set() for letter in sections}
        for item in AgendaItem.objects.filter(meeting=meeting).exclude(
            source_system=MODERNGOV_SOURCE
        ):
            if item.number is not None:
                taken.setdefault(item.section.letter, set()).add(item.number)
        planned: list[tuple[_Slot, int]] = []
        for slot in slots:
            used = taken[slot.letter]
            number = slot.number
            if number is None or number in used:
                number = max(used, default=0) + 1
                self.report.warn(
                    f"meeting {meeting.source_id}: agenda item "
                    f"{slot.item.full_display_number or '(no number)'} "
                    f"{slot.item.title!r} placed as {slot.letter}{number}"
                )
            used.add(number)
            planned.append((slot, number))
        # Items that move clear their old place first, so two items never
        # hold the same number in a section, even for a moment.
        for slot, number in planned:
            moving = existing.get(str(slot.item.id))
            if moving is not None and (
                moving.section_id != sections[slot.letter].pk or moving.number != number
            ):
                moving.number = None
                moving.save(update_fields=["number", "updated_at"])

        saved: dict[int, AgendaItem] = {}
        for slot, number in planned:
            source = slot.item
            if source.id is None:
                self.report.warn(
                    f"meeting {meeting.source_id}: agenda item {source.title!r} has no "
                    "id: not imported"
                )
                continue
            section = sections[slot.letter]
            found = existing.get(str(source.id))
            created = found is None
            item = found or AgendaItem(meeting=meeting, section=section)
            if created:
                stamp(
                    item,
                    system=MODERNGOV_SOURCE,
                    source_id=str(source.id),
                    now=self.now,
                )
            visibility, paragraph = self._visibility(
                meeting,
                source.title,
                source.is_restricted,
                source.restrictions_ref,
                source.is_display_allowed,
            )
            values = {
                "meeting": meeting,
                "section": section,
                "number": number,
                "reference": f"{section.letter}{number}",
                "title": fit(AgendaItem, "title", source.title) or "Untitled item",
                "description": portal_sanitise_html(source.agenda_html),
                "presenter": fit(AgendaItem, "presenter", self._presenter(source)),
                "visibility": visibility,
                "exempt_paragraph": paragraph,
            }
            if source.is_decision:
                values["purpose"] = AgendaItem.Purpose.DECISION
            changed = assign(item, values)
            save_imported(
                item,
                kind="agenda item",
                created=created,
                changed=changed,
                report=self.report,
                now=self.now,
            )
            saved[source.id] = item
            self.import_documents(meeting, item, source)
        listed = {str(slot.item.id) for slot, _ in planned}
        for source_id, item in existing.items():
            if source_id not in listed:
                self.report.warn(
                    f"meeting {meeting.source_id}: agenda item {item.reference} "
                    f"{item.title!r} is no longer in ModernGov; it was left in place"
                )
        return saved

    @staticmethod
    def _presenter(item: MgAgendaItem) -> str:
        for comment in item.comments:
            if comment.label.strip().lower().startswith("presented by"):
                return comment.text
        return ""

    def _visibility(
        self,
        meeting: Meeting,
        title: str,
        restricted: bool | None,
        reference: str,
        display_allowed: bool | None = True,
    ) -> tuple[str, int | None]:
        where = f"meeting {meeting.source_id}: {title!r}"
        if restricted:
            paragraph = _exempt_paragraph(reference)
            if paragraph is None:
                said = f" ({reference!r})" if reference else ""
                self.report.warn(
                    f"{where} is restricted, but its reference{said} names no "
                    f"paragraph of Schedule 12A: exempt under paragraph "
                    f"{DEFAULT_EXEMPT_PARAGRAPH.value} until a clerk checks it"
                )
                paragraph = DEFAULT_EXEMPT_PARAGRAPH
            return Visibility.EXEMPT, int(paragraph)
        if display_allowed is False:
            paragraph = _exempt_paragraph(reference) or DEFAULT_EXEMPT_PARAGRAPH
            self.report.warn(
                f"{where} is not for display in ModernGov: imported as exempt under "
                f"paragraph {int(paragraph)}, so the public sees only its title"
            )
            return Visibility.EXEMPT, int(paragraph)
        return Visibility.PUBLIC, None

    # -- documents ------------------------------------------------------------------

    def import_documents(
        self, meeting: Meeting, item: AgendaItem, source: MgAgendaItem
    ) -> None:
        for position, linked in enumerate(source.documents, start=1):
            if linked.attachment_id is None:
                self.report.warn(
                    f"meeting {meeting.source_id}: document {linked.title!r} has no "
                    "attachment id: not imported"
                )
                continue
            if linked.attachment_id in self.documents_seen:
                self.report.warn(
                    f"meeting {meeting.source_id}: document {linked.title!r} is "
                    "linked from more than one item; it was kept with the first"
                )
                continue
            self.documents_seen.add(linked.attachment_id)
            document = Document.objects.filter(
                source_system=MODERNGOV_SOURCE, source_id=str(linked.attachment_id)
            ).first()
            created = document is None
            if document is None:
                document = Document(meeting=meeting, item=item)
                stamp(
                    document,
                    system=MODERNGOV_SOURCE,
                    source_id=str(linked.attachment_id),
                    url=linked.url,
                    now=self.now,
                )
            visibility, paragraph = self._visibility(
                meeting, linked.title, linked.is_restricted, linked.restrictions_ref
            )
            url = linked.url
            if not url.lower().startswith(("http://", "https://")):
                url = ""
            values = {
                "meeting": meeting,
                "item": item,
                "title": fit(Document, "title", linked.title)
                or f"Document {linked.attachment_id}",
                "kind": _document_kind(linked.title, linked.owner_title),
                "external_url": fit(Document, "external_url", url),
                "visibility": visibility,
                "exempt_paragraph": paragraph,
                "published_at": _at(linked.publication_date, dt.time.min)
                if linked.publication_date
                else None,
                "order": linked.item_number or position,
            }
            changed = assign(document, values)
            if self.fetch_files and not document.file and not linked.is_url:
                changed = self._attach(document, linked) or changed
            try:
                with transaction.atomic():
                    save_imported(
                        document,
                        kind="document",
                        created=created,
                        changed=changed,
                        report=self.report,
                        now=self.now,
                        exclude=["file"],
                    )
            except ValidationError as error:
                self.report.warn(
                    f"meeting {meeting.source_id}: document {linked.title!r} was not "
                    f"imported: {' '.join(error.messages)}"
                )

    def _attach(self, document: Document, linked: MgDocument) -> bool:
        if linked.attachment_id is None:
            return False
        try:
            fetched = self.source.attachment(linked.attachment_id)
        except FetchError as error:
            self.report.warn(f"file of document {linked.title!r} not fetched: {error}")
            return False
        if fetched is None:
            return False
        if fetched.content_type in {"text/html", "application/xhtml+xml"}:
            # An error or sign-in page, not the paper itself.
            self.report.warn(
                f"file of document {linked.title!r} not fetched: the council's "
                "server sent a web page instead of the file"
            )
            return False
        upload = io.BytesIO(fetched.content)
        name = fetched.filename or self._file_name(linked, upload)
        try:
            services.document_attach_file(document=document, upload=upload, name=name)
        except ValidationError as error:
            self.report.warn(
                f"file of document {linked.title!r} refused: {' '.join(error.messages)}"
            )
            return False
        self.report.count("document file", "created")
        return True

    @staticmethod
    def _file_name(linked: MgDocument, upload: io.BytesIO) -> str:
        # ModernGov gives no file name: the title, and the extension of what
        # the content turns out to be (check_upload then checks it in full,
        # and says why an archive too large to open is refused).
        try:
            key = sniff(upload)
        except UnsafeArchive:
            key = None
        extension = {"text": ".txt"}.get(key or "", "")
        if key in KINDS:
            extension = KINDS[key].extensions[0]
        stem = slugify(linked.title)[:80] or f"document-{linked.attachment_id}"
        return f"{stem}{extension or '.pdf'}"

    # -- minutes -----------------------------------------------------------------

    def import_minutes(
        self, meeting: Meeting, detail: MgMeeting, items: dict[int, AgendaItem]
    ) -> None:
        minuted = [item for item in detail.items if item.minutes_html.strip()]
        if not minuted:
            return
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is not None and (
            minutes.source_system != MODERNGOV_SOURCE
            or minutes.status != Minutes.Status.DRAFT
            or minutes.items.filter(version__gt=1).exists()
        ):
            self.report.warn(
                f"the minutes of meeting {detail.id} ({long_date(meeting.date)}) have "
                "been started, edited or published in the portal: not overwritten"
            )
            self.report.count("minutes", "skipped")
            return
        numbered: list[tuple[int, MgAgendaItem]] = []
        seen: set[int] = set()
        for source in minuted:
            number = source.minutes_item_number
            where = f"meeting {detail.id}: the minutes of {source.title!r}"
            if number is None:
                self.report.warn(f"{where} have no minute number: not imported")
                continue
            if source.minutes_item_subnumber:
                self.report.warn(
                    f"{where} are numbered {number}{source.minutes_item_subnumber}, "
                    "a sub-number the portal's minute numbers cannot show: not imported"
                )
                continue
            if number in seen:
                self.report.warn(f"{where} repeat minute number {number}: not imported")
                continue
            seen.add(number)
            numbered.append((number, source))
        if not numbered:
            return
        first = min(number for number, _ in numbered)
        created = minutes is None
        if minutes is None:
            minutes = Minutes(meeting=meeting, status=Minutes.Status.DRAFT)
            stamp(
                minutes,
                system=MODERNGOV_SOURCE,
                source_id=str(detail.id),
                url=meeting.source_url,
                now=self.now,
            )
        changed = assign(minutes, {"first_number": first})
        save_imported(
            minutes,
            kind="minutes",
            created=created,
            changed=changed,
            report=self.report,
            now=self.now,
        )
        existing = {item.source_id: item for item in minutes.items.all()}
        for order, (number, source) in enumerate(sorted(numbered)):
            self._minute_item(minutes, existing, number, order, source, items)

    def _minute_item(
        self,
        minutes: Minutes,
        existing: dict[str, MinuteItem],
        number: int,
        order: int,
        source: MgAgendaItem,
        agenda: dict[int, AgendaItem],
    ) -> None:
        agenda_item = agenda.get(source.id or 0)
        blocks = html_blocks(source.minutes_html)
        paragraphs, resolutions, notes = minute_content(blocks)
        for note in notes:
            self.report.warn(f"minute {number} ({source.title!r}): {note}")
        title = fit(MinuteItem, "title", source.title) or f"Minute {number}"
        saved = services.minute_item_import(
            minutes=minutes,
            item=existing.get(str(source.id)),
            number=number,
            title=title,
            paragraphs=paragraphs,
            resolutions=resolutions,
            source=Source(system=MODERNGOV_SOURCE, id=str(source.id), at=self.now),
            order=order,
            agenda_item=agenda_item,
            agenda_reference=agenda_item.reference if agenda_item else "",
            visibility=agenda_item.visibility if agenda_item else Visibility.PUBLIC,
            exempt_paragraph=agenda_item.exempt_paragraph if agenda_item else None,
        )
        self.report.count("minute item", saved.outcome)

    # -- attendees ---------------------------------------------------------------

    def import_attendees(
        self,
        meeting: Meeting,
        body: Body,
        summary: MgMeetingSummary,
        detail: MgMeeting,
    ) -> None:
        held = meeting.date < self.today and not meeting.is_cancelled
        for order, attendee in enumerate(detail.attendees):
            external = str(attendee.member_id) if attendee.member_id else ""
            person = self.people.find(
                attendee.parsed_name,
                source_id=external or f"meeting {detail.id} attendee {order + 1}",
                source_url=attendee.url,
                external_id=external,
            )
            if person is None:
                continue
            role = _membership_role(attendee.role)
            if role is not None:
                self._membership(body, person, role, attendee, meeting.date, summary)
            if held:
                self._attendance(meeting, person, role, attendee, order)

    def _membership(
        self,
        body: Body,
        person: Person,
        role: str,
        attendee: MgAttendee,
        day: dt.date,
        summary: MgMeetingSummary,
    ) -> None:
        who = attendee.member_id or f"person {person.pk}"
        source_id = f"{summary.committee_id}:{who}:{role}"
        membership = Membership.objects.filter(
            body=body, source_system=MODERNGOV_SOURCE, source_id=source_id
        ).first()
        created = membership is None
        if membership is None:
            membership = Membership(body=body, person=person, role=role)
            stamp(
                membership,
                system=MODERNGOV_SOURCE,
                source_id=source_id,
                url=attendee.url,
                now=self.now,
            )
        values: dict[str, object] = {
            "start": min(membership.start or day, day),
            "end": max(membership.end or day, day),
        }
        party = attendee.political_party.strip()
        if party:
            group = _PARTIES.get(party.casefold())
            if group is None:
                group = Membership.PoliticalGroup.OTHER
                self.report.warn(
                    f"{attendee.name}: political party {party!r} is not one the portal "
                    "lists: recorded as Other"
                )
            values["political_group"] = group
        changed = assign(membership, values)
        save_imported(
            membership,
            kind="membership",
            created=created,
            changed=changed,
            report=self.report,
            now=self.now,
        )

    def _attendance(
        self,
        meeting: Meeting,
        person: Person,
        role: str | None,
        attendee: MgAttendee,
        order: int,
    ) -> None:
        said = attendee.attendance.strip()
        kind = _ATTENDANCE.get(said.casefold())
        if kind is None:
            if said.casefold() not in {"expected", ""}:
                self.report.warn(
                    f"meeting {meeting.source_id}: {attendee.name}'s attendance "
                    f"{said!r} is not one the import knows: recorded as present"
                )
            else:
                self.report.warn(
                    f"meeting {meeting.source_id}: {attendee.name}'s attendance is "
                    f"recorded as {said or 'blank'!r} in ModernGov: imported as "
                    "present; check it against the minutes"
                )
            kind = Attendance.Kind.PRESENT
        if kind == Attendance.Kind.PRESENT and role is None:
            kind = Attendance.Kind.IN_ATTENDANCE
        row = Attendance.objects.filter(meeting=meeting, person=person).first()
        created = row is None
        if row is None:
            row = Attendance(meeting=meeting, person=person)
        capacity = "" if role is not None else attendee.role
        changed = assign(
            row,
            {
                "kind": kind,
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


def moderngov_import(
    *,
    source: ModernGovSource,
    committees: Sequence[str] = (),
    from_date: dt.date | None = None,
    to_date: dt.date | None = None,
    fetch_files: bool = True,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import committees, meetings, agendas, papers, minutes and attendance.

    `committees` limits the import to committees named by id or title;
    `from_date` and `to_date` to meetings in that range (inclusive).
    Each meeting is written in one transaction, so a failure part way
    leaves whole meetings; with `dry_run` everything is rolled back at the
    end and the report says what would have changed. Document files are
    fetched only from a live source, never in a dry run, and only when
    `fetch_files`. Never raises for bad data: what cannot be imported is
    reported, and a source that cannot be read at all gives a report whose
    `failure` says why.
    """
    importer = _ModernGovImport(
        source=source,
        committees=committees,
        from_date=from_date,
        to_date=to_date,
        fetch_files=fetch_files,
        dry_run=dry_run,
        now=now or timezone.now(),
    )
    if not dry_run:
        return importer.run()
    with transaction.atomic():
        report = importer.run()
        transaction.set_rollback(True)
    return report
