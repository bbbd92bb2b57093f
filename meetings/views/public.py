"""The public pages: committees, their forward plans, meetings, decisions and
papers.

Everyone reads them, signed in or not; each reader sees what the visibility
rule lets them (the selectors ask it), and signed-out pages are kept in the
page cache (`public_page`).
"""

import datetime as dt
import functools
from typing import Any

from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django_filters import FilterSet

from kcsp.models import Organisation
from kcsp.pagecache import content_fragment, public_page
from kcsp.paging import filtered_page, paginator, whole_number
from kcsp.uploads import uploaded_file_response
from kcsp.visibility import audience_of
from kcsp.workdays import municipal_year
from meetings import selectors
from meetings.attendance import attendance_statistics
from meetings.filters import DecisionFilter, MeetingFilter
from meetings.models import Body, Meeting
from meetings.printing import documents as printing

MEETINGS_PER_PAGE = 25
# The decisions register pages through the first thousand that match (forty
# pages); a reader finds older ones by committee, dates or words. Counting
# every decision of a long archive costs more than the rest of the page.
DECISIONS_LISTED = 1000


def filtered_list(
    request: HttpRequest,
    filter_class: type[FilterSet],
    queryset: QuerySet[Any],
    *,
    per_page: int,
    at_most: int | None = None,
) -> dict[str, Any]:
    """The context of a public list (meetings, decisions, petitions):
    filtered as the request asks, `per_page` rows at a time, the count kept
    in the cache (and only up to `at_most`, see `paginator`).

    It is built when the template first reads it: a page whose content is
    in the content cache (`content_fragment`) neither builds the filter's
    form nor compiles the list's queries."""

    @functools.cache
    def built() -> dict[str, Any]:
        filterset = filter_class(request.GET, queryset=queryset, request=request)
        # A filter set may read its pages a cheaper way than slicing `qs`.
        pages_of = getattr(filterset, "pages_of", None)
        pages = paginator(
            request,
            filterset.qs,
            per_page,
            at_most=at_most,
            pages_of=pages_of() if pages_of else None,
        )
        return filtered_page(request, filterset, pages)

    return {
        name: SimpleLazyObject(functools.partial(lambda name: built()[name], name))
        for name in ("filter", "page_obj", "query")
    }


@public_page
def body_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.bodies_by_kind(user=request.user)
    return render(request, "meetings/body_list.html", {"groups": groups})


@public_page
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.body_for_page(slug=slug, user=request.user)
    year = whole_number(request.GET.get("year"), most=dt.MAXYEAR)
    page = selectors.body_page(body=body, user=request.user, year=year)
    return render(request, "meetings/body_detail.html", {"page": page, "body": body})


@public_page
def forward_plan(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.body_for_page(slug=slug, user=request.user)
    plan = selectors.forward_plan(body=body, user=request.user)
    return render(request, "meetings/forward_plan.html", {"body": body, "plan": plan})


@public_page
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meetings_for_list(user=request.user)
    context = {
        **filtered_list(request, MeetingFilter, meetings, per_page=MEETINGS_PER_PAGE),
        "upcoming": selectors.upcoming_meetings(user=request.user)
        if not request.GET
        else [],
    }
    return render(request, "meetings/meeting_list.html", context)


@public_page
def decision_list(request: HttpRequest) -> HttpResponse:
    """The list is kept in the cache for each audience and query until
    anything changes (`content_fragment`)."""
    fragment = content_fragment(request)
    decisions = selectors.decisions_for_list(user=request.user)
    context = filtered_list(
        request,
        DecisionFilter,
        decisions,
        per_page=MEETINGS_PER_PAGE,
        at_most=DECISIONS_LISTED,
    )
    return render(request, "meetings/decision_list.html", {**context, **fragment})


@public_page
def meeting_detail(request: HttpRequest, body: str, key: str) -> HttpResponse:
    """The meeting's front sheet, agenda and minutes are kept in the cache
    for each audience until anything changes (`content_fragment`); the
    page's data is read only when they are not."""
    fragment = content_fragment(request)
    try:
        meeting = selectors.meeting_for_page(body_slug=body, key=key, user=request.user)
    except Http404:
        moved = selectors.meeting_moved(body_slug=body, key=key, user=request.user)
        if moved is None:
            raise
        return HttpResponsePermanentRedirect(moved.get_absolute_url())
    page = SimpleLazyObject(
        lambda: selectors.meeting_page(meeting=meeting, user=request.user)
    )
    stored = SimpleLazyObject(lambda: _stored_content(request, meeting))
    context = {"page": page, "meeting": meeting, "stored_content": stored, **fragment}
    return render(request, "meetings/meeting_detail.html", context)


def _stored_content(request: HttpRequest, meeting: Meeting) -> str:
    """The page's stored content for this reader, or "" when it is rendered
    here (see `printing.stored_page_content`)."""
    html = printing.stored_page_content(
        meeting=meeting, user=request.user, request=request
    )
    # Rendered by the portal's own template from its own records.
    return mark_safe(html) if html else ""  # noqa: S308


def _period(request: HttpRequest) -> tuple[dt.date, dt.date, list[str]]:
    """The period asked for: a council year (`year`, from May), or a term
    from one date to another (`from`, `to`); the current council year
    otherwise. Dates that cannot be read are named, and the year shown."""
    errors = []
    start, end = municipal_year(timezone.localdate())
    if year := whole_number(request.GET.get("year"), most=dt.MAXYEAR):
        if 1990 <= year <= 2100:
            start, end = municipal_year(dt.date(year, 5, 1))
        else:
            errors.append("Choose a year between 1990 and 2100.")
    if request.GET.get("from") or request.GET.get("to"):
        typed = [_date_or_none(request.GET.get(n, "")) for n in ("from", "to")]
        if None in typed:
            errors.append("Enter both dates of the term, like 2022-05-01.")
        elif typed[0] > typed[1]:  # type: ignore[operator]
            errors.append("The first date of the term must come before the last.")
        else:
            start, end = typed  # type: ignore[assignment]
    return start, end, errors


def _attendance_page(
    request: HttpRequest, template: str, subject: dict[str, Any], **query: Any
) -> HttpResponse:
    start, end, errors = _period(request)
    stats = attendance_statistics(
        audience=audience_of(request.user), start=start, end=end, **query
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(stats.csv(), content_type="text/csv; charset=utf-8")
        name = f"attendance-{subject['slug']}-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    years = range(timezone.localdate().year, timezone.localdate().year - 8, -1)
    context = {**subject, "stats": stats, "errors": errors, "years": years}
    return render(request, template, context, status=400 if errors else 200)


@public_page
def body_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """A body's attendance over a council year or a term: each member and each
    partner organisation, as a page and as a CSV file."""
    body = selectors.body_for_page(slug=slug, user=request.user)
    return _attendance_page(
        request,
        "meetings/attendance.html",
        {"body": body, "slug": body.slug},
        bodies=[body],
    )


@public_page
def organisation_attendance(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner organisation's attendance at every body it sits on, for the
    partnership's annual report."""
    organisation = get_object_or_404(Organisation, slug=slug)
    return _attendance_page(
        request,
        "meetings/organisation_attendance.html",
        {"organisation": organisation, "slug": organisation.slug},
        bodies=list(Body.objects.visible_to(request.user)),
        organisation=organisation,
    )


def document_download(request: HttpRequest, pk: int, filename: str) -> HttpResponseBase:
    """Serve a paper only to those who may read it; 404 for everyone else."""
    document = selectors.document_for_download(pk=pk, user=request.user)
    if not document.file:
        if document.external_url:
            return HttpResponseRedirect(document.external_url)
        return render(request, "404.html", status=404)
    if filename != document.filename:
        return HttpResponseRedirect(document.get_absolute_url())
    response = uploaded_file_response(
        document.file,
        filename=document.filename,
        file_kind=document.file_kind,
        mime_type=document.mime_type,
    )
    # Anyone signed out can only have reached a public paper.
    response["Cache-Control"] = (
        "private, no-cache" if request.user.is_authenticated else "public, max-age=300"
    )
    return response


def _date_or_none(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None
