"""Feeds and calendars: what the public can follow without visiting the site.

Atom and RSS feeds: agendas and minutes as they are published, and
decisions. Each feed exists for every public body together, for one
partnership's bodies (`?partnership=<slug>`) and for one body, in RSS 2.0
and Atom.

Meetings as iCalendar (RFC 5545) for calendar apps to subscribe to. One
event per public meeting, with a UID that never changes, so a moved
meeting moves in people's calendars rather than appearing twice. SEQUENCE
counts the meeting's saved revisions and LAST-MODIFIED is its last change,
which is how calendar apps tell an update from a repeat. Cancelled and
postponed meetings stay, with STATUS:CANCELLED, so subscribers see them go.
Times are written in Europe/London with its VTIMEZONE.

Feeds and calendars are public surfaces, read without a sign-in, so they
always show what the public sees, whoever asks.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event

from kcsp.formatting import long_date, meeting_when
from kcsp.models import Partnership
from kcsp.richtext import light_to_plain
from kcsp.visibility import Audience, Visibility
from meetings.models import (
    AgendaItem,
    Body,
    Document,
    Meeting,
    MinuteItem,
    Minutes,
    Resolution,
    Supplement,
)

ITEMS = 30
PUBLIC = Audience.PUBLIC

# What a feed covers: one body, one partnership's bodies, or every body.
Scope = Body | Partnership | None


def _public_body(slug: str | None) -> Body | None:
    if slug is None:
        return None
    return get_object_or_404(Body.objects.for_audience(PUBLIC), slug=slug)


def _narrowed(rows: QuerySet[Any], body_path: str, scope: Scope) -> QuerySet[Any]:
    """`rows` of the body, or of the partnership's bodies, `scope` names
    (all of them for None); `body_path` leads from a row to its body."""
    if isinstance(scope, Partnership):
        return rows.filter(**{f"{body_path}__partnership": scope})
    if scope is not None:
        return rows.filter(**{body_path: scope})
    return rows


# Feeds ------------------------------------------------------------------------------


def _public_items(model: type[AgendaItem | MinuteItem], *order: str) -> Prefetch:
    """The public items of each agenda or minutes, in `order`, read from
    `public_items`."""
    return Prefetch(
        "items",
        queryset=model.objects.for_audience(PUBLIC)
        .filter(visibility=Visibility.PUBLIC)
        .order_by(*order),
        to_attr="public_items",
    )


def agendas_for_feed(*, body: Scope) -> QuerySet[Meeting]:
    """Meetings whose agendas are published, newest publication first, with
    their public items in agenda order (`public_items`)."""
    meetings = (
        Meeting.objects.for_audience(PUBLIC)
        .filter(agenda_published_at__isnull=False)
        .select_related("body__partnership")
        .prefetch_related(
            _public_items(AgendaItem, "section__order", "section__letter", "number")
        )
        .order_by("-agenda_published_at", "-pk")
    )
    return _narrowed(meetings, "body", body)


def supplements_for_feed(*, body: Scope) -> QuerySet[Supplement]:
    """Supplementary agendas of public meetings, newest first, with the
    papers the public may read (`public_papers`)."""
    meetings = Meeting.objects.for_audience(PUBLIC).filter(
        agenda_published_at__isnull=False
    )
    supplements = (
        Supplement.objects.filter(meeting__in=meetings)
        .select_related("meeting__body__partnership")
        .prefetch_related(
            Prefetch(
                "documents",
                queryset=Document.objects.for_audience(PUBLIC).order_by("order"),
                to_attr="public_papers",
            )
        )
        .order_by("-published_at", "-pk")
    )
    return _narrowed(supplements, "meeting__body", body)


def _supplement_papers(supplement: Any) -> str:
    """A Supplement read by `supplements_for_feed`: when, and which papers."""
    lines = [f"Papers published on {long_date(supplement.published_at)}:"]
    return "\n".join(lines + [paper.title for paper in supplement.public_papers])


def minutes_for_feed(*, body: Scope) -> QuerySet[Minutes]:
    """Published minutes, newest publication first, with their public items."""
    minutes = (
        Minutes.objects.for_audience(PUBLIC)
        .select_related("meeting__body__partnership")
        .prefetch_related(_public_items(MinuteItem, "order", "number"))
        .order_by("-published_at", "-pk")
    )
    return _narrowed(minutes, "meeting__body", body)


def decisions_for_feed(*, body: Scope) -> QuerySet[Resolution]:
    """Decisions of published minutes, newest publication first."""
    decisions = (
        Resolution.objects.for_audience(PUBLIC)
        .select_related("minute_item__minutes__meeting__body__partnership")
        .prefetch_related("parts")
        .order_by(
            "-minute_item__minutes__published_at",
            "-minute_item__number",
            "order",
            "pk",
        )
    )
    return _narrowed(decisions, "minute_item__minutes__meeting__body", body)


class _BodyFeed(Feed):
    """Shared by every feed: the optional body or partnership, titles and
    links."""

    label = ""
    route = ""
    # The feed's rows of a body, of a partnership's bodies, or of every body
    # (`body=None`), newest first.
    select: Callable[..., QuerySet[Any]]

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Scope:
        """The body of the address; else the partnership of
        `?partnership=<slug>` ("page not found" for a slug none has)."""
        if slug is None and (wanted := request.GET.get("partnership")):
            return _partnership_named(wanted)
        return _public_body(slug)

    def title(self, obj: Scope) -> str:
        return f"{self.label}: {obj.name if obj else settings.PORTAL_NAME}"

    def link(self, obj: Scope) -> str:
        return obj.get_absolute_url() if obj else reverse("meetings:list")

    def feed_url(self, obj: Scope) -> str:
        kind = "atom" if self.feed_type is Atom1Feed else "rss"
        if isinstance(obj, Partnership):
            return f"{reverse(f'feeds:{self.route}_{kind}')}?partnership={obj.slug}"
        if obj:
            return reverse(f"feeds:body_{self.route}_{kind}", args=[obj.slug])
        return reverse(f"feeds:{self.route}_{kind}")

    def description(self, obj: Scope) -> str:
        return f"{self.label} of {obj.name if obj else settings.PORTAL_NAME}."

    subtitle = description

    def items(self, obj: Scope) -> list[Any]:
        return list(self.select(body=obj)[:ITEMS])

    # Guids name the kind of item and its row ("minutes-12"), not an address.
    item_guid_is_permalink = False

    def item_updateddate(self, item: Any) -> Any:
        return item.updated_at


class AgendasFeed(_BodyFeed):
    label = "Agendas published"
    route = "agendas"

    def items(self, obj: Scope) -> list[Meeting | Supplement]:
        """Agendas and the supplementary agendas published after them."""
        found: list[Meeting | Supplement] = [
            *agendas_for_feed(body=obj)[:ITEMS],
            *supplements_for_feed(body=obj)[:ITEMS],
        ]
        return sorted(found, key=self.item_pubdate, reverse=True)[:ITEMS]

    def item_title(self, item: Meeting | Supplement) -> str:
        if isinstance(item, Supplement):
            meeting = item.meeting
            return f"{item}: {meeting.body.name}, {long_date(meeting.start)}"
        cancelled = " (cancelled)" if item.is_cancelled else ""
        return f"Agenda: {item.body.name}, {long_date(item.start)}{cancelled}"

    def item_description(self, item: Any) -> str:
        # A Meeting with its public items prefetched (`public_items`), or a
        # Supplement with its public papers (`public_papers`).
        if isinstance(item, Supplement):
            return _supplement_papers(item)
        lines = [f"{item.when}. {item.place}."]
        lines += [f"{i.reference} {i.title}" for i in item.public_items]
        return "\n".join(lines)

    def item_link(self, item: Meeting | Supplement) -> str:
        meeting = item.meeting if isinstance(item, Supplement) else item
        return meeting.get_absolute_url()

    def item_guid(self, item: Meeting | Supplement) -> str:
        if isinstance(item, Supplement):
            return f"supplement-{item.pk}"
        return f"agenda-{item.pk}"

    def item_pubdate(self, item: Meeting | Supplement) -> Any:
        if isinstance(item, Supplement):
            return item.published_at
        return item.agenda_published_at


class MinutesFeed(_BodyFeed):
    label = "Minutes published"
    route = "minutes"

    select = staticmethod(minutes_for_feed)

    def item_title(self, item: Minutes) -> str:
        meeting = item.meeting
        label = "Approved minutes" if item.is_frozen else "Draft minutes"
        return f"{label}: {meeting.body.name}, {long_date(meeting.start)}"

    def item_description(self, item: Any) -> str:
        # `item` is Minutes with their public items prefetched (`public_items`).
        lines = [item.status_label + "."]
        lines += [f"{i.number}. {i.title}" for i in item.public_items]
        return "\n".join(lines)

    def item_link(self, item: Minutes) -> str:
        return f"{item.meeting.get_absolute_url()}#minutes"

    def item_guid(self, item: Minutes) -> str:
        return f"minutes-{item.pk}"

    def item_pubdate(self, item: Minutes) -> Any:
        return item.published_at or item.updated_at


class DecisionsFeed(_BodyFeed):
    label = "Decisions"
    route = "decisions"

    select = staticmethod(decisions_for_feed)

    def item_title(self, item: Resolution) -> str:
        minute = item.minute_item
        meeting = minute.minutes.meeting
        return (
            f"{meeting.body.name}, {long_date(meeting.start)}, "
            f"minute {minute.number}: {minute.title}"
        )

    def item_description(self, item: Resolution) -> str:
        lines = [light_to_plain(item.text)]
        lines += [f"{p.letter}) {light_to_plain(p.text)}" for p in item.parts.all()]
        return "\n".join(line for line in lines if line)

    def item_link(self, item: Resolution) -> str:
        return item.minute_item.get_absolute_url()

    def item_guid(self, item: Resolution) -> str:
        return f"decision-{item.pk}"

    def item_pubdate(self, item: Resolution) -> Any:
        return item.minute_item.minutes.published_at or item.updated_at


def atom(feed: type[_BodyFeed]) -> type[_BodyFeed]:
    """The Atom edition of a feed."""
    return type(f"{feed.__name__}Atom", (feed,), {"feed_type": Atom1Feed})


# Calendars --------------------------------------------------------------------------

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
        Meeting.objects.for_audience(PUBLIC)
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


def _event(meeting: Any, request: HttpRequest) -> Event:
    """The calendar event of a meeting annotated with its `revisions`."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    title = meeting.body.name
    if meeting.status == Meeting.Status.CANCELLED:
        title = f"Cancelled: {title}"
    elif meeting.status == Meeting.Status.POSTPONED:
        title = f"Postponed: {title}"
    event.add("summary", title)
    event.add("dtstart", timezone.localtime(meeting.start))
    event.add("dtend", timezone.localtime(meeting.expected_end))
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
    elif meeting.is_moved:
        moved = meeting_when(meeting.moved_from)
        lines.append(f"Moved from {moved}. {meeting.status_reason}")
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
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
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


def _partnership_named(slug: str) -> Partnership:
    found = Partnership.objects.named(slug)
    if found is None:
        raise Http404("No partnership has that address.")
    return found


def all_meetings(request: HttpRequest) -> HttpResponse:
    """Every public body's meetings; one partnership's with
    `?partnership=<slug>` ("page not found" for a slug none has)."""
    meetings = meetings_for_calendar()
    name, filename = f"{settings.PORTAL_SHORT_NAME} meetings", "meetings.ics"
    if slug := request.GET.get("partnership"):
        partnership = _partnership_named(slug)
        meetings = meetings.filter(body__partnership=partnership)
        name, filename = f"{partnership.label} meetings", f"{partnership.slug}.ics"
    calendar = calendar_for(meetings=meetings, name=name, request=request)
    return _response(calendar, filename)


def body_meetings(request: HttpRequest, slug: str) -> HttpResponse:
    """One body's meetings; "page not found" for a body that is not public."""
    body = get_object_or_404(Body.objects.for_audience(PUBLIC), slug=slug)
    calendar = calendar_for(
        meetings=meetings_for_calendar(body=body),
        name=f"{body.name} meetings",
        request=request,
    )
    return _response(calendar, f"{body.slug}.ics")
