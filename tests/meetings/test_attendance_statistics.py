"""Attendance statistics: per member and per partner organisation over a
council year or a term, as a page and a CSV file, counting only attendance
the reader may see."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Attendance, Membership, Minutes
from tests import factories
from tests.helpers import queries_for, text, words

pytestmark = pytest.mark.django_db

PRESENT, APOLOGIES, ABSENT = "present", "apologies", "absent"


def _held(body, start: str, kinds: dict, status: str = "published_draft", subs=()):
    meeting = factories.meeting(body, start=start)
    Minutes.objects.create(meeting=meeting, status=status)
    for order, (person, kind) in enumerate(kinds.items()):
        Attendance.objects.create(
            meeting=meeting, person=person, kind=kind, order=order
        )
    for substitute, member in subs:
        Attendance.objects.create(
            meeting=meeting,
            person=substitute,
            kind=Attendance.Kind.SUBSTITUTE,
            substitute_for=member,
            order=20,
        )
    return meeting


@pytest.fixture
def partnership():
    body = factories.body()
    police = factories.organisation("Kent Police")
    fire = factories.organisation("Kent Fire and Rescue Service")
    scott = factories.person("Scott", initials="M", organisation=police)
    hill = factories.person("Hill", initials="P M", organisation=fire)
    carter = factories.person("Carter", initials="J", title="Cllr")
    stand_in = factories.person("Standin", initials="R", organisation=fire)
    officer = factories.person("Peerbux", initials="S")
    for person, role in [(scott, "chair"), (hill, "member"), (carter, "member")]:
        Membership.objects.create(body=body, person=person, role=role)
    # Two published meetings in the council year 2022-23, one draft, and one
    # in the year before.
    _held(body, "2022-06-09T10:00", {scott: PRESENT, hill: PRESENT, carter: ABSENT})
    _held(
        body,
        "2022-11-17T10:00",
        {scott: PRESENT, hill: APOLOGIES, carter: APOLOGIES, officer: "in_attendance"},
        subs=[(stand_in, hill)],
    )
    _held(
        body,
        "2023-03-16T10:00",
        {scott: APOLOGIES, hill: APOLOGIES, carter: PRESENT},
        status="draft",
    )
    _held(body, "2022-03-24T10:00", {scott: APOLOGIES, hill: PRESENT, carter: PRESENT})
    return body, police, fire


def _url(body, **query) -> str:
    address = reverse("meetings:body_attendance", args=[body.slug])
    return address + ("?" + "&".join(f"{k}={v}" for k, v in query.items()))


def _rows(response) -> dict[tuple[str, str], list[str]]:
    reader = csv.reader(io.StringIO(response.content.decode()))
    next(reader)
    return {(row[0], row[1]): row[2:] for row in reader}


def test_public_figures_count_only_published_minutes(
    client: Client, partnership
) -> None:
    body, _, _ = partnership
    response = client.get(_url(body, year=2022, format="csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        "attendance-kent-community-safety-partnership-2022-05-01"
        in (response["Content-Disposition"])
    )
    rows = _rows(response)
    # expected, attended, substitute sent, apologies, absent, percent
    assert rows[("Member", "Mr M Scott")] == [
        "Kent Police",
        "2",
        "2",
        "0",
        "0",
        "0",
        "100",
    ]
    assert rows[("Member", "Mr P M Hill")][1:] == ["2", "1", "1", "0", "0", "50"]
    assert rows[("Member", "Cllr J Carter")][1:] == ["2", "0", "0", "1", "1", "0"]
    # An officer in attendance is not a member expected at the meeting.
    assert not any("Peerbux" in name for _, name in rows)
    assert rows[("Organisation", "Kent Fire and Rescue Service")][1:] == [
        "2",
        "1",
        "1",
        "0",
        "0",
        "50",
    ]

    page = words(client.get(_url(body, year=2022)))
    assert "1 May 2022 to 30 April 2023 : 2 meetings with recorded attendance" in page
    assert "Mr M Scott Kent Police 2 2 0 0 0 100%" in page


def test_a_clerk_counts_draft_minutes_too(
    client: Client, clerk, partner, partnership
) -> None:
    """Draft minutes' attendance is staff-only, as the minutes are: a
    partner officer reads the public figures."""
    body, _, _ = partnership
    client.force_login(partner)
    rows = _rows(client.get(_url(body, year=2022, format="csv")))
    assert rows[("Member", "Mr M Scott")][1:4] == ["2", "2", "0"]
    client.force_login(clerk)
    rows = _rows(client.get(_url(body, year=2022, format="csv")))
    assert rows[("Member", "Mr M Scott")][1:4] == ["3", "2", "0"]


def test_a_term_between_two_dates(client: Client, partnership) -> None:
    body, _, _ = partnership
    term = {"from": "2022-01-01", "to": "2022-12-31", "format": "csv"}
    rows = _rows(client.get(_url(body, **term)))
    assert rows[("Member", "Mr M Scott")][1:6] == ["3", "2", "0", "1", "0"]
    refused = client.get(_url(body, **{"from": "2022-12-31", "to": "2022-01-01"}))
    assert refused.status_code == 400
    assert "The first date of the term must come before the last." in text(refused)
    unreadable = client.get(_url(body, **{"from": "next week", "to": "2022-01-01"}))
    assert "Enter both dates of the term" in text(unreadable)


def test_an_organisation_across_bodies(client: Client, partnership) -> None:
    _body, police, _ = partnership
    panel = factories.body("Crime and Disorder Committee")
    scott = police.people.get()
    Membership.objects.create(body=panel, person=scott, role="member")
    _held(panel, "2022-07-08T14:00", {scott: APOLOGIES})
    hidden = factories.body("Tasking group", is_public=False)
    Membership.objects.create(body=hidden, person=scott, role="member")
    _held(hidden, "2022-07-09T14:00", {scott: PRESENT})

    url = reverse("meetings:organisation_attendance", args=[police.slug])
    rows = _rows(client.get(url + "?year=2022&format=csv"))
    assert rows[("Organisation", "Kent Community Safety Partnership")][1:3] == [
        "2",
        "2",
    ]
    assert rows[("Organisation", "Crime and Disorder Committee")][1:5] == [
        "1",
        "0",
        "0",
        "1",
    ]
    # A body whose meetings are not published is not counted for the public.
    assert not any("Tasking" in name for _, name in rows)
    assert "Mr M Scott" in text(client.get(url + "?year=2022"))


def test_queries_stay_flat_as_meetings_and_members_grow(
    client: Client, partnership
) -> None:
    body, police, _ = partnership
    organisation = reverse("meetings:organisation_attendance", args=[police.slug])
    small = queries_for(client, _url(body, year=2022))
    small_organisation = queries_for(client, organisation + "?year=2022")
    for n in range(20):
        person = factories.person(f"Extra{n}", organisation=police)
        Membership.objects.create(body=body, person=person, role="member")
    for day in range(1, 21):
        _held(
            body,
            f"2022-08-{day:02d}T10:00",
            dict.fromkeys(police.people.all(), PRESENT),
        )
    large = queries_for(client, _url(body, year=2022))
    assert large == small
    assert queries_for(client, organisation + "?year=2022") == small_organisation
