"""Reading the sources a partnership's history comes in.

The parsers (legacy_minutes, moderngov, names, html_text) touch no database:
each turns text or XML into frozen dataclasses and reports, line by line or
field by field, whatever it could not place.

Small helpers shared by more than one parser live in this module so that the
parser modules import nothing from each other: the one reader of dates as
clerks write them (`parse_british_date`, `find_british_date`), of times of
day (`parse_clock_time`), of where a resolution starts
(`starts_resolution`, `only_resolved`), and of what it decided.
"""

import datetime as dt
import re
from typing import NamedTuple

from imports.record import DocumentKind, ResolutionKind

__all__ = [
    "MONTHS",
    "WEEKDAYS",
    "BritishDate",
    "document_kind",
    "find_british_date",
    "only_resolved",
    "parse_british_date",
    "parse_clock_time",
    "resolution_kind",
    "starts_resolution",
]

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}

# Councils write "10.00 am", "2.00pm", "10am", "10:00", "14.30" and
# "12 noon". One pattern per shape keeps each readable.
_TWELVE_HOUR = re.compile(
    r"(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?\s*(?P<half>[ap])\.?\s*m\.?",
    re.IGNORECASE,
)
_TWENTY_FOUR_HOUR = re.compile(r"(?P<hour>\d{1,2})[.:](?P<minute>\d{2})")
_NOON = re.compile(r"(?:12(?:[.:]00)?\s*)?(?:noon|midday)", re.IGNORECASE)


def parse_clock_time(text: str) -> dt.time | None:
    """Read a time of day as councils write it; None when it is not one.

    Accepts "10.00 am", "2.00pm", "10am", "10:00", "14.30" and "12 noon".
    Never raises: an empty, ambiguous or out-of-range value gives None and
    the caller decides how to report it.
    """
    value = " ".join(text.split())
    if not value:
        return None
    if _NOON.fullmatch(value):
        return dt.time(12, 0)
    if match := _TWELVE_HOUR.fullmatch(value):
        hour = int(match["hour"])
        minute = int(match["minute"] or 0)
        if not 1 <= hour <= 12 or minute > 59:
            return None
        hour %= 12
        if match["half"].lower() == "p":
            hour += 12
        return dt.time(hour, minute)
    if match := _TWENTY_FOUR_HOUR.fullmatch(value):
        hour, minute = int(match["hour"]), int(match["minute"])
        if hour > 23 or minute > 59:
            return None
        return dt.time(hour, minute)
    return None


WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)

# A date as clerks write it, day first: "24 March 2022", "24th March, 2022",
# "24th of March 2022", "24 Mar 2022", "24/03/2022", "24.03.22", "24-3-2022",
# perhaps after a weekday ("Thursday 24/03/2022", "Thursday, 24 March
# 2022"), perhaps followed by the time ("24 March 2022 at 10.00 am").
_WEEKDAY = r"(?:(?P<weekday>(?:mon|tues|wednes|thurs|fri|satur|sun)day),?\s+)?"
_IN_WORDS = (
    r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<month>[A-Za-z]{3,9})\.?,?"
    r"\s+(?P<year>\d{4})"
)
_IN_FIGURES = (
    r"(?P<nday>\d{1,2})(?P<sep>[/.-])(?P<nmonth>\d{1,2})(?P=sep)"
    r"(?P<nyear>\d{4}|\d{2})"
)
_AFTER = (
    r"(?:\s*,?\s*(?:(?:at|commencing\s+at|starting\s+at|from)\s+)?"
    r"(?P<time>\d{1,2}(?:[.:]\d{2})?\s*[ap]\.?\s*m\b\.?|\d{1,2}[.:]\d{2}\b"
    r"|(?:12(?:[.:]00)?\s*)?(?:noon|midday)\b))?"
)
_BRITISH_DATE = re.compile(
    rf"(?<![\w/.-]){_WEEKDAY}(?:{_IN_WORDS}|{_IN_FIGURES})(?![\w/]|[.-]\d){_AFTER}",
    re.IGNORECASE,
)
# Two-digit years below this are this century's ("24.03.22" is 2022); the
# rest the last ("14.07.98" is 1998).
_CENTURY_PIVOT = 70


class BritishDate(NamedTuple):
    """A date found in text, with the time written after it.

    `weekday` is the weekday as written ("" when none); `start` and `end`
    are where the date (and time) stand in the text searched.
    """

    date: dt.date
    time: dt.time | None
    weekday: str
    start: int
    end: int

    @property
    def weekday_matches(self) -> bool:
        """False when a weekday is written and the date falls on another."""
        written = self.weekday.lower()
        return not written or written == WEEKDAYS[self.date.weekday()]


def _british_date(match: re.Match[str]) -> dt.date | None:
    try:
        if match["month"]:
            month = MONTHS.get(match["month"].lower())
            if month is None:
                return None
            return dt.date(int(match["year"]), month, int(match["day"]))
        year = int(match["nyear"])
        if len(match["nyear"]) == 2:
            year += 2000 if year < _CENTURY_PIVOT else 1900
        return dt.date(year, int(match["nmonth"]), int(match["nday"]))
    except ValueError:
        return None


def find_british_date(text: str) -> BritishDate | None:
    """The first real date in `text`, written day first, and its time.

    Reads the forms clerks write: "24 March 2022", "24th March, 2022",
    "24th of March 2022", "Thursday, 24 Mar 2022", "Thursday 24/03/2022",
    "24.03.22" and "24-3-2022" (always the day before the month; a
    two-digit year is 2000-2069 or 1970-1999). A time right after the date
    ("10.00 am", "at 2pm", ", 14.30", "12 noon") is read with it. Something
    shaped like a date that is not one ("31 June 2022", "32/01/2022") is
    passed over. Never raises; None when there is no date.
    """
    for match in _BRITISH_DATE.finditer(text):
        date = _british_date(match)
        if date is None:
            continue
        time = parse_clock_time(match["time"]) if match["time"] else None
        end = match.end("year") if match["month"] else match.end("nyear")
        if time is not None:
            end = match.end()
        return BritishDate(date, time, match["weekday"] or "", match.start(), end)
    return None


def parse_british_date(text: str) -> tuple[dt.date | None, dt.time | None]:
    """The first date in `text` as clerks write it, and the time after it.

    ("Thursday, 14th July, 2022 10.00 am" gives 14 July 2022 and 10.00 am;
    "24.03.22" gives 24 March 2022 and None.) (None, None) when the text
    holds no real date. See `find_british_date` for the forms read.
    """
    found = find_british_date(text)
    return (found.date, found.time) if found else (None, None)


# "Resolved" in a sentence ("Resolved to ...") starts no resolution.
_RESOLUTION_START = re.compile(
    r"RESOLVED\b|Resolved(?=\s*(?:[:,\u2013\u2014-]|that\b|$))"
)
_BARE_RESOLVED = re.compile(r"\W*resolved\W*(?:that\W*)?", re.IGNORECASE)


def starts_resolution(text: str) -> bool:
    """Whether the text opens a resolution: "RESOLVED", or "Resolved"
    followed by a colon, a dash, "that" or nothing more."""
    return _RESOLUTION_START.match(text) is not None


def only_resolved(text: str) -> bool:
    """Whether a resolution's words so far are only "RESOLVED" or "RESOLVED
    that:", so the next line goes on with them."""
    return _BARE_RESOLVED.fullmatch(text) is not None


_ELECTED = re.compile(r"\b(?:elected|appointed)\b", re.IGNORECASE)
_MINUTES_APPROVED = re.compile(
    r"\bminutes\b.*\b(?:correct(?:ly)?\s+record(?:ed)?|accurate\s+record|"
    r"be\s+signed|approved)\b",
    re.IGNORECASE | re.DOTALL,
)
_VERBS = (
    (re.compile(r"\bnot(?:e|ed|es|ing)\b", re.IGNORECASE), ResolutionKind.NOTED),
    (re.compile(r"\bagree(?:s|d)?\b", re.IGNORECASE), ResolutionKind.AGREED),
    (re.compile(r"\bendorse(?:s|d)?\b", re.IGNORECASE), ResolutionKind.AGREED),
    (re.compile(r"\bsupport(?:s|ed)?\b", re.IGNORECASE), ResolutionKind.AGREED),
    (re.compile(r"\badopt(?:s|ed)?\b", re.IGNORECASE), ResolutionKind.AGREED),
    (re.compile(r"\bapprove(?:s|d)?\b", re.IGNORECASE), ResolutionKind.APPROVED),
    (
        re.compile(r"\brecommend(?:s|ed)?\b", re.IGNORECASE),
        ResolutionKind.RECOMMENDED,
    ),
    (re.compile(r"\brequest(?:s|ed)?\b", re.IGNORECASE), ResolutionKind.REQUESTED),
)


def resolution_kind(text: str) -> ResolutionKind:
    """What a resolution decided, read from its words.

    An election or appointment is "elected"; approving the minutes of a
    meeting is "approved"; otherwise the first deciding verb counts ("note
    the report and request an update" is "noted"), and a resolution with
    none of them is "other". The clerk can change it in the drafting screen.
    """
    if _ELECTED.search(text):
        return ResolutionKind.ELECTED
    if _MINUTES_APPROVED.search(text):
        return ResolutionKind.APPROVED
    found = [
        (match.start(), kind)
        for pattern, kind in _VERBS
        if (match := pattern.search(text))
    ]
    return min(found)[1] if found else ResolutionKind.OTHER


_DOCUMENT_KINDS = (
    ("minute", DocumentKind.MINUTES),
    ("appendix", DocumentKind.APPENDIX),
    ("annex", DocumentKind.APPENDIX),
    ("presentation", DocumentKind.PRESENTATION),
    ("supplement", DocumentKind.SUPPLEMENT),
    ("background", DocumentKind.BACKGROUND),
)


def document_kind(title: str, owner_title: str = "") -> DocumentKind:
    """What a paper is, read from its title and its item's: minutes,
    appendix, presentation ..., otherwise a report."""
    words = f"{title} {owner_title}".lower()
    for needle, kind in _DOCUMENT_KINDS:
        if needle in words:
            return kind
    return DocumentKind.REPORT
