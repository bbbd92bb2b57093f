"""Rendered documents: every PDF of every app, and parts of pages that are
costly to render and seldom change (`stored_html`), kept once per version.

A document is named by its `kind` ("meetings.agenda") and `subject` (what it
is about, "meeting:42"). Apps hand this service a `build` function that
reads the data and renders the PDF; the service decides whether a stored
copy is still current, builds and stores it when not, and serves it with
ETag and Last-Modified, answering conditional requests with 304.

A stored copy is current when:
- its layout is the running one: a digest of every template, stylesheet
  and image, of the code that lays documents out, of WeasyPrint's version
  and of the branding settings (`layout_digest`), so a release that changes
  how documents look renders them again;
- it was built today (documents say "printed on", and visibility follows
  dates: a paper's publication time, a review's take-down);
- and the site's content (`kcsp.pagecache`'s content version) is unchanged
  since it was built, or else the data it read is. While a document is
  built, every query it runs is recorded; when the content version has
  moved on, those queries are run again and their results compared with
  what the build read. The same results mean the same document, which is
  then marked current for the new content version. So no list of what the
  templates read is kept by hand: add a field to a template and the query
  that reads it is recorded with the rest.

Builds read no caches of the page layer (`kcsp.pagecache.cached_reading`
steps aside while recording), so every read is a recorded query.

A document is built once however many requests, on however many web nodes,
ask for it at the same moment: the request that finds no current copy takes
a lock in the shared cache (Redis with several nodes), keyed on the kind, the
subject and the content version, and builds and stores the document. Others
that find the lock taken wait for it to be let go, then serve the stored
copy. The lock runs out by itself (PDF_RENDER_TIMEOUT and a few seconds more,
the longest a build is let run), so a request whose process died while
building holds nobody up for longer; and nobody waits more than
`WAIT_AT_MOST` seconds before building it themselves.
"""

import base64
import contextvars
import datetime as dt
import functools
import hashlib
import importlib.metadata
import logging
import secrets
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from kcsp import pagecache
from kcsp.links import Link
from kcsp.models import RenderedDocument
from kcsp.pdf import PdfError, PdfRenderTimeout

logger = logging.getLogger(__name__)

# Stored files up to this size are sent from memory; larger ones (packs) are
# streamed from storage.
IN_MEMORY_BYTES = 512 * 1024

# Tables of bookkeeping that a build may touch but that no document shows.
NOT_READS = (
    "django_session",
    "django_content_type",
    "kcsp_contentchange",
    "kcsp_rendereddocument",
    "kcsp_renderjob",
)


@dataclass(frozen=True)
class Built:
    """What a build made: the PDF (or HTML, with `suffix` ".html") and what
    a reader should know about it."""

    content: bytes = field(repr=False)
    page_count: int | None = None
    notes: list[str] = field(default_factory=list)
    suffix: str = ".pdf"


Build = Callable[[], Built]


class StoredFileMissing(Exception):
    """The row is there but its file is not (storage restored without it)."""


# The layout ------------------------------------------------------------------

# Settings that appear on documents.
BRANDING = (
    "PORTAL_NAME",
    "PORTAL_SHORT_NAME",
    "PORTAL_ORGANISATION",
    "PORTAL_LOGO",
    "PORTAL_BASE_URL",
    "DHR_LABEL",
)


@functools.cache
def layout_digest() -> str:
    """A digest of everything that decides how documents look, other than
    their data: read once per process."""
    base = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    files = [
        *sorted((base / "templates").rglob("*")),
        *sorted((base / "static").rglob("*")),
        *sorted((base / "kcsp" / "pdf").glob("*.py")),
        *(
            path
            for app in ("meetings", "agreement", "priorities", "dhr")
            for path in sorted((base / app).rglob("*pdf*.py"))
        ),
        *sorted((base / "meetings" / "printing").glob("*.py")),
    ]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(base)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(importlib.metadata.version("weasyprint").encode())
    for name in BRANDING:
        digest.update(f"{name}={getattr(settings, name, '')}".encode())
    return digest.hexdigest()


# Recording what a build reads -------------------------------------------------

_recording: contextvars.ContextVar["_Recorder | None"] = contextvars.ContextVar(
    "kcsp_documents_recording", default=None
)


def recording() -> bool:
    """Whether a document is being built now (caches of the page layer step
    aside, so that everything the build reads is a recorded query)."""
    return _recording.get() is not None


class Unrecordable(Exception):
    """A query parameter of a type the recording cannot keep."""


class _Recorder:
    def __init__(self) -> None:
        self.reads: list[list[Any]] = []
        self.complete = True
        self._seen: set[str] = set()

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any
    ) -> Any:
        if not many and _is_read(sql):
            try:
                read = [sql, [_encode(p) for p in params or ()]]
            except Unrecordable:
                self.complete = False
            else:
                key = repr(read)
                if key not in self._seen:
                    self._seen.add(key)
                    self.reads.append(read)
        return execute(sql, params, many, ctx)


def _is_read(sql: str) -> bool:
    words = sql.split(None, 1)
    if not words or words[0].upper() not in {"SELECT", "WITH"}:
        return False
    return not any(f'"{table}"' in sql or f" {table}" in sql for table in NOT_READS)


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, dt.time):
        return {"time": value.isoformat()}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, uuid.UUID):
        return {"uuid": str(value)}
    if isinstance(value, bytes | memoryview):
        return {"bytes": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, list | tuple):
        return {"list": [_encode(v) for v in value]}
    raise Unrecordable(type(value).__name__)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    (kind, raw), *_ = value.items()
    match kind:
        case "datetime":
            return dt.datetime.fromisoformat(raw)
        case "date":
            return dt.date.fromisoformat(raw)
        case "time":
            return dt.time.fromisoformat(raw)
        case "decimal":
            return Decimal(raw)
        case "uuid":
            return uuid.UUID(raw)
        case "bytes":
            return base64.b64decode(raw)
        case _:
            return [_decode(v) for v in raw]


def _plain(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _results_digest(reads: list[list[Any]]) -> str:
    """Run the recorded queries again and digest what they answer now."""
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for sql, params in reads:
            cursor.execute(sql, [_decode(p) for p in params])
            for row in cursor.fetchall():
                digest.update(repr(tuple(_plain(v) for v in row)).encode())
            digest.update(b"\0")
    return digest.hexdigest()


@contextmanager
def _recorded() -> Iterator[_Recorder]:
    recorder = _Recorder()
    token = _recording.set(recorder)
    try:
        with connection.execute_wrapper(recorder):
            yield recorder
    finally:
        _recording.reset(token)


# Finding, building and storing ------------------------------------------------


def current(
    *, kind: str, subject: str, request: HttpRequest | None = None
) -> RenderedDocument | None:
    """The stored copy of the document if it is current (see the module's
    docstring), else None."""
    # The recorded reads are loaded only when they are to be run again.
    found = RenderedDocument.objects.filter(kind=kind, subject=subject)
    document = found.defer("reads").last()
    if document is None or document.layout != layout_digest():
        return None
    site = pagecache.site_state(request)
    if document.site_version == site:
        return document
    if (
        pagecache.state_day(document.site_version) != pagecache.state_day(site)
        or not document.data_digest
        or _results_digest(document.reads) != document.data_digest
    ):
        return None
    # The data it read is unchanged: current for this content version too.
    RenderedDocument.objects.filter(pk=document.pk).update(site_version=site)
    document.site_version = site
    return document


def build_and_store(
    *, kind: str, subject: str, build: Callable[[], Built | None]
) -> tuple[RenderedDocument | None, Built | None]:
    """Build the document, recording what it reads, and store it; returns
    the stored copy and what was built (None, None when the build has
    nothing to show). Raises OSError when storage fails, with the build
    attached as `built`."""
    site = pagecache.site_state(None)
    started = time.monotonic()
    with _recorded() as recorder:
        built = build()
    if built is None:
        return None, None
    seconds = time.monotonic() - started
    digest = ""
    if recorder.complete:
        digest = _results_digest(recorder.reads)
    # A change committed while the build read is found by the content
    # version having moved: the copy is then left unverified (an empty
    # digest), served now and built again at the next request.
    if pagecache.current_version(None) != pagecache.state_version(site):
        digest = ""
    try:
        stored = _store(
            kind=kind,
            subject=subject,
            built=built,
            site=site,
            reads=recorder.reads if digest else [],
            digest=digest,
            seconds=seconds,
        )
    except OSError as error:
        error.built = built  # type: ignore[attr-defined]
        raise
    return stored, built


def _store(
    *,
    kind: str,
    subject: str,
    built: Built,
    site: str,
    reads: list[list[Any]],
    digest: str,
    seconds: float,
) -> RenderedDocument:
    """Keep the built document and forget older copies of it. If the same
    bytes are stored already, that copy is kept, brought up to date with
    this build, and returned."""
    version = hashlib.sha256(built.content).hexdigest()
    document = RenderedDocument(
        kind=kind,
        subject=subject,
        version=version,
        layout=layout_digest(),
        site_version=site,
        reads=reads,
        data_digest=digest,
        size_bytes=len(built.content),
        sha256=version,
        page_count=built.page_count,
        render_seconds=seconds,
        notes=built.notes,
    )
    name = f"{subject.replace(':', '-')}-{version[:16]}{built.suffix}"
    document.file.save(name, ContentFile(built.content), save=False)
    try:
        with transaction.atomic():
            document.save()
            older = list(
                RenderedDocument.objects.filter(kind=kind, subject=subject).exclude(
                    pk=document.pk
                )
            )
            RenderedDocument.objects.filter(pk__in=[o.pk for o in older]).delete()
            names = [o.file.name for o in older if o.file.name]
            transaction.on_commit(lambda: _delete_files(names))
    except IntegrityError:
        # The same bytes are stored already (by another process, or by an
        # earlier build under an older layout or content): that copy is kept,
        # and is now current as this build is, or it would be built again at
        # every request.
        _delete_files([document.file.name or name])
        RenderedDocument.objects.filter(
            kind=kind, subject=subject, version=version
        ).update(
            layout=document.layout, site_version=site, reads=reads, data_digest=digest
        )
        return RenderedDocument.objects.get(kind=kind, subject=subject, version=version)
    return document


def forget(document: RenderedDocument) -> None:
    """Drop a copy whose file has gone, so the document is made again."""
    RenderedDocument.objects.filter(pk=document.pk).delete()


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            # A file left behind costs disk space, not correctness: nothing
            # points at it any more.
            logger.warning("Could not delete the old rendered file %s", name)


def stored_html(
    *,
    kind: str,
    subject: str,
    build: Callable[[], str | None],
    request: HttpRequest | None = None,
) -> str | None:
    """A part of a page as HTML: its current stored copy, else built now,
    recording what it reads, and stored (None when the build has nothing to
    show). Kept and checked as documents are (see the module's docstring),
    so it is read again only when the data it showed has changed. Two
    requests that find no copy at the same moment both build it: a part of
    a page is quick to build, and the same bytes are stored once.

    A stored copy's text is also kept in the shared cache under the digest
    of its bytes (which no other text can have) while the content caches are
    on (FRAGMENT_CACHE_SECONDS), so that storage on another machine (S3) is
    not read at every page."""
    document = current(kind=kind, subject=subject, request=request)
    if document is not None:
        text = _stored_text(document)
        if text is not None:
            return text
        forget(document)

    def built() -> Built | None:
        html = build()
        if html is None:
            return None
        return Built(content=html.encode(), suffix=".html")

    stored, made = _stored_or_built(kind=kind, subject=subject, build=built)
    if made is None:
        return None
    text = made.content.decode()
    if stored is not None and stored.sha256 == hashlib.sha256(made.content).hexdigest():
        _keep_text(stored.version, text)
    return text


def _text_key(version: str) -> str:
    return f"stored-html:{version}"


def _keep_text(version: str, text: str) -> None:
    if settings.FRAGMENT_CACHE_SECONDS > 0:
        cache.set(_text_key(version), text, settings.FRAGMENT_CACHE_SECONDS)


def _stored_text(document: RenderedDocument) -> str | None:
    """The stored copy's text, from the shared cache or else from storage;
    None when its file has gone."""
    if settings.FRAGMENT_CACHE_SECONDS > 0:
        text = cache.get(_text_key(document.version))
        if text is not None:
            return str(text)
    try:
        with default_storage.open(document.file.name or "", "rb") as handle:
            text = handle.read().decode()
    except OSError:
        return None
    _keep_text(document.version, text)
    return text


def _stored_or_built(
    *, kind: str, subject: str, build: Callable[[], Built | None]
) -> tuple[RenderedDocument | None, Built | None]:
    """`build_and_store`; or, when storage is unavailable, no stored copy and
    what was built: the reader still gets it, and the next request builds it
    again."""
    try:
        return build_and_store(kind=kind, subject=subject, build=build)
    except OSError as error:
        logger.exception("Could not store %s %s", kind, subject)
        built = getattr(error, "built", None)
        if built is None:
            raise
        return None, built


# Building once across nodes ---------------------------------------------------

# A request that finds the document being built elsewhere waits at most this
# many seconds for the stored copy, then builds it itself: less than
# gunicorn's 30 s worker timeout, leaving it time to build.
WAIT_AT_MOST = 20.0
# How often it looks whether the lock has been let go.
WAIT_STEP = 0.1
# Seconds for storing a built document, on top of PDF_RENDER_TIMEOUT.
STORING_SECONDS = 5


def _build_lock(
    *, kind: str, subject: str, request: HttpRequest | None
) -> tuple[str, int]:
    """The cache key of the lock on building the document, and the seconds
    the lock lasts: the longest a build is let run and stored."""
    key = f"document-build:{kind}:{subject}:{pagecache.site_state(request)}"
    return key, int(settings.PDF_RENDER_TIMEOUT) + STORING_SECONDS


@contextmanager
def _turn_to_build(
    *, kind: str, subject: str, request: HttpRequest | None
) -> Iterator[RenderedDocument | None]:
    """Wait for this request's turn to build the document (see the module's
    docstring). Yields the copy another request stored meanwhile, or None
    when this one is to build it; the lock, if taken, is let go when the
    block ends."""
    key, seconds = _build_lock(kind=kind, subject=subject, request=request)
    token = secrets.token_hex(16)
    held = cache.add(key, token, seconds)
    waited = not held
    deadline = time.monotonic() + WAIT_AT_MOST
    while not held and time.monotonic() < deadline:
        time.sleep(WAIT_STEP)
        # Free again: its holder stored the document (or failed, or died and
        # the lock ran out).
        held = cache.add(key, token, seconds)
    try:
        yield current(kind=kind, subject=subject, request=request) if waited else None
    finally:
        # Only our own lock: one that ran out and was taken by another
        # request stays theirs. (Between reading and deleting, ours could run
        # out and be taken: that costs at most one more build.)
        if held and cache.get(key) == token:
            cache.delete(key)


# Serving ---------------------------------------------------------------------


def serve(
    request: HttpRequest,
    document: RenderedDocument,
    *,
    filename: str,
    public: bool,
    content: bytes | None = None,
) -> HttpResponse:
    """The stored PDF, or 304 Not Modified when the client's copy is current.

    `content` serves bytes already in memory (just built) instead of reading
    the file back. Public documents may be kept by shared caches but must be
    checked with the server on every use (`no-cache`), so a changed minute is
    never read from a stale copy. Raises StoredFileMissing when the file
    cannot be opened.
    """
    modified = int(document.created_at.timestamp())
    headers = {
        "ETag": f'"{document.version}"',
        "Last-Modified": http_date(modified),
        "Cache-Control": "public, no-cache" if public else "private, no-cache",
    }
    not_modified = get_conditional_response(
        request, etag=headers["ETag"], last_modified=modified
    )
    if not_modified is not None:
        return _with_headers(not_modified, headers)
    if content is None:
        try:
            handle = default_storage.open(document.file.name or "", "rb")
        except OSError as error:
            raise StoredFileMissing(document.file.name) from error
        if document.size_bytes > IN_MEMORY_BYTES:
            stream = FileResponse(
                handle, content_type="application/pdf", filename=filename
            )
            stream["Content-Disposition"] = f'inline; filename="{filename}"'
            return _with_headers(stream, headers)
        # Reading a small file whole costs less than setting up a stream.
        with handle:
            content = handle.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _with_headers(response, headers)


def _with_headers(response: Any, headers: dict[str, str]) -> Any:
    for name, value in headers.items():
        response[name] = value
    return response


def respond(
    request: HttpRequest,
    *,
    kind: str,
    subject: str,
    build: Callable[[], Built | None],
    filename: str,
    public: bool,
) -> HttpResponse | None:
    """The document: its current stored copy, else built now and stored
    (once, however many ask at the same moment: see `_turn_to_build`).
    None when the build has nothing to show. Errors of the build (PdfError)
    reach the caller, which answers with `unavailable`."""
    document = current(kind=kind, subject=subject, request=request)
    response = _serve_stored(request, document, filename=filename, public=public)
    if response is not None:
        return response
    with _turn_to_build(kind=kind, subject=subject, request=request) as stored:
        response = _serve_stored(request, stored, filename=filename, public=public)
        if response is not None:
            return response
        document, built = _stored_or_built(kind=kind, subject=subject, build=build)
        if document is None and built is not None:
            response = HttpResponse(built.content, content_type="application/pdf")
            response["Content-Disposition"] = f'inline; filename="{filename}"'
            response["Cache-Control"] = "no-store"
            return response
    if document is None or built is None:
        return None
    # Another request may have stored its own copy first: serve that one, so
    # every response with this ETag has the same bytes.
    ours = document.sha256 == hashlib.sha256(built.content).hexdigest()
    return serve(
        request,
        document,
        filename=filename,
        public=public,
        content=built.content if ours else None,
    )


def _serve_stored(
    request: HttpRequest,
    document: RenderedDocument | None,
    *,
    filename: str,
    public: bool,
) -> HttpResponse | None:
    """The stored copy, or None when there is none or its file has gone
    (then it is forgotten, so that it is made again)."""
    if document is None:
        return None
    try:
        return serve(request, document, filename=filename, public=public)
    except StoredFileMissing:
        forget(document)
        return None


# A PDF that could not be made ------------------------------------------------

# Seconds a reader is asked to wait before asking again for a PDF that could
# not be made.
RETRY_AFTER = 120

TOO_SLOW = "It took too long to make, so it was stopped."


def unavailable(
    request: HttpRequest,
    *,
    kind: str,
    subject: str,
    back: Link,
    trail: Sequence[Link],
    error: PdfError | None = None,
    reason: str = "",
    again: Link | None = None,
) -> HttpResponse:
    """The page for a PDF that could not be made, whatever the app: status
    503 with Retry-After, saying why if known, and leading `back` to the page
    that holds what the PDF would.

    `error` is what the build raised (any PdfError), logged here: a timeout
    as a warning, anything else with its traceback. `reason` is a failure
    already recorded elsewhere (a pack built in the background). `trail` is
    the breadcrumb trail after Home, ending at the page `back` leads to;
    `again` is another way to get the document, if there is one.
    """
    if isinstance(error, PdfRenderTimeout):
        logger.warning("Could not make %s of %s: %s", kind, subject, error)
        reason = reason or TOO_SLOW
    elif error is not None:
        logger.error("Could not make %s of %s", kind, subject, exc_info=error)
    response = render(
        request,
        "kcsp/pdf_unavailable.html",
        {"reason": reason, "back": back, "trail": trail, "again": again},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response
