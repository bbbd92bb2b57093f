"""Calendars (iCalendar) and feeds (RSS and Atom) of meetings, agendas,
minutes and decisions, read back with the libraries subscribers use."""

import datetime as dt
from typing import Any

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from meetings import services
from meetings.models import Meeting
from tests import factories
from tests.api import world

pytestmark = pytest.mark.django_db

KINDS = ["agendas", "minutes", "decisions"]


def day(offset: int, hour: int = 10) -> str:
    """A start `offset` days from today, as the factories take it."""
    date = timezone.localdate() + dt.timedelta(days=offset)
    return f"{date.isoformat()}T{hour:02d}:00"


@pytest.fixture
def recent(db: None) -> dict[str, Any]:
    """Meetings within the calendars' window: one held with published
    minutes, one with draft minutes, one not yet published, one of a body
    whose meetings are not published."""
    body = factories.body()
    hidden = factories.body("SECRET Tasking Group", is_public=False)
    held = world.meeting_with_minutes(body, day(-30))
    drafted = world.meeting_with_minutes(body, day(-10), publish_minutes=False)
    hidden_meeting = world.meeting_with_minutes(hidden, day(-20), tag="SECRET")
    coming = factories.meeting(body, start=day(14), online=True, venue="")
    factories.item(factories.section(coming), "SECRET unpublished agenda item")
    return {
        "body": body,
        "hidden": hidden,
        "held": held,
        "drafted": drafted,
        "hidden_meeting": hidden_meeting,
        "coming": coming,
    }


def calendar(client: Client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert world.SECRET not in response.content.decode()
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, Any]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@127.0.0.1"


# Calendars ------------------------------------------------------------------------


def test_calendar_has_one_event_per_public_meeting(
    client: Client, recent: dict[str, Any]
) -> None:
    cal = calendar(client, "/meetings/calendar.ics")
    found = events(cal)
    public = [recent["held"], recent["drafted"], recent["coming"]]
    assert set(found) == {uid(m) for m in public}
    assert len(cal.walk("VEVENT")) == 3
    held = found[uid(recent["held"])]
    assert str(held["SUMMARY"]) == "Kent Community Safety Partnership"
    assert str(held["LOCATION"]) == (
        "Darent Room, Sessions House, County Hall, Maidstone"
    )
    assert str(held["URL"]) == (f"http://testserver{recent['held'].get_absolute_url()}")
    assert held["DTSTART"].dt == recent["held"].start
    assert str(held["DTSTART"].dt.tzinfo) == "Europe/London"
    assert str(held["STATUS"]) == "CONFIRMED"
    # No end given: the body's usual two hours.
    assert held["DTEND"].dt == recent["held"].start + dt.timedelta(hours=2)
    assert str(found[uid(recent["coming"])]["LOCATION"]) == "Online"
    assert cal.walk("VTIMEZONE"), "times need their time zone"


def test_body_calendar_and_hidden_bodies(
    client: Client, recent: dict[str, Any]
) -> None:
    other = factories.body("Crime and Disorder Committee")
    committee = factories.meeting(other, start=day(3))
    mine = events(calendar(client, f"/committees/{recent['body'].slug}/calendar.ics"))
    assert uid(committee) not in mine and uid(recent["held"]) in mine
    theirs = events(calendar(client, f"/committees/{other.slug}/calendar.ics"))
    assert set(theirs) == {uid(committee)}
    hidden = client.get(f"/committees/{recent['hidden'].slug}/calendar.ics")
    assert hidden.status_code == 404


def test_one_partnerships_calendar_and_feeds(
    client: Client, recent: dict[str, Any]
) -> None:
    dover = factories.partnership("Dover")
    board = factories.body("Dover CSP Board", partnership=dover)
    district = factories.meeting(board, start=day(5))
    theirs = events(
        calendar(client, f"/meetings/calendar.ics?partnership={dover.slug}")
    )
    assert set(theirs) == {uid(district)}
    assert uid(district) in events(calendar(client, "/meetings/calendar.ics"))
    factories.item(factories.section(district), "Dover's own item")
    services.agenda_publish(meeting=district)
    agendas = feed(client, f"/feeds/agendas.rss?partnership={dover.slug}")
    assert [entry.link for entry in agendas.entries] == [
        f"http://testserver{district.get_absolute_url()}"
    ]
    # A slug no partnership has, or could have (a NUL, which PostgreSQL would
    # refuse to compare, a space, or longer than any): not found, never an error.
    for wanted in ("nowhere", "%00", "dover%20csp", "x" * 101):
        for url in (
            f"/meetings/calendar.ics?partnership={wanted}",
            f"/feeds/minutes.rss?partnership={wanted}",
            f"/feeds/decisions.atom?partnership={wanted}",
            f"/priorities/?partnership={wanted}",
        ):
            assert client.get(url).status_code == 404, url


def test_cancelled_meeting_shows_status_cancelled(
    client: Client, recent: dict[str, Any]
) -> None:
    services.meeting_cancel(meeting=recent["coming"], reason="Not quorate")
    event = events(calendar(client, "/meetings/calendar.ics"))[uid(recent["coming"])]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]) == "Cancelled: Kent Community Safety Partnership"
    assert "Not quorate" in str(event["DESCRIPTION"])


def test_moved_meeting_keeps_its_uid_with_new_times(
    client: Client, recent: dict[str, Any]
) -> None:
    meeting = recent["coming"]
    before = events(calendar(client, "/meetings/calendar.ics"))[uid(meeting)]
    meeting.start = meeting.start + dt.timedelta(days=1, hours=4)
    meeting.end = meeting.start + dt.timedelta(hours=2)
    services.meeting_save(meeting=meeting)
    after_cal = calendar(client, "/meetings/calendar.ics")
    after = events(after_cal)[uid(meeting)]
    assert len(after_cal.walk("VEVENT")) == 3  # moved, not duplicated
    assert after["DTSTART"].dt == meeting.start
    assert after["DTEND"].dt == meeting.end
    assert after["DTSTART"].dt.hour == 14
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt
    assert str(after["URL"]).endswith(meeting.get_absolute_url())


# Feeds ---------------------------------------------------------------------------


def feed(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert world.SECRET not in content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("format", ["rss", "atom"])
def test_feeds_parse_and_show_only_published_content(
    client: Client, recent: dict[str, Any], kind: str, format: str
) -> None:
    for url in (
        f"/feeds/{kind}.{format}",
        f"/committees/{recent['body'].slug}/feeds/{kind}.{format}",
    ):
        parsed = feed(client, url)
        assert parsed.version.startswith(format)
        assert parsed.entries, url
        for entry in parsed.entries:
            assert entry.link.startswith("http://testserver/meetings/")
    hidden = client.get(f"/committees/{recent['hidden'].slug}/feeds/{kind}.{format}")
    assert hidden.status_code == 404


def test_agendas_feed(client: Client, recent: dict[str, Any]) -> None:
    entries = feed(client, "/feeds/agendas.atom").entries
    links = {e.link for e in entries}
    published = {recent["held"], recent["drafted"]}
    assert links == {f"http://testserver{m.get_absolute_url()}" for m in published}
    held = next(e for e in entries if e.link.endswith(recent["held"].url_key + "/"))
    assert "B1 Community Safety Agreement refresh" in held.summary
    assert "Contract for IDVA services" not in held.summary


def test_minutes_feed_has_published_minutes_only(
    client: Client, recent: dict[str, Any]
) -> None:
    entries = feed(client, "/feeds/minutes.rss").entries
    assert [e.link for e in entries] == [
        f"http://testserver{recent['held'].get_absolute_url()}#minutes"
    ]
    assert entries[0].title.startswith("Draft minutes: Kent Community Safety")
    assert "Community Safety Agreement refresh" in entries[0].summary
    assert "Contract for IDVA services" not in entries[0].summary

    services.minutes_publish_draft(minutes=recent["drafted"].minutes)
    assert len(feed(client, "/feeds/minutes.rss").entries) == 2


def test_decisions_feed_has_public_decisions_only(
    client: Client, recent: dict[str, Any]
) -> None:
    entries = feed(client, "/feeds/decisions.atom").entries
    assert len(entries) == 1
    assert "minute 1: Community Safety Agreement refresh" in entries[0].title
    assert "RESOLVED that the Partnership" in entries[0].summary
    assert "b) approve the priorities" in entries[0].summary


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_feed_and_calendar_queries_do_not_grow(
    client: Client, recent: dict[str, Any]
) -> None:
    urls = [f"/feeds/{kind}.rss" for kind in KINDS] + ["/meetings/calendar.ics"]
    before = {url: queries(client, url) for url in urls}
    for i in range(3):
        world.meeting_with_minutes(recent["body"], day(-40 - i), tag=f"extra {i}")
    after = {url: queries(client, url) for url in urls}
    assert after == before


def test_signed_in_staff_get_the_public_feeds_and_calendars(
    client: Client, recent: dict[str, Any], clerk: Any
) -> None:
    """Feed readers and calendar apps share links: what they show must not
    depend on who subscribed."""
    client.force_login(clerk)
    for kind in KINDS:
        feed(client, f"/feeds/{kind}.atom")
    found = events(calendar(client, "/meetings/calendar.ics"))
    assert uid(recent["hidden_meeting"]) not in found
