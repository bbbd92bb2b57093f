"""Action plans as PDFs, read back as a reader's tools would."""

import io
from typing import Any

import pdfplumber
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dhr import pdf, services
from tests import factories
from tests.dhr import factories as dhr
from tests.helpers import assert_pdf_unavailable, pdf_failing, pdf_failures

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def _assert_accessible(pdf: bytes, title: str) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == title
    return reader


@pytest.fixture
def plan(kfrs, kent_police):
    case = dhr.approved_case("TEST 404")
    officer = factories.person("Adams", initials="M", organisation=kfrs)
    recommendation = dhr.recommendation(case)
    dhr.agency_action(
        recommendation, kfrs, "Fire safety visit checklist", owner_person=officer
    )
    private = dhr.agency_action(recommendation, kent_police, "Repeat incident audit")
    return case, private.action


def test_the_boards_plan_is_tagged_titled_and_not_for_publication(
    client: Client, dhr_coordinator, plan
) -> None:
    case, _ = plan
    client.force_login(dhr_coordinator)
    response = client.get(reverse("dhr:case_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    _assert_accessible(
        response.content, "Domestic Homicide Review TEST 404: action plan"
    )
    content = _text(response.content)
    assert "Not for publication" in content
    assert "Fire safety visit checklist" in content
    assert "Repeat incident audit" in content
    assert "M Adams" in content or "Adams" in content


def _published(case: Any, by: Any, *, action_plan_public: bool = True) -> Any:
    """The case published as Juniper 2025, with or without its action plan."""
    return services.case_publish(
        case=case,
        by=by,
        published_on=case.qa_outcome_on,
        pseudonym="Juniper",
        year=2025,
        action_plan_public=action_plan_public,
    )


def test_the_published_plan_holds_only_published_content(
    client: Client, dhr_coordinator, plan
) -> None:
    case, _ = plan
    case = _published(case, dhr_coordinator)
    response = client.get(reverse("dhr:review_pdf", args=[case.slug]))
    assert response.status_code == 200
    _assert_accessible(
        response.content, "Domestic Homicide Review Juniper 2025: action plan"
    )
    content = _text(response.content)
    assert "Fire safety visit checklist" in content
    assert "Repeat incident audit" in content
    assert "Juniper 2025" in content
    for unpublished in (
        "TEST 404",
        "Adams",
        dhr.NARRATIVE[:30],
        "Not for publication",
    ):
        assert unpublished not in content
    # Served again from the cache, unchanged.
    assert client.get(reverse("dhr:review_pdf", args=[case.slug])).content == (
        response.content
    )


def test_no_published_plan_no_pdf(client: Client, dhr_coordinator, plan) -> None:
    case, _ = plan
    case = _published(case, dhr_coordinator, action_plan_public=False)
    assert client.get(reverse("dhr:review_pdf", args=[case.slug])).status_code == 404


def test_the_pdf_title_follows_the_label(
    client: Client, dhr_coordinator, plan, settings
) -> None:
    settings.DHR_LABEL = "Domestic Abuse Related Death Review"
    case, _ = plan
    client.force_login(dhr_coordinator)
    response = client.get(reverse("dhr:case_pdf", args=[case.pk]))
    _assert_accessible(
        response.content, "Domestic Abuse Related Death Review TEST 404: action plan"
    )
    assert "Domestic Homicide" not in _text(response.content)


@pytest.mark.parametrize("error", pdf_failures())
def test_a_published_plan_that_cannot_be_made_leads_to_the_review(
    dhr_coordinator, plan, monkeypatch: pytest.MonkeyPatch, error
) -> None:
    case, _ = plan
    case = _published(case, dhr_coordinator)
    pdf_failing(monkeypatch, pdf, error)

    response = Client(raise_request_exception=False).get(
        reverse("dhr:review_pdf", args=[case.slug])
    )

    assert_pdf_unavailable(response, reverse("dhr:review", args=[case.slug]))


@pytest.mark.parametrize("error", pdf_failures())
def test_the_boards_plan_that_cannot_be_made_leads_to_the_case(
    dhr_coordinator, plan, monkeypatch: pytest.MonkeyPatch, error
) -> None:
    case, _ = plan
    pdf_failing(monkeypatch, pdf, error)
    client = Client(raise_request_exception=False)
    client.force_login(dhr_coordinator)

    response = client.get(reverse("dhr:case_pdf", args=[case.pk]))

    assert_pdf_unavailable(response, reverse("dhr:case", args=[case.pk]))
    assert response["Cache-Control"] == "private, no-store"
