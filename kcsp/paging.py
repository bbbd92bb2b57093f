"""Pages of long lists, and the one reading of a `page` parameter that every
paginated surface (HTML lists, search, the API) shares.

A page number comes from the address, so it can be anything: words, zero,
a minus sign, or a number with hundreds of digits that no database column
can hold. It is read here once, into a whole number within bounds, before
any query is built with it; a list answers a page past its end with its
last page (HTML) or a 404 (the API), never an error.

A list's length is counted once per version of the content: counting is a
pass over every matching row, and archives are long.
"""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django_filters import FilterSet

from kcsp.pagecache import cached_reading

# The furthest page a list is read at: far past the last page of any list
# the portal holds, and small enough that its offset, at any page size,
# fits the 64-bit integers of every database.
MAX_PAGE = 1_000_000
# The largest key a 64-bit integer column holds.
MAX_ROW_ID = 2**63 - 1


def whole_number(value: Any, *, most: int) -> int | None:
    """`value`, a query parameter, as a whole number from 1 to `most` (a
    larger one is read as `most`), or None when it is not a whole number of
    1 or more: words, zero, a sign, a decimal point, other scripts' digits.
    """
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        return None
    digits = text.lstrip("0")
    if not digits:
        return None
    if len(digits) > len(str(most)):
        return most
    return min(int(digits), most)


def row_id(value: Any) -> int | None:
    """A row's id as a form or an address gives it, or None when it is not a
    whole number a database key can hold (see `whole_number`), so that a
    lookup by it finds nothing rather than failing."""
    number = whole_number(value, most=MAX_ROW_ID + 1)
    return number if number is not None and number <= MAX_ROW_ID else None


def page_number(value: Any) -> int | None:
    """The page a `page` parameter asks for (see `whole_number`)."""
    return whole_number(value, most=MAX_PAGE)


class CountedPaginator(Paginator):
    """The portal's paginator: a page parameter is read by `page_number`,
    and the paginator can be told how many rows there are, when they have
    been counted already, so the list is not counted twice.

    A count kept in the cache can be behind by a row that became public with
    the clock (a paper published at a set time) until the count is read
    again, so every page is read as a full page: such a row shows on the last
    page rather than being cut off by the count.
    """

    def __init__(
        self, *args: Any, count: int | None = None, more: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._told = count is not None
        if self._told:
            self.__dict__["count"] = count
        # The list holds more rows than `count`, which are not paged to.
        self.more = more

    def get_page(self, number: Any) -> Page:
        """The page a `page` parameter asks for: the first when it is not a
        page number, the last when it is past the end."""
        return self.page(min(page_number(number) or 1, self.num_pages))

    def page(self, number: Any) -> Page:
        if not self._told:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + self.orphans
        if self.more:
            # Only the first `count` rows are paged to.
            top = min(top, self.count)
        return Page(self.object_list[bottom:top], number, self)


def paginator(
    request: HttpRequest | None,
    queryset: QuerySet[Any],
    per_page: int,
    *,
    at_most: int | None = None,
    pages_of: Any = None,
) -> CountedPaginator:
    """Pages of `queryset`, its count kept in the cache until any record
    changes (keyed on the query, which holds the viewer's visibility rule).
    `pages_of`, when given, holds the same rows in the same order, read a
    page at a time a cheaper way than slicing `queryset` (see
    `kcsp.search.query.MatchesNewestFirst`).

    With `at_most`, only the first `at_most` rows are counted and paged to
    (the paginator says `more` when there are others): counting stops there,
    so a list of a whole archive costs what a list of `at_most` rows costs,
    and readers narrow it with its filters to reach older rows.
    """
    rows = queryset if pages_of is None else pages_of
    if at_most is None:
        count = cached_reading(request, "count", queryset, queryset.count)
        return CountedPaginator(rows, per_page, count=count)
    first = queryset.order_by()[: at_most + 1]
    count = cached_reading(request, f"count-{at_most}", queryset, first.count)
    return CountedPaginator(
        rows, per_page, count=min(count, at_most), more=count > at_most
    )


def query_without_page(request: HttpRequest) -> str:
    """The request's parameters but `page`, for the links to a list's other
    pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def filtered_page(
    request: HttpRequest, filterset: FilterSet, pages: CountedPaginator
) -> dict[str, Any]:
    """A filtered list's template context: the filter, the page of `pages` the
    request asks for, and the other parameters as `query`."""
    return {
        "filter": filterset,
        "page_obj": pages.get_page(request.GET.get("page")),
        "query": query_without_page(request),
    }
