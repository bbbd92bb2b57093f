"""Pagination and the rate limit of the open data API.

Kept apart from `base` because Django REST framework imports them from the
settings while its own views are being defined.
"""

from django.conf import settings
from rest_framework import pagination
from rest_framework.throttling import AnonRateThrottle


class Pagination(pagination.PageNumberPagination):
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "There is no page {page_number} of this list."


class AnonymousApiThrottle(AnonRateThrottle):
    """Requests per client address, counted in the shared cache.

    The rate is read from settings at each request (API_ANON_RATE), so it can
    be changed without a restart of the class; None turns the limit off.
    """

    scope = "anon"

    def get_rate(self) -> str | None:
        return settings.API_ANON_RATE

    def __init__(self) -> None:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
