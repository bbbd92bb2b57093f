"""Meetings in bulk for tests of how pages behave as the data grows.

A thin wrapper round the scale data generator (`demo.scale`), made small:
one body per call, with as many meetings and items as the test asks for.
"""

import datetime as dt
from typing import Any

from demo.scale import scale_build
from kcsp.search.index import index_rebuild
from meetings.models import Body, Meeting

# Every generated meeting is in the past, whenever the tests run.
LAST_DAY = dt.date(2024, 12, 31)


def body_with_meetings(
    name: str,
    *,
    meetings: int = 1,
    items: int = 4,
    years: int = 1,
    owners: list[Any] | None = None,
) -> Body:
    """A partnership with `meetings` held meetings over `years` years, each
    with `items` agenda items (three standard ones first), papers,
    attendance, published minutes (approved by the next meeting), decisions
    and actions (owned by `owners` in turn, when given), in the search index
    as `manage.py search_index` puts bulk-written rows."""
    per_year = max(1, meetings // years)
    scale_build(
        years=years,
        bodies=1,
        meetings_per_year=per_year,
        items_per_meeting=items,
        today=LAST_DAY,
        names=[(name, Body.Kind.PARTNERSHIP_BOARD)],
        owners=owners,
    )
    index_rebuild()
    return Body.objects.get(name=name)


def latest_meeting(body: Body) -> Any:
    return Meeting.objects.filter(body=body).order_by("-start").first()
