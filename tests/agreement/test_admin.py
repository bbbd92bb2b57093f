import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from agreement import services
from agreement.models import Agreement, ChangeNote
from priorities.models import PriorityAction
from tests import factories
from tests.agreement import factories as csa
from tests.helpers import is_public, text

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:agreement_agreement_changelist"


@pytest.fixture
def current() -> Agreement:
    agreement = csa.agreement(responsible_body=factories.body())
    csa.with_priorities(agreement)
    return agreement


def test_clerk_refreshes_from_the_back_office(client: Client, clerk, current) -> None:
    client.force_login(clerk)
    url = reverse(CHANGELIST)
    ask = client.post(url, {"action": "refresh", "_selected_action": [current.pk]})
    body = text(ask)
    assert "A new draft version will be made from" in body
    assert 'value="2012-13"' in body  # the next period, suggested
    done = client.post(
        url,
        {
            "action": "refresh",
            "_selected_action": [current.pk],
            "slug": "2012-13",
            "period_start": "01/04/2012",
            "period_end": "31/03/2013",
            "edition": "Annual refresh 2012/13",
        },
    )
    draft = Agreement.objects.get(slug="2012-13")
    assert done.status_code == 302
    assert done["Location"] == reverse(
        "admin:agreement_agreement_change", args=[draft.pk]
    )
    assert draft.priorities.count() == 6


def test_refresh_form_keeps_what_was_typed_on_errors(
    client: Client, clerk, current
) -> None:
    client.force_login(clerk)
    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "refresh",
            "_selected_action": [current.pk],
            "slug": "2011-14",
            "period_start": "01/04/2012",
            "period_end": "31/03/2013",
            "edition": "My typed edition",
        },
    )
    body = text(response)
    assert response.status_code == 200
    assert "already exists" in body
    assert 'value="My typed edition"' in body
    assert Agreement.objects.count() == 1


def test_clerk_approves_a_draft_and_it_becomes_current(
    client: Client, clerk, current
) -> None:
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    meeting = factories.meeting(current.responsible_body, start="2012-03-22T10:00")
    client.force_login(clerk)
    url = reverse(CHANGELIST)
    bad = client.post(
        url,
        {
            "action": "approve",
            "_selected_action": [draft.pk],
            "approved_on": "01/03/2012",
            "meeting": meeting.pk,
        },
    )
    assert "The approval date cannot be before the meeting." in text(bad)
    assert 'value="01/03/2012"' in text(bad)
    client.post(
        url,
        {
            "action": "approve",
            "_selected_action": [draft.pk],
            "approved_on": "22/03/2012",
            "meeting": meeting.pk,
        },
    )
    draft.refresh_from_db()
    current.refresh_from_db()
    assert draft.status == Agreement.Status.APPROVED
    assert current.status == Agreement.Status.SUPERSEDED


def test_superseded_versions_are_read_only_and_drafts_deletable(
    client: Client, clerk, current
) -> None:
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    services.agreement_approve(agreement=draft, approved_on=dt.date(2012, 3, 22))
    client.force_login(clerk)
    change = reverse("admin:agreement_agreement_change", args=[current.pk])
    body = text(client.get(change))
    assert 'name="title"' not in body  # shown, not editable
    assert client.post(change, {"title": "Edited"}).status_code == 403
    current.refresh_from_db()
    assert current.title == "Kent Community Safety Agreement"
    priority = current.priorities.first()
    assert 'name="name"' not in text(
        client.get(reverse("admin:priorities_priority_change", args=[priority.pk]))
    )
    newer = services.agreement_refresh(
        agreement=draft,
        slug="2013-14",
        period_start=dt.date(2013, 4, 1),
        period_end=dt.date(2014, 3, 31),
    )
    delete = reverse("admin:agreement_agreement_delete", args=[newer.pk])
    assert (
        client.get(
            reverse("admin:agreement_agreement_delete", args=[draft.pk])
        ).status_code
        == 403
    )
    client.post(delete, {"post": "yes"})
    assert not Agreement.objects.filter(pk=newer.pk).exists()


def test_change_notes_record_the_clerk(client: Client, clerk) -> None:
    draft = Agreement.objects.create(
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    client.force_login(clerk)
    change = reverse("admin:agreement_agreement_change", args=[draft.pk])
    data = {
        "title": draft.title,
        "slug": draft.slug,
        "period_start": "01/04/2012",
        "period_end": "31/03/2013",
    }
    for formset in client.get(change).context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        is_notes = formset.formset.model is ChangeNote
        data[f"{prefix}-TOTAL_FORMS"] = 1 if is_notes else 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
        if is_notes:
            data[f"{prefix}-0-text"] = "Road safety lead changes."
    response = client.post(change, data)
    assert response.status_code == 302
    note = ChangeNote.objects.get()
    assert note.recorded_by == clerk
    assert note.agreement == draft


def test_clerk_adds_a_plan_action_through_the_back_office(
    client: Client, clerk, kfrs, current
) -> None:
    road = current.priorities.get(slug="road-safety")
    client.force_login(clerk)
    response = client.post(
        reverse("admin:priorities_priorityaction_add"),
        {
            "priority": road.pk,
            "title": "Deliver young driver education",
            "owner_organisation": kfrs.pk,
            "due_date": "31/03/2012",
            "is_public": "on",
            "order": 1,
        },
    )
    assert response.status_code == 302
    entry = PriorityAction.objects.get()
    assert entry.action.source_kind == PriorityAction.ACTION_KIND
    assert entry.is_public and is_public(entry.action)
    assert entry.action.due_date == dt.date(2012, 3, 31)


@pytest.mark.parametrize(
    "name",
    [
        "agreement_agreement",
        "agreement_assessmentround",
        "agreement_assessmentissue",
        "priorities_priority",
        "priorities_crosscuttingtheme",
        "priorities_priorityaction",
        "priorities_measure",
    ],
)
def test_back_office_lists_search_and_history(
    client: Client, clerk, current, name: str
) -> None:
    csa.matrix(current)
    csa.plan_action(current.priorities.first())
    csa.measure(current.priorities.first())
    client.force_login(clerk)
    listing = client.get(reverse(f"admin:{name}_changelist"), {"q": "Kent"})
    assert listing.status_code == 200
    obj = listing.context["cl"].queryset.model.objects.first()
    assert (
        client.get(reverse(f"admin:{name}_history", args=[obj.pk])).status_code == 200
    )
    assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200


def test_clerk_merges_two_priorities_of_a_draft(client: Client, clerk, current) -> None:
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    keep = draft.priorities.get(slug="violent-crime")
    absorb = draft.priorities.get(slug="acquisitive-crime")
    client.force_login(clerk)
    url = reverse("admin:priorities_priority_changelist")
    selected = {"action": "merge", "_selected_action": [keep.pk, absorb.pk]}
    assert "Merge two priorities" in text(client.post(url, selected))
    client.post(url, {**selected, "keep": keep.pk})
    assert not draft.priorities.filter(pk=absorb.pk).exists()
    assert keep.predecessors.count() == 2
    # Not in an approved version.
    olds = list(current.priorities.filter(slug__in=["violent-crime", "road-safety"]))
    response = client.post(
        url,
        {
            "action": "merge",
            "_selected_action": [p.pk for p in olds],
            "keep": olds[0].pk,
        },
        follow=True,
    )
    assert "only in a draft version" in text(response)
    assert current.priorities.count() == 6


def test_plan_actions_cannot_be_added_to_superseded_versions(
    client: Client, clerk, kfrs, current
) -> None:
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    services.agreement_approve(agreement=draft, approved_on=dt.date(2012, 3, 22))
    client.force_login(clerk)
    response = client.post(
        reverse("admin:priorities_priorityaction_add"),
        {
            "priority": current.priorities.first().pk,
            "title": "Too late",
            "owner_organisation": kfrs.pk,
            "order": 1,
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert 'value="Too late"' in text(response)
    assert not PriorityAction.objects.exists()
