from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps import views as sitemap_views
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from kcsp import health, registry, selectors
from kcsp.models import Partnership
from kcsp.pagecache import public_page
from kcsp.sitemaps import portal_sitemaps
from kcsp.uploads import uploaded_file_response
from kcsp.visibility import audience_of


def render_form(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    forms: Iterable[BaseForm] | None = None,
) -> HttpResponse:
    """A page with forms (unless named, the context's `form`), answered 400
    Bad Request when any of them was refused, so that a refused post is never
    taken for a success."""
    shown = [context["form"]] if forms is None else forms
    refused = any(form.errors for form in shown)
    return render(request, template, context, status=400 if refused else 200)


def form_errors_add(form: BaseForm, error: ValidationError) -> None:
    """Attach a service's refusal to the form's fields it names, or above
    the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_applied(
    request: HttpRequest,
    form: BaseForm,
    apply: Callable[[dict[str, Any]], tuple[str, str]],
) -> HttpResponse | None:
    """After a valid POST of `form`, the redirect that follows it: `apply`
    does the form's work with its cleaned data and gives the message to show
    and where to go next. None when the form was not posted, is not valid,
    or `apply` refused it (the ValidationError it raised is then on the
    form), so that the caller shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message, next_url = apply(form.cleaned_data)
    except ValidationError as error:
        form_errors_add(form, error)
        return None
    messages.success(request, message)
    return redirect(next_url)


@public_page
def home(request: HttpRequest) -> HttpResponse:
    sections = [
        {"template": s.template, "data": s.context(request)}
        for s in registry.home_sections()
    ]
    return render(request, "kcsp/home.html", {"sections": sections})


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Where someone lands after signing in: the workspace of the content
    they look after (a clerk's, the DHR coordinator's), a partner officer's
    actions, or else the home page."""
    audience = audience_of(request.user)
    for page in registry.start_pages():
        if audience.manages(page.content):
            return redirect(page.url_name)
    if audience.organisation_id is not None:
        return redirect("kcsp:actions")
    return redirect("kcsp:home")


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "kcsp/accessibility.html")


@public_page
def partnership_list(request: HttpRequest) -> HttpResponse:
    groups = selectors.partnerships_by_kind()
    return render(request, "kcsp/partnerships.html", {"groups": groups})


@public_page
def partnership(request: HttpRequest, slug: str) -> HttpResponse:
    """A partnership's own space: its name and logo, then what each app
    shows of it (bodies and meetings, its agreement, its actions)."""
    found = get_object_or_404(Partnership, slug=slug)
    sections = [
        {"template": s.template, "data": data}
        for s in registry.partnership_sections()
        if (data := s.context(request, found)) is not None
    ]
    return render(
        request,
        "kcsp/partnership.html",
        {"partnership": found, "sections": sections},
    )


def partnership_logo(request: HttpRequest, slug: str) -> FileResponse:
    found = get_object_or_404(Partnership, slug=slug)
    if not found.logo:
        raise Http404("This partnership has no logo.")
    response = uploaded_file_response(found.logo, mime_type=found.logo_mime)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_page
def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kcsp/privacy.html",
        {
            "alerts_confirm_hours": settings.ALERTS_CONFIRM_HOURS,
            "petition_confirm_hours": settings.PETITION_CONFIRM_HOURS,
            "petition_data_days": settings.PETITION_DATA_RETENTION_DAYS,
            "question_email_days": settings.QUESTION_EMAIL_RETENTION_DAYS,
        },
    )


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the cache and the file storage all answer, 503
    with the ones that do not (the load balancer's check)."""
    found = health.check()
    ok = all(state == "ok" for state in found.values())
    return JsonResponse(
        {"status": "ok" if ok else "error", **found}, status=200 if ok else 503
    )


def sitemap(request: HttpRequest) -> HttpResponse:
    """sitemap.xml of the public pages every app registers."""
    return sitemap_views.sitemap(request, sitemaps=portal_sitemaps())


def partnership_sitemap(request: HttpRequest, slug: str) -> HttpResponse:
    """One partnership's own public pages: its page, bodies, meetings,
    agreement and the lists narrowed to it."""
    found = get_object_or_404(Partnership, slug=slug)
    return sitemap_views.sitemap(request, sitemaps=portal_sitemaps(found))


# Pages for people, not crawlers: search results, sign-in, staff and partner
# work, and the back office.
ROBOTS_DISALLOW = ["/search/", "/accounts/", "/actions/", "/dhr/cases/", "/admin/"]


def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Disallow: {path}" for path in ROBOTS_DISALLOW]
    lines.append(f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}")
    lines += [
        "Sitemap: "
        + request.build_absolute_uri(reverse("kcsp:partnership_sitemap", args=[slug]))
        for slug in Partnership.objects.values_list("slug", flat=True)
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
