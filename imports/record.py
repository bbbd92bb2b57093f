"""A meeting's record as read from a source: the one structure imports write.

Whatever the source form (printed minutes as text, the ModernGov web
service, committee website pages as text or saved HTML), its parser ends
in a `MeetingRecord`: the meeting (date, time, place, status), its agenda
and the papers linked from it, who attended, and its minutes with their
numbered paragraphs and RESOLVED blocks, plus every line the parser could
not place and every warning.
`imports.writer` writes a record into the portal through the meetings
services, so a new source form needs only a parser that produces one.

These are plain frozen dataclasses: they touch no database and know no
model. Values the portal keeps as choices are enums here with the same
values (`AttendanceKind`, `ResolutionKind`, `MeetingStatus`,
`DocumentKind`). A field the
source does not speak to is None (or empty) and the writer leaves what the
portal holds; the field docs say so where it matters.
"""

import datetime as dt
import enum
from dataclasses import dataclass
from typing import NamedTuple

__all__ = [
    "AgendaEntry",
    "AttendanceKind",
    "AttendanceRecord",
    "DocumentKind",
    "DocumentRecord",
    "LineReport",
    "MeetingRecord",
    "MeetingStatus",
    "MinuteRecord",
    "Paragraph",
    "ParsedName",
    "ResolutionKind",
    "ResolutionRecord",
]


class AttendanceKind(enum.StrEnum):
    """How someone attended; the values are the Attendance model's."""

    PRESENT = "present"
    ALSO_PRESENT = "also_present"
    IN_ATTENDANCE = "in_attendance"
    APOLOGIES = "apologies"
    SUBSTITUTE = "substitute"
    ABSENT = "absent"
    NOT_RECORDED = "not_recorded"


class ResolutionKind(enum.StrEnum):
    """What a resolution decided; the values are the Resolution model's."""

    NOTED = "noted"
    AGREED = "agreed"
    APPROVED = "approved"
    RECOMMENDED = "recommended"
    REQUESTED = "requested"
    ELECTED = "elected"
    OTHER = "other"


class MeetingStatus(enum.StrEnum):
    """Where a meeting stands; the values are the Meeting model's."""

    SCHEDULED = "scheduled"
    AGENDA_PUBLISHED = "agenda_published"
    HELD = "held"
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


class DocumentKind(enum.StrEnum):
    """What a paper is; the values are the Document model's."""

    REPORT = "report"
    APPENDIX = "appendix"
    PRESENTATION = "presentation"
    SUPPLEMENT = "supplement"
    MINUTES = "minutes"
    BACKGROUND = "background"
    OTHER = "other"


class LineReport(NamedTuple):
    """A line that could not be placed, or was placed with a warning.

    `line` is 1-based as `str.splitlines()` counts; 0 means the source as a
    whole (for example "no minutes heading"), and `text` is then "".
    """

    line: int
    text: str
    reason: str


@dataclass(frozen=True)
class ParsedName:
    """A person's name split into the Person model's fields.

    Empty strings stand for parts the text does not give. `forenames` holds
    every word written between the title and the surname when at least one
    of them is a full name ("P Michael"); `initials` is filled only when all
    of them are initials, space separated ("P M"). `honours` is space
    separated ("OBE JP"). `warnings` lists what could not be read; `raw` is
    the text as given.
    """

    raw: str
    title: str = ""
    forenames: str = ""
    initials: str = ""
    known_as: str = ""
    surname: str = ""
    honours: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def formal(self) -> str:
        """The name as minutes write it formally: 'Mr P M Hill, OBE'."""
        first = self.initials or self.forenames
        name = " ".join(part for part in (self.title, first, self.surname) if part)
        return f"{name}, {self.honours.replace(' ', ', ')}" if self.honours else name


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of a minute, its number stripped.

    Bullet and lettered sub-lists stay in `text` as lines of their own,
    bullets written "- ...". `number` is None for unnumbered prose.
    """

    number: int | None
    text: str
    line: int

    @property
    def numbered(self) -> bool:
        return self.number is not None

    @property
    def unnumbered(self) -> bool:
        return self.number is None


@dataclass(frozen=True, kw_only=True)
class ResolutionRecord:
    """A RESOLVED block: its words (the lead-in when it has lettered parts),
    the parts a), b), c) in order, and what it decided."""

    text: str
    parts: tuple[str, ...] = ()
    kind: ResolutionKind = ResolutionKind.NOTED
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class MinuteRecord:
    """One minute: its number in the body's series, title and content.

    `number` is None when the source prints none (then no minute of the
    record has one, and the writer continues the body's series). `key` is
    the source's id for the minute; "" means the record's key and the
    number ("notes.txt#52"). `agenda_key` is the `AgendaEntry.key` of the
    item it minutes. `reference` is the agenda reference as the minute
    writes it ("(Item B1)"); None means that of its agenda item. `exempt`
    None means as its agenda item (public without one); an exempt minute
    without `exempt_paragraph` keeps the paragraph recorded before, else
    gets the most general one and a warning.
    """

    number: int | None
    title: str
    paragraphs: tuple[Paragraph, ...] = ()
    resolutions: tuple[ResolutionRecord, ...] = ()
    key: str = ""
    agenda_key: str = ""
    reference: str | None = None
    exempt: bool | None = None
    exempt_paragraph: int | None = None
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class AgendaEntry:
    """An agenda item: its section letter and number, title and status.

    `key` is the source's id for the item. `number` None means the next
    free number in the section; a number another item holds is moved on and
    reported. `label` is the item's number as the source shows it ("9."),
    for the report. `section_title` "" means the body's agenda template's
    title for the letter, else the portal's default, else "Section X" and a
    warning. `description` and `presenter` None mean the source does not
    say (what the portal holds is kept). An exempt item without
    `exempt_paragraph` keeps the paragraph recorded before, else gets the
    most general one.
    """

    key: str
    letter: str
    number: int | None
    title: str
    label: str = ""
    section_title: str = ""
    description: str | None = None
    presenter: str | None = None
    decision: bool = False
    exempt: bool = False
    exempt_paragraph: int | None = None
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class AttendanceRecord:
    """A person at (or sending apologies to) the meeting.

    `in_the_chair` None means the source does not say (what the portal
    holds is kept). `person_id` is the source's own id for the person (a
    ModernGov member id), by which they are found again whatever the name
    says; `source_id` is what a person created from this name records as
    where it came from.
    """

    name: ParsedName
    kind: AttendanceKind
    capacity: str = ""
    in_the_chair: bool | None = None
    substitute_for: ParsedName | None = None
    person_id: str = ""
    source_id: str = ""
    url: str = ""
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class DocumentRecord:
    """A paper held on the source's site, recorded as a link to it.

    `key` is the source's id for the paper (its address when it has no
    other). `agenda_key` is the `AgendaEntry.key` of the item it belongs
    to; "" means a paper of the whole meeting (the agenda frontsheet, the
    printed minutes). `file_type` is a key of `kcsp.uploads.KINDS` ("pdf")
    as the link states it, "" when it does not; `size_bytes` is the size
    the link states, None when it gives none.
    """

    key: str
    title: str
    url: str
    agenda_key: str = ""
    kind: DocumentKind = DocumentKind.REPORT
    file_type: str = ""
    size_bytes: int | None = None
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class MeetingRecord:
    """A meeting as one source records it.

    `key` is the source's id for what was read (a ModernGov meeting id, the
    minutes file's name): the meeting, minutes and records made from it
    carry it. `label` prefixes the writer's messages when a run reads many
    meetings ("meeting 4967"). `body_name` is the body as the source names
    it. `time` None means the source gives none (10.00 am for a new
    meeting, and a warning); `status` None means held for a new meeting and
    unchanged for one the source made before. `status_reason` and
    `agenda_published_at` are given to a meeting that has none.

    `documents` are papers linked from the source, written as links to
    them; empty means the source links none (the portal's are left alone).

    `agenda_from_references` says the agenda was inferred from the minutes'
    references ("(Item B1)") rather than read: it is made only when the
    meeting has no agenda of anyone else's, and otherwise the minutes are
    linked to that agenda's items by reference. An empty `agenda`,
    `attendance` or `minutes` means the source gives none; the portal's are
    left alone.

    `unplaced` and `warnings` are what reading the source could not place
    or had to assume; the writer reports them.
    """

    key: str
    date: dt.date
    label: str = ""
    url: str = ""
    body_name: str = ""
    time: dt.time | None = None
    end_time: dt.time | None = None
    venue: str = ""
    online: bool = False
    status: MeetingStatus | None = None
    status_reason: str = ""
    agenda_published_at: dt.datetime | None = None
    agenda: tuple[AgendaEntry, ...] = ()
    agenda_from_references: bool = False
    attendance: tuple[AttendanceRecord, ...] = ()
    minutes: tuple[MinuteRecord, ...] = ()
    documents: tuple[DocumentRecord, ...] = ()
    source_text: str = ""
    unplaced: tuple[LineReport, ...] = ()
    warnings: tuple[LineReport, ...] = ()
