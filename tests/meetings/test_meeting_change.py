"""Moving, postponing and cancelling a meeting in the clerk's workspace: a
summary of what will change, the change only on confirmation, and the public
told what happened and why."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.formatting import meeting_when
from meetings.models import ForwardPlanItem, Meeting
from tests import factories
from tests.helpers import words

pytestmark = pytest.mark.django_db


def _url(name: str, meeting: Any) -> str:
    return reverse(name, args=[meeting.body.slug, meeting.url_key])


def _coming(days: int) -> Any:
    return factories.coming_meeting(days)


def _on(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def test_moving_a_meeting_shows_the_change_then_moves_it_and_tells_the_public(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    old_url, old_when = meeting.get_absolute_url(), meeting_when(meeting.start)
    new_day = _on(37)
    typed = {
        "change": "move",
        "date": new_day.strftime("%d/%m/%Y"),
        "time": "14:30",
        "reason": "Moved to avoid the pre-election period.",
    }
    client.force_login(clerk)

    summary = client.post(_url("manage:meeting_change", meeting), typed)
    page = words(summary)
    assert "Check what will change" in page
    assert f"The meeting moves from {old_when} to" in page
    assert "2.30 pm" in page
    meeting.refresh_from_db()
    assert meeting.moved_from is None  # nothing changes before confirmation

    done = client.post(_url("manage:meeting_change", meeting), {**typed, "confirm": 1})
    meeting.refresh_from_db()
    assert done.status_code == 302
    assert timezone.localtime(meeting.start) == timezone.make_aware(
        dt.datetime.combine(new_day, dt.time(14, 30))
    )
    assert meeting_when(meeting.moved_from) == old_when
    assert meeting.url_key == new_day.isoformat()

    client.logout()
    public = words(client.get(meeting.get_absolute_url()))
    assert "This meeting has been moved" in public
    assert f"It was to be held on {old_when}." in public
    assert "Moved to avoid the pre-election period." in public
    former = client.get(old_url)
    assert former.status_code == 301
    assert former["Location"] == meeting.get_absolute_url()
    calendar = client.get("/meetings/calendar.ics").content.decode()
    assert "Moved from" in calendar.replace("\r\n ", "")


def test_a_move_with_something_missing_keeps_what_was_typed(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    client.force_login(clerk)
    typed = {"change": "move", "time": "14:30", "reason": "The room is needed."}
    response = client.post(_url("manage:meeting_change", meeting), typed)
    page = words(response)
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Date: Give the new date." in page
    assert "The room is needed." in page
    assert 'value="14:30"' in response.content.decode()

    past = {**typed, "date": _on(-3).strftime("%d/%m/%Y")}
    page = words(client.post(_url("manage:meeting_change", meeting), past))
    assert "Choose a date and time still to come." in page
    meeting.refresh_from_db()
    assert meeting.moved_from is None


def test_cancelling_says_what_happens_to_planned_items_then_cancels(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    ForwardPlanItem.objects.create(
        body=meeting.body, meeting=meeting, title="Violence Reduction Unit findings"
    )
    client.force_login(clerk)
    typed = {"change": "cancel", "reason": "Not enough business to transact."}
    page = words(client.post(_url("manage:meeting_change", meeting), typed))
    assert "marked as cancelled with your reason" in page
    assert "1 forward plan item planned for it will be listed as to be rescheduled" in (
        page
    )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED

    client.post(_url("manage:meeting_change", meeting), {**typed, "confirm": 1})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    client.logout()
    public = words(client.get(meeting.get_absolute_url()))
    assert "This meeting has been cancelled Not enough business to transact." in public


def test_a_postponed_meeting_moved_to_a_new_date_is_scheduled_again(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    client.force_login(clerk)
    url = _url("manage:meeting_change", meeting)
    client.post(url, {"change": "postpone", "reason": "Chair unwell.", "confirm": 1})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.POSTPONED
    moved = {
        "change": "move",
        "date": _on(60).strftime("%d/%m/%Y"),
        "time": "10:00",
        "reason": "Rearranged after the postponement.",
        "confirm": 1,
    }
    client.post(url, moved)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.SCHEDULED
    assert meeting.is_moved
    assert "Moved" in words(client.get(_url("manage:meeting", meeting)))


def test_a_held_meeting_is_neither_moved_nor_cancelled(
    client: Client, clerk: Any
) -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    meeting.status = Meeting.Status.HELD
    meeting.save()
    client.force_login(clerk)
    assert "Move, postpone or cancel" not in words(
        client.get(_url("manage:meeting", meeting))
    )
    typed = {"change": "cancel", "reason": "By mistake.", "confirm": 1}
    page = words(client.post(_url("manage:meeting_change", meeting), typed))
    assert "A meeting that has been held cannot be cancelled." in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_a_partner_cannot_reach_the_screen(client: Client, partner: Any) -> None:
    meeting = _coming(30)
    client.force_login(partner)
    response = client.get(_url("manage:meeting_change", meeting))
    assert response.status_code == 404
    assert "Move, postpone or cancel" not in words(response)
