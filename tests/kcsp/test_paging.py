"""Pages of long lists counted once per version of the content."""

import pytest

from kcsp.models import Organisation
from kcsp.paging import (
    MAX_PAGE,
    MAX_ROW_ID,
    CountedPaginator,
    page_number,
    row_id,
    whole_number,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_row_newer_than_the_kept_count_shows_on_the_last_page() -> None:
    for n in range(5):
        factories.organisation(f"Partner {n}")
    rows = Organisation.objects.filter(name__startswith="Partner").order_by("name")
    # Counted when there were four: the fifth is on the last page all the same.
    pages = CountedPaginator(rows, 2, count=4)
    assert pages.num_pages == 2
    assert [o.name for o in pages.page(2)] == ["Partner 2", "Partner 3"]
    pages = CountedPaginator(rows, 3, count=4)
    assert [o.name for o in pages.page(2)] == ["Partner 3", "Partner 4"]
    # Counted when there were six: the last page holds what there is.
    pages = CountedPaginator(rows, 2, count=6)
    assert [o.name for o in pages.page(3)] == ["Partner 4"]


def test_without_a_count_it_counts_as_django_does() -> None:
    for n in range(3):
        factories.organisation(f"Partner {n}")
    rows = Organisation.objects.filter(name__startswith="Partner").order_by("name")
    pages = CountedPaginator(rows, 2)
    assert pages.count == 3 and pages.num_pages == 2
    assert [o.name for o in pages.page(2)] == ["Partner 2"]


@pytest.mark.parametrize(
    ("asked", "number"),
    [
        ("1", 1),
        (" 3 ", 3),
        ("007", 7),
        (2, 2),
        (str(MAX_PAGE), MAX_PAGE),
        ("9223372036854775807", MAX_PAGE),
        ("1" + "0" * 5000, MAX_PAGE),
        (None, None),
        ("", None),
        ("0", None),
        ("000", None),
        ("-1", None),
        ("+2", None),
        ("1.0", None),
        ("1e3", None),
        ("1_000", None),
        ("\u0663", None),  # an Arabic-Indic three
        ("last", None),
        ("1\x00", None),
    ],
)
def test_a_page_parameter_is_read_as_a_bounded_whole_number(
    asked: object, number: int | None
) -> None:
    assert page_number(asked) == number


def test_a_page_size_is_held_to_its_most() -> None:
    assert whole_number("500", most=200) == 200
    assert whole_number("20", most=200) == 20
    assert whole_number("-20", most=200) is None


def test_a_posted_row_id_is_a_whole_number_a_key_can_hold_or_nothing() -> None:
    assert row_id("42") == 42
    assert row_id(str(MAX_ROW_ID)) == MAX_ROW_ID
    for nonsense in (None, "", "0", "-3", "4.0", "²", "\u0663", str(MAX_ROW_ID + 1)):
        assert row_id(nonsense) is None, nonsense


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("2", 2), ("abc", 1), ("0", 1), ("-3", 1), ("4", 3), ("9223372036854775808", 3)],
)
def test_a_list_answers_any_page_with_the_first_or_the_last(
    asked: str, shown: int
) -> None:
    for n in range(5):
        factories.organisation(f"Partner {n}")
    rows = Organisation.objects.filter(name__startswith="Partner").order_by("name")
    assert CountedPaginator(rows, 2).get_page(asked).number == shown
    assert CountedPaginator(rows, 2, count=5).get_page(asked).number == shown
