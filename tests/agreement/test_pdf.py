"""The agreement as a PDF: real WeasyPrint output, read back."""

import datetime as dt
import io

import pdfplumber
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from agreement import services
from kcsp.pdf import PdfRenderTimeout
from priorities import services as priority_services
from tests.agreement import factories as csa
from tests.helpers import assert_pdf_unavailable, pdf_failing, pdf_failures

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    cache.clear()


@pytest.fixture
def current() -> object:
    agreement = csa.agreement()
    priorities = csa.with_priorities(agreement)
    csa.matrix(agreement)
    csa.plan_action(priorities[1], "Private case review", is_public=False)
    return agreement


def test_pdf_is_tagged_titled_british_and_has_the_priorities(
    client: Client, current
) -> None:
    response = client.get(reverse("agreement:pdf", args=[current.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "community-safety-agreement-2011-14.pdf" in response["Content-Disposition"]
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == (
        "Kent Community Safety Agreement, April 2011 to March 2014"
    )
    words = _text(pdf)
    for name in csa.PRIORITIES_2011:
        assert name in words
    assert "Priority Leads" in words and "TBC" in words
    assert "Reducing Re-Offending" in words
    assert "Page 1 of" in words
    # Action plans are not part of the document, public or not.
    assert "Private case review" not in words


def test_draft_pdf_is_for_staff_only_and_marked(client: Client, clerk, current) -> None:
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    priority_services.priority_add(agreement=draft, name="Draft-only county lines")
    url = reverse("agreement:pdf", args=[draft.slug])
    assert client.get(url).status_code == 404
    public = _text(client.get(reverse("agreement:pdf", args=[current.slug])).content)
    assert "county lines" not in public
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    words = _text(response.content)
    assert "Draft-only county lines" in words
    assert "Draft: not approved" in words
    reader = PdfReader(io.BytesIO(response.content))
    assert all("Draft - not approved" in page.extract_text() for page in reader.pages)
    assert "private" in response["Cache-Control"]


def test_pdf_is_cached_per_content_version(client: Client, current) -> None:
    url = reverse("agreement:pdf", args=[current.slug])
    first = client.get(url)
    etag = first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    priority = current.priorities.get(slug="road-safety")
    priority_services.priority_update(priority=priority, name="Vision Zero road safety")
    second = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 200
    assert second["ETag"] != etag
    assert "Vision Zero road safety" in _text(second.content)


@pytest.mark.parametrize("error", pdf_failures())
def test_a_pdf_that_cannot_be_made_leads_to_the_agreement(
    current, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, error
) -> None:
    from agreement import views

    pdf_failing(monkeypatch, views, error)

    response = Client(raise_request_exception=False).get(
        reverse("agreement:pdf", args=[current.slug])
    )

    assert_pdf_unavailable(response, current.get_absolute_url())
    [record] = [r for r in caplog.records if r.name == "kcsp.documents"]
    if isinstance(error, PdfRenderTimeout):
        assert record.levelname == "WARNING"
        assert "too slow" in record.getMessage()
    else:
        assert record.levelname == "ERROR"
        assert record.exc_info is not None
