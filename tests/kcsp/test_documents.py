"""The documents service: one way every app's PDFs are kept and served."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kcsp import documents
from kcsp.documents import Built
from kcsp.models import RenderedDocument
from meetings.models import Body
from tests import factories
from tests.agreement import factories as csa
from tests.meetings.pdf_helpers import body_of, whole_text

pytestmark = pytest.mark.django_db


def test_a_field_of_another_app_that_the_agreement_shows_makes_a_new_copy(
    client: Client,
) -> None:
    """The agreement's PDF shows the priorities app's leads: renaming the
    organisation named as a lead is found, with no list saying so."""
    agreement = csa.agreement()
    priority = csa.with_priorities(agreement)[0]
    lead = priority.leads.get(role="primary")
    lead.organisation = factories.organisation("Kent Police")
    lead.post = lead.person = None
    lead.label, lead.is_tbc = "", False
    lead.save()
    address = reverse("agreement:pdf", args=[agreement.slug])
    first = client.get(address)
    assert lead.organisation.name in whole_text(body_of(first))

    again = client.get(address)
    assert again["ETag"] == first["ETag"]
    lead.organisation.name = "Kent Police (Crime and Public Protection)"
    lead.organisation.save()
    changed = client.get(address)
    assert changed["ETag"] != first["ETag"]
    assert "Crime and Public Protection" in whole_text(body_of(changed))
    assert RenderedDocument.objects.filter(kind="agreement.public").count() == 1


def test_a_change_made_while_a_document_is_built_leaves_it_unverified() -> None:
    """Committed while the build read, a change may or may not be in the
    copy: it is served once and built again at the next request."""

    def build() -> Built:
        Body.objects.create(name="Tasking Group", slug="tasking-group")
        return Built(content=factories.pdf_bytes(), page_count=1)

    stored, _ = documents.build_and_store(kind="test.doc", subject="x:1", build=build)
    assert stored is not None and stored.data_digest == ""
    assert documents.current(kind="test.doc", subject="x:1") is None


def test_a_build_that_reads_nothing_of_the_site_stays_current() -> None:
    stored, _ = documents.build_and_store(
        kind="test.doc",
        subject="x:2",
        build=lambda: Built(content=factories.pdf_bytes(), page_count=1),
    )
    assert stored is not None and stored.data_digest
    factories.body("Crime and Disorder Committee")
    assert documents.current(kind="test.doc", subject="x:2") == stored


def test_queries_and_their_parameters_are_recorded_and_run_again() -> None:
    factories.body("Tasking Group", is_public=False)

    def build() -> Built:
        names = list(Body.objects.filter(slug__in=["tasking-group"]).values("name"))
        return Built(content=repr(names).encode())

    stored, _ = documents.build_and_store(kind="test.doc", subject="x:3", build=build)
    assert stored is not None
    assert any("tasking-group" in repr(read) for read in stored.reads)
    assert documents.current(kind="test.doc", subject="x:3") == stored
    Body.objects.filter(slug="tasking-group").update(name="Tasking and Coordinating")
    # update() sends no signal: the content version is raised by hand, as
    # code that updates in bulk must.
    from kcsp import pagecache

    pagecache.content_changed()
    assert documents.current(kind="test.doc", subject="x:3") is None


def test_every_pdf_of_every_app_is_kept_by_the_service(
    client: Client, settings: Any
) -> None:
    """No app keeps PDFs of its own: each kind lands in the one store."""
    from tests.meetings.pdf_helpers import minutes_meeting, url

    meeting = minutes_meeting()
    agreement = csa.agreement()
    csa.with_priorities(agreement)
    client.get(url(meeting, "minutes_pdf"))
    client.get(url(meeting, "agenda_pdf"))
    client.get(reverse("agreement:pdf", args=[agreement.slug]))
    kinds = set(RenderedDocument.objects.values_list("kind", flat=True))
    assert kinds == {"meetings.minutes", "meetings.agenda", "agreement.public"}
