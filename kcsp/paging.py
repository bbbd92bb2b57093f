"""Pages of long lists whose length is counted once per version of the
content: counting is a pass over every matching row, and archives are long."""

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from kcsp.pagecache import cached_reading


class CountedPaginator(Paginator):
    """A paginator told how many rows there are, when they have been counted
    already, so the list is not counted twice."""

    def __init__(self, *args: Any, count: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if count is not None:
            self.__dict__["count"] = count


def paginator(
    request: HttpRequest | None, queryset: QuerySet[Any], per_page: int
) -> CountedPaginator:
    """Pages of `queryset`, its count kept in the cache until any record
    changes (the query names the viewer's audience, so each has its own)."""
    count = cached_reading(request, "count", queryset, queryset.count)
    return CountedPaginator(queryset, per_page, count=count)
