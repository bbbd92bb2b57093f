"""A committee website's meeting page, whichever way it was saved.

ModernGov's "Agenda and minutes" page (ieListDocuments.aspx) has the same
layout at every council: a heading "Kent Community Safety Partnership -
Thursday, 14th July, 2022 10.00 am", "Venue:" and "Contact:" lines, papers
of the whole meeting, then a table of items ("No.", "Item"), each with its
number as shown ("46.", "77/21" or none), title, papers ("PDF 108 KB",
"Additional documents:"), the agenda's words, and blocks labelled
"Minutes:" and "Decision:". `website_text` reads the page copied as text,
`website_html` the page saved as HTML; both fill in a `WebPage` and turn it
into the `MeetingRecord` every import writes with `page_record`.

What the two forms share lives here:

- `read_heading` reads the heading's body, date and time;
- `paper_link` reads a paper's title, type and size from its link text;
- `minute_body` reads the lines of a "Minutes:" or "Decision:" block into
  paragraphs and resolutions: "1." numbers (alone on a line or before the
  text, however widely spaced), bullets "o", "·", "•", "-" as "- " list
  lines of the paragraph or resolution before them, RESOLVED blocks with
  lettered parts a), (b), and spacer lines of non-breaking spaces ignored;
- a "Decision:" block is the item's resolution; when the minutes repeat it
  (as a RESOLVED block or as a paragraph) it is imported once.

Nothing here touches the database.
"""

import datetime as dt
import hashlib
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import NamedTuple

from imports.parsers import (
    MONTHS,
    document_kind,
    only_resolved,
    parse_clock_time,
    resolution_kind,
    starts_resolution,
)
from imports.record import (
    AgendaEntry,
    AttendanceRecord,
    DocumentRecord,
    LineReport,
    MeetingRecord,
    MinuteRecord,
    Paragraph,
    ResolutionRecord,
)
from kcsp.workdays import local_datetime

__all__ = [
    "AGENDA_SECTION",
    "Heading",
    "PageItem",
    "Paper",
    "SourceLine",
    "WebPage",
    "block_label",
    "clean",
    "minute_body",
    "page_record",
    "paper_link",
    "read_heading",
    "read_venue",
]

# The page numbers its items without sections: they become section A.
AGENDA_SECTION = ("A", "Agenda")
# The length of a record's source id.
_LONGEST_KEY = 100


class SourceLine(NamedTuple):
    """A line of the source: its 1-based number and its text."""

    line: int
    text: str


def clean(text: str) -> str:
    """The text with runs of spaces, tabs and non-breaking spaces made one."""
    return " ".join(text.replace("\u00a0", " ").replace("\u200b", "").split())


# The heading -------------------------------------------------------------------

_HEADING = re.compile(
    r"(?P<body>\S.*?)\s+[-\u2013\u2014]\s+"
    r"(?:(?P<weekday>[A-Za-z]+day),?\s+)?"
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+),?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?:at\s+)?(?P<time>\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?m\.?"
    r"|(?:12\s+)?noon|\d{1,2}[.:]\d{2}))?\.?",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Heading:
    """What the page's heading says: body, date and time (None if not given)."""

    body: str
    date: dt.date
    time: dt.time | None
    time_text: str


def read_heading(text: str) -> Heading | None:
    """The heading "Kent Community Safety Partnership - Thursday, 14th July,
    2022 10.00 am" read; None when the text is not such a heading."""
    match = _HEADING.fullmatch(clean(text))
    if match is None:
        return None
    month = MONTHS.get(match["month"].lower())
    if month is None:
        return None
    try:
        day = dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        return None
    time_text = match["time"] or ""
    return Heading(match["body"], day, parse_clock_time(time_text), time_text)


_ONLINE = re.compile(
    r"\b(?:online|virtual(?:ly)?|remote(?:ly)?|microsoft teams|teams|zoom)\b",
    re.IGNORECASE,
)
_DIRECTIONS = re.compile(r"\s*\.?\s*View directions\s*$", re.IGNORECASE)


def read_venue(text: str) -> tuple[str, bool]:
    """The venue and whether the meeting was online, from "Venue:" text."""
    venue = _DIRECTIONS.sub("", clean(text)).strip(" .,")
    if not _ONLINE.search(venue):
        return venue, False
    if _ONLINE.fullmatch(venue) or venue.lower().startswith(("online", "virtual")):
        return "", True
    return venue, True


# Papers -----------------------------------------------------------------------

_PAPER = re.compile(
    r"(?P<title>.*?)\s*(?:pdf icon\s*)?\(?\b(?P<type>PDF|DOCX?|XLSX?|PPTX?|ODT|ODS|ODP"
    r"|RTF|HTML?)\s*,?\s+(?P<size>\d{1,6}(?:\.\d{1,2})?)\s*(?P<unit>KB|MB|bytes)\)?",
    re.IGNORECASE,
)
_FILE_TYPES = {"pdf", "docx", "xlsx", "pptx", "odt", "ods", "odp"}
_UNITS = {"kb": 1024, "mb": 1024 * 1024, "bytes": 1}


@dataclass(frozen=True)
class Paper:
    """A paper as the page links it: title, type, size and address ("" in
    copied text, which has none)."""

    title: str
    file_type: str
    size_bytes: int | None
    url: str = ""
    line: int = 0


def paper_link(text: str) -> Paper | None:
    """A paper from its link text ("Report pdf icon PDF 108 KB"); None when
    the text states no file type and size."""
    match = _PAPER.fullmatch(clean(text))
    if match is None:
        return None
    kind = match["type"].lower()
    size = float(match["size"]) * _UNITS[match["unit"].lower()]
    title = match["title"].strip(" -:")
    return Paper(title, kind if kind in _FILE_TYPES else "", int(size))


_LABEL = re.compile(
    r"(?P<label>Minutes|Decision|Decisions|Additional documents|Supporting documents)"
    r"\s*:\s*(?P<rest>.*)",
    re.IGNORECASE,
)
_LABELS = {
    "minutes": "minutes",
    "decision": "decision",
    "decisions": "decision",
    "additional documents": "papers",
    "supporting documents": "papers",
}


def block_label(text: str) -> tuple[str, str] | None:
    """("minutes", "decision" or "papers", text after the colon) when the text
    is a label "Minutes:", "Decision:" or "Additional documents:"."""
    match = _LABEL.fullmatch(text)
    if match is None:
        return None
    return _LABELS[" ".join(match["label"].lower().split())], match["rest"]


# Minute bodies ------------------------------------------------------------------

_NUMBER_ALONE = re.compile(r"\(?(?P<n>\d{1,3})[.)]")
_NUMBERED = re.compile(r"\(?(?P<n>\d{1,3})[.)]\s+(?P<rest>\S.*)")
_BULLET_ALONE = re.compile(r"[o\u00b7\u2022\u25aa\u25cf\u2013*-]")
_BULLET = re.compile(
    r"(?:[\u00b7\u2022\u25aa\u25cf]\s*|(?:[\u2013*-]|o)\s+)(?P<rest>\S.*)"
)
_LETTERED = re.compile(
    r"\((?P<a>[a-z]|[ivx]{1,4})\)\s*(?P<b>\S.*)|(?P<c>[a-z])\)\s+(?P<d>\S.*)"
)
_BOLD_RESOLVED = re.compile(r"^\*\*RESOLVED\*\*")
_WORDS = re.compile(r"[a-z0-9]+")
_FILLER = {"resolved", "that", "the", "be", "and"}


@dataclass
class _Open:
    kind: str
    number: int | None
    line: int
    text: str
    parts: list[str] = field(default_factory=list)


@dataclass
class Body:
    """A block's paragraphs and resolutions, and what reading it noticed."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    resolutions: list[ResolutionRecord] = field(default_factory=list)
    warnings: list[LineReport] = field(default_factory=list)


class _BodyReader:
    def __init__(self, *, decision: bool) -> None:
        self.decision = decision
        self.body = Body()
        self.open: _Open | None = None
        self.pending_number: int | None = None
        self.pending_bullet = False
        self.last_number = 0

    def warn(self, line: SourceLine, reason: str) -> None:
        self.body.warnings.append(LineReport(line.line, line.text, reason))

    def close(self) -> None:
        block, self.open = self.open, None
        if block is None:
            return
        if block.kind == "paragraph":
            self.body.paragraphs.append(Paragraph(block.number, block.text, block.line))
            return
        words = " ".join([block.text, *block.parts])
        self.body.resolutions.append(
            ResolutionRecord(
                text=block.text,
                parts=tuple(block.parts),
                kind=resolution_kind(words),
                line=block.line,
            )
        )

    def start(self, kind: str, number: int | None, line: SourceLine, text: str) -> None:
        self.close()
        if number is not None:
            expected = self.last_number + 1
            if number != expected:
                self.warn(line, f"paragraph {number} where {expected} was expected")
            self.last_number = number
        if kind == "paragraph" and self.body.resolutions and not self.decision:
            self.warn(
                line,
                "text after the resolution; the portal shows paragraphs "
                "before resolutions",
            )
        self.open = _Open(kind, number, line.line, text)

    def read(self, line: SourceLine) -> None:
        text = _BOLD_RESOLVED.sub("RESOLVED", clean(line.text), count=1)
        if not text:
            return
        number, self.pending_number = self.pending_number, None
        bullet, self.pending_bullet = self.pending_bullet, False
        if number is None and not bullet:
            if _NUMBER_ALONE.fullmatch(text):
                self.pending_number = int(text.strip("().").rstrip(")"))
                return
            if _BULLET_ALONE.fullmatch(text):
                self.pending_bullet = True
                return
            if numbered := _NUMBERED.fullmatch(text):
                number, text = int(numbered["n"]), numbered["rest"]
        if bullet:
            self.list_line(line, text, lettered="")
            return
        if number is None and (match := _BULLET.fullmatch(text)):
            self.list_line(line, match["rest"], lettered="")
            return
        if number is None and (lettered := _LETTERED.fullmatch(text)):
            label = lettered["a"] or lettered["c"]
            self.list_line(line, lettered["b"] or lettered["d"], lettered=label)
            return
        if starts_resolution(text):
            self.start("resolution", number, line, text)
            return
        block = self.open
        if (
            number is None
            and block is not None
            and block.kind == "resolution"
            and not block.parts
            and only_resolved(block.text)
        ):
            block.text = f"{block.text} {text}"
            return
        if self.decision and not self.body.resolutions and block is None:
            # A decision is a resolution, whether or not it says "RESOLVED".
            self.start("resolution", number, line, text)
            return
        self.start("paragraph", number, line, text)

    def list_line(self, line: SourceLine, text: str, *, lettered: str) -> None:
        block = self.open
        if block is None:
            if not (self.decision and not self.body.resolutions and lettered):
                written = f"{lettered}) {text}" if lettered else f"- {text}"
                self.start("paragraph", None, line, written)
                return
            block = _Open("resolution", None, line.line, "RESOLVED that:")
            self.start("resolution", None, line, block.text)
            block = self.open or block
        if block.kind == "resolution" and lettered:
            block.parts.append(text)
        elif block.kind == "resolution" and block.parts:
            block.parts[-1] += f"\n- {text}"
        elif lettered:
            block.text += f"\n{lettered}) {text}"
        else:
            block.text += f"\n- {text}"

    def finish(self) -> Body:
        self.close()
        return self.body


def minute_body(lines: list[SourceLine], *, decision: bool = False) -> Body:
    """The paragraphs and resolutions of a "Minutes:" (or, with `decision`,
    a "Decision:") block's lines.

    Every line is one paragraph, as the page shows it: blank lines and
    spacing do not matter. A list line (a bullet, or a lettered part outside
    a resolution) joins the paragraph before it as a line of its own; after
    RESOLVED, lettered lines are the resolution's parts and bullets stay in
    its text. In a decision, the first words are the resolution whether or
    not they start "RESOLVED".
    """
    reader = _BodyReader(decision=decision)
    for line in lines:
        reader.read(line)
    return reader.finish()


def _gist(text: str) -> str:
    """The words that make a resolution what it is, for comparing two."""
    return " ".join(w for w in _WORDS.findall(text.lower()) if w not in _FILLER)


def _resolution_gist(resolution: ResolutionRecord) -> str:
    return _gist(" ".join([resolution.text, *resolution.parts]))


def merge_decision(
    minutes: Body, decision: Body, *, where: str
) -> tuple[list[Paragraph], list[ResolutionRecord], list[LineReport]]:
    """An item's paragraphs and resolutions from its minutes and decision.

    The decision is the item's resolution. When the minutes record it too
    (as a RESOLVED block or as a paragraph saying the same), it is kept
    once: as the minutes word it. A decision the minutes do not record is
    added as a resolution, and the warnings say so.
    """
    paragraphs = list(minutes.paragraphs)
    resolutions = list(minutes.resolutions)
    warnings = [*minutes.warnings, *decision.warnings]
    written = {_resolution_gist(resolution) for resolution in resolutions}
    for resolution in decision.resolutions:
        gist = _resolution_gist(resolution)
        said = [p for p in paragraphs if _gist(p.text) == gist]
        if gist in written:
            continue
        if said:
            # The minutes state the decision as a paragraph: it is the
            # resolution, not a paragraph as well.
            paragraphs = [p for p in paragraphs if p not in said]
        elif resolutions:
            warnings.append(
                LineReport(
                    resolution.line,
                    resolution.text,
                    f"{where}: the decision differs from the minutes' resolution; "
                    "both were kept",
                )
            )
        resolutions.append(resolution)
        written.add(gist)
    paragraphs.extend(decision.paragraphs)
    return paragraphs, resolutions, warnings


# The page ------------------------------------------------------------------------


@dataclass
class PageItem:
    """An item of the page: its number as shown, title, papers and blocks."""

    label: str
    number: int | None
    title: str
    line: int
    description: list[SourceLine] = field(default_factory=list)
    minutes: list[SourceLine] = field(default_factory=list)
    decision: list[SourceLine] = field(default_factory=list)
    papers: list[Paper] = field(default_factory=list)

    def block(self, label: str) -> list[SourceLine]:
        """The lines a block's label ("minutes", "decision") fills; any other
        text of the item is its description."""
        if label == "minutes":
            return self.minutes
        if label == "decision":
            return self.decision
        return self.description


@dataclass
class WebPage:
    """Everything read from one meeting's page, and what could not be read."""

    heading: Heading | None = None
    heading_line: int = 0
    venue: str = ""
    online: bool = False
    papers: list[Paper] = field(default_factory=list)
    items: list[PageItem] = field(default_factory=list)
    attendance: list[AttendanceRecord] = field(default_factory=list)
    unplaced: list[LineReport] = field(default_factory=list)
    warnings: list[LineReport] = field(default_factory=list)

    @property
    def item(self) -> PageItem | None:
        return self.items[-1] if self.items else None

    def finish(self) -> "WebPage":
        """The page as read, warned of when it had no heading."""
        if self.heading is None:
            self.warnings.append(
                LineReport(0, "", "no page heading: body, date and time are unknown")
            )
        return self


def _paper_key(url: str) -> str:
    """The paper's id: its address on the site, or a digest of a long one."""
    parts = urllib.parse.urlsplit(url)
    key = parts.path.lstrip("/") + (f"?{parts.query}" if parts.query else "")
    if len(key) <= _LONGEST_KEY:
        return key
    return "paper " + hashlib.sha256(url.encode()).hexdigest()[:40]


def _document(
    paper: Paper, *, agenda_key: str, owner_title: str, item_title: str
) -> DocumentRecord:
    title = paper.title or item_title
    return DocumentRecord(
        key=_paper_key(paper.url),
        title=title,
        url=paper.url,
        agenda_key=agenda_key,
        kind=document_kind(title, owner_title),
        file_type=paper.file_type,
        size_bytes=paper.size_bytes,
        line=paper.line,
    )


def _agenda_entry(item: PageItem, *, key: str, position: int) -> AgendaEntry:
    """The agenda entry of one item of the page, in section A."""
    description = "\n\n".join(clean(line.text) for line in item.description)
    return AgendaEntry(
        key=key,
        letter=AGENDA_SECTION[0],
        number=position,
        title=item.title or f"Item {item.label or position}",
        label=item.label,
        section_title=AGENDA_SECTION[1],
        description=description or None,
        line=item.line,
    )


def _item_minute(
    item: PageItem, *, key: str, numbered: bool, warnings: list[LineReport]
) -> MinuteRecord | None:
    """The minute of one item of the page, or None when it has none; an item
    with minutes but no number, on a page whose other minutes are numbered,
    is reported in `warnings` and left out."""
    where = f"item {item.label or item.title!r}"
    body = minute_body(item.minutes)
    decision = minute_body(item.decision, decision=True)
    paragraphs, resolutions, notes = merge_decision(body, decision, where=where)
    warnings.extend(notes)
    if not paragraphs and not resolutions:
        return None
    if numbered and item.number is None:
        warnings.append(
            LineReport(
                item.line,
                item.title,
                f"{where} has minutes but no number, unlike the others: not imported",
            )
        )
        return None
    return MinuteRecord(
        number=item.number,
        title=item.title,
        paragraphs=tuple(paragraphs),
        resolutions=tuple(resolutions),
        key=key,
        agenda_key=key,
        reference="",
        line=item.line,
    )


def page_record(
    page: WebPage, *, source_id: str, url: str = "", source_text: str = ""
) -> MeetingRecord:
    """The meeting's record read from its page. `page.heading` must be set:
    a page without its heading gives no meeting, and the caller says so.

    Items go into section A in the page's order; a minute keeps the number
    the page shows ("46." and "77/21" are minute 46 and 77), or none when
    the page shows none. Papers with an address become the record's
    documents; the agenda counts as published on the meeting day when the
    page links papers.
    """
    heading = page.heading
    if heading is None:
        raise ValueError("a page without its heading gives no meeting's record")
    warnings = list(page.warnings)
    agenda: list[AgendaEntry] = []
    minutes: list[MinuteRecord] = []
    documents: list[DocumentRecord] = []
    numbered = any(item.number is not None for item in page.items)
    for position, item in enumerate(page.items, start=1):
        key = f"{source_id}#{item.label.rstrip('.') or position}"
        agenda.append(_agenda_entry(item, key=key, position=position))
        documents.extend(
            _document(
                paper, agenda_key=key, owner_title=item.title, item_title=item.title
            )
            for paper in item.papers
            if paper.url
        )
        minute = _item_minute(item, key=key, numbered=numbered, warnings=warnings)
        if minute is not None:
            minutes.append(minute)
    documents.extend(
        _document(paper, agenda_key="", owner_title="", item_title="Meeting paper")
        for paper in page.papers
        if paper.url
    )
    published = local_datetime(heading.date) if documents else None
    return MeetingRecord(
        key=source_id,
        date=heading.date,
        url=url,
        body_name=heading.body,
        time=heading.time,
        venue=page.venue,
        online=page.online,
        agenda_published_at=published,
        agenda=tuple(agenda),
        agenda_from_references=True,
        attendance=tuple(page.attendance),
        minutes=tuple(minutes),
        documents=tuple(documents),
        source_text=source_text,
        unplaced=tuple(page.unplaced),
        warnings=tuple(warnings),
    )
