"""Phrase searches through the index of adjacent word pairs."""

import datetime as dt

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kcsp.models import SearchEntry
from kcsp.search import query
from kcsp.search.phrases import pairs_of_tsquery

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="Full-text search is PostgreSQL's"
)


@pytest.mark.parametrize(
    ("parsed", "pairs"),
    [
        ("'counti' <-> 'line' & 'knife' & !'polic'", ["counti line"]),
        (
            "'anti-soci' <-> 'anti' <-> 'social' & 'behaviour'",
            ["anti-soci anti", "anti social"],
        ),
        ("'o''brien' <-> 'x\\\\y'", ["o'brien x\\y"]),
        ("( 'drug' | 'knife' ) & 'counti' <-> 'line'", ["counti line"]),
        # Nothing is required of every match: no pairs.
        ("'counti' <-> 'line' | 'drug'", []),
        ("!( 'counti' <-> 'line' ) & 'knife'", []),
        ("'counti' <2> 'line'", []),
        ("'counti':A <-> 'line'", []),
        ("'domest' & 'abus'", []),
        ("", []),
        ("'unterminated", []),
    ],
)
def test_pairs_are_taken_only_from_phrases_every_match_needs(
    parsed: str, pairs: list[str]
) -> None:
    assert pairs_of_tsquery(parsed) == pairs


def entry(n: int, text: str, day: int = 0) -> SearchEntry:
    return SearchEntry(
        source="bench.paragraph",
        object_id=n,
        kind="minutes",
        title=f"Minute {n}",
        text=text,
        date=dt.date(2020, 1, 1) + dt.timedelta(days=day),
    )


def found(words: str) -> set[int]:
    matches = query.matching(SearchEntry.objects.all(), words)
    return set(matches.values_list("object_id", flat=True))


@postgresql_only
@pytest.mark.django_db
def test_phrases_are_found_only_where_the_words_are_together() -> None:
    SearchEntry.objects.bulk_create(
        [
            entry(1, "Cuckooing linked to county lines gangs was reported."),
            entry(2, "Lines of enquiry crossed the county boundary."),
            entry(3, "Anti-social behaviour fell in Thanet."),
            entry(4, "Behaviour that is anti-social was discussed; also social care."),
            entry(5, "Mr O'Brien's report on county-lines exploitation."),
        ]
    )
    assert found('"county lines"') == {1, 5}
    assert found("county lines") == {1, 2, 5}
    assert found('"anti-social behaviour"') == {3}
    assert found("anti-social behaviour") == {3, 4}
    assert found("O'Brien") == {5}
    assert found('"county lines" -cuckooing') == {5}
    assert found('"county lines" or thanet') == {1, 3, 5}
    assert found('-"county lines" county') == {2}


@postgresql_only
@pytest.mark.django_db
def test_long_words_and_text_of_long_tokens_are_indexed_and_found() -> None:
    """Words too long to pair, and a paper's text layer of long hyphenated
    tokens whose pairs would pass the 1 MB a tsvector holds, still save."""
    long_a, long_b = "a" * 1100, "b" * 1100
    tokens = " ".join(
        f"{n:019d}-{n * 7:019d}".replace("0", "q") for n in range(1, 9000)
    )
    SearchEntry.objects.bulk_create(
        [
            entry(1, f"{long_a} {long_b} kestrel county lines"),
            entry(2, "Reports from " + "x" * 45 + " y" + " on county lines"),
            entry(3, tokens[:399_000]),
        ]
    )
    assert found('"county lines"') == {1, 2}
    assert found(f'"{"x" * 45} y"') == {2}
    assert found("kestrel") == {1}


@postgresql_only
@pytest.mark.django_db
def test_the_pairs_of_any_text_fit_in_a_tsvector() -> None:
    """16,000 distinct words of 40 letters (longer than any text the index
    keeps) would make 1.4 MB of pairs; they stop before the 1 MB limit."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_size(kcsp_word_pairs(to_tsvector('english', "
            "  string_agg(translate(md5(n::text) || lpad(n::text, 8, '0'),"
            "                       '0123456789', 'ghijklmnop'), ' ')))),"
            "  length(kcsp_word_pairs(to_tsvector('english', 'county lines')))"
            " FROM generate_series(1, 16000) AS n"
        )
        size, small = cursor.fetchone()
    assert 800_000 < size < 1_000_000
    assert small == 1


WORDS = ["county", "lines", "the", "of", "anti-social", "behaviour", "o'brien", "x"]


@postgresql_only
@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    texts=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), min_size=1, max_size=8
    ),
    terms=st.lists(
        st.tuples(
            st.sampled_from(["", "-", '"', '-"']),
            st.lists(st.sampled_from([*WORDS, "or"]), min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_the_pairs_never_lose_a_match(
    texts: list[list[str]], terms: list[tuple[str, list[str]]]
) -> None:
    """Whatever the words and query, searching with the pairs finds exactly
    what matching word positions alone finds."""
    SearchEntry.objects.filter(source="bench.paragraph").delete()
    SearchEntry.objects.bulk_create(
        entry(n, " ".join(words)) for n, words in enumerate(texts)
    )
    words = " ".join(
        mark + " ".join(run) + ('"' if mark.endswith('"') else "")
        for mark, run in terms
    )
    plain = SearchEntry.objects.alias(vector=query.EntryVector()).filter(
        vector=query.web_query(words)
    )
    assert found(words) == set(plain.values_list("object_id", flat=True))


@postgresql_only
@pytest.mark.django_db
def test_a_rare_phrase_of_common_words_is_answered_from_the_pairs_index() -> None:
    SearchEntry.objects.bulk_create(
        entry(n, f"County report {n}: lines of enquiry noted by the county. " * 8, n)
        for n in range(20_000)
    )
    entry(99_999, "Two county lines gangs.").save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kcsp_searchentry")
    matches = query.matching(SearchEntry.objects.all(), '"county lines"')
    plan = matches.order_by(*query.NEWEST_FIRST).values("id")[:500].explain()
    assert "searchentry_pairs_gin" in plan, plan
    assert list(matches.values_list("object_id", flat=True)) == [99_999]
