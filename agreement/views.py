"""Public pages of the agreement: the current version, each version, what
changed, and the PDF. Drafts are shown to staff only, marked as drafts."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from agreement import registry, selectors
from agreement.models import Agreement
from kcsp import documents
from kcsp.documents import Built
from kcsp.links import Link
from kcsp.pagecache import public_page
from kcsp.pdf import PdfError, page_count, render_pdf
from kcsp.uploads import uploaded_file_response
from kcsp.visibility import Audience, Content, audience_of


def _document_page(
    request: HttpRequest, agreement: Agreement | None, audience: Audience
) -> HttpResponse:
    reader = audience.within(agreement.partnership_id if agreement else None)
    context = {
        "agreement": agreement,
        "document": selectors.agreement_document(agreement=agreement, audience=reader)
        if agreement
        else None,
        "versions": selectors.agreement_versions(audience=audience),
        "is_staff_view": reader.sees_all(Content.AGREEMENT),
        "part_links": registry.link_templates(),
    }
    return render(request, "agreement/detail.html", context)


@public_page
def current(request: HttpRequest) -> HttpResponse:
    audience = audience_of(request.user)
    return _document_page(
        request, selectors.current_agreement(audience=audience), audience
    )


@public_page
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    audience = audience_of(request.user)
    agreement = selectors.agreement_for_page(slug=slug, audience=audience)
    return _document_page(request, agreement, audience)


@public_page
def changes(request: HttpRequest, slug: str) -> HttpResponse:
    audience = audience_of(request.user)
    agreement = selectors.agreement_for_page(slug=slug, audience=audience)
    audience = audience.within(agreement.partnership_id)
    report = selectors.agreement_changes(agreement=agreement, audience=audience)
    return render(
        request,
        "agreement/changes.html",
        {
            "agreement": agreement,
            "report": report,
            "is_staff_view": audience.sees_all(Content.AGREEMENT),
        },
    )


def pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The version as a tagged PDF, kept by the documents service.

    Two documents per version: the public one, and for those who read all of
    the agreement (clerks) the one that also shows what only they see; a
    draft exists only as the latter, watermarked as a draft.
    """
    reader = audience_of(request.user)
    agreement = selectors.agreement_for_page(slug=slug, audience=reader)
    staff = reader.within(agreement.partnership_id).sees_all(Content.AGREEMENT)
    audience = Audience.CLERK if staff else Audience.PUBLIC

    def build() -> Built:
        content = render_pdf(
            template_name="agreement/pdf/agreement.html",
            context={
                "agreement": agreement,
                "document": selectors.agreement_document(
                    agreement=agreement, audience=audience
                ),
            },
            title=str(agreement),
            header=f"{agreement.title}, {agreement.period}",
            watermark="Draft - not approved" if agreement.is_draft else "",
            author=agreement.contact_name,
        )
        return Built(content=content, page_count=page_count(content))

    kind = "agreement.staff" if staff else "agreement.public"
    subject = f"agreement:{agreement.pk}"
    try:
        response = documents.respond(
            request,
            kind=kind,
            subject=subject,
            build=build,
            filename=f"community-safety-agreement-{agreement.slug}.pdf",
            public=not (staff or agreement.is_draft),
        )
    except PdfError as error:
        page = agreement.get_absolute_url()
        return documents.unavailable(
            request,
            kind=kind,
            subject=subject,
            error=error,
            back=Link(page, str(agreement)),
            trail=[
                Link(reverse("agreement:current"), "Community Safety Agreement"),
                Link(page, agreement.period),
            ],
        )
    assert response is not None  # noqa: S101 - the build always makes one
    return response


@public_page
def assessment(request: HttpRequest, partnership: str, year: int) -> HttpResponse:
    """A district partnership's strategic assessment: its priorities in rank
    order, its summary, its document, and the agreements it informed."""
    audience = audience_of(request.user)
    found = selectors.assessment_for_page(
        partnership=partnership, year=year, audience=audience
    )
    agreements = selectors.agreements_informed_by(assessment=found, audience=audience)
    return render(
        request,
        "agreement/assessment.html",
        {"assessment": found, "agreements": agreements},
    )


def assessment_document(
    request: HttpRequest, partnership: str, year: int, filename: str
) -> HttpResponseBase:
    """The assessment's own document, to whoever may read the assessment."""
    found = selectors.assessment_for_page(
        partnership=partnership, year=year, audience=audience_of(request.user)
    )
    if not found.document:
        raise Http404("This assessment has no document.")
    if filename != found.filename:
        return HttpResponseRedirect(found.get_document_url())
    response = uploaded_file_response(
        found.document, filename=found.filename, file_kind=found.file_kind
    )
    response["Cache-Control"] = "public, max-age=300"
    return response
