"""The agenda reports pack: the agenda, a contents page and every paper.

A pack is slow to make (it reads and combines every paper), so it is built
by a background task (`meetings.tasks.build_pack`, run by `manage.py
db_worker`) and kept once per version, like the agenda and minutes. Pages
ask for it with `pack_request` and show how the build is going from the
kcsp.RenderJob it records.

The public pack holds only what the public agenda lists: published public
papers of public items. The staff pack, for clerks, holds every paper of
every item and is stamped "Not for publication" on every page.

The agenda and contents parts are tagged PDFs when rendered, but a combined
PDF cannot keep their structure trees (pypdf cannot join them), so the pack
as a whole is not tagged. The pages that offer it say so and point to the
tagged agenda PDF and to each paper on its own.
"""

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from io import BytesIO
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader, PdfWriter, Transformation

from kcsp import documents as stored_documents
from kcsp import pagecache
from kcsp.documents import Built
from kcsp.formatting import long_date
from kcsp.models import RenderedDocument, RenderJob
from kcsp.pdf import (
    InvalidPdfError,
    PdfError,
    PdfMergeError,
    PdfPart,
    PdfRenderError,
    PdfRenderTimeout,
    merge_pdfs,
    page_count,
    render_pdf,
)
from kcsp.visibility import Content, audience_of
from meetings import selectors
from meetings.models import AgendaItem, Document, Meeting
from meetings.printing import documents

logger = logging.getLogger(__name__)

# A pending build with no sign of progress for this long is taken to have
# stopped (its worker died, or no worker is running) and may be asked again.
STALLED_AFTER = dt.timedelta(minutes=10)

# A running build touches its job this often, from a thread beside it, so
# that every node can tell a slow build from a lost one. A running job not
# touched for LOST_AFTER lost its worker (stopped, killed, its machine gone):
# the next request for the pack queues it again, and whichever worker takes
# it claims it, so it is built once.
HEARTBEAT_SECONDS = 5.0
LOST_AFTER = dt.timedelta(seconds=30)

# The whole build may take this many times PDF_RENDER_TIMEOUT (each render
# within it has that limit of its own).
PACK_TIME_FACTOR = 20

# The contents page lists page numbers, so its own length must be known
# before they are; a few passes always settle it.
CONTENTS_PASSES = 4

# Page numbers stamped on every page sit this far above the bottom edge:
# inside the margin of the portal's own pages, and below the footers most
# reports have.
NUMBER_INSET = 6 * 72 / 25.4

Progress = Callable[[int, int], None]


class PackTooSlow(PdfRenderTimeout):
    """The pack as a whole took longer than its time limit."""


# Building ---------------------------------------------------------------------


@dataclass
class PackPaper:
    """One paper in agenda order, and whether (and where) the pack holds it."""

    document: Document
    content: bytes | None = field(default=None, repr=False)
    pages: int = 0
    start: int | None = None
    # Why it is not in the pack, for the contents page; empty when it is.
    note: str = ""

    @property
    def included(self) -> bool:
        return self.content is not None and not self.note


@dataclass
class PackRow:
    """An agenda item (or the meeting as a whole) and its papers."""

    reference: str
    title: str
    item: AgendaItem | None
    exempt_reason: str = ""
    papers: list[PackPaper] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.reference} {self.title}".strip()


def pack_title(meeting: Meeting, *, staff: bool) -> str:
    label = "Reports pack, not for publication" if staff else "Reports pack"
    return f"{label}: {meeting.body.name}, {long_date(meeting.start)}"


def pack_build(
    *, meeting: Meeting, user: Any = None, progress: Progress | None = None
) -> Built:
    """Combine the agenda, a contents page and the papers into one PDF.

    `user` decides what the pack holds, through the meeting page's selector:
    none (the public) gives the public pack; a clerk gives the staff pack,
    stamped "Not for publication" on every page. Papers come in agenda order
    (papers of the whole meeting first), with a bookmark for each item and
    nested bookmarks for an item's further papers. Papers that are not PDFs,
    are held elsewhere, or cannot be read are listed on the contents page
    with the reason and a link, never silently left out. The contents page
    numbers are the pack's own page numbers, stamped at the foot of every
    page as "Page X of Y".

    `progress(done, total)` is told how far the build has gone. Raises
    PdfRenderTimeout (PackTooSlow for the pack as a whole) when it takes too
    long, and PdfError when a part cannot be produced.
    """
    page = selectors.meeting_page(meeting=meeting, user=user or AnonymousUser())
    staff = page.audience.sees_all(Content.MEETINGS)
    rows = _rows(page)
    papers = [paper for row in rows for paper in row.papers]
    total = len(papers) + 3
    limit = float(settings.PDF_RENDER_TIMEOUT) * PACK_TIME_FACTOR
    started = time.monotonic()

    def step(done: int) -> None:
        if time.monotonic() - started > limit:
            raise PackTooSlow(
                f"Preparing the reports pack took longer than {limit:g} seconds, "
                "so it was stopped."
            )
        if progress is not None:
            progress(done, total)

    step(0)
    for number, paper in enumerate(papers, start=1):
        _read(paper)
        step(number)
    agenda = documents.agenda_render(meeting=meeting, user=user, in_pack=True)
    step(len(papers) + 1)

    title = pack_title(meeting, staff=staff)
    # A paper pypdf can count but not copy is found only when combining:
    # it is then listed as not included and the contents made again.
    for _attempt in range(len(papers) + 1):
        contents = _contents(
            meeting, rows, agenda_pages=agenda.page_count or page_count(agenda.content)
        )
        step(len(papers) + 2)
        parts = [
            PdfPart(title="Agenda", content=agenda.content),
            PdfPart(title="Contents", content=contents),
            *_paper_parts(rows),
        ]
        try:
            combined = merge_pdfs(parts=parts, title=title, not_for_publication=staff)
        except PdfMergeError as error:
            included = [p for p in papers if p.included]
            if error.part_index < 2 or error.part_index - 2 >= len(included):
                raise
            included[error.part_index - 2].note = _could_not_include(
                "the file is damaged or is not a PDF."
            )
            continue
        break
    else:  # pragma: no cover - every retry removes one paper
        raise PdfRenderError("The reports pack could not be combined.")
    content = _number_pages(combined.content, combined.page_count)
    step(total)
    notes = [
        f"{row.heading}: {paper.document.title.rstrip('.')}. {paper.note}"
        for row in rows
        for paper in row.papers
        if paper.note
    ]
    return Built(content=content, page_count=combined.page_count, notes=notes)


def _rows(page: selectors.MeetingPage) -> list[PackRow]:
    rows = []
    if page.meeting_documents:
        rows.append(
            PackRow(
                reference="",
                title="Papers for the whole meeting",
                item=None,
                papers=[PackPaper(document=d) for d in page.meeting_documents],
            )
        )
    for section in page.sections:
        for view in section.items:
            rows.append(
                PackRow(
                    reference=view.item.reference,
                    title=view.item.title,
                    item=view.item,
                    exempt_reason=view.exempt_reason
                    if view.item.is_exempt and not view.shows_content
                    else "",
                    papers=[PackPaper(document=d) for d in view.documents],
                )
            )
    return rows


def _not_included(reason: str) -> str:
    return f"Not included: {reason}"


def _could_not_include(reason: str) -> str:
    return f"Could not be included: {reason[:1].lower()}{reason[1:]}"


def _read(paper: PackPaper) -> None:
    document = paper.document
    if not document.file or not document.file.name:
        paper.note = _not_included(
            "this paper is held on another website; follow its link on the "
            "meeting page."
            if document.external_url
            else "no file has been added for this paper yet."
        )
        return
    if not document.is_pdf:
        paper.note = _not_included(
            f"this paper is a {document.kind_label}, and only PDFs can be "
            "combined. Download it from the meeting page."
        )
        return
    try:
        with document.file.storage.open(document.file.name, "rb") as handle:
            content = handle.read()
    except OSError:
        logger.warning("Paper %s has no file in storage", document.pk)
        paper.note = _could_not_include("the file could not be found.")
        return
    try:
        paper.pages = page_count(content)
    except InvalidPdfError as error:
        paper.note = _could_not_include(str(error))
        return
    paper.content = content


def _contents(meeting: Meeting, rows: list[PackRow], *, agenda_pages: int) -> bytes:
    """The contents page, its page numbers matching the combined pack."""
    included = [p for row in rows for p in row.papers if p.included]
    length = 1
    for _ in range(CONTENTS_PASSES):
        first = agenda_pages + length + 1
        # Each paper starts where the one before it ends: one start a paper,
        # none when no paper could be included.
        starts = list(accumulate((p.pages for p in included), initial=first))[:-1]
        for paper, start in zip(included, starts, strict=True):
            paper.start = start
        total = first - 1 + sum(p.pages for p in included)
        content = render_pdf(
            template_name="meetings/pdf/pack_contents.html",
            context={
                **documents.branding(),
                "meeting": meeting,
                "rows": rows,
                "agenda_pages": agenda_pages,
                "contents_start": agenda_pages + 1,
                "total_pages": total,
                "in_pack": True,
            },
            title=f"Contents: {pack_title(meeting, staff=False)}",
            header=documents.running_header(meeting),
            author=settings.PORTAL_NAME,
        )
        pages = page_count(content)
        if pages == length:
            return content
        length = pages
    raise PdfRenderError("The contents page of the reports pack would not settle.")


def _paper_parts(rows: list[PackRow]) -> Iterable[PdfPart]:
    for row in rows:
        included = [p for p in row.papers if p.included]
        for number, paper in enumerate(included):
            assert paper.content is not None  # noqa: S101 - included says so
            if row.item is None:
                yield PdfPart(title=paper.document.title, content=paper.content)
            elif number == 0:
                # The item's bookmark opens its first paper; its further papers
                # (appendices, presentations) are nested under it.
                yield PdfPart(title=row.heading, content=paper.content)
            else:
                yield PdfPart(
                    title=paper.document.title, content=paper.content, level=1
                )


def _number_pages(content: bytes, total: int) -> bytes:
    """Stamp "Page X of Y" at the foot of every page of the combined pack."""
    numbers = render_pdf(
        template_name="meetings/pdf/page_numbers.html",
        context={"numbers": range(1, total + 1), "total": total},
        title="Page numbers",
    )
    stamps = PdfReader(BytesIO(numbers)).pages
    writer = PdfWriter(clone_from=PdfReader(BytesIO(content)))
    for page, stamp in zip(writer.pages, stamps, strict=True):
        if page.rotation:
            page.transfer_rotation_to_content()
        box = page.cropbox
        width = float(stamp.mediabox.width)
        move = Transformation().translate(
            (float(box.left) + float(box.right) - width) / 2,
            float(box.bottom) + NUMBER_INSET,
        )
        page.merge_transformed_page(stamp, move, over=True)
        page.compress_content_streams()
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Requests and background builds ------------------------------------------------


def pack_file_name(body_slug: str, key: str, *, staff: bool) -> str:
    what = "reports-pack-not-for-publication" if staff else "reports-pack"
    return documents.file_name_for(body_slug, key, what)


@dataclass(frozen=True)
class PackStatus:
    """Where a meeting's pack stands for the current content."""

    kind: str
    meeting: Meeting
    # The content version and date a build would be for.
    site: str
    document: RenderedDocument | None
    job: RenderJob | None

    @property
    def subject(self) -> str:
        return documents.subject_of(self.meeting.pk)

    @property
    def state(self) -> str:
        """ready, queued, running, failed, stalled or lost (running on a
        worker that stopped), or missing (not asked)."""
        if self.document is not None:
            return "ready"
        if self.job is None or self.job.status == RenderJob.Status.DONE:
            return "missing"
        if self.job.status == RenderJob.Status.RUNNING and self.job.is_stalled(
            after=LOST_AFTER
        ):
            return "lost"
        if self.job.is_stalled(after=STALLED_AFTER):
            return "stalled"
        return str(self.job.status)


def pack_status(
    *, kind: str, meeting: Meeting, request: HttpRequest | None = None
) -> PackStatus:
    """The pack of the meeting's current content: stored, being built, or not."""
    subject = documents.subject_of(meeting.pk)
    site = pagecache.site_state(request)
    document = stored_documents.current(kind=kind, subject=subject, request=request)
    job = None
    if document is None:
        job = RenderJob.objects.filter(kind=kind, subject=subject, version=site).first()
    return PackStatus(kind=kind, meeting=meeting, site=site, document=document, job=job)


def pack_request(status: PackStatus, *, by: Any) -> PackStatus:
    """The pack's status, having asked for it to be built if nobody has.

    At most one build is queued per version of the content, however many
    people ask at once, on however many nodes. A build whose worker stopped
    is queued again.
    """
    if status.state == "lost":
        return _requeue_lost(status)
    if status.state != "missing":
        return status
    with transaction.atomic():
        job, created = RenderJob.objects.get_or_create(
            kind=status.kind,
            subject=status.subject,
            version=status.site,
            defaults={"requested_by": _requester(by)},
        )
        if not created:
            job = RenderJob.objects.select_for_update().get(pk=job.pk)
            if job.status != RenderJob.Status.DONE:
                # Someone else asked meanwhile.
                return replace(status, job=job)
            _reset(job, by=by)
        _enqueue(job)
    return replace(status, job=job)


def pack_retry(status: PackStatus, *, by: Any) -> PackStatus:
    """Queue a failed or stalled build again (anything else is left alone)."""
    if status.state == "missing":
        return pack_request(status, by=by)
    if status.state not in {"failed", "stalled"} or status.job is None:
        return status
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=status.job.pk)
        if job.status == RenderJob.Status.FAILED or job.is_stalled(after=STALLED_AFTER):
            _reset(job, by=by)
            _enqueue(job)
    return replace(status, job=job)


def _requeue_lost(status: PackStatus) -> PackStatus:
    if status.job is None:
        return status
    with transaction.atomic():
        job = RenderJob.objects.select_for_update().get(pk=status.job.pk)
        if job.status == RenderJob.Status.RUNNING and job.is_stalled(after=LOST_AFTER):
            logger.warning(
                "Reports pack %s %s lost its worker; queued again",
                job.kind,
                job.subject,
            )
            # The task queue still counts the dead worker's task as running.
            if job.task_id:
                DBTaskResult.objects.filter(
                    id=job.task_id, status=TaskResultStatus.RUNNING
                ).update(status=TaskResultStatus.FAILED, finished_at=timezone.now())
            _reset(job, by=job.requested_by)
            _enqueue(job)
    return replace(status, job=job)


def _reset(job: RenderJob, *, by: Any) -> None:
    job.status = RenderJob.Status.QUEUED
    job.message = ""
    job.steps_done = job.steps_total = 0
    job.started_at = job.finished_at = None
    job.requested_by = _requester(by)


def _requester(by: Any) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _enqueue(job: RenderJob) -> None:
    # Imported here: the task module imports this one.
    from meetings.tasks import build_pack

    job.save()
    result = build_pack.enqueue(job_id=job.pk)
    job.task_id = str(result.id)
    job.save(update_fields=["task_id", "updated_at"])


def pack_job_run(*, job_id: int) -> RenderJob | None:
    """Build the pack a job asks for and store it; the body of the task.

    A failure is recorded on the job, in words for the status page.
    """
    now = timezone.now()
    # Claimed in one statement: a job another worker is building (and still
    # touching) is left to it.
    claimed = (
        RenderJob.objects.filter(pk=job_id)
        .filter(
            Q(status=RenderJob.Status.QUEUED)
            | Q(status=RenderJob.Status.RUNNING, updated_at__lt=now - LOST_AFTER)
        )
        .update(
            status=RenderJob.Status.RUNNING,
            started_at=now,
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    )
    job = RenderJob.objects.filter(pk=job_id).first()
    if not claimed or job is None:
        return job
    try:
        with _heartbeat(job.pk):
            _run(job)
    except PdfRenderTimeout as error:
        _fail(job, f"{error} The papers can be downloaded one by one instead.")
    except PdfError as error:
        _fail(job, str(error))
    except Exception:
        _fail(job, "Something went wrong while preparing the pack.")
        raise
    return job


def _run(job: RenderJob) -> None:
    meeting_pk = documents.meeting_pk_of(job.subject)
    staff = job.kind == documents.STAFF_PACK
    user = job.requested_by if staff else None
    if staff and not audience_of(user).manages(Content.MEETINGS):
        _fail(job, "Only a clerk can have the pack for staff prepared.")
        return
    # The pack for staff is of a meeting the clerk runs.
    meetings = Meeting.objects.all()
    if staff:
        meetings = meetings.in_back_office(user)
    meeting = (
        meetings.visible_to(user or AnonymousUser())
        .select_related("body")
        .filter(pk=meeting_pk)
        .first()
        if meeting_pk is not None
        else None
    )
    if meeting is None:
        _fail(job, "The meeting no longer exists.")
        return
    if not (staff or meeting.agenda_is_published):
        _fail(job, "The agenda is no longer published.")
        return
    if stored_documents.current(kind=job.kind, subject=job.subject) is not None:
        _finish(job)
        return

    def progress(done: int, total: int) -> None:
        RenderJob.objects.filter(pk=job.pk).update(
            steps_done=done, steps_total=total, updated_at=timezone.now()
        )

    stored_documents.build_and_store(
        kind=job.kind,
        subject=job.subject,
        build=lambda: pack_build(meeting=meeting, user=user, progress=progress),
    )
    _finish(job)


@contextmanager
def _heartbeat(job_pk: int) -> Iterator[None]:
    """Touch the running job every HEARTBEAT_SECONDS while the block runs.

    Inside a transaction (as in tests) nobody else could see the touches,
    and they would wait on the transaction's own row lock, so none are made.
    """
    if connection.in_atomic_block:
        yield
        return
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                try:
                    RenderJob.objects.filter(
                        pk=job_pk, status=RenderJob.Status.RUNNING
                    ).update(updated_at=timezone.now())
                except DatabaseError:
                    # The database is away for a moment (a restart): the
                    # next beat tries again, well within LOST_AFTER.
                    logger.warning("Could not touch reports pack job %s", job_pk)
        finally:
            connection.close()

    thread = threading.Thread(target=beat, name=f"pack-{job_pk}-heartbeat")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(job: RenderJob) -> None:
    job.refresh_from_db(fields=["steps_total"])
    job.status = RenderJob.Status.DONE
    job.finished_at = timezone.now()
    job.steps_done = job.steps_total
    job.message = ""
    job.save()


def _fail(job: RenderJob, message: str) -> None:
    logger.warning("Reports pack %s %s failed: %s", job.kind, job.subject, message)
    job.status = RenderJob.Status.FAILED
    job.finished_at = timezone.now()
    job.message = message
    job.save()
