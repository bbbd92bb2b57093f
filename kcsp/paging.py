"""Pages of long lists whose length is counted once per version of the
content: counting is a pass over every matching row, and archives are long."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from kcsp.pagecache import cached_reading


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, when they have been counted
    already, so the list is not counted twice.

    A count kept in the cache can be behind by a row that became public with
    the clock (a paper published at a set time) until the count is read
    again, so every page is read as a full page: such a row shows on the last
    page rather than being cut off by the count.
    """

    def __init__(self, *args: Any, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._told = count is not None
        if self._told:
            self.__dict__["count"] = count

    def page(self, number: Any) -> Page:
        if not self._told:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + self.orphans
        return self._get_page(self.object_list[bottom:top], number, self)


def paginator(
    request: HttpRequest | None, queryset: QuerySet[Any], per_page: int
) -> CountedPaginator:
    """Pages of `queryset`, its count kept in the cache until any record
    changes (keyed on the query, which holds the viewer's visibility rule)."""
    count = cached_reading(request, "count", queryset, queryset.count)
    return CountedPaginator(queryset, per_page, count=count)
