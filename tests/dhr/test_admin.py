"""The coordinator's back office: cases saved through the services, with
every rule checked before anything reaches the database."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from dhr import services
from dhr.models import Case
from tests.dhr import factories as dhr
from tests.helpers import text

pytestmark = pytest.mark.django_db


def _form(case: Case, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "reference": case.reference,
        "pseudonym": case.pseudonym,
        "year": case.year or "",
        "area": case.area,
        "kind": case.kind,
        "victim_age": case.victim_age or "",
        "notified_on": case.notified_on.isoformat() if case.notified_on else "",
        "decision": case.decision,
        "decision_on": case.decision_on.isoformat() if case.decision_on else "",
        "decision_reason": case.decision_reason,
        "submitted_to_qa_on": (
            case.submitted_to_qa_on.isoformat() if case.submitted_to_qa_on else ""
        ),
        "qa_outcome": case.qa_outcome,
        "qa_outcome_on": case.qa_outcome_on.isoformat() if case.qa_outcome_on else "",
        "takedown_on": case.takedown_on.isoformat() if case.takedown_on else "",
        "action_plan_public": "on" if case.action_plan_public else "",
    }
    for prefix in ("agencies", "recommendations", "documents", "costs"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_coordinator_records_a_notification_in_the_back_office(
    client: Client, dhr_coordinator
) -> None:
    client.force_login(dhr_coordinator)
    blank = Case(reference="TEST 600", notified_on=dt.date(2026, 11, 2))
    response = client.post(reverse("admin:dhr_case_add"), _form(blank))
    assert response.status_code == 302, text(response)
    case = Case.objects.get(reference="TEST 600")
    assert case.decision == Case.Decision.PENDING
    assert case.history.count() == 1


def test_a_published_case_cannot_lose_its_approval(
    client: Client, dhr_coordinator
) -> None:
    case = dhr.published_case("Juniper", 2025)
    client.force_login(dhr_coordinator)
    url = reverse("admin:dhr_case_change", args=[case.pk])
    response = client.post(url, _form(case, qa_outcome="", qa_outcome_on=""))
    assert response.status_code == 200
    assert "published only once the Quality Assurance Panel" in text(response)
    assert Case.objects.get(pk=case.pk).qa_outcome == "approved"


def test_a_pseudonym_in_use_is_refused_with_a_message(
    client: Client, dhr_coordinator
) -> None:
    dhr.published_case("Juniper", 2025)
    other = dhr.case("TEST 601")
    client.force_login(dhr_coordinator)
    url = reverse("admin:dhr_case_change", args=[other.pk])
    response = client.post(url, _form(other, pseudonym="juniper", year=2025))
    assert response.status_code == 200
    assert "already has this pseudonym and year" in text(response)


def test_changing_the_pseudonym_after_publication_relabels_the_actions(
    client: Client, dhr_coordinator, kfrs
) -> None:
    case = dhr.approved_case()
    link = dhr.agency_action(dhr.recommendation(case), kfrs)
    case = services.case_publish(
        case=case,
        by=dhr_coordinator,
        published_on=case.qa_outcome_on,
        pseudonym="Juniper",
        year=2025,
    )
    client.force_login(dhr_coordinator)
    url = reverse("admin:dhr_case_change", args=[case.pk])
    response = client.post(url, _form(case, pseudonym="Hazel"))
    assert response.status_code == 302, text(response)
    link.action.refresh_from_db()
    assert link.action.source_label.endswith("Hazel 2025, recommendation 1")
    assert Case.objects.get(pk=case.pk).slug == "hazel-2025"
