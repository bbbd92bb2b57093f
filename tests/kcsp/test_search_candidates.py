"""Which matches are ranked: the newest, however the search finds them."""

import datetime as dt

import pytest
from django.db import connection

from kcsp.models import SearchEntry
from kcsp.search import query

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite takes the newest matches with one plain query",
    ),
]


def seed(words_by_day: list[str]) -> None:
    SearchEntry.objects.bulk_create(
        SearchEntry(
            source="bench.paragraph",
            object_id=n,
            kind="minutes",
            title="",
            text=words,
            date=dt.date(2000, 1, 1) + dt.timedelta(days=n),
        )
        for n, words in enumerate(words_by_day)
    )
    # An undated entry sorts after every dated one.
    SearchEntry.objects.create(
        source="bench.paragraph", object_id=10_000, kind="minutes", text="knife"
    )


def newest(words: str) -> list[int]:
    """The newest matches by the plain query, for comparison."""
    matches = query.matching(SearchEntry.objects.all(), words)
    ordered = matches.order_by(*query.NEWEST_FIRST).values_list("id", flat=True)
    return list(ordered[: query.CANDIDATES])


def small_stretches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(query, "PROBE", 3)
    monkeypatch.setattr(query, "WALK", 10)
    monkeypatch.setattr(query, "WALK_FURTHER", 20)
    monkeypatch.setattr(query, "CANDIDATES", 5)


# Each pattern lists entries oldest first, one a day; the newest come last.
@pytest.mark.parametrize(
    "pattern",
    [
        # Matches everywhere: the newest stretch holds enough.
        ["knife crime"] * 60,
        # Matches only long ago: the newest stretches hold none.
        ["knife crime"] * 10 + ["road safety"] * 50,
        # One among the few newest looked at first: the three ways at once.
        ["knife crime"] * 40 + ["road safety"] * 17 + ["knife crime", "road"],
        # None among the few newest looked at first, many just beyond:
        # through the indexes, without reading a stretch.
        ["knife crime"] * 50 + ["road safety"] * 4,
        # A few among the newest, the rest in the next stretch.
        ["knife crime"] * 40 + ["road safety"] * 17 + ["knife crime"] * 3,
        # A few among the newest, none in the next stretch: through the indexes.
        ["knife crime"] * 3 + ["road safety"] * 54 + ["knife crime"] * 3,
        # No match at all.
        ["road safety"] * 60,
    ],
)
def test_candidates_are_the_newest_matches_whichever_way_they_are_found(
    monkeypatch: pytest.MonkeyPatch, pattern: list[str]
) -> None:
    small_stretches(monkeypatch)
    seed(pattern)
    found = query._candidate_ids(
        query.matching(SearchEntry.objects.all(), "knife"), "knife"
    )
    assert sorted(found) == sorted(newest("knife"))
    assert len(found) == len(set(found))


def test_filters_apply_before_the_newest_are_taken(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small_stretches(monkeypatch)
    seed(["knife crime"] * 60)
    early = query.matching(
        SearchEntry.objects.filter(date__lt=dt.date(2000, 1, 8)), "knife"
    )
    expected = list(
        early.order_by(*query.NEWEST_FIRST).values_list("id", flat=True)[:5]
    )
    assert sorted(query._candidate_ids(early, "knife")) == sorted(expected)
    assert len(expected) == 5


def test_nothing_to_look_among_finds_nothing() -> None:
    assert query._candidate_ids(SearchEntry.objects.none(), "knife") == []
