"""A meeting's PDFs: the agenda, the minutes and the reports packs.

Thin views over `meetings.printing` and the documents service
(`kcsp.documents`). The agenda and the minutes are public documents, the same
for everyone: the meeting is found as the public sees it, and the document is
rendered on the first request after its content changes.
Packs are built in the background; their PDF address serves a ready pack and
otherwise leads to the pack's status page. A PDF that cannot be made in time
gives a 503 page pointing to the meeting page, never an error page.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from kcsp import documents as stored_documents
from kcsp import formatting
from kcsp.documents import Built
from kcsp.links import Link
from kcsp.pagecache import public_page
from kcsp.pdf import PdfError
from kcsp.visibility import Content, audience_of
from meetings import selectors
from meetings.models import Meeting
from meetings.printing import documents, packs


def _public_meeting(body: str, key: str) -> Meeting:
    """The meeting as the public sees it: the agenda and minutes PDFs are
    public documents, one stored copy for everyone."""
    return selectors.meeting_for_page(body_slug=body, key=key, user=AnonymousUser())


@public_page
@require_safe
def agenda_pdf(request: HttpRequest, body: str, key: str) -> HttpResponse:
    meeting = _public_meeting(body, key)
    if not meeting.agenda_is_published:
        raise Http404("The agenda has not been published yet.")
    return _small_pdf(request, meeting, "agenda")


@public_page
@require_safe
def minutes_pdf(request: HttpRequest, body: str, key: str) -> HttpResponse:
    meeting = _public_meeting(body, key)
    return _small_pdf(request, meeting, "minutes")


@require_safe
def pack_pdf(
    request: HttpRequest, body: str, key: str, staff: bool = False
) -> HttpResponse:
    status = _pack_status(request, body, key, staff=staff)
    if status.document is not None:
        try:
            return stored_documents.serve(
                request,
                status.document,
                filename=packs.pack_file_name(body, key, staff=staff),
                public=not staff,
            )
        except stored_documents.StoredFileMissing:
            stored_documents.forget(status.document)
    elif status.state == "failed" and status.job is not None:
        return _unavailable(
            request,
            status.meeting,
            kind=status.kind,
            reason=status.job.message,
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
    status = _pack_status(request, body, key, staff=staff)
    if request.method == "POST":
        packs.pack_retry(status, by=request.user)
        return redirect(request.path)
    status = packs.pack_request(status, by=request.user)
    return render(
        request,
        "meetings/pdf/pack_status.html",
        {
            "meeting": status.meeting,
            "status": status,
            "staff": staff,
            "pdf_url": reverse(
                "meetings:staff_pack_pdf" if staff else "meetings:pack_pdf",
                args=[body, key],
            ),
        },
    )


def _pack_status(
    request: HttpRequest, body: str, key: str, *, staff: bool
) -> packs.PackStatus:
    if staff and not audience_of(request.user).manages(Content.MEETINGS):
        # Not a sign-in page: the pack for staff is not something to point at.
        raise Http404("No such page.")
    if staff:
        meeting = selectors.meeting_to_manage(
            body_slug=body, key=key, user=request.user
        )
    else:
        meeting = _public_meeting(body, key)
        if not meeting.agenda_is_published:
            raise Http404("The agenda has not been published yet.")
    kind = documents.STAFF_PACK if staff else documents.PACK
    return packs.pack_status(kind=kind, meeting=meeting, request=request)


def _pack_page_url(body: str, key: str, *, staff: bool) -> str:
    return reverse(
        "meetings:staff_pack" if staff else "meetings:pack", args=[body, key]
    )


# A meeting's public documents, one stored copy for everyone: the kind the
# documents service files each under, and how it is rendered.
PUBLIC_DOCUMENTS: dict[str, tuple[str, Callable[..., Built | None]]] = {
    "agenda": (documents.AGENDA, documents.agenda_render),
    "minutes": (documents.MINUTES, documents.minutes_render),
}


def _small_pdf(request: HttpRequest, meeting: Meeting, what: str) -> HttpResponse:
    """Serve the current stored copy of the meeting's public agenda or
    minutes (`what`), rendering and storing it first if needed; if it cannot
    be made, the page says so and leads to that part of the meeting page."""
    kind, make = PUBLIC_DOCUMENTS[what]
    try:
        response = stored_documents.respond(
            request,
            kind=kind,
            subject=documents.subject_of(meeting.pk),
            build=lambda: make(meeting=meeting),
            filename=documents.file_name_for(meeting.body.slug, meeting.url_key, what),
            public=True,
        )
    except PdfError as error:
        return _unavailable(request, meeting, kind=kind, error=error, anchor=what)
    if response is None:
        raise Http404("This document is not published.")
    return response


def _unavailable(
    request: HttpRequest,
    meeting: Meeting,
    *,
    kind: str,
    anchor: str,
    error: PdfError | None = None,
    reason: str = "",
    pack_url: str = "",
) -> HttpResponse:
    """The documents service's page for a PDF that could not be made, leading
    to the part of the meeting page it would have shown."""
    page = meeting.get_absolute_url()
    return stored_documents.unavailable(
        request,
        kind=kind,
        subject=documents.subject_of(meeting.pk),
        error=error,
        reason=reason,
        back=Link(
            f"{page}#{anchor}",
            f"{meeting.body.name}, {formatting.meeting_when(meeting.start)}",
        ),
        trail=[
            Link(reverse("meetings:list"), "Meetings"),
            Link(meeting.body.get_absolute_url(), meeting.body.name),
            Link(page, formatting.long_date(meeting.start)),
        ],
        again=Link(pack_url, "ask for the reports pack to be prepared again")
        if pack_url
        else None,
    )
