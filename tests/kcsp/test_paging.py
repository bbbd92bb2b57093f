"""Pages of long lists counted once per version of the content."""

import pytest

from kcsp.models import Organisation
from kcsp.paging import CountedPaginator
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
