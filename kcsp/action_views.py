"""Pages for tracked actions: "My actions", one action, and the clerks' overview."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from kcsp import roles, selectors, services
from kcsp.filters import ActionFilter
from kcsp.forms import ActionUpdateForm, CancelForm, SignOffForm
from kcsp.models import Action, ActionUpdate
from kcsp.paging import CountedPaginator, filtered_page
from kcsp.uploads import uploaded_file_response
from kcsp.views import form_applied

PER_PAGE = 30


@login_required
def action_list(request: HttpRequest) -> HttpResponse:
    actions = selectors.actions_for_list(user=request.user)
    filterset = ActionFilter(request.GET, queryset=actions, request=request)
    pages = CountedPaginator(filterset.qs, PER_PAGE)
    return render(
        request,
        "kcsp/actions/list.html",
        {
            **filtered_page(request, filterset, pages),
            "organisation": roles.organisation_of(request.user),
            "oversees": selectors.oversees_actions(request.user),
        },
    )


def _action_or_404(request: HttpRequest, pk: int) -> Action:
    action = selectors.action_for_page(user=request.user, pk=pk)
    if action is None:
        raise Http404("No such action.")
    return action


# The two ways an action is closed by those who sign actions off: the
# service, given the posted form's data, and what is said once it is done.
CLOSINGS: dict[str, tuple[Callable[..., Action], str]] = {
    "cancel": (services.action_cancel, "Action cancelled."),
    "sign-off": (services.action_sign_off, "Action signed off and closed."),
}


def _close(
    request: HttpRequest, action: Action, form: Form, how: str
) -> HttpResponse | None:
    """Close the action `how` (a key of CLOSINGS) with the form's data: the
    action's page again once done; None while the form or the service objects
    (the objection shown as a message). Someone the service does not let
    close it is told there is no such action."""
    if not form.is_valid():
        return None
    close, done = CLOSINGS[how]
    try:
        close(action=action, by=request.user, **form.cleaned_data)
    except PermissionDenied:
        raise Http404("No such action.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return None
    messages.success(request, done)
    return redirect(action)


def _post_update(
    request: HttpRequest, action: Action, data: dict[str, Any]
) -> tuple[str, str]:
    evidence = data.get("evidence")
    services.action_post_update(
        action=action,
        by=request.user,
        text=data["text"],
        rag=data["rag"],
        status=data["status"],
        evidence=evidence,
        evidence_name=evidence.name if evidence else "",
    )
    return "Update posted.", action.get_absolute_url()


@login_required
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_or_404(request, pk)
    may_update = services.may_update_action(request.user, action)
    may_sign_off = services.may_sign_off_action(request.user, action)
    form = ActionUpdateForm()
    sign_off = SignOffForm()
    cancel = CancelForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("form") == "cancel":
            if not may_sign_off:
                raise Http404("No such action.")
            cancel = CancelForm(request.POST)
            done = _close(request, action, cancel, "cancel")
            if done is not None:
                return done
        elif request.POST.get("form") == "sign-off":
            sign_off = SignOffForm(request.POST)
            done = _close(request, action, sign_off, "sign-off")
            if done is not None:
                return done
        else:
            if not may_update:
                raise Http404("No such action.")
            form = ActionUpdateForm(request.POST, request.FILES)
            done = form_applied(
                request, form, lambda data: _post_update(request, action, data)
            )
            if done is not None:
                return done
        status = 400
    return render(
        request,
        "kcsp/actions/detail.html",
        {
            "action": action,
            "updates": selectors.updates_for(action),
            "form": form,
            "sign_off_form": sign_off,
            "cancel_form": cancel,
            "may_update": may_update and action.status not in {"closed", "cancelled"},
            "may_sign_off": may_sign_off
            and action.status not in {"closed", "cancelled"},
            "sign_off_elsewhere": services.sign_off_elsewhere(action)
            if may_sign_off
            else None,
        },
        status=status,
    )


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    update = get_object_or_404(
        ActionUpdate.objects.filter(action__in=Action.objects.worked_by(request.user))
        .exclude(evidence="")
        .select_related("action"),
        pk=pk,
    )
    response = uploaded_file_response(
        update.evidence,
        filename=update.evidence_name,
        mime_type=update.evidence_mime,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def action_overview(request: HttpRequest) -> HttpResponse:
    if not selectors.oversees_actions(request.user):
        raise Http404("No such page.")
    return render(
        request,
        "kcsp/actions/overview.html",
        {"overview": selectors.action_overview(user=request.user)},
    )
