"""Minutes as councils published them, as a meeting's record.

`minutes_record` turns what `parse_minutes` read into the `MeetingRecord`
every import writes:

- when the numbering starts again part way (an agenda pack holding a
  protocol, minutes and a report), only one numbered series is kept: the
  one whose minute headings carry the most agenda references (the first on
  a tie); every other item is reported as not imported, with its lines;
- references like "(Item B1)" give the agenda (section B, item 1), made
  only where the meeting has no agenda of its own;
- an attendance entry's capacity loses the "in the Chair" and "substitute
  for ..." the portal's attendance list adds itself;
- a RESOLVED block's lettered parts become its parts a), b), c); bullets
  stay in its text as a list.

It touches no database. The record carries the parser's unplaced lines and
warnings first, then its own.
"""

import re
from dataclasses import dataclass

from imports.parsers import resolution_kind
from imports.parsers.legacy_minutes import (
    AttendanceEntry,
    MinuteItem,
    ParsedMinutes,
    Resolution,
)
from imports.record import (
    AgendaEntry,
    AttendanceRecord,
    LineReport,
    MeetingRecord,
    MinuteRecord,
    ResolutionRecord,
)

__all__ = ["minutes_record"]

_LETTERED_REFERENCE = re.compile(r"(?P<letter>[A-Z]{1,2})(?P<number>\d{1,3})")
_IN_THE_CHAIR = re.compile(r"\s*\bin\s+the\s+chair\b\s*", re.IGNORECASE)
_SUBSTITUTE_NOTE = re.compile(r"[;,]?\s*substitut\w*\s+for\s+.+$", re.IGNORECASE)
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class _Span:
    """The lines an item of the parsed text covers, for reporting it."""

    first: int
    last: int

    def __str__(self) -> str:
        if self.first == self.last:
            return f"line {self.first}"
        return f"lines {self.first}-{self.last}"


class _Notes:
    def __init__(self) -> None:
        self.unplaced: list[LineReport] = []
        self.warnings: list[LineReport] = []

    def not_placed(self, reason: str) -> None:
        self.unplaced.append(LineReport(0, "", reason))

    def warn(self, reason: str, line: int = 0) -> None:
        self.warnings.append(LineReport(line, "", reason))


def minutes_record(
    parsed: ParsedMinutes, *, source_id: str, source_text: str = ""
) -> MeetingRecord:
    """The meeting's record read from one set of minutes.

    `source_id` names the text (its file name): the records made from it
    carry it, and the agenda items "<source_id>#B1". `source_text` is kept
    with the minutes. `parsed.date` must not be None: minutes without a
    date cannot be a meeting's record, and the caller says so.
    """
    if parsed.date is None:
        raise ValueError("minutes without a date give no meeting's record")
    notes = _Notes()
    items = _chosen_items(parsed, notes)
    agenda = _agenda(items, source_id, notes)
    return MeetingRecord(
        key=source_id,
        date=parsed.date,
        body_name=parsed.body_name,
        time=parsed.time,
        venue=parsed.venue,
        online=parsed.online,
        agenda=tuple(dict.fromkeys(agenda.values())),
        agenda_from_references=True,
        attendance=tuple(_attendance(entry, source_id) for entry in parsed.attendance),
        minutes=tuple(_minute(item, agenda, notes) for item in items),
        source_text=source_text,
        unplaced=(*parsed.unplaced, *notes.unplaced),
        warnings=(*parsed.warnings, *notes.warnings),
    )


def _spans(parsed: ParsedMinutes) -> dict[int, _Span]:
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


def _chosen_items(parsed: ParsedMinutes, notes: _Notes) -> list[MinuteItem]:
    """The items to import; every other item is reported, not dropped."""
    spans = _spans(parsed)
    numbered = [item for item in parsed.items if item.number is not None]
    if not numbered:
        pages = [item for item in parsed.items if item.title]
        for item in parsed.items:
            if not item.title:
                notes.not_placed(
                    f"{spans[id(item)]}: text with no minute heading, not imported"
                )
        return pages
    runs: list[list[MinuteItem]] = []
    for item in numbered:
        previous = runs[-1][-1].number if runs else None
        if previous is not None and item.number is not None and item.number > previous:
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
        notes.warn(
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
        notes.not_placed(
            f"{spans[id(item)]}: {what!s} not imported (not part of the "
            "numbered minutes chosen)"
        )
    return chosen


def _agenda(
    items: list[MinuteItem], source_id: str, notes: _Notes
) -> dict[str, AgendaEntry]:
    """The agenda the minutes' references give, by the reference as written."""
    entries: dict[str, AgendaEntry] = {}
    by_reference: dict[str, AgendaEntry] = {}
    for item in items:
        if not item.reference or item.reference in entries:
            continue
        match = _LETTERED_REFERENCE.fullmatch(item.reference)
        if not match:
            notes.warn(
                f"reference {item.reference} names no lettered section: minute "
                f"{item.number} is not linked to an agenda item",
                line=item.line,
            )
            continue
        letter, number = match["letter"], int(match["number"])
        reference = f"{letter}{number}"
        entry = by_reference.get(reference)
        if entry is None:
            entry = AgendaEntry(
                key=f"{source_id}#{reference}",
                letter=letter,
                number=number,
                title=item.title or reference,
                label=reference,
                exempt=bool(item.exempt),
                line=item.line,
            )
            by_reference[reference] = entry
        entries[item.reference] = entry
    return entries


def _attendance(entry: AttendanceEntry, source_id: str) -> AttendanceRecord:
    capacity = entry.capacity
    if entry.in_the_chair:
        # The attendance list adds "in the Chair" itself.
        capacity = _IN_THE_CHAIR.sub(" ", capacity).strip(" ;,")
    if entry.substitute_for is not None and entry.substitute_for.surname:
        # ... and "Substitute for ...".
        capacity = _SUBSTITUTE_NOTE.sub("", capacity).strip(" ;,")
    return AttendanceRecord(
        name=entry.name,
        kind=entry.kind,
        capacity=capacity,
        in_the_chair=entry.in_the_chair,
        substitute_for=entry.substitute_for,
        source_id=f"{source_id} line {entry.line}",
        line=entry.line,
    )


def _which(item: MinuteItem) -> str:
    return f"minute {item.number}" if item.number is not None else "the minute"


def _minute(
    item: MinuteItem, agenda: dict[str, AgendaEntry], notes: _Notes
) -> MinuteRecord:
    if item.resolutions and any(
        paragraph.line > item.resolutions[0].line for paragraph in item.paragraphs
    ):
        notes.warn(
            f"{_which(item)} has text after its first resolution; the portal "
            "shows paragraphs before resolutions",
            line=item.line,
        )
    entry = agenda.get(item.reference)
    return MinuteRecord(
        number=item.number,
        title=item.title,
        paragraphs=item.paragraphs,
        resolutions=tuple(_resolution(item, each, notes) for each in item.resolutions),
        agenda_key=entry.key if entry else "",
        reference=item.reference,
        exempt=bool(item.exempt),
        line=item.line,
    )


def _resolution(
    item: MinuteItem, resolution: Resolution, notes: _Notes
) -> ResolutionRecord:
    labels = [part.label for part in resolution.parts]
    kind = resolution_kind(resolution.text)
    if resolution.parts and all(label == "" for label in labels):
        # Bullets, not lettered parts: they stay in the text as a list.
        bullets = "\n".join(f"- {part.text}" for part in resolution.parts)
        return ResolutionRecord(
            text=f"{resolution.lead_in}\n{bullets}", kind=kind, line=resolution.line
        )
    expected = list(_LETTERS[: len(labels)])
    if labels and [label.lower() for label in labels] != expected:
        notes.warn(
            f"{_which(item)}: the resolution's parts are labelled "
            f"{', '.join(label or '-' for label in labels)}; the portal letters "
            f"them {', '.join(expected)}",
            line=resolution.line,
        )
    return ResolutionRecord(
        text=resolution.lead_in or "RESOLVED that:",
        parts=tuple(part.text for part in resolution.parts),
        kind=kind,
        line=resolution.line,
    )
