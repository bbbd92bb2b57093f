"""The clerk's workspace: the dashboard, a meeting's page, and publishing or
withdrawing its agenda after a summary of what will change."""

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import ForwardPlanItem
from tests import factories
from tests.helpers import queries_for, words
from tests.meetings.minutes_factories import agenda

pytestmark = pytest.mark.django_db


def _url(name: str, meeting: Any) -> str:
    return reverse(name, args=[meeting.body.slug, meeting.url_key])


def _coming(days: int) -> Any:
    day = timezone.localdate() + dt.timedelta(days=days)
    return factories.meeting(start=f"{day.isoformat()}T10:00")


def test_the_dashboard_says_what_each_meeting_needs_and_what_is_late(
    client: Client, clerk: Any, kent_police: Any
) -> None:
    soon = _coming(3)  # five clear working days are already gone
    later = _coming(40)
    agenda(soon, ["Hate crime update"])
    ForwardPlanItem.objects.create(
        body=soon.body,
        meeting=soon,
        title="Violence Reduction Unit findings",
        partner_to_attend=kent_police,
    )
    held = factories.meeting(start="2020-01-16T10:00")
    held.start = timezone.now() - dt.timedelta(days=30)
    held.save()

    client.force_login(clerk)
    page = words(client.get(reverse("manage:dashboard")))
    assert "Kent Community Safety Partnership" in page
    assert "Publish the agenda" in page
    assert "Overdue 5 clear working days before the meeting: the last day was" in page
    assert "Papers still missing: 1 B1 Hate crime update" in page
    assert "Tell Kent Police to attend" in page
    assert "Publish the draft minutes" in page
    text = client.get(reverse("manage:dashboard")).content.decode()
    assert _url("manage:meeting", later) in text
    assert reverse("meetings:minutes_draft", args=[held.body.slug, held.url_key]) in (
        text
    )


def test_the_dashboard_costs_the_same_queries_however_many_meetings(
    client: Client, clerk: Any
) -> None:
    client.force_login(clerk)
    for days in (10, 20):
        agenda(_coming(days), ["Item"])
    few = queries_for(client, reverse("manage:dashboard"))
    body = factories.body("Crime and Disorder Committee")
    for days in (11, 21, 31):
        meeting = factories.meeting(
            body, start=f"{timezone.localdate() + dt.timedelta(days=days)}T10:00"
        )
        agenda(meeting, ["One", "Two"])
    assert queries_for(client, reverse("manage:dashboard")) == few


def test_publishing_shows_what_becomes_public_then_publishes_on_confirmation(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    section = factories.section(meeting)
    report = factories.item(section, "Community Safety Agreement")
    case = factories.item(
        section,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    factories.item(section, "Hate crime update")
    factories.document(meeting, report, title="Agreement refresh")
    factories.document(meeting, case, title="Case chronology")
    client.force_login(clerk)

    summary = words(client.get(_url("manage:publish", meeting)))
    assert "Items the public will read B1 Community Safety Agreement" in summary
    assert "Exempt items: title and paragraph only B2 Case review: paragraph 1" in (
        summary
    )
    assert "Papers that become public Agreement refresh (B1)" in summary
    assert "Papers that stay private Case chronology" in summary
    assert "Items without papers B3 Hate crime update" in summary
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None  # reading the summary changes nothing

    done = client.post(_url("manage:publish", meeting), follow=True)
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
    assert "The agenda and its papers are published." in words(done)
    public = words(Client().get(meeting.get_absolute_url()))
    assert "Agreement refresh" in public and "Case chronology" not in public


def test_a_late_agenda_says_so_before_and_after(client: Client, clerk: Any) -> None:
    meeting = _coming(2)
    agenda(meeting, ["Hate crime update"])
    client.force_login(clerk)
    assert "The law asks for 5" in words(client.get(_url("manage:publish", meeting)))
    done = words(client.post(_url("manage:publish", meeting), follow=True))
    assert "The law asks for 5" in done


def test_withdrawing_needs_a_reason_and_tells_the_public(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    item = factories.item(factories.section(meeting), "Hate crime update")
    factories.document(meeting, item, title="Hate crime figures")
    services.agenda_publish(meeting=meeting)
    client.force_login(clerk)

    empty = client.post(_url("manage:withdraw", meeting), {"reason": " "})
    assert empty.status_code == 400
    assert "There is a problem" in words(empty)
    assert "Say why the agenda is withdrawn." in words(empty)

    client.post(
        _url("manage:withdraw", meeting),
        {"reason": "Published before the papers were final."},
    )
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    public = words(Client().get(meeting.get_absolute_url()))
    assert "withdrawn" in public and "Published before the papers were final." in public
    assert "Hate crime figures" not in public


@pytest.mark.parametrize("who", ["partner", "dhr_coordinator"])
def test_only_clerks_have_a_workspace(
    client: Client, who: str, request: pytest.FixtureRequest
) -> None:
    meeting = _coming(30)
    client.force_login(request.getfixturevalue(who))
    for url in (
        reverse("manage:dashboard"),
        _url("manage:meeting", meeting),
        _url("manage:publish", meeting),
    ):
        assert client.get(url).status_code == 404
    assert client.post(_url("manage:publish", meeting)).status_code == 404
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    anonymous = Client().get(reverse("manage:dashboard"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    ("who", "lands"),
    [
        ("clerk", "manage:dashboard"),
        ("dhr_coordinator", "dhr:dashboard"),
        ("partner", "kcsp:actions"),
    ],
)
def test_each_role_lands_on_its_own_page_after_signing_in(
    client: Client, who: str, lands: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "a-long-test-password"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse(lands)


def test_a_year_of_meetings_is_shown_then_created_on_confirmation(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    factories.meeting(body, start="2027-03-11T10:00")  # already there
    client.force_login(clerk)
    url = reverse("manage:year", args=[body.slug])
    pattern = {
        "year": "2027",
        "months": ["3", "5", "6", "12"],
        "week": "2",
        "weekday": "3",  # the second Thursday
        "time": "10:00",
        "venue": "Darent Room, Sessions House, County Hall, Maidstone",
        "preview": "1",
    }
    shown = words(client.post(url, pattern))
    for when in (
        "Thursday, 11 March 2027, 10.00 am The body already meets that day",
        "Thursday, 13 May 2027, 10.00 am",
        "Thursday, 10 June 2027, 10.00 am",
        "Thursday, 9 December 2027, 10.00 am",
    ):
        assert when in shown
    assert body.meetings.count() == 1  # nothing created yet

    done = client.post(url, {**pattern, "confirm": "1"}, follow=True)
    assert "3 meetings of Kent Community Safety Partnership created." in words(done)
    assert sorted(m.url_key for m in body.meetings.all()) == [
        "2027-03-11",
        "2027-05-13",
        "2027-06-10",
        "2027-12-09",
    ]


def test_a_year_needs_a_venue_or_online_and_keeps_what_was_typed(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    client.force_login(clerk)
    url = reverse("manage:year", args=[body.slug])
    refused = client.post(
        url,
        {"year": "2027", "months": ["5"], "week": "5", "weekday": "0", "time": "9"},
    )
    assert refused.status_code == 400
    page = words(refused)
    assert "There is a problem" in page
    assert "Give a venue, or tick that it is held online." in page
    assert 'value="2027"' in refused.content.decode()
    checked = re.findall(
        r'<input type="checkbox" name="months" value="(\d+)"[^>]*checked',
        refused.content.decode(),
    )
    assert checked == ["5"]
    assert not body.meetings.exists()


def test_declarations_are_recorded_for_people_at_the_meeting_only(
    client: Client, clerk: Any
) -> None:
    from meetings.models import Attendance, Declaration

    meeting = factories.meeting(start="2022-03-24T10:00")
    item = factories.item(factories.section(meeting), "Community Safety Agreement")
    hill = factories.person("Hill", initials="P M")
    rivers = factories.person("Rivers", initials="J")
    Attendance.objects.create(meeting=meeting, person=hill, kind="present")
    Attendance.objects.create(meeting=meeting, person=rivers, kind="apologies")
    client.force_login(clerk)
    url = _url("manage:declarations", meeting)

    page = client.get(url).content.decode()
    assert f'<option value="{hill.pk}">' in page
    assert f'<option value="{rivers.pk}">' not in page  # sent apologies

    refused = client.post(
        url, {"person": rivers.pk, "kind": "personal", "details": "A governor"}
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in words(refused)
    assert not Declaration.objects.exists()

    client.post(
        url,
        {
            "person": hill.pk,
            "item": item.pk,
            "kind": "personal",
            "details": "A governor of a school named in the report",
        },
    )
    declared = Declaration.objects.get()
    assert (declared.person, declared.item) == (hill, item)
    assert "A governor of a school named in the report" in words(client.get(url))
    assert client.post(url, {"remove": "not-a-number"}).status_code == 302
    client.post(url, {"remove": declared.pk})
    assert not Declaration.objects.exists()
