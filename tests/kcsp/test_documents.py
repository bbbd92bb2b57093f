"""The documents service: one way every app's PDFs are kept and served."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
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


# Built once across nodes: the lock in the shared cache -----------------------


class CountedBuild:
    """A build that takes `seconds` and counts how often it ran; each run
    makes different bytes, so two builds could not pass for one."""

    def __init__(self, seconds: float = 0.0) -> None:
        self.seconds = seconds
        self.runs = 0
        self.lock_held: list[bool] = []
        self._count = threading.Lock()

    def __call__(self) -> Built:
        with self._count:
            self.runs += 1
            run = self.runs
        key, _ = documents._build_lock(kind="test.doc", subject="x:9", request=None)
        self.lock_held.append(cache.get(key) is not None)
        time.sleep(self.seconds)
        return Built(content=factories.pdf_bytes(text=f"Build {run}"), page_count=1)


def ask(build: Callable[[], Built]) -> HttpResponse:
    """One request for the document, as a view makes it."""
    response = documents.respond(
        RequestFactory().get("/x.pdf"),
        kind="test.doc",
        subject="x:9",
        build=build,
        filename="x.pdf",
        public=True,
    )
    assert response is not None
    return response


def ask_at_once(build: Callable[[], Built], n: int) -> list[HttpResponse]:
    """`n` requests at the same moment, each in a thread of its own with its
    own database connection, as on different web nodes."""
    start = threading.Barrier(n)
    answers: list[HttpResponse] = []
    failures: list[BaseException] = []

    def one() -> None:
        try:
            start.wait()
            answers.append(ask(build))
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    return answers


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_build_the_document_once(backend: str) -> None:
    build = CountedBuild(seconds=0.5)
    answers = ask_at_once(build, 3)

    assert build.runs == 1
    assert build.lock_held == [True]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert len({a["ETag"] for a in answers}) == 1
    assert len({a.content for a in answers}) == 1
    assert answers[0].content.startswith(b"%PDF-")
    assert RenderedDocument.objects.filter(kind="test.doc").count() == 1
    key, _ = documents._build_lock(kind="test.doc", subject="x:9", request=None)
    assert cache.get(key) is None


@pytest.mark.django_db(transaction=True)
def test_a_lock_left_by_a_request_that_died_runs_out(
    backend: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed while building lets nothing go: its lock runs out by
    itself, and the request waiting builds the document then, not later."""
    settings.PDF_RENDER_TIMEOUT = 1
    monkeypatch.setattr(documents, "STORING_SECONDS", 1)
    key, seconds = documents._build_lock(kind="test.doc", subject="x:9", request=None)
    assert seconds == 2
    assert cache.add(key, "a request whose process died", seconds)

    build = CountedBuild()
    started = time.monotonic()
    response = ask(build)
    waited = time.monotonic() - started

    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert build.runs == 1 and build.lock_held == [True]
    assert 1.5 < waited < documents.WAIT_AT_MOST / 2
    assert cache.get(key) is None


@pytest.mark.django_db(transaction=True)
def test_a_request_waits_a_bounded_time_and_lets_the_others_lock_be(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build elsewhere that takes longer than a request will wait: the
    request builds the document itself, and leaves the other's lock alone."""
    monkeypatch.setattr(documents, "WAIT_AT_MOST", 0.5)
    key, seconds = documents._build_lock(kind="test.doc", subject="x:9", request=None)
    assert cache.add(key, "a slow build on another node", seconds)

    build = CountedBuild()
    started = time.monotonic()
    response = ask(build)

    # It waited its half second, not until the other's lock ran out.
    assert 0.5 <= time.monotonic() - started < seconds / 2
    assert response.status_code == 200 and build.runs == 1
    assert cache.get(key) == "a slow build on another node"


def test_a_copy_built_again_with_the_same_bytes_is_current_again() -> None:
    """After a release changes the layout (or the content moves while a
    build reads), a build that makes the same bytes as the stored copy
    brings that copy up to date, rather than leaving it to be built again at
    every request."""
    runs: list[int] = []

    def build() -> str:
        runs.append(1)
        return "<p>Minutes</p>"

    def read() -> str | None:
        return documents.stored_html(kind="test.part", subject="x:7", build=build)

    assert read() == "<p>Minutes</p>"
    RenderedDocument.objects.filter(kind="test.part").update(layout="an older layout")
    assert [read(), read(), read()] == ["<p>Minutes</p>"] * 3
    assert len(runs) == 2
    [stored] = RenderedDocument.objects.filter(kind="test.part")
    assert stored.layout == documents.layout_digest()
    assert stored.file.name.endswith(".html")


def test_a_stored_part_of_a_page_is_made_again_when_what_it_read_changes() -> None:
    body = factories.body("Tasking Group")

    def build() -> str:
        return f"<p>{Body.objects.get(pk=body.pk).name}</p>"

    def read() -> str | None:
        return documents.stored_html(kind="test.part", subject="x:8", build=build)

    assert read() == "<p>Tasking Group</p>"
    body.name = "Tasking and Coordinating Group"
    body.save()
    assert read() == "<p>Tasking and Coordinating Group</p>"
    assert RenderedDocument.objects.filter(kind="test.part").count() == 1


@pytest.fixture
def full_disk(monkeypatch: Any) -> None:
    """Storage refuses every file, as a full disk does."""
    storage = RenderedDocument._meta.get_field("file").storage

    def refuse(name: str, content: Any) -> str:
        raise OSError("No space left on device")

    monkeypatch.setattr(storage, "_save", refuse)


@pytest.mark.usefixtures("full_disk")
def test_a_part_of_a_page_is_shown_when_it_cannot_be_stored() -> None:
    shown = documents.stored_html(
        kind="test.part", subject="x:10", build=lambda: "<p>Agenda</p>"
    )
    assert shown == "<p>Agenda</p>"
    assert not RenderedDocument.objects.filter(kind="test.part").exists()


@pytest.mark.usefixtures("full_disk")
def test_a_pdf_is_served_but_not_kept_when_it_cannot_be_stored() -> None:
    response = documents.respond(
        RequestFactory().get("/x.pdf"),
        kind="test.doc",
        subject="x:11",
        build=lambda: Built(content=factories.pdf_bytes(), page_count=1),
        filename="x.pdf",
        public=True,
    )
    assert response is not None
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    assert not RenderedDocument.objects.filter(kind="test.doc").exists()


def test_a_stored_part_is_read_from_the_shared_cache_while_content_caches_are_on(
    settings: Any,
) -> None:
    """Storage on another machine is not read at every page: the text is
    kept in the shared cache under its digest. With the content caches off
    the file is read, and a file gone from storage is made again."""
    from django.core.files.storage import default_storage

    settings.FRAGMENT_CACHE_SECONDS = 300
    runs: list[int] = []

    def build() -> str:
        runs.append(1)
        return "<p>Agenda</p>"

    def read() -> str | None:
        return documents.stored_html(kind="test.part", subject="x:12", build=build)

    assert read() == "<p>Agenda</p>"
    [stored] = RenderedDocument.objects.filter(kind="test.part")
    default_storage.delete(stored.file.name)
    assert read() == "<p>Agenda</p>"
    assert len(runs) == 1

    settings.FRAGMENT_CACHE_SECONDS = 0
    assert read() == "<p>Agenda</p>"
    assert len(runs) == 2
    [again] = RenderedDocument.objects.filter(kind="test.part")
    assert default_storage.exists(again.file.name)
