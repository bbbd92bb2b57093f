import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from kcsp import formatting

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2022, 3, 24), "24 March 2022"),
        (dt.date(2011, 7, 8), "8 July 2011"),
        (None, ""),
    ],
)
def test_long_date_is_british(value: dt.date | None, expected: str) -> None:
    assert formatting.long_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.time(10, 0), "10.00 am"),
        (dt.time(14, 0), "2.00 pm"),
        (dt.time(12, 30), "12.30 pm"),
        (dt.time(0, 5), "12.05 am"),
    ],
)
def test_clock_as_councils_write_it(value: dt.time, expected: str) -> None:
    assert formatting.clock(value) == expected


def test_meeting_when_in_london_time_across_summer_time() -> None:
    # 13.00 UTC in July is 2.00 pm British Summer Time.
    summer = dt.datetime(2011, 7, 8, 13, 0, tzinfo=dt.UTC)
    assert formatting.meeting_when(summer) == "Friday, 8 July 2011, 2.00 pm"
    # 10.00 UTC in March (before the clocks change) is 10.00 am GMT.
    winter = dt.datetime(2022, 3, 24, 10, 0, tzinfo=dt.UTC)
    assert formatting.meeting_when(winter) == "Thursday, 24 March 2022, 10.00 am"


def test_late_evening_utc_is_next_day_in_london() -> None:
    value = dt.datetime(2022, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert formatting.long_date(value) == "1 July 2022"


def test_template_filters_and_default_date_format() -> None:
    template = Template("{{ d|long_date }}|{{ t|clock }}|{{ d|date }}")
    out = template.render(Context({"d": dt.date(2022, 3, 24), "t": dt.time(10, 0)}))
    assert out == "24 March 2022|10.00 am|24 March 2022"


@pytest.mark.parametrize(
    ("size", "expected"), [(2048, "2 KB"), (100, "1 KB"), (3 * 1024 * 1024, "3.0 MB")]
)
def test_file_size(size: int, expected: str) -> None:
    assert formatting.file_size(size) == expected
