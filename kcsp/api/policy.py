"""Pagination and the rate limit of the open data API.

Kept apart from `base` because Django REST framework imports them from the
settings while its own views are being defined.
"""

from typing import Any

from django.conf import settings
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from kcsp.paging import CountedPaginator, page_number, whole_number
from kcsp.proxy import client_address


class Pagination(pagination.PageNumberPagination):
    """Pages of a list; a view that has counted the list already says so in
    its `known_count`."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        count = getattr(view, "known_count", None)
        self.django_paginator_class = lambda *args, **kwargs: CountedPaginator(
            *args, count=count, **kwargs
        )
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Request) -> int:
        """`page_size` when it is a whole number (at most max_page_size),
        otherwise the default."""
        asked = request.query_params.get(self.page_size_query_param)
        return whole_number(asked, most=self.max_page_size) or self.page_size

    def get_page_number(self, request: Request, paginator: Any) -> int:
        """The page asked for, or a 404 saying which pages there are."""
        asked = request.query_params.get(self.page_query_param) or "1"
        if asked in self.last_page_strings:
            return paginator.num_pages
        number = page_number(asked)
        if number is None or number > paginator.num_pages:
            raise NotFound(
                "There is no such page of this list: its pages are numbered "
                f"from 1 to {paginator.num_pages}."
            )
        return number


class AnonymousApiThrottle(AnonRateThrottle):
    """Requests per client address, counted in the shared cache.

    The address is the client's as the reverse proxy saw it (kcsp.proxy),
    the one sign-in lockout is keyed on too. The rate is read from settings
    at each request (API_ANON_RATE), so it can be changed without a restart
    of the class; None turns the limit off.
    """

    scope = "anon"

    def get_rate(self) -> str | None:
        return settings.API_ANON_RATE

    def __init__(self) -> None:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_ident(self, request: Request) -> str:
        return client_address(request._request) or ""
