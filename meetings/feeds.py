"""Atom and RSS feeds: agendas and minutes as they are published, and decisions.

Each feed exists for every public body together and for one body, in RSS 2.0
and Atom. Feeds are public surfaces, read by feed readers without a sign-in,
so they always show what the public sees, whoever asks.
"""

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from kcsp.formatting import long_date
from kcsp.richtext import light_to_plain
from kcsp.visibility import Audience, Visibility
from meetings.models import AgendaItem, Body, Meeting, MinuteItem, Minutes, Resolution

ITEMS = 30
PUBLIC = Audience.PUBLIC


def _public_body(slug: str | None) -> Body | None:
    if slug is None:
        return None
    return get_object_or_404(Body.objects.for_audience(PUBLIC), slug=slug)


def agendas_for_feed(*, body: Body | None) -> QuerySet[Meeting]:
    """Meetings whose agendas are published, newest publication first, with
    their public items in agenda order (`public_items`)."""
    meetings = (
        Meeting.objects.for_audience(PUBLIC)
        .filter(agenda_published_at__isnull=False)
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=AgendaItem.objects.for_audience(PUBLIC)
                .filter(visibility=Visibility.PUBLIC)
                .order_by("section__order", "section__letter", "number"),
                to_attr="public_items",
            )
        )
        .order_by("-agenda_published_at", "-pk")
    )
    return meetings.filter(body=body) if body else meetings


def minutes_for_feed(*, body: Body | None) -> QuerySet[Minutes]:
    """Published minutes, newest publication first, with their public items."""
    minutes = (
        Minutes.objects.for_audience(PUBLIC)
        .select_related("meeting__body")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=MinuteItem.objects.for_audience(PUBLIC)
                .filter(visibility=Visibility.PUBLIC)
                .order_by("order", "number"),
                to_attr="public_items",
            )
        )
        .order_by("-published_at", "-pk")
    )
    return minutes.filter(meeting__body=body) if body else minutes


def decisions_for_feed(*, body: Body | None) -> QuerySet[Resolution]:
    """Decisions of published minutes, newest publication first."""
    decisions = (
        Resolution.objects.for_audience(PUBLIC)
        .select_related("minute_item__minutes__meeting__body")
        .prefetch_related("parts")
        .order_by(
            "-minute_item__minutes__published_at",
            "-minute_item__number",
            "order",
            "pk",
        )
    )
    return (
        decisions.filter(minute_item__minutes__meeting__body=body)
        if body
        else (decisions)
    )


class _BodyFeed(Feed):
    """Shared by every feed: the optional body, titles and links."""

    label = ""
    route = ""

    def get_object(self, request: HttpRequest, slug: str | None = None) -> Body | None:
        return _public_body(slug)

    def title(self, obj: Body | None) -> str:
        return f"{self.label}: {obj.name if obj else settings.PORTAL_NAME}"

    def link(self, obj: Body | None) -> str:
        return obj.get_absolute_url() if obj else reverse("meetings:list")

    def feed_url(self, obj: Body | None) -> str:
        kind = "atom" if self.feed_type is Atom1Feed else "rss"
        if obj:
            return reverse(f"feeds:body_{self.route}_{kind}", args=[obj.slug])
        return reverse(f"feeds:{self.route}_{kind}")

    def description(self, obj: Body | None) -> str:
        return f"{self.label} of {obj.name if obj else settings.PORTAL_NAME}."

    subtitle = description


class AgendasFeed(_BodyFeed):
    label = "Agendas published"
    route = "agendas"

    def items(self, obj: Body | None) -> list[Meeting]:
        return list(agendas_for_feed(body=obj)[:ITEMS])

    def item_title(self, item: Meeting) -> str:
        cancelled = " (cancelled)" if item.is_cancelled else ""
        return f"Agenda: {item.body.name}, {long_date(item.start)}{cancelled}"

    def item_description(self, item: Meeting) -> str:
        lines = [f"{item.when}. {item.place}."]
        lines += [f"{i.reference} {i.title}" for i in item.public_items]
        return "\n".join(lines)

    def item_link(self, item: Meeting) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Meeting) -> str:
        return f"agenda-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Meeting) -> Any:
        return item.agenda_published_at

    def item_updateddate(self, item: Meeting) -> Any:
        return item.updated_at


class MinutesFeed(_BodyFeed):
    label = "Minutes published"
    route = "minutes"

    def items(self, obj: Body | None) -> list[Minutes]:
        return list(minutes_for_feed(body=obj)[:ITEMS])

    def item_title(self, item: Minutes) -> str:
        meeting = item.meeting
        label = "Approved minutes" if item.is_frozen else "Draft minutes"
        return f"{label}: {meeting.body.name}, {long_date(meeting.start)}"

    def item_description(self, item: Minutes) -> str:
        lines = [item.status_label + "."]
        lines += [f"{i.number}. {i.title}" for i in item.public_items]
        return "\n".join(lines)

    def item_link(self, item: Minutes) -> str:
        return f"{item.meeting.get_absolute_url()}#minutes"

    def item_guid(self, item: Minutes) -> str:
        return f"minutes-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Minutes) -> Any:
        return item.published_at or item.updated_at

    def item_updateddate(self, item: Minutes) -> Any:
        return item.updated_at


class DecisionsFeed(_BodyFeed):
    label = "Decisions"
    route = "decisions"

    def items(self, obj: Body | None) -> list[Resolution]:
        return list(decisions_for_feed(body=obj)[:ITEMS])

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

    item_guid_is_permalink = False

    def item_pubdate(self, item: Resolution) -> Any:
        return item.minute_item.minutes.published_at or item.updated_at

    def item_updateddate(self, item: Resolution) -> Any:
        return item.updated_at


def atom(feed: type[_BodyFeed]) -> type[_BodyFeed]:
    """The Atom edition of a feed."""
    return type(f"{feed.__name__}Atom", (feed,), {"feed_type": Atom1Feed})
