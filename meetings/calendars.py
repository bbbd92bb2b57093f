"""Meetings as iCalendar (RFC 5545) for calendar apps to subscribe to.

One event per public meeting, with a UID that never changes, so a moved
meeting moves in people's calendars rather than appearing twice. SEQUENCE
counts the meeting's saved revisions and LAST-MODIFIED is its last change,
which is how calendar apps tell an update from a repeat. Cancelled and
postponed meetings stay, with STATUS:CANCELLED, so subscribers see them go.
Times are written in Europe/London with its VTIMEZONE.
"""

import datetime as dt
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from icalendar import Calendar, Event

from kcsp.visibility import Audience
from meetings.models import Body, Meeting

LONDON = ZoneInfo("Europe/London")
# Calendars carry the coming meetings and a year of past ones: enough for a
# subscriber, and a fixed size however long the portal has run.
PAST_DAYS = 366


def _revisions() -> Subquery:
    historical = Meeting.history.model
    return Subquery(
        historical.objects.filter(id=OuterRef("pk"))
        .order_by()
        .values("id")
        .annotate(n=Count("history_id"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def meetings_for_calendar(*, body: Body | None = None) -> QuerySet[Meeting]:
    """Public meetings from a year ago onwards, oldest first, with their body
    and their number of saved revisions (`revisions`)."""
    since = timezone.now() - dt.timedelta(days=PAST_DAYS)
    meetings = (
        Meeting.objects.for_audience(Audience.PUBLIC)
        .filter(start__gte=since)
        .select_related("body")
        .annotate(revisions=Coalesce(_revisions(), 1))
        .order_by("start", "pk")
    )
    return meetings.filter(body=body) if body is not None else meetings


def _host() -> str:
    return urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    """Stable for the meeting's whole life, whatever changes."""
    return f"meeting-{meeting.pk}@{_host()}"


def _status(meeting: Meeting) -> str:
    return "CANCELLED" if meeting.is_cancelled else "CONFIRMED"


def _event(meeting: Meeting, request: HttpRequest) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    title = meeting.body.name
    if meeting.status == Meeting.Status.CANCELLED:
        title = f"Cancelled: {title}"
    elif meeting.status == Meeting.Status.POSTPONED:
        title = f"Postponed: {title}"
    event.add("summary", title)
    event.add("dtstart", timezone.localtime(meeting.start, LONDON))
    if meeting.end:
        event.add("dtend", timezone.localtime(meeting.end, LONDON))
    event.add("dtstamp", meeting.updated_at)
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("sequence", max(0, meeting.revisions - 1))
    event.add("status", _status(meeting))
    event.add("location", meeting.place)
    url = request.build_absolute_uri(meeting.get_absolute_url())
    event.add("url", url)
    lines = [f"{meeting.body.name}, {meeting.when}.", meeting.get_status_display()]
    if meeting.status_reason and meeting.is_cancelled:
        lines.append(meeting.status_reason)
    lines.append(f"Agenda, papers and minutes: {url}")
    event.add("description", "\n".join(lines))
    return event


def calendar_for(
    *, meetings: QuerySet[Meeting], name: str, request: HttpRequest
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.PORTAL_NAME}//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add("x-published-ttl", dt.timedelta(hours=1))
    for meeting in meetings:
        calendar.add_component(_event(meeting, request))
    calendar.add_missing_timezones()
    return calendar


def _response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=900"
    return response


def all_meetings(request: HttpRequest) -> HttpResponse:
    """Every public body's meetings."""
    calendar = calendar_for(
        meetings=meetings_for_calendar(),
        name=f"{settings.PORTAL_SHORT_NAME} meetings",
        request=request,
    )
    return _response(calendar, "meetings.ics")


def body_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """One body's meetings; "page not found" for a body that is not public."""
    body = get_object_or_404(Body.objects.for_audience(Audience.PUBLIC), slug=slug)
    calendar = calendar_for(
        meetings=meetings_for_calendar(body=body),
        name=f"{body.name} meetings",
        request=request,
    )
    return _response(calendar, f"{body.slug}.ics")
