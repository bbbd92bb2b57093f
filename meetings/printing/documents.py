"""The agenda and the minutes as PDFs, and the stored content of a meeting
page whose minutes are approved, from the meeting page's own data.

Both documents are built from the selectors the meeting page uses, for the
audience the document is for, and laid out by the page's own partials
(templates/meetings/includes/), so the PDF and the HTML page cannot say
different things. Links in them are made absolute against PORTAL_BASE_URL,
whoever asked first, because one stored copy serves everyone.
"""

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest
from django.template.loader import render_to_string

from kcsp import documents as stored_documents
from kcsp.documents import Built
from kcsp.formatting import long_date
from kcsp.pdf import page_count, render_pdf
from kcsp.visibility import Audience, Content, audience_of
from meetings import selectors
from meetings.models import Document, Meeting, Minutes

DRAFT_WATERMARK = "Draft - subject to approval"

# The kinds of document, as the documents service names them.
AGENDA = "meetings.agenda"
MINUTES = "meetings.minutes"
# A meeting page's content once its minutes are approved, for each audience.
PAGE_CONTENT = "meetings.page.html"
PACK = "meetings.pack"
STAFF_PACK = "meetings.pack.staff"


def subject_of(meeting_pk: int) -> str:
    """How a meeting is named in kcsp.RenderedDocument and kcsp.RenderJob."""
    return f"meeting:{meeting_pk}"


def meeting_pk_of(subject: str) -> int | None:
    prefix, _, pk = subject.partition(":")
    return int(pk) if prefix == "meeting" and pk.isdigit() else None


def running_header(meeting: Meeting) -> str:
    """'Kent Community Safety Partnership - 24 March 2022', atop every page."""
    return f"{meeting.body.name} - {long_date(meeting.start)}"


def file_name_for(body_slug: str, key: str, what: str) -> str:
    """'kent-community-safety-partnership-2022-03-24-agenda.pdf'."""
    return f"{body_slug}-{key}-{what}.pdf"


def branding() -> dict[str, str]:
    # Templates rendered for a PDF have no request, so no context processors.
    return {"portal_name": settings.PORTAL_NAME, "portal_logo": settings.PORTAL_LOGO}


def agenda_title(meeting: Meeting) -> str:
    return f"Agenda: {meeting.body.name}, {long_date(meeting.start)}"


def agenda_render(
    *, meeting: Meeting, user: Any = None, in_pack: bool = False
) -> Built:
    """The front sheet, membership and agenda as `user` may see them.

    Without a user it is the public agenda: exempt items show their title
    and Schedule 12A paragraph only, and only published public papers are
    listed. `in_pack` lays it out as the first part of a reports pack, whose
    page numbers are stamped across the whole pack instead. A staff member's
    agenda is marked "Not for publication" when it shows anything the public
    may not see.
    """
    page = selectors.meeting_page(meeting=meeting, user=user or AnonymousUser())
    staff = page.audience.sees_all(Content.MEETINGS)
    content = render_pdf(
        template_name="meetings/pdf/agenda.html",
        context={
            **branding(),
            "meeting": meeting,
            "page": page,
            "in_pack": in_pack,
        },
        title=agenda_title(meeting),
        header=running_header(meeting),
        not_for_publication=staff,
        author=settings.PORTAL_NAME,
    )
    return Built(content=content, page_count=page_count(content))


def minutes_title(meeting: Meeting, minutes: Minutes) -> str:
    label = (
        "Draft minutes"
        if minutes.status == Minutes.Status.PUBLISHED_DRAFT
        else "Minutes"
    )
    return f"{label}: {meeting.body.name}, {long_date(meeting.start)}"


def page_content_subject(meeting_pk: int, audience: Audience) -> str:
    """'meeting:42:a0110': the meeting and the audience its page's content
    is for (a digest of the audience when its name is long)."""
    key = audience.key
    if len(key) > 40:
        key = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"{subject_of(meeting_pk)}:{key}"


def page_content_render(*, meeting_pk: int, user: Any) -> str | None:
    """The meeting page's content (front sheet, membership, agenda and
    minutes) as `user` may see it, or None if they may not see the meeting.
    The meeting is read here, as the page reads it, so that everything the
    content shows is among the reads its stored copy is checked by."""
    found = Meeting.objects.filter(pk=meeting_pk).select_related("body").first()
    if found is None:
        return None
    try:
        meeting = selectors.meeting_for_page(
            body_slug=found.body.slug, key=found.url_key, user=user
        )
    except Http404:
        return None
    page = selectors.meeting_page(meeting=meeting, user=user)
    return render_to_string(
        "meetings/includes/meeting_content.html", {"meeting": meeting, "page": page}
    )


def stored_page_content(
    *, meeting: Meeting, user: Any, request: HttpRequest | None = None
) -> str | None:
    """The meeting page's content for `user`'s audience (their row of the
    role table) from the copy the documents service keeps, once the minutes
    they may read are approved (a record that no longer changes but by
    correction); None otherwise, and the page is rendered as it is read. The
    copy is made again when anything it showed has changed."""
    audience = audience_of(user).within(meeting.body.partnership_id)
    approved = Minutes.objects.for_audience(audience).filter(
        meeting=meeting, status=Minutes.Status.APPROVED
    )
    if not approved.exists():
        return None
    return stored_documents.stored_html(
        kind=PAGE_CONTENT,
        subject=page_content_subject(meeting.pk, audience),
        build=lambda: page_content_render(meeting_pk=meeting.pk, user=user),
        request=request,
    )


def minutes_render(*, meeting: Meeting) -> Built | None:
    """The published minutes exactly as the meeting page shows them to the
    public, or None if they are not published.

    Minutes published as a draft carry "Draft - subject to approval" across
    every page; approved minutes say which later meeting approved them.
    """
    view = selectors.minutes_view(meeting=meeting, audience=Audience.PUBLIC)
    if view is None:
        return None
    draft = view.minutes.status == Minutes.Status.PUBLISHED_DRAFT
    content = render_pdf(
        template_name="meetings/pdf/minutes.html",
        context={**branding(), "meeting": meeting, "mv": view},
        title=minutes_title(meeting, view.minutes),
        header=running_header(meeting),
        watermark=DRAFT_WATERMARK if draft else "",
        author=settings.PORTAL_NAME,
    )
    return Built(content=content, page_count=page_count(content))


def redacted_paper_render(*, document: Document, text: str, on: dt.datetime) -> bytes:
    """A paper's published text (its text layer, with a passage already
    replaced) as a tagged PDF under the paper's own title: the public file
    of a paper once a passage of it is redacted."""
    meeting = document.meeting
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return render_pdf(
        template_name="meetings/pdf/redacted_paper.html",
        context={
            **branding(),
            "meeting": meeting,
            "document": document,
            "pages": [lines],
            "redacted_on": on,
        },
        title=document.title,
        header=running_header(meeting),
        author=settings.PORTAL_NAME,
    )
