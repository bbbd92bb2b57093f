"""Recommendations, agency actions and their sign-off, publication,
documents and the rules the models hold."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from dhr import services
from dhr.models import (
    AgencyAction,
    Case,
    Configuration,
    PublishedDocument,
    financial_year_label,
    financial_year_of,
)
from kcsp import services as action_services
from kcsp.models import Action
from kcsp.workdays import add_months
from tests import factories
from tests.dhr import factories as dhr
from tests.helpers import is_public
from tests.meetings.minutes_factories import agenda, write

pytestmark = pytest.mark.django_db


def test_recommendations_are_numbered_per_case() -> None:
    first, second = dhr.case("TEST 1"), dhr.case("TEST 2")
    numbers = [dhr.recommendation(first).number for _ in range(3)]
    assert numbers == [1, 2, 3]
    assert dhr.recommendation(second).number == 1
    with pytest.raises(ValidationError, match="Enter the recommendation"):
        services.recommendation_add(case=first, text="  ")


def test_an_agency_action_is_a_tracked_action_that_names_only_the_reference(
    kfrs,
) -> None:
    case = dhr.approved_case("TEST 7", pseudonym="Rowan", year=2026)
    recommendation = dhr.recommendation(case)
    link = dhr.agency_action(recommendation, kfrs)
    action = link.action
    assert action.source_kind == AgencyAction.ACTION_KIND
    assert action.source_label == "Domestic Homicide Review TEST 7, recommendation 1"
    assert action.source_url == ""
    assert action.reports_to == "Domestic Homicide Review Board"
    assert not is_public(action)
    assert action.description == ""
    assert action.owner_organisation == kfrs
    assert AgencyAction.objects.get().recommendation == recommendation


def test_actions_report_to_the_configured_board(kfrs, settings) -> None:
    configuration = Configuration.current()
    configuration.board = factories.body(
        "Kent and Medway Domestic Homicide Review Board"
    )
    configuration.save()
    link = dhr.agency_action(dhr.recommendation(dhr.case()), kfrs)
    assert link.action.reports_to == "Kent and Medway Domestic Homicide Review Board"
    settings.DHR_LABEL = "Domestic Abuse Related Death Review"
    configuration.board = None
    configuration.save()
    link = dhr.agency_action(dhr.recommendation(dhr.case("TEST 9")), kfrs)
    assert link.action.reports_to == "Domestic Abuse Related Death Review Board"
    assert link.action.source_label.startswith("Domestic Abuse Related Death Review")


def test_a_lead_officer_must_work_for_the_agency(kfrs, kent_police) -> None:
    officer = factories.person("Adams", initials="M", organisation=kent_police)
    with pytest.raises(ValidationError, match="lead officer of that agency"):
        dhr.agency_action(dhr.recommendation(dhr.case()), kfrs, owner_person=officer)
    assert not Action.objects.exists()


def test_publishing_names_the_actions_by_pseudonym_and_makes_the_plan_public(
    kfrs, dhr_coordinator
) -> None:
    case = dhr.approved_case("TEST 8")
    link = dhr.agency_action(dhr.recommendation(case), kfrs)
    today = timezone.localdate()
    case = services.case_publish(
        case=case,
        by=dhr_coordinator,
        published_on=today,
        pseudonym=" Juniper ",
        year=2025,
        action_plan_public=True,
    )
    assert (case.public_name, case.slug) == ("Juniper 2025", "juniper-2025")
    assert case.takedown_on == add_months(today, 12)  # the configured period
    action = Action.objects.get(pk=link.action_id)
    assert is_public(action)
    assert action.source_label == (
        "Domestic Homicide Review Juniper 2025, recommendation 1"
    )
    assert action.source_url == "/dhr/juniper-2025/"
    # Actions added after publication are public from the start.
    later = dhr.agency_action(case.recommendations.get(), kfrs, "Second action")
    assert is_public(later.action)


def test_without_the_plan_actions_stay_private_and_takedown_can_be_off(
    kfrs, dhr_coordinator
) -> None:
    configuration = Configuration.current()
    configuration.takedown_after_months = None
    configuration.save()
    case = dhr.approved_case()
    link = dhr.agency_action(dhr.recommendation(case), kfrs)
    case = services.case_publish(
        case=case,
        by=dhr_coordinator,
        published_on=timezone.localdate(),
        pseudonym="Juniper",
        year=2025,
    )
    assert case.takedown_on is None
    action = Action.objects.get(pk=link.action_id)
    assert not is_public(action)
    assert "Juniper 2025" in action.source_label
    # The coordinator publishes the plan later from the back office.
    case.action_plan_public = True
    services.case_save(case=case)
    assert is_public(link.action)


def test_publication_needs_the_coordinator_an_approval_and_no_future_date(
    partner, clerk, dhr_coordinator
) -> None:
    pending = dhr.case()
    today = timezone.localdate()
    options = {"published_on": today, "pseudonym": "Juniper", "year": 2025}
    for user in (partner, clerk):
        with pytest.raises(PermissionDenied):
            services.case_publish(case=pending, by=user, **options)
    with pytest.raises(ValidationError, match="not approved"):
        services.case_publish(case=pending, by=dhr_coordinator, **options)
    approved = dhr.approved_case()
    with pytest.raises(ValidationError, match="goes online"):
        services.case_publish(
            case=approved,
            by=dhr_coordinator,
            **{**options, "published_on": today + dt.timedelta(days=1)},
        )
    services.case_publish(case=approved, by=dhr_coordinator, **options)
    with pytest.raises(ValidationError, match="already published"):
        services.case_publish(case=approved, by=dhr_coordinator, **options)
    other = dhr.approved_case()
    with pytest.raises(ValidationError, match="pseudonym and year"):
        services.case_publish(case=other, by=dhr_coordinator, **options)
    assert not Case.objects.get(pk=other.pk).published_on


def test_closing_needs_the_boards_sign_off(
    kfrs, partner, clerk, dhr_coordinator
) -> None:
    link = dhr.agency_action(dhr.recommendation(dhr.case()), kfrs)
    action = link.action
    with pytest.raises(ValidationError, match="closed only when it is signed off"):
        action_services.action_post_update(
            action=action, by=partner, text="Done", status=Action.Status.CLOSED
        )
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="not marked this action complete"):
        services.agency_action_sign_off(
            link=link, by=dhr_coordinator, signed_off_on=today
        )
    dhr.complete(action, partner)
    for user in (partner, clerk):
        with pytest.raises(PermissionDenied):
            services.agency_action_sign_off(link=link, by=user, signed_off_on=today)
        with pytest.raises(PermissionDenied):
            action_services.action_sign_off(action=action, by=user)
    with pytest.raises(ValidationError, match="future"):
        services.agency_action_sign_off(
            link=link, by=dhr_coordinator, signed_off_on=today + dt.timedelta(days=1)
        )
    board = factories.body("Kent and Medway Domestic Homicide Review Board")
    meeting = factories.meeting(board, start="2026-06-05T10:00")
    agenda(meeting, ["Agency actions for sign-off"])
    from meetings import services as meeting_services

    minutes = meeting_services.minutes_start_from_agenda(
        meeting=meeting, first_number=12
    )
    minute = write(minutes.items.get(), [], "RESOLVED that the actions be signed off")
    services.agency_action_sign_off(
        link=link,
        by=dhr_coordinator,
        signed_off_on=dt.date(2026, 6, 5),
        minute_item=minute,
        note="Evidence seen",
    )
    action.refresh_from_db()
    link.refresh_from_db()
    assert action.status == Action.Status.CLOSED
    assert action.signed_off_by == dhr_coordinator
    assert (link.signed_off_on, link.minute_item) == (dt.date(2026, 6, 5), minute)
    assert link.minute_label == "Minute 12, 5 June 2026"
    assert action.sign_off_note == (
        "Signed off by the Domestic Homicide Review Board on 5 June 2026 "
        "(Minute 12, 5 June 2026): Evidence seen"
    )
    with pytest.raises(ValidationError):
        action_services.action_post_update(action=action, by=partner, text="More")


def test_the_database_refuses_a_closed_action_without_sign_off(kfrs) -> None:
    action = dhr.agency_action(dhr.recommendation(dhr.case()), kfrs).action
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=action.pk).update(status=Action.Status.CLOSED)


def test_documents_are_checked_by_content_and_replaced_by_kind() -> None:
    case = dhr.approved_case()
    first = dhr.document(case)
    second = dhr.document(case, name="executive-summary-v2.pdf")
    assert first.pk == second.pk
    assert PublishedDocument.objects.get().filename == "executive-summary-v2.pdf"
    assert second.history.count() == 2
    fake = io.BytesIO(b"MZ this is not a PDF")
    with pytest.raises(ValidationError, match="not a PDF"):
        services.document_upload(
            case=case,
            by=dhr._coordinator(),
            kind=PublishedDocument.Kind.OVERVIEW_REPORT,
            upload=fake,
            name="overview.pdf",
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"victim_age": 15}, "aged 16 or over"),
        (
            {"decision": Case.Decision.HOLD, "decision_on": None},
            "decision and the date",
        ),
        ({"decision_on": dt.date(2026, 2, 1)}, "before the police notification"),
        ({"qa_outcome": "approved", "qa_outcome_on": None}, "outcome needs its date"),
        ({"published_on": dt.date(2026, 10, 1)}, "approved it, under a pseudonym"),
        ({"takedown_on": dt.date(2027, 1, 1)}, "only after the review is published"),
        ({"notified_on": None}, "date the police notified"),
    ],
)
def test_a_case_holds_its_invariants(fields: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        dhr.case(**fields)


def test_a_review_recorded_from_its_publication_needs_only_what_was_published() -> None:
    case = services.case_save(
        case=Case(
            reference="Sylvie 2018",
            pseudonym="Sylvie",
            year=2018,
            recorded_from_publication=True,
            decision=Case.Decision.HOLD,
            published_on=dt.date(2022, 3, 24),
        )
    )
    assert case.notified_on is None and case.slug == "sylvie-2018"
    assert list(Case.objects.public()) == [case]
    assert list(Case.objects.open()) == []


def test_financial_years_run_april_to_march() -> None:
    assert financial_year_of(dt.date(2022, 3, 31)) == 2021
    assert financial_year_of(dt.date(2022, 4, 1)) == 2022
    assert financial_year_label(2022) == "2022/23"
    assert financial_year_label(2099) == "2099/00"


def _daily() -> str:
    out = io.StringIO()
    call_command("daily", stdout=out)
    return out.getvalue()


def test_a_reviews_actions_leave_public_view_on_its_take_down_date(
    kfrs, dhr_coordinator
) -> None:
    """Take-down happens by date with no save: the actions follow at once,
    as nothing about them is copied into the action."""
    case = dhr.published_case("Rowan", by=dhr_coordinator)
    link = dhr.agency_action(dhr.recommendation(case), kfrs)
    today = timezone.localdate()
    assert is_public(link.action)
    assert "reminders: " in _daily()

    Case.objects.filter(pk=case.pk).update(takedown_on=today)
    assert not is_public(link.action)
    Case.objects.filter(pk=case.pk).update(takedown_on=today + dt.timedelta(days=1))
    assert is_public(link.action)
