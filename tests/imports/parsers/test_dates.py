"""The one reader of dates as clerks write them, shared by every parser."""

import datetime as dt

import pytest

from imports.parsers import find_british_date, parse_british_date
from imports.parsers.legacy_minutes import parse_minutes

MARCH_24 = dt.date(2022, 3, 24)
TEN = dt.time(10, 0)


@pytest.mark.parametrize(
    ("text", "date", "time"),
    [
        ("24 March 2022", MARCH_24, None),
        ("24th March, 2022", MARCH_24, None),
        ("24th of March 2022", MARCH_24, None),
        ("Thursday, 24 Mar 2022", MARCH_24, None),
        ("Thursday 24/03/2022", MARCH_24, None),
        ("24.03.22", MARCH_24, None),
        ("24-3-2022", MARCH_24, None),
        ("Thursday, 14th July, 2022 10.00 am", dt.date(2022, 7, 14), TEN),
        ("on 24 March 2022 at 2.00pm.", MARCH_24, dt.time(14, 0)),
        ("24/03/2022, 14.30", MARCH_24, dt.time(14, 30)),
        ("24 March 2022 at 12 noon", MARCH_24, dt.time(12, 0)),
        ("Friday, 8th July, 2011, at 2.00 pm", dt.date(2011, 7, 8), dt.time(14, 0)),
        ("14.07.98", dt.date(1998, 7, 14), None),
        ("Kent Community Safety Partnership - 24.03.22 10am", MARCH_24, TEN),
    ],
)
def test_dates_in_the_forms_clerks_write(
    text: str, date: dt.date, time: dt.time | None
) -> None:
    assert parse_british_date(text) == (date, time)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "31 June 2022",  # no such day
        "32/01/2022",
        "24 Marchy 2022",
        "version 1.2.3",
        "Item 24.03.2022.5",
        "at 10.00 am",
    ],
)
def test_what_is_not_a_date_gives_none(text: str) -> None:
    assert parse_british_date(text) == (None, None)


def test_the_first_real_date_is_read_and_its_weekday_checked() -> None:
    found = find_british_date("held on 31 June 2022 or Monday 1 July 2022")
    assert found is not None
    assert found.date == dt.date(2022, 7, 1)
    assert found.weekday == "Monday"
    assert not found.weekday_matches  # 1 July 2022 was a Friday


@pytest.mark.parametrize(
    "written",
    [
        "Thursday, 24 March 2022",
        "Thursday 24th March, 2022",
        "Thursday 24/03/2022",
        "24.03.22",
    ],
)
def test_a_minutes_heading_takes_every_form(written: str) -> None:
    parsed = parse_minutes(
        "NOTES of a meeting of the Kent Community Safety Partnership held at "
        f"County Hall, Maidstone on {written} at 10.00 am.\n"
    )
    assert (parsed.date, parsed.time) == (MARCH_24, TEN)
    assert parsed.venue == "County Hall, Maidstone"
    assert parsed.body_name == "Kent Community Safety Partnership"
