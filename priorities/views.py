"""Public priority pages, and the staff exception report."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kcsp.models import Partnership
from kcsp.pagecache import public_page
from kcsp.visibility import Content, audience_of
from priorities import selectors


@public_page
def priority_list(request: HttpRequest) -> HttpResponse:
    """The priorities of one partnership's agreement in force: the host (county)
    partnership's unless `?partnership=<slug>` names another (a page saying
    so for a slug none has)."""
    audience = audience_of(request.user)
    slug = request.GET.get("partnership")
    choices = Partnership.objects.all()
    partnership: Partnership | None
    if not slug:
        partnership = Partnership.objects.host()
    else:
        partnership = Partnership.objects.named(slug)
    if partnership is None:
        return render(
            request,
            "priorities/list.html",
            {"unknown_partnership": True, "choices": choices},
            status=404,
        )
    part = selectors.current_priorities(audience=audience, partnership=partnership)
    return render(
        request,
        "priorities/list.html",
        {
            "part": part,
            "partnership": partnership,
            "by_default": not slug,
            "choices": choices,
        },
    )


@public_page
def priority_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.priority_page(
        slug=slug, user=request.user, version=request.GET.get("version") or None
    )
    return render(request, "priorities/detail.html", {"page": page})


@login_required
def exception_report(request: HttpRequest) -> HttpResponse:
    """Measures off target or worsening and actions red or overdue, for the
    partnership meeting, private measures and actions included: for those
    who read all of the agreement. Anyone else is told there is no page."""
    audience = audience_of(request.user)
    if not audience.manages(Content.AGREEMENT):
        raise Http404("No such page.")
    versions = selectors.report_versions(audience=audience)
    wanted = request.GET.get("version")
    agreement = next((a for a in versions if a.slug == wanted), None) or next(
        (a for a in versions if a.is_current), None
    )
    if wanted and agreement is not None and agreement.slug != wanted:
        raise Http404("No such version of the agreement.")
    report = selectors.exception_report(agreement=agreement) if agreement else None
    return render(
        request,
        "priorities/exception_report.html",
        {
            "report": report,
            "agreement": agreement,
            "versions": versions,
        },
    )
