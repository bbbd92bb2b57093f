import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreement import services as agreement_services
from priorities import services
from priorities.models import Priority, PriorityAction, PriorityLead
from tests import factories
from tests.agreement import factories as csa
from tests.helpers import is_public

pytestmark = pytest.mark.django_db


def test_plan_actions_are_shared_tracked_actions(kfrs) -> None:
    agreement = csa.agreement()
    road = csa.with_priorities(agreement)[5]
    lead = services.secondary_lead_add(
        priority=road, organisation=kfrs, responsibility="Young drivers"
    )
    entry = services.priority_action_add(
        priority=road,
        title="Deliver young driver education",
        owner_organisation=kfrs,
        lead=lead,
        due_date=dt.date(2012, 3, 31),
    )
    action = entry.action
    assert action.source_kind == PriorityAction.ACTION_KIND
    assert is_public(action)
    assert action.owner_organisation == kfrs
    assert action.source_label == (
        "Kent Community Safety Agreement 2011-14 action plan: Road Safety"
    )
    assert action.reports_to == "Kent Community Safety Partnership"
    assert entry.lead == lead
    other = csa.with_priorities(csa.agreement(slug="x", status="draft"), ["Other"])[0]
    with pytest.raises(ValidationError):
        services.priority_action_add(
            priority=other, title="Wrong lead", owner_organisation=kfrs, lead=lead
        )


def test_a_plan_action_is_public_while_its_entry_is(client, kfrs) -> None:
    """Unticking "shown to the public" on the entry takes the action out of
    public view at once, on every surface; ticking it again brings it back."""
    road = csa.with_priorities(csa.agreement())[5]
    entry = services.priority_action_add(
        priority=road, title="Deliver young driver education", owner_organisation=kfrs
    )
    api = f"/api/v1/actions/{entry.action_id}/"
    assert client.get(api).status_code == 200
    assert "young driver" in client.get(road.get_absolute_url()).content.decode()
    entry.is_public = False
    entry.save()
    assert not is_public(entry.action)
    assert client.get(api).status_code == 404
    assert "young driver" not in client.get(road.get_absolute_url()).content.decode()
    entry.is_public = True
    entry.save()
    assert is_public(entry.action)


def test_open_actions_carry_over_as_the_same_action_with_their_updates(
    clerk, kent_police
) -> None:
    from kcsp.services import action_post_update

    agreement = csa.agreement()
    road = csa.with_priorities(agreement)[5]
    carried = csa.plan_action(road, "Carried action")
    action_post_update(action=carried, by=clerk, text="Half done.", rag="amber")
    draft = agreement_services.agreement_refresh(
        agreement=agreement,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    entry = PriorityAction.objects.get(priority__agreement=draft)
    assert entry.action == carried
    assert entry.carried_from.priority == road
    assert list(entry.action.updates.values_list("text", flat=True)) == ["Half done."]
    # The old plan still lists it too.
    assert road.action_links.get().action == carried


def test_merge_places_one_priority_within_another() -> None:
    agreement = csa.agreement()
    olds = csa.with_priorities(agreement, ["Domestic Abuse", "VAWG"])
    csa.plan_action(olds[1], "VAWG action")
    csa.measure(olds[1], "Theft and handling offences")
    draft = agreement_services.agreement_refresh(
        agreement=agreement,
        slug="2022-23",
        period_start=dt.date(2022, 4, 1),
        period_end=dt.date(2023, 3, 31),
    )
    keep = draft.priorities.get(name="Domestic Abuse")
    absorb = draft.priorities.get(name="VAWG")
    csa.measure(keep, "Theft and handling offences")
    services.priority_merge(keep=keep, absorb=absorb)
    assert not Priority.objects.filter(pk=absorb.pk).exists()
    assert set(keep.predecessors.all()) == set(olds)
    assert [e.action.title for e in keep.action_links.all()] == ["VAWG action"]
    assert sorted(keep.measures.values_list("name", flat=True)) == [
        "Theft and handling offences",
        "Theft and handling offences (VAWG)",
    ]
    # VAWG's lead becomes a secondary lead of domestic abuse.
    secondary = keep.leads.get(role=PriorityLead.Role.SECONDARY)
    assert secondary.label == "Head of Partnership and Communities Command (VAWG)"
    assert set(keep.themes.values_list("name", flat=True)) == set(csa.THEMES_2011)
    with pytest.raises(ValidationError, match="only in a draft"):
        services.priority_merge(keep=olds[0], absorb=olds[1])


def test_lead_is_named_or_tbc_never_both() -> None:
    priority = csa.with_priorities(csa.agreement(), ["Road Safety"])[0]
    with pytest.raises(ValidationError):
        services.lead_set(priority=priority, tbc=True, label="Someone")
    with pytest.raises(ValidationError):
        services.lead_set(priority=priority)
    with pytest.raises(IntegrityError), transaction.atomic():
        PriorityLead.objects.create(priority=priority, role="primary", is_tbc=True)
    lead = services.lead_set(priority=priority, tbc=True)
    assert lead.display == "TBC"
    assert priority.leads.count() == 1


def test_lead_display_from_a_post_person_or_organisation() -> None:
    from kcsp.models import Post

    police = factories.organisation("Kent Police", short_name="Kent Police")
    post = Post.objects.create(
        title="Head of Partnership and Communities Command", organisation=police
    )
    priority = csa.with_priorities(csa.agreement(), ["Violent Crime"])[0]
    assert services.lead_set(priority=priority, post=post).display == (
        "Head of Partnership and Communities Command, Kent Police"
    )
    person = factories.person("Wilkinson", forenames="Nick", organisation=police)
    assert services.lead_set(priority=priority, person=person).display == (
        "Nick Wilkinson, Kent Police"
    )


def test_reserved_addresses_and_versions_are_checked() -> None:
    agreement = csa.agreement()
    with pytest.raises(ValidationError, match="used by another page"):
        services.priority_add(agreement=agreement, name="x", slug="exception-report")
    services.priority_add(agreement=agreement, name="Road Safety")
    with pytest.raises(ValidationError):
        services.priority_add(agreement=agreement, name="Road Safety")


def test_measure_values_are_recorded_once_per_period() -> None:
    priority = csa.with_priorities(csa.agreement(), ["Road Safety"])[0]
    measure = csa.measure(priority, "Killed or seriously injured", [("2010", 545)])
    services.measure_value_record(
        measure=measure, period_end=dt.date(2010, 12, 31), value=550, note="Revised"
    )
    assert list(measure.values.values_list("value", "note")) == [(550, "Revised")]
