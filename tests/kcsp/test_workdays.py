import datetime as dt

import pytest

from kcsp.workdays import (
    add_working_days,
    clear_working_days,
    is_working_day,
    latest_publication_date,
    local_datetime,
    municipal_year,
    years_after,
)


def test_weekends_and_bank_holidays_are_not_working_days() -> None:
    assert not is_working_day(dt.date(2022, 4, 16))  # Saturday
    assert not is_working_day(dt.date(2022, 4, 15))  # Good Friday
    assert not is_working_day(dt.date(2022, 9, 19))  # State funeral, a one-off
    assert is_working_day(dt.date(2022, 4, 19))


@pytest.mark.parametrize(
    ("published", "meeting", "clear"),
    [
        # Mon 14 Mar to Thu 24 Mar 2022: 15,16,17,18,21,22,23 -> 7 clear days.
        (dt.date(2022, 3, 14), dt.date(2022, 3, 24), 7),
        # Thu 17 Mar to Thu 24 Mar: 18,21,22,23 -> 4 (a weekend in between).
        (dt.date(2022, 3, 17), dt.date(2022, 3, 24), 4),
        # Wed 13 Apr to Fri 22 Apr 2022 spans Easter: 14,19,20,21 -> 4.
        (dt.date(2022, 4, 13), dt.date(2022, 4, 22), 4),
        # Same day and the next day give no clear days.
        (dt.date(2022, 3, 24), dt.date(2022, 3, 24), 0),
        (dt.date(2022, 3, 23), dt.date(2022, 3, 24), 0),
    ],
)
def test_clear_working_days(published: dt.date, meeting: dt.date, clear: int) -> None:
    assert clear_working_days(published, meeting) == clear


def test_latest_publication_across_a_bank_holiday_and_a_weekend() -> None:
    # Meeting Friday 22 April 2022. Clear days back: 21, 20, 19 (Tue), then
    # Easter Monday 18, the weekend and Good Friday 15 are skipped: 14, 13.
    latest = latest_publication_date(dt.date(2022, 4, 22))
    assert latest == dt.date(2022, 4, 12)
    assert clear_working_days(latest, dt.date(2022, 4, 22)) == 5
    assert clear_working_days(latest + dt.timedelta(days=1), dt.date(2022, 4, 22)) == 4


def test_add_working_days_skips_weekends_and_holidays() -> None:
    assert add_working_days(dt.date(2022, 4, 14), 1) == dt.date(2022, 4, 19)
    assert add_working_days(dt.date(2022, 4, 19), -1) == dt.date(2022, 4, 14)
    assert add_working_days(dt.date(2022, 3, 24), 0) == dt.date(2022, 3, 24)


@pytest.mark.parametrize(
    ("day", "time", "utc"),
    [
        # Greenwich Mean Time in winter, British Summer Time in summer.
        (
            dt.date(2022, 3, 24),
            dt.time(10),
            dt.datetime(2022, 3, 24, 10, 0, tzinfo=dt.UTC),
        ),
        (
            dt.date(2022, 6, 9),
            dt.time(10),
            dt.datetime(2022, 6, 9, 9, 0, tzinfo=dt.UTC),
        ),
        # The day the clocks go forward: midnight is still GMT.
        (
            dt.date(2026, 3, 29),
            dt.time.min,
            dt.datetime(2026, 3, 29, 0, 0, tzinfo=dt.UTC),
        ),
        (
            dt.date(2026, 3, 29),
            dt.time(14),
            dt.datetime(2026, 3, 29, 13, 0, tzinfo=dt.UTC),
        ),
    ],
)
def test_a_day_and_time_are_read_as_they_are_in_england(
    day: dt.date, time: dt.time, utc: dt.datetime
) -> None:
    moment = local_datetime(day, time)
    assert moment == utc
    assert (moment.date(), moment.time()) == (day, time)


def test_the_council_year_runs_from_may_to_april() -> None:
    assert municipal_year(dt.date(2022, 4, 30)) == (
        dt.date(2021, 5, 1),
        dt.date(2022, 4, 30),
    )
    assert municipal_year(dt.date(2022, 5, 1)) == (
        dt.date(2022, 5, 1),
        dt.date(2023, 4, 30),
    )


def test_years_after_keeps_the_day_or_takes_the_28th_of_february() -> None:
    assert years_after(dt.date(2022, 3, 24), 4) == dt.date(2026, 3, 24)
    assert years_after(dt.date(2026, 3, 25), -4) == dt.date(2022, 3, 25)
    assert years_after(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert years_after(dt.date(2024, 2, 29), -4) == dt.date(2020, 2, 29)
