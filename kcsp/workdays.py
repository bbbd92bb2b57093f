"""Days and times in England and Wales: working days, deadlines, the
council year, a date months or years on, and the moment a day and time of
day name.

"Clear days" (Local Government Act 1972 s100B) exclude the day of
publication, the day of the meeting, weekends and bank holidays. Bank
holidays come from the `holidays` library, so one-off days such as a state
funeral are counted without code changes.
"""

import calendar
import datetime as dt
from functools import cache

import holidays
from django.utils import timezone

STATUTORY_CLEAR_DAYS = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day if it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 February for a 29 February)."""
    return add_months(day, 12 * years)


def municipal_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The council year (May, the annual meeting, to April) holding `day`:
    its first and last days."""
    first = day.year if day.month >= 5 else day.year - 1
    return dt.date(first, 5, 1), dt.date(first + 1, 4, 30)


def local_datetime(day: dt.date, time: dt.time = dt.time.min) -> dt.datetime:
    """The moment a day and time of day name in the portal's time zone
    (Europe/London), as meetings, papers and imported records give them; the
    start of the day when no time is given."""
    return dt.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


@cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def clear_working_days(published: dt.date, meeting: dt.date) -> int:
    """Working days strictly between publication and the meeting."""
    count = 0
    day = published + dt.timedelta(days=1)
    while day < meeting:
        if is_working_day(day):
            count += 1
        day += dt.timedelta(days=1)
    return count


def latest_publication_date(
    meeting: dt.date, clear_days: int = STATUTORY_CLEAR_DAYS
) -> dt.date:
    """The last day an agenda can be published and still give `clear_days`."""
    day, counted = meeting, 0
    while counted < clear_days:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day - dt.timedelta(days=1)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (before, if negative)."""
    step = 1 if days >= 0 else -1
    day, remaining = start, abs(days)
    while remaining:
        day += dt.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day
