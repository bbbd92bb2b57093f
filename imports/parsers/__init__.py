"""Reading the sources a partnership's history comes in.

The parsers (legacy_minutes, moderngov, names, html_text) touch no database:
each turns text or XML into frozen dataclasses and reports, line by line or
field by field, whatever it could not place.

Small helpers shared by more than one parser live in this module so that the
parser modules import nothing from each other.
"""

import datetime as dt
import re

from imports.record import DocumentKind, ResolutionKind

__all__ = ["MONTHS", "document_kind", "parse_clock_time", "resolution_kind"]

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
