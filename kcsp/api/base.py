"""What every collection of the open data API shares.

- The public audience only: the API takes no sign-in, so whoever asks sees
  what an anonymous reader of the website sees, through each model's own
  visibility rule.
- `api_modified`: when a record last changed as a reader sees it, the latest
  of its own `updated_at` and that of the rows that govern its publication
  (an agenda item's meeting, a minute item's minutes ...). `updated_since`
  filters on it, and it is the `updated_at` every record shows.
- Conditional requests: lists and records carry an ETag made from the site's
  content version (`kcsp.pagecache`, the one version every cache keys on)
  and a Last-Modified from their newest `api_modified`, and answer 304 Not
  Modified to If-None-Match or If-Modified-Since. A list's aggregate (its
  count too, which the paginator reuses) is kept in the cache until any
  record changes, and at most FRAGMENT_CACHE_SECONDS for a record that
  becomes public with the clock.
- Pagination with next and previous links, and a rate limit per address.
"""

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import (
    Count,
    DateTimeField,
    F,
    Max,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kcsp import pagecache
from kcsp.models import Partnership
from kcsp.pagecache import cached_reading
from kcsp.paging import MAX_ROW_ID

API_VERSION = "1"

# Filters ------------------------------------------------------------------------

_OFFSET_AS_SPACE = re.compile(r" (\d{2}(?::?\d{2})?)$")


class IsoDateTimeField(forms.Field):
    """An ISO 8601 date or date and time; without an offset, London time."""

    default_error_messages = {
        "invalid": "Give an ISO 8601 date or date and time, for example "
        "2024-03-24 or 2024-03-24T10:00:00Z.",
    }

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        # An unencoded "+01:00" in a query string arrives as " 01:00".
        text = _OFFSET_AS_SPACE.sub(r"+\1", str(value).strip())
        try:
            parsed = dt.datetime.fromisoformat(text)
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
        except ValueError:
            raise DjangoValidationError(
                self.error_messages["invalid"], code="invalid"
            ) from None
        try:
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            # In year 1 or 9999 with an offset: before or after everything.
            if parsed.year == 1:
                return dt.datetime.min.replace(tzinfo=dt.UTC)
            return dt.datetime.max.replace(tzinfo=dt.UTC)


class IsoDateField(forms.DateField):
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": "Give a date as YYYY-MM-DD, for example 2024-03-24."
    }


@extend_schema_field(OpenApiTypes.DATETIME)
class UpdatedSinceFilter(filters.Filter):
    field_class = IsoDateTimeField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("field_name", "api_modified")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault(
            "label",
            "Only records changed at or after this ISO 8601 date or date and "
            "time (London time unless it has an offset).",
        )
        super().__init__(**kwargs)


@extend_schema_field(OpenApiTypes.DATE)
class IsoDateFilter(filters.DateFilter):
    field_class = IsoDateField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ROW_ID})
class IdFilter(filters.NumberFilter):
    """The id of a related record: a whole number the database can hold."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ROW_ID)
        super().__init__(**kwargs)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(filters.NumberFilter):
    """A year as four digits at most; anything else is a clear 400."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(**kwargs)


SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}


@extend_schema_field(SLUG)
class SlugFilter(filters.CharFilter):
    """A slug (letters, digits, hyphens, underscores); anything else is a
    clear 400 rather than a search for something that cannot exist."""

    field_class = forms.SlugField


@extend_schema_field(SLUG)
class BodyFilter(filters.ModelChoiceFilter):
    """A record chosen by its slug."""


class PublicFilterSet(filters.FilterSet):
    """Every list takes `updated_since`."""

    updated_since = UpdatedSinceFilter()


def body_filter(
    field_name: str, queryset: QuerySet[Any], **kwargs: Any
) -> filters.Filter:
    """Filter by the slug of a public body; any other slug is a clear 400."""
    return BodyFilter(
        field_name=field_name,
        **kwargs,
        queryset=queryset,
        to_field_name="slug",
        label="The slug of a body, as in /api/v1/bodies/.",
        error_messages={
            "invalid_choice": "No public body has that slug; the list is at "
            "/api/v1/bodies/."
        },
    )


def partnership_filter(field_name: str) -> filters.Filter:
    """Filter by the slug of a partnership (as in /partnerships/<slug>/); any
    other slug is a clear 400. `field_name` leads to the row's partnership."""
    return BodyFilter(
        field_name=field_name,
        queryset=Partnership.objects.all(),
        to_field_name="slug",
        label="The slug of a partnership, as in /partnerships/<slug>/.",
        error_messages={
            "invalid_choice": "No partnership has that slug; the list is at "
            "/partnerships/."
        },
    )


def date_filters(field_name: str, what: str) -> tuple[filters.Filter, filters.Filter]:
    """`date_from` and `date_to`, inclusive, on a date or date-time field."""
    lookup = "date__" if field_name.endswith(("start", "_at")) else ""
    return (
        IsoDateFilter(
            field_name=field_name,
            lookup_expr=f"{lookup}gte",
            label=f"Only {what} on or after this date (YYYY-MM-DD).",
        ),
        IsoDateFilter(
            field_name=field_name,
            lookup_expr=f"{lookup}lte",
            label=f"Only {what} on or before this date (YYYY-MM-DD).",
        ),
    )


# Errors ---------------------------------------------------------------------------


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Errors as {"detail": "...", "errors": {...}} in plain words."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in response.data.items()
        }
        words = "; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in errors.items())
        response.data = {"detail": f"The query is not valid. {words}", "errors": errors}
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait or 1
        response.data = {
            "detail": f"Too many requests from this address. Try again in "
            f"{wait} second{'s' if wait != 1 else ''}."
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"])}
    return response


# Viewsets --------------------------------------------------------------------------


def modified_expression(paths: Sequence[Any]) -> Any:
    """The latest of the given timestamps; a missing related row counts as the
    record's own `updated_at`."""
    expressions = [F(p) if isinstance(p, str) else p for p in paths or ("updated_at",)]
    if len(expressions) == 1:
        return expressions[0]
    return Greatest(
        *(Coalesce(e, F("updated_at")) for e in expressions),
        output_field=DateTimeField(),
    )


def updated_along(*links: str) -> tuple[str, ...]:
    """The record's `updated_at` and that of every row along each link: for
    `"minutes__meeting"`, the minutes' and the meeting's, as a minute item
    changes for its reader when either does."""
    paths = ["updated_at"]
    for link in links:
        steps = link.split("__")
        for depth in range(1, len(steps) + 1):
            path = "__".join(steps[:depth]) + "__updated_at"
            if path not in paths:
                paths.append(path)
    return tuple(paths)


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only collection of public records.

    Subclasses give `public_queryset()` (the app's visibility rule for the
    public audience, with the joins the serializer reads) and
    `changed_paths`: the timestamps whose latest is the record's
    `updated_at`.
    """

    changed_paths: Sequence[Any] = ("updated_at",)
    lookup_value_regex = "[0-9]+"
    # How many records the list holds, once counted with its validators.
    known_count: int | None = None
    filterset_class: type[PublicFilterSet] = PublicFilterSet

    def public_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        return self.public_queryset().annotate(
            api_modified=modified_expression(self.changed_paths)
        )

    def _validators(self, request: Request, latest: Any) -> HttpResponse:
        """An empty response carrying the ETag (the site's content version,
        as every cached page and document is keyed) and Last-Modified (when
        the newest record shown last changed)."""
        query = sorted(request.query_params.lists())
        state = pagecache.site_state(request._request)
        raw = f"v{API_VERSION}|{request.path}|{query}|{state}"
        headers = HttpResponse()
        headers["ETag"] = f'"{hashlib.sha256(raw.encode()).hexdigest()[:40]}"'
        if latest is not None:
            headers["Last-Modified"] = http_date(latest.timestamp())
        headers["Cache-Control"] = "public, max-age=60"
        return headers

    def _conditional(
        self, request: Request, headers: HttpResponse, latest: Any
    ) -> HttpResponse | None:
        last_modified = int(latest.timestamp()) if latest is not None else None
        response = get_conditional_response(
            request._request,
            etag=headers["ETag"],
            last_modified=last_modified,
            response=headers,
        )
        return response if response is not headers else None

    @staticmethod
    def _copy_validators(source: HttpResponse, response: Response) -> Response:
        for name in ("ETag", "Last-Modified", "Cache-Control"):
            if name in source:
                response[name] = source[name]
        return response

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        queryset = self.filter_queryset(self.get_queryset())
        # Counting every matching record: once per version of the content.
        state = cached_reading(
            request._request,
            "api-list",
            queryset,
            lambda: queryset.order_by().aggregate(
                count=Count("pk"), latest=Max("api_modified")
            ),
        )
        latest = state["latest"]
        headers = self._validators(request, latest)
        not_modified = self._conditional(request, headers, latest)
        if not_modified is not None:
            return not_modified
        self.known_count = state["count"]
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        return self._copy_validators(headers, self.get_paginated_response(data))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        instance = self.get_object()
        latest = instance.api_modified
        headers = self._validators(request, latest)
        not_modified = self._conditional(request, headers, latest)
        if not_modified is not None:
            return not_modified
        data = self.get_serializer(instance).data
        return self._copy_validators(headers, Response(data))


def latest_related(model: type[Any], link: str) -> Subquery:
    """When the newest row of `model` pointing at the record (by `link`)
    changed: for records that show their children (a priority's leads)."""
    return Subquery(
        model.objects.filter(**{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(latest=Max("updated_at"))
        .values("latest")[:1],
        output_field=DateTimeField(),
    )
