import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kcsp.models import Action
from meetings import services
from meetings.models import AgendaItem, ForwardPlanItem, RecurringItem, Resolution
from tests import factories
from tests.helpers import text, words
from tests.meetings.minutes_factories import agenda, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def minuted(kent_police):
    """KCSP, 19 March 2015: MARAC update requested for the next meeting."""
    body = factories.body()
    meeting = factories.meeting(body, start="2015-03-19T10:00")
    agenda(meeting, ["MARAC Consultation - Verbal Update"])
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=97)
    item = write(
        minutes.items.get(),
        ["Alison Gilmour presented an update."],
        "RESOLVED that the Committee",
        [
            "note the verbal update",
            "request an update on the commissioning process at the next meeting",
        ],
    )
    next_meeting = factories.meeting(body, start="2015-10-08T10:00")
    return item.resolutions.get(), next_meeting


def test_an_action_from_a_lettered_part_due_at_the_next_meeting(minuted, kent_police):
    resolution, next_meeting = minuted
    part = resolution.parts.get(order=1)
    link = services.resolution_action_create(
        resolution=resolution,
        part=part,
        owner_organisation=kent_police,
        at_next_meeting=True,
    )
    action = link.action
    assert action.title == (
        "Request an update on the commissioning process at the next meeting"
    )
    assert action.due_date == dt.date(2015, 10, 8)
    assert link.due_meeting == next_meeting
    assert action.source_label == (
        "Minute 97 b), Kent Community Safety Partnership, 19 March 2015"
    )
    assert action.reports_to == "Kent Community Safety Partnership"
    assert not Action.objects.public().contains(action)  # the minutes are a draft


def test_without_a_next_meeting_a_date_is_needed(kent_police) -> None:
    meeting = factories.meeting()
    agenda(meeting, ["Item"])
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    resolution = write(item, [], "RESOLVED that a report be brought").resolutions.get()
    with pytest.raises(ValidationError, match="give a due date"):
        services.resolution_action_create(
            resolution=resolution, owner_organisation=kent_police, at_next_meeting=True
        )


def test_publishing_minutes_makes_their_actions_public(
    minuted, kent_police, client: Client
) -> None:
    resolution, _ = minuted
    link = services.resolution_action_create(
        resolution=resolution,
        owner_organisation=kent_police,
        at_next_meeting=True,
        title="Update on the commissioning process",
    )
    link.action.private_notes = "Budget still uncertain: do not share."
    link.action.save()
    minutes = resolution.minute_item.minutes
    services.minutes_publish_draft(minutes=minutes)
    assert Action.objects.public().contains(link.action)
    page = text(client.get(minutes.meeting.get_absolute_url()))
    assert "Actions arising" in page
    assert "Update on the commissioning process: Kent Police, not started" in page
    assert "Budget still uncertain" not in page


def test_an_action_leaves_public_view_when_its_minute_does(
    kent_police, client: Client
) -> None:
    """Nothing is copied into the action: made exempt, or its body made
    private, or its minute deleted, the action is no longer public at once."""
    action = factories.resolution_action(kent_police, published=False)
    item = action.resolution_link.resolution.minute_item
    services.minutes_publish_draft(minutes=item.minutes)
    assert client.get(reverse("api:action-detail", args=[action.pk])).status_code == 200

    item.visibility = "exempt"
    item.exempt_paragraph = 7
    item.save()
    assert not Action.objects.public().contains(action)
    assert client.get(reverse("api:action-detail", args=[action.pk])).status_code == 404
    item.visibility = "public"
    item.exempt_paragraph = None
    item.save()
    assert Action.objects.public().contains(action)

    body = item.minutes.meeting.body
    body.is_public = False
    body.save()
    assert not Action.objects.public().contains(action)
    body.is_public = True
    body.save()

    item.delete()
    assert Action.objects.filter(pk=action.pk).exists()
    assert not Action.objects.public().contains(action)


def test_next_agenda_offers_due_actions_matters_arising_and_the_forward_plan(
    minuted, kent_police, kfrs
) -> None:
    resolution, next_meeting = minuted
    due = services.resolution_action_create(
        resolution=resolution,
        owner_organisation=kent_police,
        at_next_meeting=True,
        title="Update on the commissioning process",
    ).action
    arising = services.resolution_action_create(
        resolution=resolution,
        owner_organisation=kfrs,
        due_date=dt.date(2016, 3, 1),
        title="Confirm the conference budget",
    ).action
    body = next_meeting.body
    annual = RecurringItem.objects.create(
        body=body, title="Annual mental health update", month=10
    )
    RecurringItem.objects.create(body=body, title="Annual CSA refresh", month=3)
    planned = ForwardPlanItem.objects.create(
        body=body, meeting=next_meeting, title="Prevent Steering Board report"
    )
    offers = services.agenda_offers(meeting=next_meeting)
    assert offers.due_actions == [due]
    assert offers.matters_arising == [arising]
    assert offers.recurring == [annual]
    assert offers.planned == [planned]

    item = services.agenda_add_action(meeting=next_meeting, action=arising)
    assert item.title == "Matters arising: Confirm the conference budget"
    assert item.action == arising and item.reference == "A1"
    due_item = services.agenda_add_action(meeting=next_meeting, action=due)
    assert due_item.section.letter == "B"
    recurring_item = services.agenda_add_recurring(
        meeting=next_meeting, recurring=annual
    )
    assert recurring_item.forward_plan_item.recurring == annual
    services.agenda_add_forward_plan(meeting=next_meeting, plan=planned)
    assert services.agenda_offers(meeting=next_meeting).empty
    assert AgendaItem.objects.filter(meeting=next_meeting).count() == 4
    with pytest.raises(ValidationError, match="already on this agenda"):
        services.agenda_add_action(meeting=next_meeting, action=due)


def test_late_offer_needs_an_urgency_reason(minuted, kent_police) -> None:
    resolution, next_meeting = minuted
    action = services.resolution_action_create(
        resolution=resolution, owner_organisation=kent_police, at_next_meeting=True
    ).action
    agenda(next_meeting, ["Existing"])
    services.agenda_publish(meeting=next_meeting)
    with pytest.raises(ValidationError):
        services.agenda_add_action(meeting=next_meeting, action=action)
    item = services.agenda_add_action(
        meeting=next_meeting,
        action=action,
        urgency_reason="Commissioning decision due.",
    )
    assert item.is_urgent


def test_clerk_adds_a_matter_arising_from_the_build_page(
    client: Client, clerk, partner, minuted, kent_police
) -> None:
    resolution, next_meeting = minuted
    action = services.resolution_action_create(
        resolution=resolution,
        owner_organisation=kent_police,
        due_date=dt.date(2016, 6, 1),
    ).action
    args = [next_meeting.body.slug, next_meeting.url_key]
    url = reverse("manage:agenda", args=args)
    client.force_login(partner)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    assert action.title in text(client.get(url))
    response = client.post(
        reverse("manage:agenda_offer", args=args),
        {"kind": "action", "pk": action.pk},
        follow=True,
    )
    assert "Added to the agenda as A1." in text(response)
    assert AgendaItem.objects.get(meeting=next_meeting).action == action


def test_forward_plan_page_shows_due_items_and_deadlines(
    client: Client, minuted, kent_police
) -> None:
    resolution, _ = minuted
    body = resolution.minute_item.minutes.meeting.body
    coming = factories.meeting(body, start="2099-03-10T10:00")
    RecurringItem.objects.create(
        body=body, title="Annual mental health update", month=3
    )
    ForwardPlanItem.objects.create(
        body=body,
        meeting=coming,
        title="Violence Reduction Unit findings",
        partner_to_attend=kent_police,
    )
    ForwardPlanItem.objects.create(
        body=body, meeting=coming, title="Staff-only idea", is_public=False
    )
    page = text(client.get(reverse("meetings:forward_plan", args=[body.slug])))
    assert "Annual mental health update" in page
    assert "Violence Reduction Unit findings" in page
    assert "Kent Police to attend or provide information" in page
    assert "Notice to the partner by 10 February 2099" in page
    assert "Staff-only idea" not in page


def test_a_cancelled_meetings_plan_items_wait_to_be_rescheduled(
    client: Client, minuted
) -> None:
    resolution, _ = minuted
    body = resolution.minute_item.minutes.meeting.body
    coming = factories.meeting(body, start="2099-03-10T10:00")
    ForwardPlanItem.objects.create(
        body=body, meeting=coming, title="Violence Reduction Unit findings"
    )
    ForwardPlanItem.objects.create(
        body=body, meeting=coming, title="Staff-only idea", is_public=False
    )
    coming.status = "cancelled"
    coming.save()
    page = words(client.get(reverse("meetings:forward_plan", args=[body.slug])))
    assert "To be rescheduled" in page
    assert (
        "Violence Reduction Unit findings (added by the clerk; planned for "
        "10 March 2099, cancelled)"
    ) in page
    assert "Staff-only idea" not in page


def test_recommendation_response_deadline(client: Client, kent_police) -> None:
    body = factories.body("Crime and Disorder Committee")
    meeting = factories.meeting(body, start="2026-11-06T14:00")
    agenda(meeting, ["CCTV"])
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    write(
        item,
        [],
        "RESOLVED that the Committee recommend joint CCTV monitoring",
        kind=Resolution.Kind.RECOMMENDED,
    )
    Resolution.objects.filter(minute_item=item).update(recommended_to="Kent Police")
    services.minutes_publish_draft(minutes=item.minutes)
    page = text(client.get(reverse("meetings:forward_plan", args=[body.slug])))
    assert "to Kent Police: response due by 4 December 2026" in page
    assert Action.objects.count() == 0
