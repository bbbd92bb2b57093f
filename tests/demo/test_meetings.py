import io
from typing import Any

import pytest
from django.core.management import call_command

from kcsp.models import Action
from meetings.models import Attendance, MinuteItem, Minutes, RecurringItem

pytestmark = pytest.mark.django_db


def test_demo_minutes_are_structured_records_from_the_seeds() -> None:
    call_command("load_demo", no_accounts=True, stdout=io.StringIO())

    def numbers(key: str) -> list[int]:
        return list(
            MinuteItem.objects.filter(minutes__meeting__url_key=key)
            .order_by("number")
            .values_list("number", flat=True)
        )

    assert numbers("2022-03-24") == list(range(51, 61))
    assert numbers("2015-03-19") == list(range(92, 104))
    assert numbers("2010-04-06") == [1, 2, 3, 4, 5]
    b1 = MinuteItem.objects.get(minutes__meeting__url_key="2022-03-24", number=52)
    assert b1.agenda_reference == "B1" and b1.agenda_item.reference == "B1"
    assert [p.letter for p in b1.resolutions.get().parts.all()] == ["a", "b", "c"]
    elected = MinuteItem.objects.get(number=93, minutes__meeting__url_key="2015-03-19")
    assert "John Rivers be elected as Vice-Chair" in elected.resolutions.get().text
    chair = Attendance.objects.get(meeting__url_key="2022-03-24", in_the_chair=True)
    assert chair.person.surname == "Rivers"
    assert (
        Attendance.objects.filter(meeting__url_key="2022-03-24", kind="present").count()
        == 24
    )
    statuses = dict(Minutes.objects.values_list("meeting__url_key", "status"))
    assert statuses["2010-04-06"] == "approved"
    assert statuses["2022-03-24"] == statuses["2015-03-19"] == "published_draft"
    assert Action.objects.filter(
        title__startswith="Further update on the Vision Zero"
    ).exists()
    assert RecurringItem.objects.filter(
        title="Annual update on mental health", month=3
    ).exists()


def test_the_demo_gives_the_clerk_something_in_every_part_of_the_dashboard(
    client: Any, clerk: Any
) -> None:
    import datetime as dt

    from django.urls import reverse

    from meetings.selectors import clerk_dashboard

    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    desks = clerk_dashboard(user=clerk, today=dt.date(2026, 12, 5))
    labels = " | ".join(
        task.label for desk in desks for md in desk.meetings for task in md.tasks
    )
    for waiting in (
        "Publish the agenda",
        "Papers still missing",
        "Papers waiting for a supplementary agenda",
        "Tell Kent and Medway Violence Reduction Unit to attend",
        "Publish the draft minutes",
        "Minutes awaiting approval at the next meeting",
    ):
        assert waiting in labels
    assert any(task.overdue for d in desks for md in d.meetings for task in md.tasks)
    assert any(desk.awaiting_sign_off for desk in desks)
    client.force_login(clerk)
    assert client.get(reverse("manage:dashboard")).status_code == 200


def test_demo_has_two_public_questions_one_answered_in_the_minutes() -> None:
    from django.test import Client

    from meetings.models import Meeting, PublicQuestion

    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    assert PublicQuestion.objects.count() == 2
    meeting = Meeting.objects.get(
        body__slug="crime-and-disorder-committee", url_key="2026-09-24"
    )
    page = Client().get(meeting.get_absolute_url()).content.decode()
    assert "Mrs J Ashdown" in page and "A member of the public" in page
    assert "Quillfeather" not in page
    minutes = page[page.index('id="minute-') :]
    assert "drivers have had training since June" in minutes
    listing = Client().get("/committees/crime-and-disorder-committee/questions/")
    assert "drivers have had training since June" in listing.content.decode()


def test_the_seeds_single_items_are_minuted_at_their_meetings(client) -> None:
    """Seed 000 (the Community Safety Agreement at the Crime and Disorder
    Committee) and seed 004 (the knife crime select committee's witness
    session of 2019) are meeting items with their published minutes."""
    from django.urls import reverse

    from tests.helpers import text

    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    knife = MinuteItem.objects.get(
        minutes__meeting__body__slug="knife-crime-select-committee",
        agenda_item__title__contains="Peerbux",
    )
    meeting = knife.minutes.meeting
    assert meeting.start.year == 2019
    assert meeting.body.name == "Knife Crime Select Committee"
    assert meeting.body.kind == "select_committee"
    assert knife.minutes.status == "published_draft"
    paragraphs = [p.text for p in knife.paragraphs.order_by("order")]
    assert len(paragraphs) >= 10
    assert any(p.startswith("Mr Peerbux:") for p in paragraphs)
    assert any("knife crime" in p for p in paragraphs)
    assert not knife.resolutions.exists()
    page = text(client.get(meeting.get_absolute_url()))
    assert "Knife Crime Select Committee" in page and "Mr Hill:" in page

    csa = MinuteItem.objects.get(
        minutes__meeting__body__slug="crime-and-disorder-committee",
        title="Kent Community Safety Agreement",
    )
    assert csa.minutes.status == "published_draft"
    assert csa.agenda_item.reference == "B1"
    assert "Community Safety Agreement be noted" in csa.resolutions.get().text
    assert any("performance framework" in p.text for p in csa.paragraphs.all())
    page = text(client.get(csa.minutes.meeting.get_absolute_url()))
    assert "Community Safety Agreement be noted" in page
    assert (
        reverse(
            "meetings:detail",
            args=["crime-and-disorder-committee", csa.minutes.meeting.url_key],
        )
        == csa.minutes.meeting.get_absolute_url()
    )


def test_demo_has_recorded_votes_and_a_call_for_action_considered() -> None:
    from django.test import Client
    from django.urls import reverse

    from meetings.models import CallForAction, Meeting, Resolution
    from tests.meetings.pdf_helpers import body_of, whole_text

    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    meeting = Meeting.objects.get(
        body__slug="crime-and-disorder-committee", url_key="2026-09-24"
    )
    votes = Resolution.objects.filter(minute_item__minutes__meeting=meeting).exclude(
        vote=""
    )
    assert sorted(votes.values_list("vote", flat=True)) == ["counted", "named"]
    page = " ".join(Client().get(meeting.get_absolute_url()).content.decode().split())
    minutes = page[page.index('id="minute-') :]
    assert "Recorded vote:</strong> 6 for, 0 against, 1 abstained." in minutes
    assert "Named vote:</strong> 5 for, 1 against, 1 abstained." in minutes
    assert "Against: Councillor L Fairweather" in minutes
    assert "Abstained: Councillor M C Ellery" in minutes
    pdf = whole_text(
        body_of(
            Client().get(
                reverse("meetings:minutes_pdf", args=[meeting.body.slug, "2026-09-24"])
            )
        )
    )
    assert "6 for, 0 against, 1 abstained" in " ".join(pdf.split())
    assert "Fairweather" in pdf

    call = CallForAction.objects.get()
    assert call.agenda_item.meeting == meeting and call.outcome == "recommendations"
    listing = Client().get(reverse("meetings:calls")).content.decode()
    assert "Anti-social behaviour at Hythe station car park" in listing
    detail = " ".join(Client().get(call.get_absolute_url()).content.decode().split())
    assert "Received</strong> on 20 July 2026" in detail
    assert "at its meeting of 24 September 2026" in detail
    assert "Outcome: Recommendations made</strong> on 24 September 2026" in detail


def test_demo_has_a_signed_petition_to_the_county_body_and_one_responded() -> None:
    from django.test import Client

    from meetings.models import Petition

    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    call_command("load_demo", no_accounts=True, stdout=io.StringIO())
    petitions = Petition.objects.filter(body__slug="kent-community-safety-partnership")
    assert petitions.count() == 2
    listing = Client().get("/petitions/").content.decode()
    open_one = petitions.get(status=Petition.Status.OPEN)
    responded = petitions.get(status=Petition.Status.RESPONDED)
    assert open_one.title in listing and responded.title in listing
    page = Client().get(open_one.get_absolute_url()).content.decode()
    assert "<strong>54 signatures</strong>" in page and "has reached 50" in page
    assert "signer1@example.org" not in page
    page = Client().get(responded.get_absolute_url()).content.decode()
    assert "publish district figures each quarter" in page
