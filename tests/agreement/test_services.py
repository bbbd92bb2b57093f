import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreement import services
from agreement.models import Agreement, AgreementSection, ChangeNote
from kcsp.models import Action
from priorities import services as priority_services
from priorities.models import (
    CrossCuttingTheme,
    MeasureValue,
    Priority,
    PriorityAction,
    PriorityLead,
)
from tests import factories
from tests.agreement import factories as csa
from tests.helpers import is_public

pytestmark = pytest.mark.django_db


def _snapshot(agreement: Agreement) -> dict[str, object]:
    """Everything of a version, to show a refresh leaves it untouched."""
    agreement.refresh_from_db()
    return {
        "agreement": (agreement.status, agreement.updated_at, agreement.slug),
        "sections": list(agreement.sections.values_list("pk", "heading", "body")),
        "priorities": list(
            agreement.priorities.values_list("pk", "name", "slug", "updated_at")
        ),
        "leads": list(
            PriorityLead.objects.filter(priority__agreement=agreement).values_list(
                "pk", "label", "is_tbc", "updated_at"
            )
        ),
        "themes": list(agreement.themes.values_list("pk", "name", "updated_at")),
        "plan": list(
            PriorityAction.objects.filter(priority__agreement=agreement).values_list(
                "pk", "priority_id", "action_id"
            )
        ),
        "values": list(
            MeasureValue.objects.filter(
                measure__priority__agreement=agreement
            ).values_list("pk", "value")
        ),
    }


def test_refresh_copies_into_a_new_draft_without_touching_the_approved_one() -> None:
    approved = csa.agreement()
    priorities = csa.with_priorities(approved)
    open_action = csa.plan_action(priorities[1], "Consolidate the domestic abuse plan")
    closed = csa.plan_action(
        priorities[1], "Publish the strategy", status=Action.Status.CLOSED
    )
    csa.measure(priorities[3], values=[("2009", 28011), ("2010", 29811)])
    before = _snapshot(approved)

    draft = services.agreement_refresh(
        agreement=approved,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
        edition="Annual refresh 2012/13",
    )

    assert _snapshot(approved) == before
    assert approved.status == Agreement.Status.APPROVED
    assert draft.status == Agreement.Status.DRAFT
    assert draft.previous == approved
    assert draft.period == "April 2012 to March 2013"
    # Priorities, in order, as new rows continuing the old ones.
    copies = list(draft.priorities.order_by("order"))
    assert [p.name for p in copies] == csa.PRIORITIES_2011
    assert not {p.pk for p in copies} & {p.pk for p in priorities}
    assert [list(p.predecessors.all()) for p in copies] == [[p] for p in priorities]
    assert [p.slug for p in copies] == [p.slug for p in priorities]
    # Leads, including the TBC.
    leads = {
        lead.priority.name: lead
        for lead in PriorityLead.objects.filter(priority__agreement=draft)
    }
    assert leads[csa.PRIORITIES_2011[0]].is_tbc
    assert leads["Domestic Abuse"].label.startswith("Head of Partnership")
    assert leads["Domestic Abuse"].carried_from.priority == priorities[1]
    # Themes, cutting across the copied priorities.
    themes = CrossCuttingTheme.objects.filter(agreement=draft)
    assert [t.name for t in themes.order_by("order")] == csa.THEMES_2011
    for theme in themes:
        assert set(theme.priorities.all()) == set(copies)
    # Open actions only, as the same tracked actions.
    plan = PriorityAction.objects.filter(priority__agreement=draft)
    assert [e.action for e in plan] == [open_action]
    assert plan.get().priority == copies[1]
    assert closed not in [e.action for e in plan]
    # Measures with their values, and the document's own parts.
    assert list(
        MeasureValue.objects.filter(measure__priority__agreement=draft).values_list(
            "period_label", "value"
        )
    ) == [("2009", 28011), ("2010", 29811)]
    assert draft.sections.count() == approved.sections.count()
    assert all(s.carried_from.agreement == approved for s in draft.sections.all())
    assert [s.label for s in draft.signatories.all()] == [
        "Kent Police",
        "Primary Care Trusts",
    ]
    assert draft.strategies.get().title == "Vision for Kent"
    assert draft.contact_phone == "01622 696187"


def test_only_the_current_agreement_is_refreshed_and_one_draft_at_a_time() -> None:
    first, draft = csa.approved_with_refresh()
    with pytest.raises(ValidationError, match="draft version already exists"):
        services.agreement_refresh(
            agreement=first,
            slug="2013-14",
            period_start=dt.date(2013, 4, 1),
            period_end=dt.date(2014, 3, 31),
        )
    with pytest.raises(ValidationError, match="Only the current"):
        services.agreement_refresh(
            agreement=draft,
            slug="2013-14",
            period_start=dt.date(2013, 4, 1),
            period_end=dt.date(2014, 3, 31),
        )


def test_refresh_refuses_a_period_that_ends_before_it_starts() -> None:
    first = csa.agreement()
    with pytest.raises(ValidationError) as error:
        services.agreement_refresh(
            agreement=first,
            slug="2012-13",
            period_start=dt.date(2013, 4, 1),
            period_end=dt.date(2012, 3, 31),
        )
    assert "period_end" in error.value.error_dict
    assert not Agreement.objects.filter(slug="2012-13").exists()


def test_approving_supersedes_the_current_version_and_publishes_the_plan() -> None:
    first, draft = csa.approved_with_refresh()
    domestic = draft.priorities.get(name="Domestic Abuse")
    public = csa.plan_action(domestic, "Review refuge provision")
    private = csa.plan_action(domestic, "Share case data", is_public=False)
    assert not is_public(public)  # a draft's actions wait for approval

    body = factories.body()
    meeting = factories.meeting(body, start="2012-03-22T10:00")
    approved = services.agreement_approve(
        agreement=draft, approved_on=dt.date(2012, 3, 22), meeting=meeting
    )

    first.refresh_from_db()
    assert first.status == Agreement.Status.SUPERSEDED
    assert first.superseded_on == dt.date(2012, 3, 22)
    assert approved.status == Agreement.Status.APPROVED
    assert approved.approved_at_meeting == meeting
    assert Agreement.objects.current().get() == approved
    public.refresh_from_db()
    assert is_public(public) and not is_public(private)
    assert public.source_kind == PriorityAction.ACTION_KIND
    assert public.source_label == (
        "Kent Community Safety Agreement 2012-13 action plan: Domestic Abuse"
    )
    assert public.source_url == "/priorities/domestic-abuse/"


def test_approval_checks() -> None:
    first, draft = csa.approved_with_refresh()
    with pytest.raises(ValidationError, match="Only a draft"):
        services.agreement_approve(agreement=first, approved_on=dt.date(2012, 3, 22))
    meeting = factories.meeting(start="2012-03-22T10:00")
    with pytest.raises(ValidationError, match="before the meeting"):
        services.agreement_approve(
            agreement=draft, approved_on=dt.date(2012, 3, 1), meeting=meeting
        )
    with pytest.raises(ValidationError, match="no minute 52"):
        services.agreement_approve(
            agreement=draft,
            approved_on=dt.date(2012, 3, 22),
            meeting=meeting,
            minute_number=52,
        )
    for priority in draft.priorities.all():
        priority.delete()
    with pytest.raises(ValidationError, match="no priorities"):
        services.agreement_approve(agreement=draft, approved_on=dt.date(2012, 3, 22))


def test_approval_links_the_resolution_by_its_minute_number() -> None:
    from meetings import services as meeting_services
    from tests.meetings.minutes_factories import agenda, write

    _first, draft = csa.approved_with_refresh()
    meeting = factories.meeting(start="2022-03-24T10:00")
    agenda(meeting, ["Notes", "Kent Community Safety Agreement Review and Refresh"])
    minutes = meeting_services.minutes_start_from_agenda(
        meeting=meeting, first_number=51
    )
    write(
        minutes.items.get(number=52),
        ["Ms Brinson introduced the refresh."],
        parts=["Agree the priorities and cross-cutting themes for 2022/23."],
        resolution="RESOLVED that the Kent Community Safety Partnership",
    )
    approved = services.agreement_approve(
        agreement=draft,
        approved_on=dt.date(2022, 3, 24),
        meeting=meeting,
        minute_number=52,
    )
    assert approved.approved_by_resolution.minute_item.number == 52


def test_only_one_version_is_current_in_the_database() -> None:
    csa.agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.create(
            slug="other",
            period_start=dt.date(2015, 4, 1),
            period_end=dt.date(2016, 3, 31),
            status=Agreement.Status.APPROVED,
            approved_on=dt.date(2015, 3, 1),
        )


def test_discarding_a_draft_keeps_the_approved_version_and_its_actions() -> None:
    first = csa.agreement()
    priorities = csa.with_priorities(first)
    carried = csa.plan_action(priorities[2])
    draft = services.agreement_refresh(
        agreement=first,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    draft_only = csa.plan_action(draft.priorities.get(name="Road Safety"), "New")
    with pytest.raises(ValidationError):
        services.agreement_discard(agreement=first)
    services.agreement_discard(agreement=draft)
    assert list(Agreement.objects.all()) == [first]
    assert Action.objects.filter(pk=carried.pk).exists()
    assert not Action.objects.filter(pk=draft_only.pk).exists()
    assert Priority.objects.filter(agreement=first).count() == 6


def test_change_notes_are_recorded_but_not_on_superseded_versions(clerk) -> None:
    first, draft = csa.approved_with_refresh()
    note = services.change_note_record(
        agreement=draft,
        text="Violence Against Women and Girls is placed within domestic abuse.",
        by=clerk,
    )
    assert note.recorded_by == clerk
    assert list(draft.change_notes.all()) == [note]
    with pytest.raises(ValidationError):
        services.change_note_record(agreement=draft, text="  ")
    services.agreement_approve(agreement=draft, approved_on=dt.date(2012, 3, 22))
    with pytest.raises(ValidationError, match="kept as they were"):
        services.change_note_record(agreement=first, text="Late note")
    assert ChangeNote.objects.count() == 1


def test_every_model_keeps_history() -> None:
    from django.apps import apps

    for app in ("agreement", "priorities"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            assert hasattr(model, "history"), model


def test_section_kinds_other_than_text_appear_once_per_version() -> None:
    first = csa.agreement()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementSection.objects.create(
            agreement=first, kind=AgreementSection.Kind.LEADS, heading="Leads again"
        )


def test_priority_services_refuse_superseded_versions() -> None:
    first, draft = csa.approved_with_refresh()
    services.agreement_approve(agreement=draft, approved_on=dt.date(2012, 3, 22))
    with pytest.raises(ValidationError, match="superseded"):
        priority_services.priority_add(agreement=first, name="Too late")
