"""Pagination and the rate limit of the open data API.

Kept apart from `base` because Django REST framework imports them from the
settings while its own views are being defined.
"""

from typing import Any

from django.conf import settings
from rest_framework import pagination
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from kcsp.paging import CountedPaginator
from kcsp.proxy import client_address


class Pagination(pagination.PageNumberPagination):
    """Pages of a list; a view that has counted the list already says so in
    its `known_count`."""

    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "There is no page {page_number} of this list."

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        count = getattr(view, "known_count", None)
        self.django_paginator_class = lambda *args, **kwargs: CountedPaginator(
            *args, count=count, **kwargs
        )
        return super().paginate_queryset(queryset, request, view)


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
