"""A ModernGov meeting, as a meeting's record.

`meeting_record` turns what `parse_meetings` and `parse_meeting` read about
one meeting into the `MeetingRecord` every import writes:

- the meeting keeps its date and time (Europe/London), location as venue
  (online when it says so; the room first) and status: Cancelled and
  Postponed as such, otherwise held once the date has passed, agenda
  published when ModernGov says so, else scheduled. Its agenda counts as
  published from the earliest paper's publication date.
- agenda items go into lettered sections: a display number that carries a
  letter ("B1") gives its section and position; a plain number ("9.")
  goes into section A, titled "Agenda", at that position, so item "9." is
  A9. A restricted item is exempt, under the Schedule 12A paragraph its
  `restrictionsRef` names, else paragraph 1 and a warning; an item not for
  display is exempt too (the portal cannot hide an item's title).
- an item's minutes HTML becomes one minute with its `minutesitemnumber`,
  its text as the portal's light markup (paragraphs, "- " bullets,
  **bold**, links) with RESOLVED blocks as resolutions (`minute_content`).
- attendees of a meeting that was held become its attendance.

It touches no database; what it could not read or had to assume is in the
record's warnings.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from imports.parsers import resolution_kind
from imports.parsers.html_text import Block, html_blocks
from imports.parsers.moderngov import (
    MgAgendaItem,
    MgAttendee,
    MgMeeting,
    MgMeetingSummary,
)
from imports.record import (
    AgendaEntry,
    AttendanceKind,
    AttendanceRecord,
    LineReport,
    MeetingRecord,
    MeetingStatus,
    MinuteRecord,
    Paragraph,
    ResolutionRecord,
)
from kcsp.formatting import long_date
from kcsp.visibility import ExemptParagraph
from kcsp.workdays import local_datetime

__all__ = [
    "DEFAULT_EXEMPT_PARAGRAPH",
    "attendance_kind",
    "meeting_record",
    "membership_role",
    "minute_content",
    "restriction",
]

# A restricted item whose reference names no paragraph of Schedule 12A is
# kept exempt (never public by mistake) under the most general paragraph,
# "information relating to any individual", and the report says so.
DEFAULT_EXEMPT_PARAGRAPH = ExemptParagraph.INDIVIDUAL
UNLETTERED_SECTION = ("A", "Agenda")

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
    "present": AttendanceKind.PRESENT,
    "in attendance": AttendanceKind.IN_ATTENDANCE,
    "attended": AttendanceKind.PRESENT,
    "apologies": AttendanceKind.APOLOGIES,
    "apologies for absence": AttendanceKind.APOLOGIES,
    "apologies received": AttendanceKind.APOLOGIES,
    "absent": AttendanceKind.ABSENT,
    "present as substitute": AttendanceKind.SUBSTITUTE,
    "substitute": AttendanceKind.SUBSTITUTE,
    "also present": AttendanceKind.ALSO_PRESENT,
}


def attendance_kind(said: str) -> AttendanceKind | None:
    """The kind of attendance ModernGov's words state ("Present", "Apologies",
    "Present as substitute" ...); None for words it does not know, and for
    "Expected", which says nothing about the day itself."""
    return _ATTENDANCE.get(" ".join(said.split()).casefold())


def _exempt_paragraph(reference: str) -> int | None:
    """The Schedule 12A paragraph a restriction reference names, if any."""
    found = _PARAGRAPH_REF.search(reference) or _LONE_DIGIT.search(reference)
    if found and 1 <= int(found["n"]) <= len(ExemptParagraph):
        return int(found["n"])
    return None


def restriction(
    where: str,
    restricted: bool | None,
    reference: str,
    display_allowed: bool | None = True,
) -> tuple[int | None, str]:
    """The Schedule 12A paragraph an item or paper is exempt under (None when
    it is public), and a warning for the report ("" when there is none).

    `where` names the item or paper in the warning.
    """
    if restricted:
        paragraph = _exempt_paragraph(reference)
        if paragraph is not None:
            return paragraph, ""
        said = f" ({reference!r})" if reference else ""
        return int(DEFAULT_EXEMPT_PARAGRAPH), (
            f"{where} is restricted, but its reference{said} names no "
            f"paragraph of Schedule 12A: exempt under paragraph "
            f"{DEFAULT_EXEMPT_PARAGRAPH.value} until a clerk checks it"
        )
    if display_allowed is False:
        paragraph = _exempt_paragraph(reference) or int(DEFAULT_EXEMPT_PARAGRAPH)
        return paragraph, (
            f"{where} is not for display in ModernGov: imported as exempt under "
            f"paragraph {paragraph}, so the public sees only its title"
        )
    return None, ""


def membership_role(description: str) -> str | None:
    """The membership a role description states (the Membership model's
    role values), or None for an officer."""
    words = description.lower()
    if "vice" in words and "chair" in words:
        return "vice_chair"
    if "chair" in words:
        return "chair"
    if "co-opt" in words or "coopt" in words:
        return "co_opted"
    if "substitute" in words or "reserve" in words:
        return "substitute"
    if "adviser" in words or "advisor" in words:
        return "adviser"
    if "member" in words:
        return "member"
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
) -> tuple[list[Paragraph], list[ResolutionRecord], list[str]]:
    """A minute's paragraphs and resolutions from its HTML blocks, and notes.

    A paragraph opening "RESOLVED" starts a resolution; a list or lettered
    paragraphs ("a) ...") straight after it are its parts. A number opening
    a paragraph ("1.", "(1)") is the paragraph's number, so it is taken off
    and the paragraph marked numbered; other paragraphs are unnumbered. A
    list elsewhere joins the paragraph before it as "- " lines; a heading
    becomes a bold unnumbered paragraph; a table becomes one line per row,
    and the notes say so.
    """
    paragraphs: list[Paragraph] = []
    resolutions: list[ResolutionRecord] = []
    notes: list[str] = []
    open_resolution: _OpenResolution | None = None

    def close() -> None:
        nonlocal open_resolution
        if open_resolution is not None:
            words = " ".join([open_resolution.lead, *open_resolution.parts])
            resolutions.append(
                ResolutionRecord(
                    text=open_resolution.lead,
                    parts=tuple(open_resolution.parts),
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
                paragraphs.append(Paragraph(last.number, f"{last.text}\n{lines}", 0))
            else:
                paragraphs.append(Paragraph(None, lines, 0))
            continue
        if block.kind == "table":
            close()
            paragraphs.append(Paragraph(None, block.text, 0))
            notes.append("a table was kept as one line per row")
            continue
        if block.kind == "heading":
            close()
            paragraphs.append(Paragraph(None, f"**{block.text}**", 0))
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
        paragraphs.append(Paragraph(int(numbered["n"]) if numbered else None, text, 0))
    close()
    return paragraphs, resolutions, notes


# The meeting's record ---------------------------------------------------------


def meeting_record(
    summary: MgMeetingSummary,
    detail: MgMeeting | None,
    *,
    today: dt.date,
    url: str = "",
) -> MeetingRecord | None:
    """One meeting's record from its GetMeetings summary and, when there is
    one, its GetMeeting response; None when neither gives its date.

    `today` decides whether the meeting has been held; `url` is its page on
    the council's site.
    """
    day = (detail.date if detail else None) or summary.date
    if day is None:
        return None
    where = f"meeting {summary.id}"
    warnings: list[str] = []
    status_text = ((detail.status if detail else "") or summary.status).strip()
    status = _status(where, day, status_text, detail, today, warnings)
    location = (detail.location if detail else "") or summary.location or ""
    room = detail.room if detail else ""
    if room and room.casefold() not in location.casefold():
        location = f"{room}, {location}" if location else room
    published: dt.datetime | None = None
    if detail and detail.agenda_published:
        if detail.is_display_allowed is False:
            warnings.append(
                f"{where} ({long_date(day)}) is not for display in ModernGov: its "
                "agenda and papers were left unpublished (the portal lists every "
                "meeting of a published body by date)"
            )
        else:
            published = _published_at(day, detail)
    held = day < today and status not in {
        MeetingStatus.CANCELLED,
        MeetingStatus.POSTPONED,
    }
    agenda = _agenda(where, detail, warnings) if detail else ()
    minutes = _minutes(where, detail, warnings) if detail else ()
    attendance = (
        _attendance(where, detail, bool(minutes), warnings) if detail and held else ()
    )
    return MeetingRecord(
        key=str(summary.id),
        label=where,
        url=url,
        date=day,
        time=(detail.time if detail else None) or summary.time,
        end_time=(
            (detail.actual_finish_time or detail.planned_finish_time)
            if detail
            else None
        ),
        venue=location,
        online=bool(_ONLINE.search(location)),
        status=status,
        status_reason=(
            f"Recorded as {status_text.lower() or 'cancelled'} in the council's "
            "committee system; no reason was given."
        )
        if status in {MeetingStatus.CANCELLED, MeetingStatus.POSTPONED}
        else "",
        agenda_published_at=published,
        agenda=agenda,
        attendance=attendance,
        minutes=minutes,
        warnings=tuple(LineReport(0, "", warning) for warning in warnings),
    )


def _status(
    where: str,
    day: dt.date,
    text: str,
    detail: MgMeeting | None,
    today: dt.date,
    warnings: list[str],
) -> MeetingStatus:
    folded = text.casefold()
    if folded in _STATUS_CANCELLED:
        return MeetingStatus.CANCELLED
    if folded in _STATUS_POSTPONED:
        return MeetingStatus.POSTPONED
    if folded not in _STATUS_KNOWN:
        warnings.append(
            f"{where} ({long_date(day)}) has the status {text!r}, which the import "
            "does not know: treated as confirmed"
        )
    if day < today:
        return MeetingStatus.HELD
    if detail and detail.agenda_published:
        return MeetingStatus.AGENDA_PUBLISHED
    return MeetingStatus.SCHEDULED


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
    return local_datetime(min(dates) if dates else day)


def _place(item: MgAgendaItem) -> tuple[str, int | None, str]:
    """The item's section letter, number in it, and the section's title ("" for
    the portal's own title for the letter)."""
    match = _DISPLAY_NUMBER.fullmatch(item.full_display_number.strip())
    if match is None:
        return UNLETTERED_SECTION[0], None, UNLETTERED_SECTION[1]
    number = int(match["number"]) or None
    if match["letter"]:
        return match["letter"].upper(), number, ""
    return UNLETTERED_SECTION[0], number, UNLETTERED_SECTION[1]


def _presenter(item: MgAgendaItem) -> str:
    for comment in item.comments:
        if comment.label.strip().lower().startswith("presented by"):
            return comment.text
    return ""


def _agenda(
    where: str, detail: MgMeeting, warnings: list[str]
) -> tuple[AgendaEntry, ...]:
    entries = []
    for item in detail.items:
        if item.id is None:
            warnings.append(
                f"{where}: agenda item {item.title!r} has no id: not imported"
            )
            continue
        letter, number, section_title = _place(item)
        paragraph, warning = restriction(
            f"{where}: {item.title!r}",
            item.is_restricted,
            item.restrictions_ref,
            item.is_display_allowed,
        )
        if warning:
            warnings.append(warning)
        entries.append(
            AgendaEntry(
                key=str(item.id),
                letter=letter,
                number=number,
                title=item.title.strip() or "Untitled item",
                label=item.full_display_number or "(no number)",
                section_title=section_title,
                description=item.agenda_html,
                presenter=_presenter(item),
                decision=bool(item.is_decision),
                exempt=paragraph is not None,
                exempt_paragraph=paragraph,
            )
        )
    return tuple(entries)


def _minutes(
    where: str, detail: MgMeeting, warnings: list[str]
) -> tuple[MinuteRecord, ...]:
    minutes: list[MinuteRecord] = []
    seen: set[int] = set()
    for item in detail.items:
        if not item.minutes_html.strip():
            continue
        number = item.minutes_item_number
        about = f"{where}: the minutes of {item.title!r}"
        if number is None:
            warnings.append(f"{about} have no minute number: not imported")
            continue
        if item.minutes_item_subnumber:
            warnings.append(
                f"{about} are numbered {number}{item.minutes_item_subnumber}, a "
                "sub-number the portal's minute numbers cannot show: not imported"
            )
            continue
        if number in seen:
            warnings.append(f"{about} repeat minute number {number}: not imported")
            continue
        seen.add(number)
        paragraphs, resolutions, notes = minute_content(html_blocks(item.minutes_html))
        warnings.extend(f"minute {number} ({item.title!r}): {note}" for note in notes)
        key = str(item.id) if item.id is not None else ""
        minutes.append(
            MinuteRecord(
                number=number,
                title=item.title,
                paragraphs=tuple(paragraphs),
                resolutions=tuple(resolutions),
                key=key,
                agenda_key=key,
            )
        )
    return tuple(sorted(minutes, key=lambda minute: minute.number or 0))


def _attendance(
    where: str, detail: MgMeeting, has_minutes: bool, warnings: list[str]
) -> tuple[AttendanceRecord, ...]:
    return tuple(
        _attendee(where, detail, order, attendee, has_minutes, warnings)
        for order, attendee in enumerate(detail.attendees)
    )


def _attendee(
    where: str,
    detail: MgMeeting,
    order: int,
    attendee: MgAttendee,
    has_minutes: bool,
    warnings: list[str],
) -> AttendanceRecord:
    """One attendee as ModernGov records them.

    "Expected" (or blank) is what ModernGov says before anyone records the
    meeting, not that the person came: at a meeting held and minuted it is
    recorded as not recorded yet, for the clerk to set from the minutes
    (publishing the minutes waits for that); without minutes it stays
    present, with a warning either way.
    """
    said = attendee.attendance.strip()
    kind = attendance_kind(said)
    if kind is None and has_minutes and said.casefold() in {"expected", ""}:
        warnings.append(
            f"{where}: {attendee.name}'s attendance is recorded as "
            f"{said or 'blank'!r} in ModernGov, which does not say they came: "
            "recorded as not recorded yet; set it from the minutes"
        )
        kind = AttendanceKind.NOT_RECORDED
    if kind is None:
        if said.casefold() not in {"expected", ""}:
            warnings.append(
                f"{where}: {attendee.name}'s attendance {said!r} is not one the "
                "import knows: recorded as present"
            )
        else:
            warnings.append(
                f"{where}: {attendee.name}'s attendance is recorded as "
                f"{said or 'blank'!r} in ModernGov: imported as present; check it "
                "against the minutes"
            )
        kind = AttendanceKind.PRESENT
    role = membership_role(attendee.role)
    if kind == AttendanceKind.PRESENT and role is None:
        kind = AttendanceKind.IN_ATTENDANCE
    external = str(attendee.member_id) if attendee.member_id else ""
    return AttendanceRecord(
        name=attendee.parsed_name,
        kind=kind,
        capacity="" if role is not None else attendee.role,
        person_id=external,
        source_id=external or f"meeting {detail.id} attendee {order + 1}",
        url=attendee.url,
    )
