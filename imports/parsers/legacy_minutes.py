"""Minutes as councils have published them, read into plain data.

`parse_minutes` reads the text of a set of minutes (or notes) of one meeting,
as copied from a council's website or converted from its PDF, and returns a
`ParsedMinutes`: the heading (body, date, venue or online), the attendance
lists, and the minute items with their numbered paragraphs and RESOLVED
blocks.

It never guesses silently. Every non-blank input line ends up either in
`placed` (with the role it was given) or in `unplaced` (with the reason it
was not), never both and never neither; `warnings` adds what was placed but
deserves a second look (a paragraph rejoined across a page break, an item
with two resolutions, a heading with no agenda reference).

Conventions the parser relies on, from the published records:

- A heading line "NOTES|MINUTES of a meeting of <body> held <where> on
  <weekday>, <date>." gives the body, the date and the venue ("held in the
  Darent Room, ...") or the online flag ("held online").
- Before that heading, a line naming a council ("KENT COUNTY COUNCIL") is
  recorded as `council_name`, and other lines in capitals as `banner` (the
  body's name as a banner). Both are placed, not unplaced. When the same
  line comes back after the items have begun it is a page header: placed
  and warned about.
- Attendance headings (PRESENT, ALSO PRESENT, IN ATTENDANCE, APOLOGIES,
  SUBSTITUTES) end in a colon and list people separated by commas and a
  final "and"; a person may carry a bracketed capacity.
- "UNRESTRICTED ITEMS" and "EXEMPT ITEMS" mark the items that follow as
  public or exempt.
- A numbered line is a minute heading when it carries an agenda reference
  ("(Item B1)") on the same line, when the reference is the next non-blank
  line (allowing one wrapped title line), or when it is set as a markdown
  heading or bold. Otherwise it is a numbered paragraph. Two further cases
  are taken as headings with a warning: the number following the previous
  minute's number where it cannot be the next paragraph number, and a short
  numbered line before any item in a document with a heading.
- A line straight after a paragraph or resolution continues it (wrapped
  text). After a blank line, prose continues it only when it did not end a
  sentence: a page break split it. That join is warned about.
- Single item pages of a committee website ("Agenda item", the item's
  title, "Minutes:", ..., "Supporting documents:") give one item with no
  number; the missing heading is reported.

Markdown emphasis (`#`, `**`, a `*` wrapping a whole line or reference) is
removed and runs of spaces become one space; the text is otherwise kept as
written. Bullets of any kind are written "- ", and a link alone on a line
stays in the paragraph before it.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from imports.parsers import (
    BritishDate,
    find_british_date,
    only_resolved,
    starts_resolution,
)
from imports.parsers.names import HONOURS, parse_name, split_capacity
from imports.record import AttendanceKind, LineReport, Paragraph, ParsedName

__all__ = [
    "AttendanceEntry",
    "AttendanceKind",
    "LineReport",
    "MinuteItem",
    "Paragraph",
    "ParsedMinutes",
    "PlacedLine",
    "Resolution",
    "ResolutionPart",
    "parse_minutes",
]


class PlacedLine(NamedTuple):
    """A non-blank input line and the role the parser gave it.

    Roles: council, banner, heading, attendance, part, part-note,
    item-heading, item-reference, paragraph, resolution, page-marker,
    page-header, supporting-documents, formatting.
    """

    line: int
    role: str


@dataclass(frozen=True)
class AttendanceEntry:
    """One person in an attendance list.

    `heading` is the list the person was written under; `kind` is the same
    except that a written substitution ("Mr X for Mr Y", "(substitute for Mr
    Y)") makes it SUBSTITUTE. `capacity` is the bracketed text as written
    ("Vice-Chairman in the Chair"); `chair_role` is "Chairman",
    "Vice-Chairman" ... when the capacity names one, and `in_the_chair` is
    True only when the capacity says "in the Chair".
    """

    kind: AttendanceKind
    heading: AttendanceKind
    name: ParsedName
    capacity: str
    chair_role: str
    in_the_chair: bool
    substitute_for: ParsedName | None
    line: int


@dataclass(frozen=True)
class ResolutionPart:
    """A lettered part of a resolution ("a", "b", "ii"), or a bullet ("")."""

    label: str
    text: str
    line: int


@dataclass(frozen=True)
class Resolution:
    """A RESOLVED block.

    `text` is the whole resolution as written, starting "RESOLVED", with
    each part on a line of its own; `lead_in` is the text before the first
    part (all of it when there are no parts). `number` is the paragraph
    number when the resolution is itself a numbered paragraph, as in
    "(6) RESOLVED that ...".
    """

    text: str
    lead_in: str
    parts: tuple[ResolutionPart, ...]
    number: int | None
    line: int


@dataclass(frozen=True)
class MinuteItem:
    """A minute: its number, title, agenda reference and content.

    `number` is None on a single item page, `reference` is "" when none is
    written, `exempt` is None when no UNRESTRICTED/EXEMPT marker came before
    the item. `paragraphs` and `resolutions` are each in document order;
    their `line` fields interleave them.
    """

    number: int | None
    title: str
    reference: str
    exempt: bool | None
    paragraphs: tuple[Paragraph, ...]
    resolutions: tuple[Resolution, ...]
    supporting_documents: tuple[str, ...]
    line: int

    @property
    def resolution(self) -> Resolution | None:
        """The first resolution, if any (`warnings` says when there are more)."""
        return self.resolutions[0] if self.resolutions else None


@dataclass(frozen=True)
class ParsedMinutes:
    """Everything read from one set of minutes, and what could not be read."""

    council_name: str
    banner: str
    kind: str
    body_name: str
    date: dt.date | None
    time: dt.time | None
    venue: str
    online: bool
    attendance: tuple[AttendanceEntry, ...]
    items: tuple[MinuteItem, ...]
    placed: tuple[PlacedLine, ...]
    unplaced: tuple[LineReport, ...]
    warnings: tuple[LineReport, ...]

    def attendance_of(self, kind: AttendanceKind) -> tuple[AttendanceEntry, ...]:
        """The entries of one heading, in the order written."""
        return tuple(entry for entry in self.attendance if entry.heading == kind)

    @property
    def presiding(self) -> AttendanceEntry | None:
        """Who chaired: the person "in the Chair", else the Chairman present."""
        present = self.attendance_of(AttendanceKind.PRESENT)
        for entry in present:
            if entry.in_the_chair:
                return entry
        for entry in present:
            if entry.chair_role.lower().startswith("chair"):
                return entry
        return None

    def item(self, number: int) -> MinuteItem:
        """The item with this minute number (KeyError when there is none)."""
        for item in self.items:
            if item.number == number:
                return item
        raise KeyError(number)


# --------------------------------------------------------------------------
# Line shapes. Each pattern reads one already normalised line (see _plain).

# "NOTES of a meeting of", "MINUTES of the special meeting of".
_TITLE_START = re.compile(
    r"(?P<kind>NOTES|MINUTES)\s+of\s+(?:a|an|the)\s+(?:[A-Za-z-]+\s+){0,2}?"
    r"meeting\s+of\s+(?:the\s+)?(?P<rest>\S.*)",
    re.IGNORECASE,
)
# The date that ends the heading: "on Thursday, 24 March 2022." (any form
# `find_british_date` reads), with an optional time after it.
_ON = re.compile(r"\s+on\s+", re.IGNORECASE)
_HEADING_END = re.compile(r"[\s.]*")
# What looks like that date but is none ("on 31 February 2022").
_DATE_SHAPED = re.compile(
    r"\s+on\s+(?:[A-Za-z]+day,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+of)?\s+"
    r"[A-Za-z]+,?\s+\d{4}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})\b[^\d]{0,40}$",
    re.IGNORECASE,
)
_HELD = re.compile(r"\s+held\s+", re.IGNORECASE)
_ONLINE = re.compile(
    r"(?:online|virtually|remotely)(?:\s+(?:via|on|using)\s+.+)?"
    r"|by video ?conference"
    r"|(?:via|on|using) (?:microsoft )?(?:teams|zoom|skype)"
    r"|as an? (?:virtual|remote|online) meeting",
    re.IGNORECASE,
)
# "in the Darent Room, ..." / "at County Hall": the words before the venue.
_VENUE_LEAD = re.compile(r"(?:in|at)\s+(?:the\s+)?", re.IGNORECASE)
# A hybrid meeting: "in the Council Chamber and online".
_AND_ONLINE = re.compile(r"(?P<venue>.+?)\s+and\s+(?P<online>\S.*)", re.IGNORECASE)

# "KENT COUNTY COUNCIL", "Medway Council", "Tunbridge Wells Borough Council".
_COUNCIL = re.compile(
    r"[A-Za-z][A-Za-z.'&-]*(?: [A-Za-z][A-Za-z.'&-]*){0,5}"
    r" (?:County |Borough |District |City |Town |Parish )?Council",
    re.IGNORECASE,
)

_ATTENDANCE_HEADINGS = {
    "present": AttendanceKind.PRESENT,
    "members present": AttendanceKind.PRESENT,
    "also present": AttendanceKind.ALSO_PRESENT,
    "in attendance": AttendanceKind.IN_ATTENDANCE,
    "also in attendance": AttendanceKind.IN_ATTENDANCE,
    "officers in attendance": AttendanceKind.IN_ATTENDANCE,
    "officers": AttendanceKind.IN_ATTENDANCE,
    "apologies": AttendanceKind.APOLOGIES,
    "apologies for absence": AttendanceKind.APOLOGIES,
    "substitute": AttendanceKind.SUBSTITUTE,
    "substitutes": AttendanceKind.SUBSTITUTE,
    "substitute members": AttendanceKind.SUBSTITUTE,
}
# "PRESENT: ...", "Also present:", "APOLOGIES FOR ABSENCE:". The heading
# words are checked against the table above, so the pattern stays loose.
_ATTENDANCE = re.compile(r"(?P<heading>[A-Za-z][A-Za-z ]{2,30}?)\s*:\s*(?P<list>.*)")

_PART = re.compile(
    r"(?P<part>UNRESTRICTED|EXEMPT|RESTRICTED)\s+ITEMS?\.?", re.IGNORECASE
)
# The bracketed note under a part marker on an agenda.
_PART_NOTE = re.compile(r"\((?:During|At the time of) .*\)", re.IGNORECASE)

# An agenda reference: "(Item B1)", "(Item 4)", "(Item A4a)".
_REFERENCE = r"\(\s*Item\s+(?P<ref>[A-Z]{0,2}\d{1,3}[a-z]?)\s*\)"
_REFERENCE_LINE = re.compile(_REFERENCE, re.IGNORECASE)
# A reference ending a heading line, perhaps in italics: "... *(Item B2)*".
_TRAILING_REFERENCE = re.compile(r"\s*\*?" + _REFERENCE + r"\*?$", re.IGNORECASE)

# Paragraph or heading numbers: "1.", "10.", "1)", "(1)", with at least one
# space after, optionally after a bullet ("- (1) ..." in converted lists).
_NUMBERED = re.compile(
    r"(?:[-•·]\s+)?(?:\((?P<paren>\d{1,3})\)|(?P<num>\d{1,4})(?P<sep>[.)]))"
    r"\s+(?P<rest>\S.*)"
)
# A lettered part: "a) ...", "(a) ...", "- a) ...", "(ii) ...".
_LETTERED = re.compile(
    r"(?:[-•·]\s+)?\(?(?P<label>[A-Za-z]|[ivx]{2,4})\)\s+(?P<rest>\S.*)"
)
# A bullet: hyphen, bullet, middle dot, en dash or a markdown "*", then a
# space.
_BULLET = re.compile(r"[-•·\u2013*]\s+(?P<rest>\S.*)")
# A link on its own: "<https://...>", a bare URL or a markdown link.
_LINK = re.compile(r"<?https?://\S+>?|\[[^\]]*\]\(\S+\)")

# Text that ends a sentence: a stop, perhaps followed by closing quotes or
# brackets. A paragraph that ends otherwise and is followed by a blank line
# and more prose was broken by a page.
_SENTENCE_END = re.compile(r"[.!?][\"'\u2019\u201d)\]]*$")

_AGENDA_ITEM_MARKER = re.compile(r"(?:[-•·*]\s+)?Agenda item", re.IGNORECASE)
_MINUTES_MARKER = re.compile(r"Minutes\s*:", re.IGNORECASE)
_SUPPORTING_DOCUMENTS = re.compile(r"Supporting documents\s*:?", re.IGNORECASE)

# Lines of the committee website or of the PDF that are not minutes.
_BOILERPLATE = (
    (
        re.compile(r"This page is intentionally left blank\.?", re.IGNORECASE),
        "page filler ('This page is intentionally left blank')",
    ),
    (
        re.compile(r"This is a default template, your custom branding .*"),
        "website banner: the site's branding failed to load",
    ),
    (
        re.compile(r"The custom branding should be at .*"),
        "website banner: the site's branding failed to load",
    ),
    (re.compile(r"Technical Error: .*"), "website error message"),
)

_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
# A line wholly in italics: "*(Item B1)*", "*Refreshments ...*".
_WRAPPING_EMPHASIS = re.compile(r"\*(?P<inner>[^*\s](?:.*[^*\s])?)\*")

# A horizontal rule or a line of emphasis markers: layout, not text.
_RULE = re.compile(r"[-_*=~#]{3,}")

# A minute title longer than this is more likely a paragraph.
_SHORT_HEADING = 150
# Enough characters for " *(Item AB123a)*".
_REFERENCE_TAIL = 40


def _heading_date(text: str) -> tuple[int, BritishDate] | None:
    """The date that ends a minutes heading, and where its "on" starts."""
    for on in _ON.finditer(text):
        found = find_british_date(text[on.end() :])
        if (
            found is not None
            and found.start == 0
            and _HEADING_END.fullmatch(text, on.end() + found.end)
        ):
            return on.start(), found
    return None


def _plain(line: str) -> tuple[str, bool]:
    """The line without markdown emphasis, and whether it was set as a heading."""
    # Runs of spaces, tabs and non-breaking spaces are layout; one space
    # keeps every pattern below linear.
    text = " ".join(line.split())
    emphasised = text.startswith(("#", "**"))
    text = _MARKDOWN_HEADING.sub("", text, count=1)
    text = text.replace("**", "").strip()
    if match := _WRAPPING_EMPHASIS.fullmatch(text):
        text = match["inner"]
    return text, emphasised


def _ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _boilerplate_reason(text: str) -> str:
    for pattern, reason in _BOILERPLATE:
        if pattern.fullmatch(text):
            return reason
    return ""


def _attendance_kind(text: str) -> tuple[AttendanceKind, str] | None:
    match = _ATTENDANCE.fullmatch(text)
    if not match:
        return None
    kind = _ATTENDANCE_HEADINGS.get(" ".join(match["heading"].lower().split()))
    return (kind, match["list"]) if kind else None


# --------------------------------------------------------------------------
# Builders: mutable while the text is read, frozen at the end.


@dataclass
class _Heading:
    kind: str = ""
    body: str = ""
    date: dt.date | None = None
    time: dt.time | None = None
    venue: str = ""
    online: bool = False


@dataclass
class _Part:
    label: str
    text: str
    line: int


@dataclass
class _Block:
    """A paragraph or resolution being read, kept as output lines."""

    kind: str
    number: int | None
    line: int
    pieces: list[str]
    list_ended: bool = False
    parts: list["_Part"] = field(default_factory=list)

    @property
    def last_text(self) -> str:
        return self.parts[-1].text if self.parts else self.pieces[-1]

    def continue_text(self, text: str) -> None:
        if self.parts:
            self.parts[-1].text += " " + text
        else:
            self.pieces[-1] += " " + text

    def add_line(self, text: str, *, is_list: bool) -> None:
        if self.parts:
            self.parts[-1].text += "\n" + text
        else:
            self.pieces.append(text)
        self.list_ended = is_list


@dataclass
class _Item:
    number: int | None
    title: str
    reference: str
    exempt: bool | None
    line: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    last_paragraph_number: int = 0

    @property
    def has_content(self) -> bool:
        return bool(self.paragraphs or self.resolutions)

    def freeze(self) -> MinuteItem:
        return MinuteItem(
            number=self.number,
            title=self.title,
            reference=self.reference,
            exempt=self.exempt,
            paragraphs=tuple(self.paragraphs),
            resolutions=tuple(self.resolutions),
            supporting_documents=tuple(self.documents),
            line=self.line,
        )


class _Line(NamedTuple):
    number: int
    raw: str
    text: str
    emphasised: bool


class _MinutesParser:
    def __init__(self, text: str) -> None:
        self.lines: list[_Line] = []
        for number, raw in enumerate(text.splitlines(), start=1):
            plain, emphasised = _plain(raw)
            self.lines.append(_Line(number, raw, plain, emphasised))
        self.roles: dict[int, str] = {}
        self.unplaced: dict[int, LineReport] = {}
        self.warnings: list[LineReport] = []
        self.council_name = ""
        self.banner_lines: list[str] = []
        self.banner_line = 0
        self.heading: _Heading | None = None
        self.attendance: list[AttendanceEntry] = []
        self.items: list[_Item] = []
        self.block: _Block | None = None
        self.exempt: bool | None = None
        self.last_minute_number: int | None = None
        self.awaiting_page_title = False
        self.in_supporting_documents = False
        self.blank_before = False

    # -- bookkeeping -------------------------------------------------------

    def place(self, line: _Line, role: str) -> None:
        self.roles[line.number] = role

    def reject(self, line: _Line, reason: str) -> None:
        self.unplaced[line.number] = LineReport(line.number, line.raw.strip(), reason)

    def warn(self, line: _Line | None, reason: str) -> None:
        if line is None:
            self.warnings.append(LineReport(0, "", reason))
        else:
            self.warnings.append(LineReport(line.number, line.raw.strip(), reason))

    def next_nonblank(self, index: int) -> int | None:
        for later in range(index + 1, len(self.lines)):
            if self.lines[later].text:
                return later
        return None

    @property
    def item(self) -> _Item | None:
        return self.items[-1] if self.items else None

    # -- main loop ---------------------------------------------------------

    def parse(self) -> ParsedMinutes:
        index = 0
        while index < len(self.lines):
            line = self.lines[index]
            if not line.text:
                if line.raw.strip():
                    # Emphasis markers alone, such as "**" or "#".
                    self.place(line, "formatting")
                else:
                    self.blank_before = True
                index += 1
                continue
            index = self.read(index, line)
            self.blank_before = False
        self.close_block()
        return self.finish()

    def read(self, index: int, line: _Line) -> int:
        """Place the line at `index`; return the index of the next line to read."""
        text = line.text
        if _RULE.fullmatch(text):
            self.place(line, "formatting")
            return index + 1
        if reason := _boilerplate_reason(text):
            self.reject(line, reason)
            # A filler page between two halves of a paragraph is not a break.
            self.blank_before = True
            return index + 1
        if self.items and self.is_repeated_banner(text):
            self.place(line, "page-header")
            self.warn(line, "banner repeated after the items began (a page header)")
            self.blank_before = True
            return index + 1
        if _AGENDA_ITEM_MARKER.fullmatch(text):
            self.close_block()
            self.in_supporting_documents = False
            self.awaiting_page_title = True
            self.place(line, "page-marker")
            return index + 1
        if _MINUTES_MARKER.fullmatch(text):
            self.close_block()
            self.awaiting_page_title = False
            if self.item is None:
                self.new_item(line, number=None, title="", reference="")
                self.warn(line, "'Minutes:' with no item title before it")
            self.place(line, "page-marker")
            return index + 1
        if self.awaiting_page_title:
            self.awaiting_page_title = False
            self.close_block()
            self.new_item(line, number=None, title=text, reference="")
            self.place(line, "item-heading")
            return index + 1
        if _SUPPORTING_DOCUMENTS.fullmatch(text):
            self.close_block()
            if self.item is None:
                self.reject(line, "'Supporting documents' with no item")
            else:
                self.in_supporting_documents = True
                self.place(line, "supporting-documents")
            return index + 1
        if _TITLE_START.fullmatch(text):
            if self.heading is None:
                return self.read_title(index)
            if self.item is None:
                self.reject(line, "a second minutes heading: only the first is read")
                return index + 1
            self.warn(line, "a second minutes heading, read as text of this item")
        item = self.item
        if self.in_supporting_documents and item and not self.is_heading(index):
            item.documents.append(text)
            self.place(line, "supporting-documents")
            return index + 1
        if attendance := _attendance_kind(text):
            return self.read_attendance(index, *attendance)
        if match := _PART.fullmatch(text):
            self.close_block()
            self.exempt = match["part"].upper() != "UNRESTRICTED"
            self.place(line, "part")
            return index + 1
        if not self.items and self.heading is None and self.read_banner(line):
            return index + 1
        if _PART_NOTE.fullmatch(text) and not self.items:
            self.place(line, "part-note")
            return index + 1
        if match := _REFERENCE_LINE.fullmatch(text):
            self.read_reference(line, match["ref"])
            return index + 1
        if self.is_heading(index):
            return self.read_heading(index)
        self.in_supporting_documents = False
        return self.read_content(index, line)

    # -- heading, banner, attendance ----------------------------------------

    def read_banner(self, line: _Line) -> bool:
        text = line.text
        if _COUNCIL.fullmatch(text) and not self.council_name:
            self.council_name = text
            self.place(line, "council")
            return True
        has_letters = any(char.isalpha() for char in text)
        if has_letters and text == text.upper() and not _NUMBERED.match(text):
            if self.banner_lines and not self.banner_continues(line):
                self.reject(line, "a second banner before the minutes heading")
                return True
            self.banner_lines.append(text)
            self.banner_line = line.number
            self.place(line, "banner")
            return True
        return False

    def banner_continues(self, line: _Line) -> bool:
        """A banner wraps onto lines with no blank line between them."""
        return self.banner_line == line.number - 1

    @property
    def banner(self) -> str:
        return " ".join(" ".join(self.banner_lines).split())

    def is_repeated_banner(self, text: str) -> bool:
        folded = text.casefold()
        return folded in {self.council_name.casefold(), self.banner.casefold()} - {""}

    def read_title(self, index: int) -> int:
        line = self.lines[index]
        # A heading may wrap: read up to three more lines until the date.
        used = [line]
        joined = line.text
        while _heading_date(joined) is None and len(used) < 4:
            following = index + len(used)
            if following >= len(self.lines) or not self.lines[following].text:
                break
            if self.is_structural(following):
                break
            used.append(self.lines[following])
            joined = f"{joined} {self.lines[following].text}"
        if _heading_date(joined) is None:
            used, joined = [line], line.text
        for part in used:
            self.place(part, "heading")
        self.read_title_text(line, joined)
        return index + len(used)

    def read_title_text(self, line: _Line, text: str) -> None:
        heading = self.heading = _Heading()
        match = _TITLE_START.fullmatch(text) or _TITLE_START.fullmatch(line.text)
        if match is None:  # the caller matched the first line already
            return
        heading.kind = match["kind"].upper()
        rest = match["rest"]
        found = _heading_date(rest)
        if found is not None:
            on, date = found
            rest_before = rest[:on]
            heading.date = date.date
            heading.time = date.time
            if not date.weekday_matches:
                self.warn(
                    line, f"{date.weekday} does not match {date.date.isoformat()}"
                )
        elif shaped := _DATE_SHAPED.search(rest):
            rest_before = rest[: shaped.start()]
            self.warn(line, "the date in the heading is not a real date")
        else:
            rest_before = rest.rstrip(".")
            self.warn(line, "no date found in the minutes heading")
        held = _HELD.search(rest_before)
        if held:
            heading.body = rest_before[: held.start()].strip()
            self.read_place(line, heading, rest_before[held.end() :].strip())
        else:
            heading.body = rest_before.strip()
            self.warn(line, "the heading does not say where the meeting was held")

    def read_place(self, line: _Line, heading: "_Heading", place: str) -> None:
        if _ONLINE.fullmatch(place):
            heading.online = True
            return
        hybrid = _AND_ONLINE.fullmatch(place)
        if hybrid and _ONLINE.fullmatch(hybrid["online"]):
            heading.online = True
            place = hybrid["venue"]
        lead = _VENUE_LEAD.match(place)
        if lead:
            place = place[lead.end() :]
        else:
            self.warn(line, f"venue not introduced by 'in' or 'at': {place!r}")
        heading.venue = place.strip()

    def read_attendance(self, index: int, kind: AttendanceKind, listed: str) -> int:
        first = self.lines[index]
        self.close_block()
        self.place(first, "attendance")
        if self.items:
            self.warn(first, "attendance list after the minute items began")
        inline = _cells(first.raw.split(":", 1)[1]) if ":" in first.raw else []
        if (len(inline) > 1 and not _is_list(inline)) or (
            not listed and self.table_follows(index)
        ):
            return self.read_attendance_table(index, kind, inline)
        # A long list may wrap onto following lines with no blank between.
        following = index + 1
        while following < len(self.lines):
            line = self.lines[following]
            if not line.text or self.is_structural(following):
                break
            # Only a list left open (by a comma, "and" or a bracket), or a
            # line starting with "and" or a title, goes on.
            open_list = listed.rstrip().endswith((",", " and")) or (
                listed.count("(") > listed.count(")")
            )
            goes_on = (
                _AND_START.match(line.text) or parse_name(line.text.split(",")[0]).title
            )
            if not open_list and not goes_on:
                break
            listed = f"{listed} {line.text}"
            self.place(line, "attendance")
            following += 1
        for text in _split_people(listed):
            self.attendance.append(self.attendance_entry(first, kind, text))
        return following

    def table_row_at(self, index: int | None) -> list[str]:
        """The cells of the line at `index` when it can be a row of a table."""
        if index is None or self.is_structural(index):
            return []
        cells = _cells(self.lines[index].raw)
        return cells if len(cells) > 1 else []

    def table_follows(self, index: int) -> bool:
        return bool(self.table_row_at(self.next_nonblank(index)))

    def read_attendance_table(
        self, index: int, kind: AttendanceKind, inline: list[str]
    ) -> int:
        """Attendance written as a table: a person a row, their name,
        organisation and role in columns (tab or several spaces apart),
        perhaps under a row of column headings."""
        columns: tuple[str, ...] = _DEFAULT_COLUMNS
        rows = [(self.lines[index], inline)] if inline else []
        following = index + 1
        while following < len(self.lines):
            line = self.lines[following]
            if not line.text:
                if not self.table_follows(following):
                    break
                following += 1
                continue
            cells = self.table_row_at(following)
            if not cells and rows and parse_name(line.text).title:
                cells = [line.text]  # a row with only a name
            if not cells:
                break
            headings = [_TABLE_HEADINGS.get(cell.casefold()) for cell in cells]
            if all(headings):
                columns = tuple(heading or "" for heading in headings)
                self.place(line, "attendance")
            else:
                rows.append((line, cells))
            following += 1
        for line, cells in rows:
            self.place(line, "attendance")
            self.attendance.append(self.table_entry(line, kind, cells, columns))
        return following

    def table_entry(
        self,
        line: _Line,
        kind: AttendanceKind,
        cells: list[str],
        columns: tuple[str, ...],
    ) -> AttendanceEntry:
        if len(cells) == 2 and columns == _DEFAULT_COLUMNS:
            # Two columns without headings: the name and whatever follows it.
            columns = ("name", "role")
        named: dict[str, list[str]] = {}
        for position, cell in enumerate(cells):
            column = columns[min(position, len(columns) - 1)]
            named.setdefault(column, []).append(cell)
        name = " ".join(named.get("name", []))
        role = ", ".join(named.get("role", []))
        organisation = ", ".join(named.get("organisation", []))
        entry = self.attendance_entry(line, kind, f"{name} ({role})" if role else name)
        capacity = ", ".join(part for part in (entry.capacity, organisation) if part)
        return replace(entry, capacity=capacity)

    def attendance_entry(
        self, line: _Line, heading: AttendanceKind, text: str
    ) -> AttendanceEntry:
        name_text, capacity = split_capacity(text)
        substitute_for: ParsedName | None = None
        pattern = _SUBSTITUTE_ANY
        if heading == AttendanceKind.SUBSTITUTE:
            pattern = _SUBSTITUTE_UNDER_HEADING
        if match := pattern.fullmatch(name_text):
            name_text = match["who"]
            substitute_for = parse_name(match["for"])
        elif match := _SUBSTITUTE_CAPACITY.fullmatch(capacity):
            substitute_for = parse_name(match["for"])
        chair = _CHAIR.fullmatch(capacity)
        in_the_chair = bool(_IN_THE_CHAIR.search(capacity))
        name = parse_name(name_text)
        for problem in name.warnings:
            self.warn(line, f"{heading.value}: {name_text!r}: {problem}")
        if substitute_for is not None:
            for problem in substitute_for.warnings:
                self.warn(line, f"substitute for {substitute_for.raw!r}: {problem}")
        return AttendanceEntry(
            kind=AttendanceKind.SUBSTITUTE if substitute_for else heading,
            heading=heading,
            name=name,
            capacity=capacity,
            chair_role=chair["role"] if chair and chair["role"] else "",
            in_the_chair=in_the_chair,
            substitute_for=substitute_for,
            line=line.number,
        )

    # -- items ---------------------------------------------------------------

    def new_item(
        self, line: _Line, *, number: int | None, title: str, reference: str
    ) -> _Item:
        self.close_block()
        self.in_supporting_documents = False
        previous = self.last_minute_number
        if number is not None and previous is not None and number <= previous:
            self.warn(line, f"minute {number} does not follow minute {previous}")
        if number is not None:
            self.last_minute_number = number
        item = _Item(number, title, reference, self.exempt, line.number)
        self.items.append(item)
        return item

    def read_reference(self, line: _Line, reference: str) -> None:
        item = self.item
        if item is None or item.reference or item.has_content or self.block:
            self.reject(line, "an agenda reference that does not follow a heading")
            return
        item.reference = reference.upper()
        self.place(line, "item-reference")

    def heading_shape(self, index: int) -> tuple[int, str, str] | None:
        """(number, title, same-line reference) when the line could head a minute."""
        match = _NUMBERED.fullmatch(self.lines[index].text)
        if not match or match["sep"] != ".":
            return None
        rest = match["rest"]
        if starts_resolution(rest):
            return None
        reference = ""
        # Only the end of the line can hold the reference; searching a short
        # tail keeps long lines cheap.
        tail_start = max(len(rest) - _REFERENCE_TAIL, 0)
        if found := _TRAILING_REFERENCE.search(rest, tail_start):
            reference = found["ref"].upper()
            rest = rest[: found.start()].strip()
        if not rest:
            return None
        return int(match["num"]), rest, reference

    def is_heading(self, index: int) -> bool:
        return self.heading_kind(index) is not None

    def heading_kind(self, index: int) -> str | None:
        """Why the line at `index` is a minute heading, or None if it is not."""
        shape = self.heading_shape(index)
        if shape is None:
            return None
        number, title, reference = shape
        if reference and len(title) <= _SHORT_HEADING * 2:
            return "reference on the line"
        following = self.next_nonblank(index)
        if following is not None and _REFERENCE_LINE.fullmatch(
            self.lines[following].text
        ):
            return "reference on the next line"
        if (
            following == index + 1
            and not self.is_structural(following)
            and (after := self.next_nonblank(following)) is not None
            and _REFERENCE_LINE.fullmatch(self.lines[after].text)
        ):
            return "title wraps onto the next line"
        if self.lines[index].emphasised:
            return "set as a heading"
        short = len(title) <= _SHORT_HEADING and not title.endswith(".")
        if not short or not title[:1].isupper():
            return None
        item = self.item
        previous = self.last_minute_number
        if (
            item is not None
            and previous is not None
            and number == previous + 1
            and number != item.last_paragraph_number + 1
        ):
            return "follows the previous minute number"
        if item is None and self.heading is not None:
            return "short numbered line before the first item"
        return None

    def read_heading(self, index: int) -> int:
        line = self.lines[index]
        kind = self.heading_kind(index)
        shape = self.heading_shape(index)
        if kind is None or shape is None:  # the caller checked; kept for typing
            return self.read_content(index, line)
        number, title, reference = shape
        used = 1
        if kind == "title wraps onto the next line":
            title = f"{title} {self.lines[index + 1].text}"
            self.place(self.lines[index + 1], "item-heading")
            used = 2
        elif kind in {
            "follows the previous minute number",
            "short numbered line before the first item",
        }:
            self.warn(
                line, f"taken as a minute heading with no agenda reference: {kind}"
            )
        self.new_item(line, number=number, title=title, reference=reference)
        self.place(line, "item-heading")
        return index + used

    def is_structural(self, index: int) -> bool:
        """Lines that start something new and so never continue the line before."""
        text = self.lines[index].text
        return bool(
            _TITLE_START.fullmatch(text)
            or _attendance_kind(text)
            or _PART.fullmatch(text)
            or _REFERENCE_LINE.fullmatch(text)
            or _NUMBERED.fullmatch(text)
            or starts_resolution(text)
            or _LETTERED.fullmatch(text)
            or _BULLET.fullmatch(text)
            or _AGENDA_ITEM_MARKER.fullmatch(text)
            or _MINUTES_MARKER.fullmatch(text)
            or _SUPPORTING_DOCUMENTS.fullmatch(text)
            or _boilerplate_reason(text)
        )

    # -- paragraphs and resolutions -------------------------------------------

    def ensure_item(self, line: _Line) -> _Item:
        if self.item is not None:
            return self.item
        item = self.new_item(line, number=None, title="", reference="")
        self.warn(line, "minutes text before any minute heading: untitled item")
        return item

    def close_block(self) -> None:
        block, self.block = self.block, None
        if block is None or self.item is None:
            return
        if block.kind == "paragraph":
            self.item.paragraphs.append(
                Paragraph(block.number, "\n".join(block.pieces), block.line)
            )
            return
        lead_in = "\n".join(block.pieces)
        parts = tuple(
            ResolutionPart(part.label, part.text, part.line) for part in block.parts
        )
        written = [lead_in] + [
            f"{part.label}) {part.text}" if part.label else f"- {part.text}"
            for part in parts
        ]
        self.item.resolutions.append(
            Resolution("\n".join(written), lead_in, parts, block.number, block.line)
        )

    def check_number(self, line: _Line, item: _Item, number: int | None) -> None:
        if number is None:
            return
        expected = item.last_paragraph_number + 1
        if number != expected:
            self.warn(line, f"paragraph {number} where {expected} was expected")
        item.last_paragraph_number = number

    def read_content(self, index: int, line: _Line) -> int:
        text = line.text
        numbered = _NUMBERED.fullmatch(text)
        number: int | None = None
        body = text
        if numbered:
            number = int(numbered["paren"] or numbered["num"])
            body = numbered["rest"]
        if starts_resolution(body):
            return self.start_resolution(index, line, number, body)
        if numbered:
            item = self.ensure_item(line)
            self.close_block()
            self.check_number(line, item, number)
            self.block = _Block("paragraph", number, line.number, [body])
            self.place(line, "paragraph")
            return index + 1
        if lettered := _LETTERED.fullmatch(text):
            return self.read_list_line(
                index, line, f"{lettered['label']}) {lettered['rest']}", lettered
            )
        if bullet := _BULLET.fullmatch(text):
            return self.read_list_line(index, line, f"- {bullet['rest']}", None)
        if _LINK.fullmatch(text):
            # "<https://...>" is markdown for a bare link: keep the address.
            address = text.removeprefix("<").removesuffix(">")
            return self.read_list_line(index, line, address, None)
        return self.read_prose(index, line)

    def start_resolution(
        self, index: int, line: _Line, number: int | None, body: str
    ) -> int:
        item = self.ensure_item(line)
        self.close_block()
        self.check_number(line, item, number)
        if item.resolutions:
            self.warn(
                line,
                f"item {item.number if item.number is not None else '(untitled)'} "
                f"has more than one resolution ({len(item.resolutions) + 1})",
            )
        self.block = _Block("resolution", number, line.number, [body])
        self.place(line, "resolution")
        return index + 1

    def read_list_line(
        self, index: int, line: _Line, written: str, lettered: re.Match[str] | None
    ) -> int:
        block = self.block
        if block is not None and block.kind == "resolution":
            if lettered:
                block.parts.append(
                    _Part(lettered["label"], lettered["rest"], line.number)
                )
            elif written.startswith("- "):
                block.parts.append(_Part("", written[2:], line.number))
            else:
                block.add_line(written, is_list=True)
            block.list_ended = True
            self.place(line, "resolution")
            return index + 1
        if block is None:
            if self.item is None:
                self.reject(line, "text before the first minute item")
                return index + 1
            self.block = _Block("paragraph", None, line.number, [written], True)
        else:
            block.add_line(written, is_list=True)
        self.place(line, "paragraph")
        return index + 1

    def read_prose(self, index: int, line: _Line) -> int:
        text = line.text
        block = self.block
        if block is not None and not self.blank_before:
            # A wrapped line: part of the line before.
            block.continue_text(text)
            self.place(line, block.kind)
            return index + 1
        if block is not None and not block.list_ended and not line.emphasised:
            last = block.last_text
            if block.kind == "resolution" and only_resolved(last):
                block.continue_text(text)
                self.place(line, block.kind)
                return index + 1
            if last.endswith(":"):
                block.add_line(text, is_list=False)
                self.warn(line, "line after a colon kept in the same paragraph")
                self.place(line, block.kind)
                return index + 1
            if not _ends_sentence(last):
                block.continue_text(text)
                self.warn(
                    line,
                    "page-break fragment joined to the previous "
                    f"{block.kind}, which did not end a sentence",
                )
                self.place(line, block.kind)
                return index + 1
        if self.item is None:
            self.reject(line, "text before the first minute item")
            return index + 1
        self.close_block()
        self.block = _Block("paragraph", None, line.number, [text])
        self.place(line, "paragraph")
        return index + 1

    # -- result ------------------------------------------------------------

    def finish(self) -> ParsedMinutes:
        heading = self.heading
        if heading is None:
            self.warn(None, "no minutes heading: body, date and venue are unknown")
            heading = _Heading()
        elif self.banner and self.banner.casefold() != heading.body.casefold():
            self.warn(
                None,
                f"banner {self.banner!r} differs from the body in the heading",
            )
        for item in self.items:
            if item.number is None and item.title:
                self.warn(
                    self.lines[item.line - 1], "item page without a minute number"
                )
        # Every non-blank line must be accounted for exactly once.
        for line in self.lines:
            known = line.number in self.roles or line.number in self.unplaced
            if line.raw.strip() and not known:
                self.reject(line, "not read (parser gap)")
        placed = tuple(
            PlacedLine(number, role)
            for number, role in sorted(self.roles.items())
            if number not in self.unplaced
        )
        return ParsedMinutes(
            council_name=self.council_name,
            banner=self.banner,
            kind=heading.kind,
            body_name=heading.body,
            date=heading.date,
            time=heading.time,
            venue=heading.venue,
            online=heading.online,
            attendance=tuple(self.attendance),
            items=tuple(item.freeze() for item in self.items),
            placed=placed,
            unplaced=tuple(sorted(self.unplaced.values())),
            warnings=tuple(self.warnings),
        )


# --------------------------------------------------------------------------
# Attendance lists.

# "Mr X for Mr Y" (under a substitutes heading) and "Mr X substituted for Mr
# Y" (anywhere).
_SUBSTITUTE_UNDER_HEADING = re.compile(
    r"(?P<who>.+?)\s+(?:substitut(?:ed|ing|e)\s+)?for\s+(?P<for>.+)", re.IGNORECASE
)
_SUBSTITUTE_ANY = re.compile(
    r"(?P<who>.+?)\s+substitut(?:ed|ing)\s+for\s+(?P<for>.+)", re.IGNORECASE
)
# A capacity of "(substitute for Mr Y)".
_SUBSTITUTE_CAPACITY = re.compile(
    r"substitut(?:e|ing)\s+for\s+(?P<for>.+)", re.IGNORECASE
)
# "(Chairman)", "(Vice-Chairman in the Chair)", "(Vice Chair)".
_CHAIR = re.compile(
    r"(?P<role>(?:Vice[- ]?)?Chair(?:man|woman|person)?)?(?:\s*in\s+the\s+Chair)?",
    re.IGNORECASE,
)
_IN_THE_CHAIR = re.compile(r"\bin\s+the\s+Chair\b", re.IGNORECASE)


def _split_top_level(text: str, separator: re.Pattern[str]) -> Iterator[str]:
    """Split on `separator` where it is outside brackets."""
    depth = 0
    start = 0
    position = 0
    while position < len(text):
        char = text[position]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and (match := separator.match(text, position)):
            yield text[start:position]
            start = position = match.end()
            continue
        position += 1
    yield text[start:]


# Columns of an attendance table: tabs, or two spaces or more.
_COLUMN_GAP = re.compile(r"\t+|\s{2,}")
_DEFAULT_COLUMNS = ("name", "organisation", "role")
_TABLE_HEADINGS = {
    "name": "name",
    "member": "name",
    "attendee": "name",
    "organisation": "organisation",
    "organization": "organisation",
    "agency": "organisation",
    "representing": "organisation",
    "role": "role",
    "position": "role",
    "capacity": "role",
    "job title": "role",
}


def _is_list(cells: list[str]) -> bool:
    """Whether cells split at wide gaps are a list of people widened by a copy
    ("Mr A Hill,  Ms B King, and Mr C Lee") rather than a row of a table: a
    list's people are parted by commas or "and", a row's cells are not."""
    text = " ".join(cells)
    return text.count(",") > 1 or any(
        cell.endswith((",", " and", "&")) or _AND_START.match(cell) for cell in cells
    )


def _cells(raw: str) -> list[str]:
    """The cells of a line of a table, markdown pipes and emphasis aside."""
    text = raw.replace("|", "\t").replace("**", "")
    return [cell for cell in (c.strip() for c in _COLUMN_GAP.split(text)) if cell]


_COMMA = re.compile(r",")
_AND_START = re.compile(r"(?:and|&)\s", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+")


def _is_honours_only(text: str) -> bool:
    name, _capacity = split_capacity(text)
    tokens = name.split()
    return bool(tokens) and all(token in HONOURS for token in tokens)


def _split_people(listed: str) -> list[str]:
    """The people of an attendance list, each "Name (capacity)".

    Commas and the final "and" separate people; a piece holding only
    honours ("OBE (Chairman)") belongs to the person before it; empty pieces
    from a trailing comma are dropped.
    """
    listed = listed.strip().removesuffix(".")
    people: list[str] = []
    for piece in _split_top_level(listed, _COMMA):
        for person in _split_top_level(piece, _AND):
            person = person.strip()
            if not person:
                continue
            if people and _is_honours_only(person):
                people[-1] = f"{people[-1]}, {person}"
            else:
                people.append(person)
    return people


def parse_minutes(text: str) -> ParsedMinutes:
    """Read one meeting's minutes, as councils publish them, into plain data.

    Promises: never raises on any text; every non-blank line is either in
    `placed` or in `unplaced` (exactly one of them, with a role or reason);
    heading fields it cannot find stay empty and a warning says so; items,
    paragraphs, resolutions and attendance keep document order.
    """
    return _MinutesParser(text).parse()
