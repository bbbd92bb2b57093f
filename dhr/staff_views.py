"""The DHR coordinator's pages: dashboard, case, forms, learning, funding.

Only the DHR coordinator role and administrators may open them: anyone
signed out is asked to sign in, anyone else gets 404, whether or not the
case exists. Every request that shows restricted review data writes one
access-log row.
"""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render

from dhr import forms, selectors, services
from dhr.models import AccessLog, Case
from dhr.views import action_plan_response, document_file_response
from kcsp.models import Action
from kcsp.permissions import reads_all
from kcsp.views import form_applied, render_form
from kcsp.visibility import Content

View = Callable[..., HttpResponseBase]
What = AccessLog.What


def coordinator_only(view: View) -> View:
    """For the DHR coordinator and administrators; nothing they see is kept
    by a browser or a proxy."""

    @reads_all(Content.DHR)
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper


def _log(request: HttpRequest, what: str, case: Case | None = None) -> None:
    services.access_log_record(
        user=request.user, what=what, path=request.get_full_path(), case=case
    )


def _case(request: HttpRequest, pk: int, what: str) -> Case:
    case = selectors.case_for_staff(pk=pk)
    _log(request, what, case)
    return case


def _overview(
    request: HttpRequest, what: str, name: str, read: Callable[[], Any]
) -> HttpResponse:
    """A page across all cases (dashboard, learning, funding): the visit is
    logged, then what `read` returns is shown as `name` by its template."""
    _log(request, what)
    return render(request, f"dhr/staff/{name}.html", {name: read()})


def _bound(request: HttpRequest, *, files: bool = False) -> tuple[Any, ...]:
    """Form data for a POST (bound, even if empty), nothing for a GET."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _form_page(
    request: HttpRequest, case: Case, form: Form | None, **extra: Any
) -> HttpResponse:
    return render_form(
        request,
        "dhr/staff/form.html",
        {"case": case, "form": form, **extra},
        forms=[form] if form is not None else [],
    )


def _submitted(
    request: HttpRequest,
    case: Case,
    form: Form,
    save: Callable[[dict[str, Any]], tuple[str, str]],
    **page: Any,
) -> HttpResponse:
    """The form's page, or after a valid POST the redirect that follows it.

    ``save`` does the form's work with its cleaned data and returns the message
    to show and where to go next; a ValidationError it raises is shown on the
    form, which is then answered with status 400.
    """
    return form_applied(request, form, save) or _form_page(request, case, form, **page)


@coordinator_only
def dashboard(request: HttpRequest) -> HttpResponse:
    return _overview(request, What.DASHBOARD, "dashboard", selectors.dashboard)


@coordinator_only
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_PAGE)
    return render(
        request,
        "dhr/staff/case_detail.html",
        {"case": case, "page": selectors.case_page(case=case)},
    )


@coordinator_only
def case_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_PDF)
    return action_plan_response(request, case=case, public=False)


@coordinator_only
def case_document(
    request: HttpRequest, pk: int, document: int, filename: str
) -> HttpResponseBase:
    case = _case(request, pk, What.DOCUMENT)
    found = selectors.document_for_staff(case=case, pk=document)
    return document_file_response(found)


@coordinator_only
def recommendation_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_FORM)
    form = forms.RecommendationForm(*_bound(request))

    def save(data: dict[str, Any]) -> tuple[str, str]:
        recommendation = services.recommendation_add(case=case, **data)
        return (
            f"Recommendation {recommendation.number} added.",
            f"{case.get_staff_url()}#recommendation-{recommendation.number}",
        )

    return _submitted(
        request,
        case,
        form,
        save,
        title="Add a recommendation",
        submit="Add recommendation",
    )


@coordinator_only
def action_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_FORM)
    recommendation = selectors.recommendation_for_staff(case=case, number=number)
    initial = (
        {"owner_organisation": recommendation.addressed_to}
        if recommendation.addressed_to_id
        else {}
    )
    form = forms.AgencyActionForm(*_bound(request), initial=initial)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        services.agency_action_create(recommendation=recommendation, **data)
        return (
            "Action added to the agency's actions.",
            f"{case.get_staff_url()}#recommendation-{number}",
        )

    return _submitted(
        request,
        case,
        form,
        save,
        title=f"Add an action to recommendation {number}",
        submit="Add action",
        details=[("Recommendation", recommendation.text)],
    )


@coordinator_only
def sign_off(request: HttpRequest, pk: int, action: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_FORM)
    link = selectors.agency_action_for_staff(case=case, action_pk=action)
    tracked = link.action
    details = [
        ("Action", tracked.title),
        ("Agency", tracked.owner_organisation.name),
        ("Status", tracked.get_status_display()),
    ]
    title = "Record the board's sign-off"
    if tracked.status != Action.Status.COMPLETE:
        return _form_page(
            request,
            case,
            None,
            title=title,
            details=details,
            closed_reason=(
                "This action is already signed off."
                if tracked.status == Action.Status.CLOSED
                else "The agency has not marked this action complete. The board "
                "signs off completed actions only."
            ),
        )
    form = forms.SignOffForm(*_bound(request), minutes=selectors.board_minutes())

    def save(data: dict[str, Any]) -> tuple[str, str]:
        try:
            services.agency_action_sign_off(link=link, by=request.user, **data)
        except PermissionDenied:
            raise Http404("No such action.") from None
        return (
            "Sign-off recorded; the action is closed.",
            f"{case.get_staff_url()}#action-{tracked.pk}",
        )

    return _submitted(
        request,
        case,
        form,
        save,
        title=title,
        submit="Record sign-off and close",
        details=details,
    )


@coordinator_only
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_FORM)
    title = "Publish this review"
    if case.published_on is not None:
        messages.info(request, "This review is already published.")
        return redirect(case.get_staff_url())
    if not case.is_approved:
        return _form_page(
            request,
            case,
            None,
            title=title,
            closed_reason="A review is published only once the Home Office Quality "
            "Assurance Panel has approved it. Record its outcome in the back office.",
        )
    initial = {"pseudonym": case.pseudonym, "year": case.year}
    form = forms.PublishForm(*_bound(request), initial=initial)

    def save(data: dict[str, Any]) -> tuple[str, str]:
        published = services.case_publish(case=case, by=request.user, **data)
        return f"{published.public_name} is published.", published.get_staff_url()

    return _submitted(
        request,
        case,
        form,
        save,
        title=title,
        submit="Publish",
        intro="The public will see the pseudonym and year, the area, the "
        "publication date and the documents uploaded for publication, until "
        "they are taken down.",
    )


@coordinator_only
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, What.CASE_FORM)
    form = forms.DocumentForm(*_bound(request, files=True))

    def save(data: dict[str, Any]) -> tuple[str, str]:
        upload = data["file"]
        document = services.document_upload(
            case=case,
            by=request.user,
            kind=data["kind"],
            upload=upload,
            name=upload.name,
        )
        return (
            f"{document.get_kind_display()} uploaded.",
            f"{case.get_staff_url()}#documents",
        )

    return _submitted(
        request,
        case,
        form,
        save,
        title="Upload a document for publication",
        submit="Upload",
        multipart=True,
        intro="Documents are public once the review is published, until they "
        "are taken down.",
    )


@coordinator_only
def learning(request: HttpRequest) -> HttpResponse:
    return _overview(request, What.LEARNING, "learning", selectors.learning)


@coordinator_only
def funding(request: HttpRequest) -> HttpResponse:
    return _overview(request, What.FUNDING, "funding", selectors.funding)
