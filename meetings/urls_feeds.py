"""Addresses of the meetings' calendars and feeds (namespace "feeds").

Calendars: /meetings/calendar.ics (every public body) and
/committees/<body>/calendar.ics. Feeds: /feeds/<kind>.rss and .atom, and
/committees/<body>/feeds/<kind>.rss and .atom, for agendas, minutes and
decisions.
"""

from django.urls import URLPattern, path

from meetings import calendars
from meetings.feeds import AgendasFeed, DecisionsFeed, MinutesFeed, atom

app_name = "feeds"

FEEDS = {"agendas": AgendasFeed, "minutes": MinutesFeed, "decisions": DecisionsFeed}

urlpatterns: list[URLPattern] = [
    path("meetings/calendar.ics", calendars.all_meetings, name="calendar"),
    path(
        "committees/<slug:slug>/calendar.ics",
        calendars.body_meetings,
        name="body_calendar",
    ),
]
for kind, feed in FEEDS.items():
    urlpatterns += [
        path(f"feeds/{kind}.rss", feed(), name=f"{kind}_rss"),
        path(f"feeds/{kind}.atom", atom(feed)(), name=f"{kind}_atom"),
        path(
            f"committees/<slug:slug>/feeds/{kind}.rss",
            feed(),
            name=f"body_{kind}_rss",
        ),
        path(
            f"committees/<slug:slug>/feeds/{kind}.atom",
            atom(feed)(),
            name=f"body_{kind}_atom",
        ),
    ]
