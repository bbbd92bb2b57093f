"""Who sits on a body, changed from the clerk's workspace: joining, leaving,
a new role, and the annual meeting's election of the chair and vice-chair,
each confirmed after a summary and kept with its dates."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from meetings import services
from meetings.models import Membership, Resolution
from tests import factories
from tests.helpers import words
from tests.meetings.minutes_factories import agenda

pytestmark = pytest.mark.django_db


def _members(body: Any) -> str:
    return reverse("manage:members", args=[body.slug])


def _seat(body: Any, surname: str, role: str = "member") -> Membership:
    return Membership.objects.create(
        body=body,
        person=factories.person(surname),
        role=role,
        start=dt.date(2020, 5, 1),
    )


def test_someone_joins_after_the_summary_is_confirmed(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    hill = factories.person("Hill")
    client.force_login(clerk)
    typed = {"person": hill.pk, "role": "member", "start": "14/07/2026"}

    summary = words(client.post(_members(body), typed))
    assert "Check what will change" in summary
    assert (
        "Mr Hill joins Kent Community Safety Partnership as Member from 14 July 2026"
        in summary
    )
    assert not Membership.objects.exists()

    client.post(_members(body), {**typed, "confirm": 1})
    seat = Membership.objects.get()
    assert (seat.person, seat.start) == (hill, dt.date(2026, 7, 14))
    page = words(client.get(_members(body)))
    assert "Mr Hill Member" in page

    again = client.post(_members(body), typed)
    assert again.status_code == 400
    assert "Mr Hill is already a member on 14 July 2026." in words(again)


def test_a_new_role_keeps_the_old_one_on_record(client: Client, clerk: Any) -> None:
    body = factories.body()
    seat = _seat(body, "Rivers")
    client.force_login(clerk)
    url = reverse("manage:membership", args=[body.slug, seat.pk])
    typed = {"change": "role", "role": "vice_chair", "date": "01/09/2026"}
    assert "their time as Member ends the day before" in words(client.post(url, typed))

    client.post(url, {**typed, "confirm": 1})
    rows = Membership.objects.filter(person=seat.person).order_by("start")
    assert [(m.role, m.start, m.end) for m in rows] == [
        ("member", dt.date(2020, 5, 1), dt.date(2026, 8, 31)),
        ("vice_chair", dt.date(2026, 9, 1), None),
    ]
    assert "Mr Rivers Member 1 May 2020 31 August 2026" in words(
        client.get(_members(body))
    )


def test_a_leaving_date_before_joining_is_refused_and_kept(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    seat = _seat(body, "Rivers")
    client.force_login(clerk)
    url = reverse("manage:membership", args=[body.slug, seat.pk])
    typed = {"change": "leave", "date": "01/01/2019"}
    client.post(url, typed)
    response = client.post(url, {**typed, "confirm": 1})
    assert response.status_code == 400
    assert "They joined on 1 May 2020: choose a later day." in words(response)
    assert 'value="01/01/2019"' in response.content.decode()
    seat.refresh_from_db()
    assert seat.end is None


def test_the_annual_meeting_elects_a_chair_and_vice_chair(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    hill = _seat(body, "Hill", "chair")
    brinson = _seat(body, "Brinson")
    rivers = _seat(body, "Rivers")
    meeting = factories.meeting(body, start="2022-07-14T10:00")
    agenda(meeting, ["Community Safety Agreement"])
    url = reverse("manage:election", args=[body.slug, meeting.url_key])
    client.force_login(clerk)
    typed = {"chair": brinson.person.pk, "vice_chair": rivers.person.pk}

    refused = client.post(url, typed)
    assert "Start the minutes of this meeting first" in words(refused)
    services.minutes_start_from_agenda(meeting=meeting, first_number=10)

    summary = words(client.post(url, typed))
    assert "Mr Brinson is Chairman from 14 July 2022." in summary
    assert "Mr Hill stays a member; their time as Chairman ends the day before." in (
        summary
    )
    client.post(url, {**typed, "confirm": 1})

    first = meeting.minutes.items.order_by("number").first()
    assert (first.number, first.title) == (10, "Election of Chairman and Vice-Chairman")
    assert [(r.text, r.kind) for r in first.resolutions.all()] == [
        (
            "RESOLVED that Mr Brinson be elected Chairman for the ensuing year.",
            Resolution.Kind.ELECTED,
        ),
        (
            "RESOLVED that Mr Rivers be elected Vice-Chairman for the ensuing year.",
            Resolution.Kind.ELECTED,
        ),
    ]
    on_the_day = {m.person.surname: m.role for m in body.memberships.on(meeting.date)}
    assert on_the_day == {"Hill": "member", "Brinson": "chair", "Rivers": "vice_chair"}
    day_before = meeting.date - dt.timedelta(days=1)
    assert body.memberships.on(day_before).get(role="chair").person == hill.person
