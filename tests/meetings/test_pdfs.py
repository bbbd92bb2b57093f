"""A meeting's PDFs: agenda, minutes and reports packs, read back as a reader's
tools would, served from the cache, and packs built by the real database
queue and worker (`manage.py db_worker`)."""

import io
import re
import time
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from kcsp import documents as stored_documents
from kcsp import pagecache
from kcsp.models import RenderedDocument, RenderJob
from meetings import services
from meetings.models import Attendance, Meeting, Membership
from meetings.printing import documents, packs
from tests import factories
from tests.helpers import (
    assert_pdf_unavailable,
    pdf_failing,
    pdf_failures,
    queries_for,
    text,
)
from tests.meetings.minutes_factories import agenda, write
from tests.meetings.pdf_helpers import (
    HEADER,
    assert_accessible_pdf,
    body_of,
    in_order,
    minutes_meeting,
    pack_meeting_create,
    page_texts,
    paper,
    run_worker,
    text_pdf,
    url,
    whole_text,
)


def stored(meeting: Meeting, kind: str = documents.MINUTES) -> RenderedDocument | None:
    """The meeting's document as stored, if it is current."""
    return stored_documents.current(kind=kind, subject=documents.subject_of(meeting.pk))


@pytest.fixture
def pack_meeting(db: None) -> Meeting:
    return pack_meeting_create()


# Minutes --------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def test_minutes_pdf_reads_as_the_minutes_page(client: Client) -> None:
    meeting = minutes_meeting()
    response = client.get(url(meeting, "minutes_pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'inline; filename="kent-community-safety-partnership-2022-03-24-minutes.pdf"'
    )
    pdf = body_of(response)
    assert_accessible_pdf(
        pdf, "Draft minutes: Kent Community Safety Partnership, 24 March 2022"
    )
    pages = page_texts(pdf)
    for number, page in enumerate(pages, start=1):
        assert HEADER in page
        assert f"Page {number} of {len(pages)}" in page
    # The watermark runs diagonally, so it is read the way pypdf reads it.
    for page in PdfReader(io.BytesIO(pdf)).pages:
        assert "Draft - subject to approval" in page.extract_text()
    flat = " ".join(" ".join(pages).split())
    assert in_order(
        flat,
        [
            "Draft minutes - subject to approval",
            "PRESENT: Mr P M Hill, OBE (Chairman)",
            "51. Kent Community Safety Agreement Review and Refresh",
            "(Item B1)",
            "Mr Peerbux introduced the review",
            "RESOLVED that the Kent Community Safety Partnership",
            "a) note the review of the Agreement;",
            "b) approve the revised priorities.",
            "52. Update number 1",
            "RESOLVED that the update be noted.",
            "53. Domestic Homicide Review case progress",
            "Exempt: paragraph 2 of Part 1 of Schedule 12A",
        ],
    ), flat
    # The exempt item's title is public; what was said is not.
    assert "12 Example Road" not in flat
    # The page shows the same minutes.
    page = text(client.get(meeting.get_absolute_url()))
    assert "Mr Peerbux introduced the review" in page
    assert "12 Example Road" not in page


def test_approved_minutes_name_the_approving_meeting_without_a_watermark(
    client: Client,
) -> None:
    meeting = minutes_meeting()
    later = factories.meeting(meeting.body, start="2022-07-14T10:00")
    agenda(later, ["Minutes of the previous meeting"])
    approving = services.minutes_start_from_agenda(meeting=later).items.get()
    write(approving, [], "RESOLVED that the minutes be approved.")
    services.minutes_approve(
        minutes=meeting.minutes, resolution=approving.resolutions.get()
    )

    pdf = body_of(client.get(url(meeting, "minutes_pdf")))

    assert PdfReader(io.BytesIO(pdf)).metadata.title == (
        "Minutes: Kent Community Safety Partnership, 24 March 2022"
    )
    flat = " ".join(whole_text(pdf).split())
    assert "Approved at the meeting on 14 July 2022 (minute 54)" in flat
    assert "Draft - subject to approval" not in flat


def test_minutes_pdf_is_not_found_until_the_minutes_are_published(
    client: Client, clerk: Any
) -> None:
    meeting = factories.meeting()
    agenda(meeting, ["Vision Zero"])
    services.minutes_start_from_agenda(meeting=meeting)

    assert client.get(url(meeting, "minutes_pdf")).status_code == 404
    client.force_login(clerk)
    assert client.get(url(meeting, "minutes_pdf")).status_code == 404
    assert RenderedDocument.objects.count() == 0


def test_a_changed_minute_gives_a_new_pdf_and_unchanged_ones_come_from_storage(
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting = minutes_meeting()
    first = client.get(url(meeting, "minutes_pdf"))
    stored = RenderedDocument.objects.get()
    assert first["ETag"] == f'"{stored.version}"'
    assert default_storage.exists(stored.file.name)

    def not_again(**kwargs: Any) -> None:
        raise AssertionError("rendered again")

    monkeypatch.setattr(documents, "minutes_render", not_again)
    again = client.get(url(meeting, "minutes_pdf"))
    assert again["ETag"] == first["ETag"]
    assert body_of(again) == body_of(first)
    monkeypatch.undo()

    item = meeting.minutes.items.get(number=52)
    write(item, ["Members heard a revised account."], "RESOLVED that it be noted.")
    with django_capture_on_commit_callbacks(execute=True):
        changed = client.get(url(meeting, "minutes_pdf"))

    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Members heard a revised account." in whole_text(body_of(changed))
    # One stored copy per document: the old version and its file are gone.
    assert RenderedDocument.objects.get().version != stored.version
    assert not default_storage.exists(stored.file.name)


@pytest.mark.parametrize(
    "change", ["attendance", "person", "organisation", "paragraph", "publication"]
)
def test_anything_the_minutes_show_makes_the_stored_copy_stale(
    client: Client, change: str
) -> None:
    """No list of what the template reads is kept: the queries the build ran
    are run again, so any field it showed, however far from the meeting,
    changes the answer."""
    meeting = minutes_meeting()
    client.get(url(meeting, "minutes_pdf"))
    assert stored(meeting) is not None
    attendee = Attendance.objects.filter(meeting=meeting)[0].person
    if change == "attendance":
        apologies = factories.person("Rivers", initials="J")
        Attendance.objects.create(meeting=meeting, person=apologies, kind="apologies")
    elif change == "person":
        attendee.honours = "CBE"
        attendee.save()
    elif change == "organisation":
        # Shown beside officers in attendance, two joins away.
        organisation = factories.organisation("Kent Fire and Rescue Service")
        attendee.organisation = organisation
        attendee.save()
        organisation.name = "Kent Fire & Rescue Service"
        organisation.save()
    elif change == "paragraph":
        item = meeting.minutes.items.get(number=52)
        write(item, ["Members heard a revised account."])
    else:
        # Minutes unpublished (as an import could leave them): none for the public.
        meeting.minutes.status = "draft"
        meeting.minutes.save()
    assert stored(meeting) is None
    if change == "publication":
        assert client.get(url(meeting, "minutes_pdf")).status_code == 404


def test_a_change_the_document_does_not_show_keeps_the_stored_copy(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = minutes_meeting()
    first = client.get(url(meeting, "minutes_pdf"))
    copy = RenderedDocument.objects.get()
    factories.meeting(factories.body("Crime and Disorder Committee"))  # elsewhere

    monkeypatch.setattr(documents, "minutes_render", lambda **kw: pytest.fail())
    again = client.get(url(meeting, "minutes_pdf"))
    assert again["ETag"] == first["ETag"]
    # Now known to be current for the new content version: found at once.
    copy.refresh_from_db()
    assert copy.site_version == pagecache.site_state(None)


def test_a_copy_built_on_another_day_is_built_again(client: Client) -> None:
    meeting = minutes_meeting()
    client.get(url(meeting, "minutes_pdf"))
    version, _, _ = RenderedDocument.objects.get().site_version.partition(":")
    RenderedDocument.objects.update(site_version=f"{version}:2020-01-01")
    assert stored(meeting) is None


def test_a_new_layout_builds_every_document_again(client: Client) -> None:
    meeting = minutes_meeting()
    client.get(url(meeting, "minutes_pdf"))
    RenderedDocument.objects.update(layout="an older release")
    assert stored(meeting) is None


def test_conditional_requests_are_answered_not_modified(client: Client) -> None:
    meeting = minutes_meeting()
    first = client.get(url(meeting, "minutes_pdf"))
    assert first["Cache-Control"] == "public, no-cache"

    by_etag = client.get(url(meeting, "minutes_pdf"), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(
        url(meeting, "minutes_pdf"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    stale = client.get(url(meeting, "minutes_pdf"), HTTP_IF_NONE_MATCH='"older"')

    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert by_date.status_code == 304
    assert stale.status_code == 200


def test_cached_pdfs_cost_the_same_queries_however_many_items(client: Client) -> None:
    small = minutes_meeting(items=3)
    large = minutes_meeting_for_body("Crime and Disorder Committee", items=25)
    for meeting in (small, large):
        for name in ("minutes_pdf", "agenda_pdf"):
            client.get(url(meeting, name))  # rendered and stored
    for name in ("minutes_pdf", "agenda_pdf"):
        cost = [queries_for(client, url(m, name)) for m in (small, large)]
        assert cost[0] == cost[1], (name, cost)


def minutes_meeting_for_body(name: str, items: int) -> Meeting:
    meeting = minutes_meeting(items=items)
    body = factories.body(name)
    meeting.body = body
    meeting.save()
    Membership.objects.filter(body__slug="kent-community-safety-partnership").update(
        body=body
    )
    return meeting


# Agenda ---------------------------------------------------------------------------


def test_agenda_pdf_has_the_front_sheet_and_the_public_agenda(
    client: Client, pack_meeting: Meeting
) -> None:
    response = client.get(url(pack_meeting, "agenda_pdf"))

    assert response.status_code == 200
    pdf = body_of(response)
    assert_accessible_pdf(
        pdf, "Agenda: Kent Community Safety Partnership, 24 March 2022"
    )
    pages = page_texts(pdf)
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, 1))
    assert all(HEADER in p for p in pages)
    flat = " ".join(" ".join(pages).split())
    assert in_order(
        flat,
        [
            "Thursday, 24 March 2022, 10.00 am",
            "Ask for Denise Fitch",
            "Telephone 01622 694269",
            "Agenda published",
            "Papers for the whole meeting",
            "Order of business",
            "A1 Declarations of interest",
            "B1 Agreement refresh",
            "Refresh report",
            "B3 Case review",
            "Exempt: paragraph 2 of Part 1 of Schedule 12A",
            "During exempt items the meeting is likely not to be open to the public.",
        ],
    ), flat
    assert "12 Example Road" not in flat
    assert "Case report" not in flat
    assert "Partner dashboard" not in flat


def test_agenda_pdf_is_not_found_before_publication_or_for_hidden_bodies(
    client: Client, clerk: Any
) -> None:
    draft = factories.meeting(start="2027-03-18T10:00")
    factories.item(factories.section(draft), "Draft item")
    hidden_body = factories.body("KCSP Working Group", is_public=False)
    hidden = factories.meeting(hidden_body, start="2022-03-24T10:00")
    factories.item(factories.section(hidden), "Grant")
    services.agenda_publish(meeting=hidden)

    for who in (None, clerk):
        if who:
            client.force_login(who)
        for meeting in (draft, hidden):
            for name in ("agenda_pdf", "pack_pdf", "pack"):
                assert client.get(url(meeting, name)).status_code == 404, name


def test_a_render_that_takes_too_long_gives_a_clear_503_page(
    client: Client, pack_meeting: Meeting, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT = 0.01

    response = client.get(url(pack_meeting, "agenda_pdf"))

    assert_pdf_unavailable(response, f"{pack_meeting.get_absolute_url()}#agenda")
    assert "It took too long to make, so it was stopped." in text(response)
    assert RenderedDocument.objects.count() == 0


@pytest.mark.parametrize("error", pdf_failures())
def test_minutes_that_cannot_be_made_lead_to_the_minutes_on_the_meeting_page(
    monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    meeting = minutes_meeting()
    pdf_failing(monkeypatch, documents, error)

    response = Client(raise_request_exception=False).get(url(meeting, "minutes_pdf"))

    assert_pdf_unavailable(response, f"{meeting.get_absolute_url()}#minutes")


# Packs ----------------------------------------------------------------------------


def build_pack(client: Client, meeting: Meeting, *, staff: bool = False) -> bytes:
    """Ask for the pack as a reader would, let the worker build it, download it."""
    pdf_url = url(meeting, "staff_pack_pdf" if staff else "pack_pdf")
    page_url = url(meeting, "staff_pack" if staff else "pack")
    asked = client.get(pdf_url)
    assert asked.status_code == 302 and asked["Location"] == page_url
    waiting = client.get(page_url)
    assert "The pack is being prepared" in text(waiting)
    assert "Check again" in text(waiting)
    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.QUEUED
    queued = DBTaskResult.objects.get(id=job.task_id)
    assert queued.task_path == "meetings.tasks.build_pack"
    assert queued.status == "READY"

    run_worker()

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL", queued.exception_class_path
    ready = text(client.get(page_url))
    assert "The pack is ready" in ready
    assert f'href="{pdf_url}"' in ready
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return body_of(response)


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, first page) of each bookmark, in order."""
    found = []

    def walk(items: list[Any], level: int) -> None:
        for entry in items:
            if isinstance(entry, list):
                walk(entry, level + 1)
            else:
                page = reader.get_destination_page_number(entry) + 1
                found.append((level, entry.title, page))

    walk(reader.outline, 0)
    return found


def contents_pages(pages: list[str]) -> dict[str, str]:
    """Each paper's entry in the Page column of the contents, by paper title."""
    contents = next(i for i, p in enumerate(pages) if "Papers in agenda order" in p)
    listed: dict[str, str] = {}
    for line in pages[contents].splitlines():
        match = re.search(r"(\S.*?) (\d+)$", line)
        if match:
            listed[match.group(1)] = match.group(2)
    return listed


@pytest.mark.django_db(transaction=True)
def test_public_pack_is_built_by_the_worker_in_agenda_order(
    client: Client, pack_meeting: Meeting
) -> None:
    pdf = build_pack(client, pack_meeting)

    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == (
        "Reports pack: Kent Community Safety Partnership, 24 March 2022"
    )
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    pages = page_texts(pdf)
    total = len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page, number

    bookmarks = outline(reader)
    titles = [(level, title) for level, title, _ in bookmarks]
    assert titles == [
        (0, "Agenda"),
        (0, "Contents"),
        (0, "Order of business"),
        (0, "B1 Agreement refresh"),
        (1, "Refresh appendix"),
        (0, "B2 Vision Zero"),
    ]
    starts = {title: page for _, title, page in bookmarks}
    # Each paper starts where its bookmark says ...
    assert "Order of business page 1" in pages[starts["Order of business"] - 1]
    assert "Refresh report page 1" in pages[starts["B1 Agreement refresh"] - 1]
    assert "Refresh appendix page 1" in pages[starts["Refresh appendix"] - 1]
    assert "Vision Zero strategy page 1" in pages[starts["B2 Vision Zero"] - 1]
    # ... and where the contents page says.
    listed = contents_pages(pages)
    assert listed["Papers for the whole meeting Order of business"] == str(
        starts["Order of business"]
    )
    assert listed["B1 Agreement refresh Refresh report"] == str(
        starts["B1 Agreement refresh"]
    )
    assert listed["B1 Agreement refresh Refresh appendix"] == str(
        starts["Refresh appendix"]
    )
    assert listed["B2 Vision Zero Vision Zero strategy"] == str(
        starts["B2 Vision Zero"]
    )
    flat = " ".join(" ".join(pages).split())
    # Papers that cannot be combined are listed with the reason, not dropped.
    assert "Vision Zero slides Not included: this paper is a Word document" in flat
    assert (
        "Damaged report Could not be included: the file is damaged or is not a PDF"
        in flat
    )
    assert "Road safety dashboard Not included: this paper is held on another" in flat
    # Exempt and restricted papers never enter the public pack.
    assert "B3 Case review Exempt: paragraph 2" in flat
    for secret in ("Exempt case report", "12 Example Road", "Partner dashboard"):
        assert secret not in flat
    assert "Not for publication" not in flat
    # The status page lists what is missing, for those who never open it.
    ready = text(client.get(url(pack_meeting, "pack")))
    assert "Papers not in the pack" in ready
    assert "Damaged report. Could not be included" in ready


@pytest.mark.django_db(transaction=True)
def test_staff_pack_holds_everything_and_is_marked_on_every_page(
    client: Client, clerk: Any, pack_meeting: Meeting
) -> None:
    client.force_login(clerk)
    pdf = build_pack(client, pack_meeting, staff=True)

    pages = page_texts(pdf)
    assert all("Not for publication" in page for page in pages)
    flat = " ".join(" ".join(pages).split())
    for secret in ("Exempt case report page 1", "12 Example Road", "Partner dashboard"):
        assert secret in flat
    assert PdfReader(io.BytesIO(pdf)).metadata.title == (
        "Reports pack, not for publication: Kent Community Safety Partnership, "
        "24 March 2022"
    )
    response = client.get(url(pack_meeting, "staff_pack_pdf"))
    assert response["Cache-Control"] == "private, no-store"


def test_only_clerks_reach_the_staff_pack(
    client: Client, partner: Any, dhr_coordinator: Any, pack_meeting: Meeting
) -> None:
    for who in (None, partner, dhr_coordinator):
        if who:
            client.force_login(who)
        for name in ("staff_pack_pdf", "staff_pack"):
            assert client.get(url(pack_meeting, name)).status_code == 404, (who, name)
    assert RenderJob.objects.count() == 0


def test_many_requests_queue_one_build(client: Client, pack_meeting: Meeting) -> None:
    for _ in range(3):
        client.get(url(pack_meeting, "pack"))
    assert RenderJob.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_pack_that_takes_too_long_fails_clearly_and_can_be_tried_again(
    client: Client, pack_meeting: Meeting, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT = 0.01
    client.get(url(pack_meeting, "pack"))

    run_worker()

    job = RenderJob.objects.get()
    assert job.status == RenderJob.Status.FAILED
    assert "longer than 0.01 seconds" in job.message
    page = client.get(url(pack_meeting, "pack"))
    assert "The pack could not be prepared" in text(page)
    assert "Try again" in text(page)
    unavailable = client.get(url(pack_meeting, "pack_pdf"))
    assert_pdf_unavailable(unavailable, f"{pack_meeting.get_absolute_url()}#agenda")
    assert "longer than 0.01 seconds" in text(unavailable)
    assert f'href="{url(pack_meeting, "pack")}"' in text(unavailable)

    settings.PDF_RENDER_TIMEOUT = 30
    retried = client.post(url(pack_meeting, "pack"))
    assert retried.status_code == 302
    assert RenderJob.objects.get().status == RenderJob.Status.QUEUED
    run_worker()
    assert RenderJob.objects.get().status == RenderJob.Status.DONE
    assert client.get(url(pack_meeting, "pack_pdf")).status_code == 200


def test_a_stalled_build_can_be_asked_for_again(
    client: Client, pack_meeting: Meeting
) -> None:
    client.get(url(pack_meeting, "pack"))
    job = RenderJob.objects.get()
    RenderJob.objects.filter(pk=job.pk).update(
        updated_at=job.updated_at - packs.STALLED_AFTER * 2
    )

    page = text(client.get(url(pack_meeting, "pack")))
    assert "waited longer than it should" in page
    client.post(url(pack_meeting, "pack"))

    job.refresh_from_db()
    assert job.status == RenderJob.Status.QUEUED
    assert not job.is_stalled(after=packs.STALLED_AFTER)
    assert DBTaskResult.objects.count() == 2


def test_a_new_paper_makes_the_stored_pack_stale(
    pack_meeting: Meeting, clerk: Any
) -> None:
    for kind, user in ((documents.PACK, None), (documents.STAFF_PACK, clerk)):
        stored_documents.build_and_store(
            kind=kind,
            subject=documents.subject_of(pack_meeting.pk),
            build=lambda user=user: packs.pack_build(meeting=pack_meeting, user=user),
        )
    assert stored(pack_meeting, documents.PACK) is not None
    assert stored(pack_meeting, documents.STAFF_PACK) is not None
    item = pack_meeting.items.get(reference="B1")
    paper(pack_meeting, item, "Late paper", text_pdf("Late paper"))
    assert stored(pack_meeting, documents.PACK) is None
    assert stored(pack_meeting, documents.STAFF_PACK) is None


def test_pack_status_costs_the_same_queries_however_many_papers(
    client: Client,
) -> None:
    small = factories.meeting(start="2022-03-24T10:00")
    large = factories.meeting(start="2022-06-24T10:00")
    for meeting, count in ((small, 1), (large, 20)):
        section = factories.section(meeting)
        for n in range(count):
            item = factories.item(section, f"Item {n}")
            factories.document(meeting, item, title=f"Paper {n}")
        services.agenda_publish(meeting=meeting)
    for meeting in (small, large):
        client.get(url(meeting, "pack"))  # queued
    assert queries_for(client, url(small, "pack")) == queries_for(
        client, url(large, "pack")
    )


def test_pack_builder_follows_the_selector_for_the_audience(
    pack_meeting: Meeting,
) -> None:
    built = packs.pack_build(meeting=pack_meeting, user=AnonymousUser())
    assert built.page_count == len(PdfReader(io.BytesIO(built.content)).pages)
    assert any("Vision Zero slides" in note for note in built.notes)


# The meeting page ------------------------------------------------------------------


def test_meeting_page_offers_the_pdfs_it_has(client: Client, clerk: Any) -> None:
    meeting = minutes_meeting()
    page = text(client.get(meeting.get_absolute_url()))
    assert "Documents to download" in page
    for name in ("agenda_pdf", "pack_pdf", "minutes_pdf"):
        assert f'href="{url(meeting, name)}"' in page
    assert ">Draft minutes</a>" in page
    assert url(meeting, "staff_pack_pdf") not in page
    client.force_login(clerk)
    assert f'href="{url(meeting, "staff_pack_pdf")}"' in text(
        client.get(meeting.get_absolute_url())
    )

    unpublished = factories.meeting(start="2027-03-18T10:00")
    client.logout()
    page = text(client.get(unpublished.get_absolute_url()))
    assert "Documents to download" not in page


def test_a_pack_with_no_pdf_paper_is_the_agenda_and_what_could_not_be_included(
    db: None,
) -> None:
    """A meeting whose only paper is a Word file still has a pack: the agenda
    and the contents page saying the paper could not be included."""
    from tests.meetings.pdf_helpers import docx_bytes

    meeting = factories.meeting(start="2015-03-19T10:00")
    item = factories.item(factories.section(meeting), "Community Safety Agreement")
    paper(meeting, item, "Refresh notes", docx_bytes(), name="refresh.docx")
    services.agenda_publish(meeting=meeting)
    built = packs.pack_build(meeting=meeting)
    text_of_pack = whole_text(built.content)
    assert "Community Safety Agreement" in text_of_pack
    assert "Refresh notes" in text_of_pack
    assert built.page_count == len(PdfReader(io.BytesIO(built.content)).pages)
    assert any("Refresh notes" in note for note in built.notes)


def lose_worker(job: RenderJob) -> None:
    """What a worker killed in the middle of a build leaves behind: its task
    and the job still marked running, and no touch of the job since."""
    DBTaskResult.objects.filter(id=job.task_id).update(
        status="RUNNING", worker_ids=["killed"]
    )
    RenderJob.objects.filter(pk=job.pk).update(
        status=RenderJob.Status.RUNNING,
        attempts=1,
        updated_at=timezone.now() - packs.LOST_AFTER * 2,
    )


@pytest.mark.django_db(transaction=True)
def test_a_build_whose_worker_stopped_is_queued_again_and_built_once(
    client: Client, pack_meeting: Meeting
) -> None:
    client.get(url(pack_meeting, "pack"))
    job = RenderJob.objects.get()
    lost_task = job.task_id
    lose_worker(job)

    # The next reader to look (the status page checks by itself) queues it
    # again; the dead worker's task is closed.
    page = text(client.get(url(pack_meeting, "pack")))
    assert "The pack is being prepared" in page
    job.refresh_from_db()
    assert job.status == RenderJob.Status.QUEUED
    assert job.task_id != lost_task
    assert DBTaskResult.objects.get(id=lost_task).status == "FAILED"

    run_worker()
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE
    assert job.attempts == 2
    assert RenderedDocument.objects.filter(kind=documents.PACK).count() == 1
    assert client.get(url(pack_meeting, "pack_pdf")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_build_another_worker_is_running_is_left_to_it(
    pack_meeting: Meeting,
) -> None:
    Client().get(url(pack_meeting, "pack"))
    job = RenderJob.objects.get()
    RenderJob.objects.filter(pk=job.pk).update(status=RenderJob.Status.RUNNING)

    packs.pack_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == RenderJob.Status.RUNNING
    assert job.attempts == 0
    assert not RenderedDocument.objects.filter(kind=documents.PACK).exists()


@pytest.mark.django_db(transaction=True)
def test_a_running_build_shows_it_is_alive(
    pack_meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    Client().get(url(pack_meeting, "pack"))
    job = RenderJob.objects.get()
    monkeypatch.setattr(packs, "HEARTBEAT_SECONDS", 0.05)
    touched: list[Any] = []
    build = packs.pack_build

    def slow_build(**kwargs: Any) -> Any:
        started = RenderJob.objects.get(pk=job.pk).updated_at
        time.sleep(0.5)
        touched.append(RenderJob.objects.get(pk=job.pk).updated_at > started)
        return build(**kwargs)

    monkeypatch.setattr(packs, "pack_build", slow_build)
    packs.pack_job_run(job_id=job.pk)

    assert touched == [True]
    job.refresh_from_db()
    assert job.status == RenderJob.Status.DONE
