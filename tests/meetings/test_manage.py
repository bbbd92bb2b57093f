"""The clerk's workspace: the dashboard, a meeting's page, and publishing or
withdrawing its agenda after a summary of what will change."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.visibility import ExemptParagraph, Visibility
from kcsp.workdays import local_datetime
from meetings import services
from meetings.models import ForwardPlanItem
from tests import factories
from tests.helpers import queries_for, words
from tests.meetings.minutes_factories import agenda

pytestmark = pytest.mark.django_db


def _url(name: str, meeting: Any) -> str:
    return reverse(name, args=[meeting.body.slug, meeting.url_key])


def _coming(days: int) -> Any:
    return factories.coming_meeting(days)


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

    # The clerk's screen says when, in the portal's way of writing times.
    meeting.agenda_published_at = local_datetime(dt.date(2026, 3, 2), dt.time(9, 5))
    meeting.save(update_fields=["agenda_published_at"])
    screen = words(client.get(_url("manage:meeting", meeting)))
    assert "Published 2 March 2026, 9.05 am." in screen


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
    for nonsense in ("not-a-number", "²", "99999999999999999999"):
        assert client.post(url, {"remove": nonsense}).status_code == 302
    assert Declaration.objects.get() == declared
    client.post(url, {"remove": declared.pk})
    assert not Declaration.objects.exists()


# A meeting and its agenda ----------------------------------------------------


def _agenda_lines(meeting: Any) -> list[str]:
    return [
        f"{i.reference} {i.title}"
        for i in meeting.items.order_by("section__order", "number")
    ]


def test_a_new_meeting_starts_with_its_standard_and_typed_items(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    client.force_login(clerk)
    response = client.post(
        reverse("manage:meeting_new", args=[body.slug]),
        {
            "date": "14/07/2099",
            "time": "10:00",
            "venue": "Darent Room, Sessions House",
            "standard_items": "on",
            "items": "Hate crime update\n\n  Domestic abuse services  \n",
        },
        follow=True,
    )
    meeting = body.meetings.get()
    assert meeting.start.isoformat() == "2099-07-14T09:00:00+00:00"  # 10.00 am BST
    assert response.redirect_chain[-1][0] == _url("manage:agenda", meeting)
    assert _agenda_lines(meeting) == [
        "A1 Substitutes",
        "A2 Declarations of Interests by Members in items on the Agenda for this "
        "meeting",
        "A3 Minutes of the previous meeting",
        "B1 Hate crime update",
        "B2 Domestic abuse services",
    ]
    page = words(response)
    assert "B2 Domestic abuse services" in page and "No paper yet." in page
    assert "Not published yet: nothing here is public." in page


def test_a_new_meeting_needs_a_place_and_keeps_what_was_typed(
    client: Client, clerk: Any
) -> None:
    body = factories.body()
    client.force_login(clerk)
    response = client.post(
        reverse("manage:meeting_new", args=[body.slug]),
        {"date": "31/02/2099", "time": "10:00", "items": "Hate crime update"},
    )
    assert response.status_code == 400
    page = words(response)
    assert "There is a problem" in page
    assert "Enter a date like 14/07/2027." in page
    assert "Give a venue, or tick that it is held online." in page
    assert "Hate crime update" in response.content.decode()
    assert not body.meetings.exists()


def _builder_post(client: Client, meeting: Any, **data: Any) -> Any:
    return client.post(_url("manage:agenda", meeting), data)


def test_an_exempt_item_is_added_with_its_paper_which_stays_private(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    services.agenda_start_from_template(meeting=meeting)
    section_b = meeting.sections.get(letter="B")
    client.force_login(clerk)
    response = _builder_post(
        client,
        meeting,
        section=section_b.pk,
        title="Domestic homicide review: case summary",
        visibility="exempt",
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
        paper=SimpleUploadedFile("chronology.pdf", factories.pdf_bytes(2)),
    )
    assert response.status_code == 302
    item = meeting.items.get(title="Domestic homicide review: case summary")
    assert item.reference == "B1"
    paper = item.documents.get()
    assert (paper.visibility, paper.exempt_paragraph, paper.page_count) == (
        Visibility.EXEMPT,
        ExemptParagraph.INDIVIDUAL,
        2,
    )
    services.agenda_publish(meeting=meeting)
    public = words(Client().get(meeting.get_absolute_url()))
    assert "Domestic homicide review: case summary" in public
    assert "chronology" not in public.lower()
    assert Client().get(paper.get_absolute_url()).status_code == 404


def test_an_item_that_cannot_be_added_keeps_what_was_typed(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    section = factories.section(meeting)
    client.force_login(clerk)
    no_paragraph = _builder_post(
        client,
        meeting,
        section=section.pk,
        title="Case review",
        visibility="exempt",
        presenter="Head of Community Safety",
    )
    assert no_paragraph.status_code == 400
    assert "Choose the paragraph of Schedule 12A" in words(no_paragraph)
    assert 'value="Head of Community Safety"' in no_paragraph.content.decode()

    not_a_pdf = _builder_post(
        client,
        meeting,
        section=section.pk,
        title="Hate crime update",
        visibility="public",
        paper=SimpleUploadedFile("figures.pdf", b"Just some words, not a PDF."),
    )
    assert not_a_pdf.status_code == 400
    page = words(not_a_pdf)
    assert "Paper (optional):" in page and "Choose the file again." in page
    assert 'value="Hate crime update"' in not_a_pdf.content.decode()
    assert not meeting.items.exists()  # the item went with its refused paper


def test_an_item_dragged_to_a_place_keeps_the_section_numbered(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    agenda(meeting, ["First", "Second", "Third", "Fourth"])
    client.force_login(clerk)

    def move(title: str, position: str) -> None:
        item = meeting.items.get(title=title)
        url = reverse(
            "manage:item_move", args=[meeting.body.slug, meeting.url_key, item.pk]
        )
        assert client.post(url, {"position": position}).status_code == 302

    move("Fourth", "1")
    assert _agenda_lines(meeting) == ["B1 Fourth", "B2 First", "B3 Second", "B4 Third"]
    move("Fourth", "3")
    assert _agenda_lines(meeting) == ["B1 First", "B2 Second", "B3 Fourth", "B4 Third"]
    move("First", "99")  # past the end: the last place
    assert _agenda_lines(meeting) == ["B1 Second", "B2 Fourth", "B3 Third", "B4 First"]
    for nonsense in ("", "two", "-1", "99999999999999999999", "²", "٣"):
        move("Third", nonsense)
    assert _agenda_lines(meeting) == ["B1 Second", "B2 Fourth", "B3 Third", "B4 First"]


def test_items_move_and_renumber_and_removal_is_confirmed(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    agenda(meeting, ["First", "Second", "Third"])
    section = meeting.sections.get()
    other = factories.section(meeting, letter="C", title="Exempt items")
    second = meeting.items.get(title="Second")
    client.force_login(clerk)

    client.post(
        reverse(
            "manage:item_move", args=[meeting.body.slug, meeting.url_key, second.pk]
        ),
        {"direction": "up"},
    )
    assert _agenda_lines(meeting) == ["B1 Second", "B2 First", "B3 Third"]

    first = meeting.items.get(title="First")
    item_url = reverse(
        "manage:item", args=[meeting.body.slug, meeting.url_key, first.pk]
    )
    client.post(
        item_url,
        {"save": "1", "section": other.pk, "title": "First", "visibility": "public"},
    )
    assert _agenda_lines(meeting) == ["B1 Second", "B2 Third", "C1 First"]

    third = meeting.items.get(title="Third")
    factories.document(meeting, third, title="Report on the third")
    remove = reverse(
        "manage:item_remove", args=[meeting.body.slug, meeting.url_key, third.pk]
    )
    confirm = words(client.get(remove))
    assert "Remove B2 Third?" in confirm
    assert "Its 1 paper goes with it: Report on the third." in confirm
    assert meeting.items.filter(pk=third.pk).exists()
    client.post(remove)
    assert _agenda_lines(meeting) == ["B1 Second", "C1 First"]
    assert section.items.count() == 1


def test_an_item_the_minutes_record_is_not_removed(client: Client, clerk: Any) -> None:
    meeting = factories.meeting(start="2020-01-16T10:00")
    agenda(meeting, ["Hate crime update"])
    item = meeting.items.get()
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    assert minutes.items.get().agenda_item == item
    client.force_login(clerk)
    response = client.post(
        reverse(
            "manage:item_remove", args=[meeting.body.slug, meeting.url_key, item.pk]
        ),
        follow=True,
    )
    assert "The minutes record this item, so it stays on the agenda." in words(response)
    assert meeting.items.filter(pk=item.pk).exists()


def test_an_item_added_after_publication_needs_a_reason_for_urgency(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    agenda(meeting, ["Hate crime update"])
    services.agenda_publish(meeting=meeting)
    section = meeting.sections.get()
    client.force_login(clerk)
    refused = _builder_post(
        client, meeting, section=section.pk, title="Late report", visibility="public"
    )
    assert refused.status_code == 400
    assert "taken only as urgent business" in words(refused)
    _builder_post(
        client,
        meeting,
        section=section.pk,
        title="Late report",
        visibility="public",
        urgency_reason="The grant deadline falls before the next meeting.",
    )
    late = meeting.items.get(title="Late report")
    assert late.is_urgent and late.added_after_publication


def test_a_paper_is_added_from_its_item(client: Client, clerk: Any) -> None:
    meeting = _coming(30)
    agenda(meeting, ["Hate crime update"])
    item = meeting.items.get()
    client.force_login(clerk)
    url = reverse("manage:item", args=[meeting.body.slug, meeting.url_key, item.pk])
    missing = client.post(
        url, {"upload": "1", "paper-title": "Figures", "paper-kind": "report"}
    )
    assert missing.status_code == 400
    assert "Choose a file to upload." in words(missing)
    assert 'value="Figures"' in missing.content.decode()
    client.post(
        url,
        {
            "upload": "1",
            "paper-kind": "appendix",
            "paper-file": SimpleUploadedFile("hate-crime.pdf", factories.pdf_bytes()),
        },
    )
    paper = item.documents.get()
    assert (paper.title, paper.kind, paper.published_at) == (
        "Hate crime update",
        "appendix",
        None,
    )
    builder = words(client.get(_url("manage:agenda", meeting)))
    assert "Hate crime update Appendix, PDF" in builder


def test_the_agenda_screen_costs_the_same_queries_however_long_the_agenda(
    client: Client, clerk: Any
) -> None:
    meeting = _coming(30)
    agenda(meeting, ["One"])
    factories.document(meeting, meeting.items.get(), title="Paper")
    client.force_login(clerk)
    few = queries_for(client, _url("manage:agenda", meeting))
    more = factories.section(meeting, letter="C", title="More")
    for n in range(5):
        added = factories.item(more, f"Item {n}")
        factories.document(meeting, added, title=f"Paper {n}")
    assert queries_for(client, _url("manage:agenda", meeting)) == few
