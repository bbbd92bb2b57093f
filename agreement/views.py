"""Public pages of the agreement: the current version, each version, what
changed, and the PDF. Drafts are shown to staff only, marked as drafts."""

import logging

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag

from agreement import selectors
from agreement.models import Agreement
from kcsp.pagecache import public_page
from kcsp.pdf import PdfRenderError, render_pdf
from kcsp.visibility import Audience, Content, audience_of

logger = logging.getLogger(__name__)

PDF_CACHE_SECONDS = 60 * 60 * 24 * 30


def _document_page(
    request: HttpRequest, agreement: Agreement | None, audience: Audience
) -> HttpResponse:
    context = {
        "agreement": agreement,
        "document": selectors.agreement_document(agreement=agreement, audience=audience)
        if agreement
        else None,
        "versions": selectors.agreement_versions(audience=audience),
        "is_staff_view": audience.sees_all(Content.AGREEMENT),
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
    """The version as a tagged PDF, rendered once per content version.

    Drafts exist for staff only and are watermarked as drafts.
    """
    audience = audience_of(request.user)
    agreement = selectors.agreement_for_page(slug=slug, audience=audience)
    version = selectors.document_fingerprint(agreement=agreement)
    etag = quote_etag(f"{version}-{audience.key}")
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": etag})
    key = f"agreement-pdf:{agreement.pk}:{etag}"
    content = cache.get(key)
    if content is None:
        try:
            content = render_pdf(
                template_name="agreement/pdf/agreement.html",
                context={
                    "agreement": agreement,
                    "document": selectors.agreement_document(
                        agreement=agreement, audience=audience
                    ),
                },
                title=str(agreement),
                request=request,
                header=f"{agreement.title}, {agreement.period}",
                watermark="Draft - not approved" if agreement.is_draft else "",
                author=agreement.contact_name,
            )
        except PdfRenderError:
            logger.exception("The PDF of %s could not be produced.", agreement)
            return render(
                request,
                "agreement/pdf_unavailable.html",
                {"agreement": agreement},
                status=503,
            )
        cache.set(key, content, PDF_CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="community-safety-agreement-{agreement.slug}.pdf"'
    )
    response["ETag"] = etag
    if agreement.is_draft or audience != Audience.PUBLIC:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response
