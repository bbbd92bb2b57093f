"""Dates and times as English councils write them.

"24 March 2022", "10.00 am", "Friday, 8 July 2011, 2.00 pm". Names are spelt
out here rather than taken from the process locale, so output never depends
on the server's language settings. Aware datetimes are shown in Europe/London.
"""

import datetime as dt

from django.utils import timezone

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# The months as a form's choices: (1, "January") to (12, "December").
MONTH_CHOICES: list[tuple[int, str]] = list(enumerate(MONTHS, start=1))
WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


def _local(value: dt.datetime) -> dt.datetime:
    if timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value: dt.date | dt.datetime) -> dt.date:
    """The day of a date, or of a datetime as it is in Europe/London."""
    if isinstance(value, dt.datetime):
        return _local(value).date()
    return value


def long_date(value: dt.date | dt.datetime | None) -> str:
    """'24 March 2022' (no ordinal, no weekday)."""
    if value is None:
        return ""
    day = _day(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def weekday_date(value: dt.date | dt.datetime | None) -> str:
    """'Thursday, 24 March 2022'."""
    if value is None:
        return ""
    day = _day(value)
    return f"{WEEKDAYS[day.weekday()]}, {long_date(day)}"


def clock(value: dt.time | dt.datetime | None) -> str:
    """'10.00 am', '2.00 pm', '12.30 pm'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value).time()
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}.{value.minute:02d} {suffix}"


def meeting_when(value: dt.datetime | None) -> str:
    """'Friday, 8 July 2011, 2.00 pm'."""
    if value is None:
        return ""
    value = _local(value)
    return f"{weekday_date(value.date())}, {clock(value.time())}"


def month_year(value: dt.date | None) -> str:
    """'March 2023'."""
    if value is None:
        return ""
    return f"{MONTHS[value.month - 1]} {value.year}"


def file_size(num_bytes: int | None) -> str:
    """'245 KB', '1.2 MB': sizes as people read them on a document list."""
    if not num_bytes:
        return "0 KB"
    if num_bytes < 1024 * 1024:
        return f"{max(1, round(num_bytes / 1024))} KB"
    return f"{num_bytes / (1024 * 1024):.1f} MB"


def letter_label(index: int) -> str:
    """'A', 'B' ... 'Z', 'AA', 'AB' ...: the label of the item at `index`
    (from 0) in a lettered series, as councils letter appendices and the
    parts of a resolution."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters
