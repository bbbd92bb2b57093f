"""Public pages of published reviews: the list, a page per review, its
documents and its published action plan as a PDF.

Everything here starts from `Case.objects.public()`: a review that is not
published answers 404 to everyone, signed in or not.
"""

from django.conf import settings
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from dhr import pdf, selectors
from dhr.filters import ReviewFilter
from dhr.models import Case, PublishedDocument
from kcsp import documents
from kcsp.links import Link
from kcsp.pagecache import public_page
from kcsp.paging import CountedPaginator, filtered_page
from kcsp.pdf import PdfError
from kcsp.uploads import uploaded_file_response

PER_PAGE = 25


@public_page
def review_list(request: HttpRequest) -> HttpResponse:
    filterset = ReviewFilter(
        request.GET, queryset=selectors.reviews_for_list(), request=request
    )
    pages = CountedPaginator(filterset.qs, PER_PAGE)
    return render(
        request, "dhr/review_list.html", filtered_page(request, filterset, pages)
    )


@public_page
def review_detail(request: HttpRequest, slug: str) -> HttpResponse:
    case = selectors.review_for_page(slug=slug)
    page = selectors.review_page(case=case)
    return render(request, "dhr/review_detail.html", {"case": case, "page": page})


def document_download(
    request: HttpRequest, slug: str, pk: int, filename: str
) -> HttpResponseBase:
    """A published document, only while the review's documents are online."""
    document = selectors.document_for_public(slug=slug, pk=pk)
    if filename != document.filename:
        return HttpResponseRedirect(document.get_absolute_url())
    response = document_file_response(document)
    # Short, so a take-down is not undone by caches for long.
    response["Cache-Control"] = "public, max-age=300"
    return response


def document_file_response(document: PublishedDocument) -> FileResponse:
    """A review document's file as uploaded (`kcsp.uploads`)."""
    return uploaded_file_response(
        document.file,
        filename=document.filename,
        file_kind=document.file_kind,
        mime_type=document.mime_type,
    )


def review_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    case = selectors.review_for_page(slug=slug)
    if not case.shows_action_plan():
        raise Http404("This review's action plan is not published.")
    return action_plan_response(request, case=case, public=True)


def action_plan_response(
    request: HttpRequest, *, case: Case, public: bool
) -> HttpResponse:
    """A case's action plan PDF from the documents service, the public
    edition or the board's, or a 503 page saying it could not be made."""
    label = settings.DHR_LABEL
    if public:
        kind, build = pdf.PUBLIC, pdf.public_action_plan
        filename = f"{case.slug}-action-plan.pdf"
        page, name = case.get_absolute_url(), case.public_name
        trail = [Link(reverse("dhr:list"), f"{label}s"), Link(page, name)]
    else:
        kind, build = pdf.BOARD, pdf.board_action_plan
        filename = f"action-plan-{case.pk}.pdf"
        page, name = case.get_staff_url(), case.reference
        trail = [Link(reverse("dhr:dashboard"), f"{label} cases"), Link(page, name)]
    subject = pdf.subject_of(case)
    try:
        response = documents.respond(
            request,
            kind=kind,
            subject=subject,
            build=lambda: build(case=case),
            filename=filename,
            public=public,
        )
    except PdfError as error:
        return documents.unavailable(
            request,
            kind=kind,
            subject=subject,
            error=error,
            back=Link(page, f"{label} {name}"),
            trail=trail,
        )
    assert response is not None  # noqa: S101 - the builds always make one
    return response
