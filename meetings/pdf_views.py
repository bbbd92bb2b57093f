"""A meeting's PDFs: the agenda, the minutes and the reports packs.

Thin views over `meetings.printing`. The agenda and the minutes are public
documents, the same for everyone: they are looked up as the public sees the
meeting and rendered on the first request for each version of their content.
Packs are built in the background; their PDF address serves a ready pack and
otherwise leads to the pack's status page. A PDF that cannot be made in time
gives a 503 page pointing to the meeting page, never an error page.
"""

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kcsp.pagecache import public_page
from kcsp.pdf import PdfError, PdfRenderTimeout
from kcsp.visibility import Content, audience_of
from meetings import selectors
from meetings.models import Meeting
from meetings.printing import documents, packs, store, versions

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying a PDF that could not be made.
RETRY_AFTER = 120


@public_page
@require_safe
def agenda_pdf(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = versions.lookup(versions.AGENDA, body_slug=body, key=key)
    if found is None or not found.agenda_published:
        raise Http404("The agenda has not been published yet.")
    return _small_pdf(
        request,
        found,
        render_pdf=lambda meeting: documents.agenda_render(meeting=meeting),
        filename=documents.file_name_for(body, key, "agenda"),
        anchor="agenda",
    )


@public_page
@require_safe
def minutes_pdf(request: HttpRequest, body: str, key: str) -> HttpResponse:
    found = versions.lookup(versions.MINUTES, body_slug=body, key=key)
    if found is None or found.version is None:
        raise Http404("These minutes have not been published.")
    return _small_pdf(
        request,
        found,
        render_pdf=lambda meeting: documents.minutes_render(meeting=meeting),
        filename=documents.file_name_for(body, key, "minutes"),
        anchor="minutes",
    )


@require_safe
def pack_pdf(
    request: HttpRequest, body: str, key: str, staff: bool = False
) -> HttpResponse:
    found = _pack_lookup(request, body, key, staff=staff)
    if found.current is not None:
        try:
            return store.pdf_response(
                request,
                found.current,
                filename=packs.pack_file_name(body, key, staff=staff),
                public=not staff,
            )
        except store.StoredFileMissing:
            store.rendered_forget(stored=found.current)
    else:
        status = packs.pack_status(found)
        if status.state == "failed" and status.job is not None:
            meeting = _meeting(body, key, user=request.user)
            return _unavailable(
                request,
                meeting,
                message=status.job.message,
                anchor="agenda",
                pack_url=_pack_page_url(body, key, staff=staff),
            )
    return redirect(_pack_page_url(body, key, staff=staff))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def pack_page(
    request: HttpRequest, body: str, key: str, staff: bool = False
) -> HttpResponse:
    """The pack's status: being prepared (with a link to check again), ready
    (with the download link), or failed (with a button to try again)."""
    found = _pack_lookup(request, body, key, staff=staff)
    if request.method == "POST":
        packs.pack_retry(found, by=request.user)
        return redirect(request.path)
    status = packs.pack_request(found, by=request.user)
    meeting = _meeting(body, key, user=request.user)
    return render(
        request,
        "meetings/pdf/pack_status.html",
        {
            "meeting": meeting,
            "status": status,
            "staff": staff,
            "pdf_url": reverse(
                "meetings:staff_pack_pdf" if staff else "meetings:pack_pdf",
                args=[body, key],
            ),
        },
    )


def _meeting(body: str, key: str, *, user: Any) -> Meeting:
    return selectors.meeting_for_page(body_slug=body, key=key, user=user)


def _pack_lookup(
    request: HttpRequest, body: str, key: str, *, staff: bool
) -> versions.Lookup:
    if staff and not audience_of(request.user).sees_all(Content.MEETINGS):
        # Not a sign-in page: the pack for staff is not something to point at.
        raise Http404("No such page.")
    kind = versions.STAFF_PACK if staff else versions.PACK
    found = versions.lookup(kind, body_slug=body, key=key)
    if found is None or not (staff or found.agenda_published):
        raise Http404("The agenda has not been published yet.")
    return found


def _pack_page_url(body: str, key: str, *, staff: bool) -> str:
    return reverse(
        "meetings:staff_pack" if staff else "meetings:pack", args=[body, key]
    )


def _small_pdf(
    request: HttpRequest,
    found: versions.Lookup,
    *,
    render_pdf: Callable[[Meeting], documents.Printed | None],
    filename: str,
    anchor: str,
) -> HttpResponse:
    """Serve the stored version, rendering and storing it first if needed."""
    if found.current is not None:
        try:
            return store.pdf_response(
                request, found.current, filename=filename, public=True
            )
        except store.StoredFileMissing:
            store.rendered_forget(stored=found.current)
    # The lookup found the meeting as the public sees it; the renderers read
    # the agenda or minutes through the meeting page's selectors, for the public.
    meeting = Meeting.objects.select_related("body").filter(pk=found.meeting_pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    started = time.monotonic()
    try:
        printed = render_pdf(meeting)
    except PdfRenderTimeout as error:
        logger.warning("%s", error)
        return _unavailable(
            request,
            meeting,
            message="It took too long to make, so it was stopped.",
            anchor=anchor,
        )
    except PdfError:
        logger.exception("Could not make %s of meeting %s", found.kind, meeting.pk)
        return _unavailable(request, meeting, message="", anchor=anchor)
    if printed is None or found.version is None:
        raise Http404("This document is not published.")
    try:
        stored = store.rendered_store(
            kind=found.kind,
            subject=found.subject,
            version=found.version,
            content=printed.content,
            page_count=printed.page_count,
            render_seconds=time.monotonic() - started,
        )
    except OSError:
        # Storage is unavailable: the reader still gets the document, and the
        # next request renders it again.
        logger.exception("Could not store %s of meeting %s", found.kind, meeting.pk)
        response = HttpResponse(printed.content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        response["Cache-Control"] = "no-store"
        return response
    # Another request may have stored its own copy first: serve that one, so
    # every response with this ETag has the same bytes.
    ours = stored.sha256 == hashlib.sha256(printed.content).hexdigest()
    return store.pdf_response(
        request,
        store.Stored.of(stored),
        filename=filename,
        public=True,
        content=printed.content if ours else None,
    )


def _unavailable(
    request: HttpRequest,
    meeting: Meeting,
    *,
    message: str,
    anchor: str,
    pack_url: str = "",
) -> HttpResponse:
    """A 503 page saying why, with the meeting page as the alternative."""
    response = render(
        request,
        "meetings/pdf/unavailable.html",
        {
            "meeting": meeting,
            "message": message,
            "anchor": anchor,
            "pack_url": pack_url,
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response
