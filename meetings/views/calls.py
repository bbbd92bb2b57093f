"""Councillor Calls for Action: the public list and page of each call the
committee has considered, and the clerk's screens under /manage/ to record a
call and move it through its stages.
"""

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from kcsp.pagecache import public_page
from kcsp.views import form_applied, render_form
from meetings import selectors, services
from meetings.filters import CallFilter
from meetings.forms import (
    CallCloseForm,
    CallConsiderForm,
    CallForm,
    CallOutcomeForm,
)
from meetings.models import Body, CallForAction
from meetings.views.manage import chosen_form_applied, clerks


@public_page
def call_list(request: HttpRequest) -> HttpResponse:
    filterset = CallFilter(
        request.GET,
        queryset=selectors.calls_for_list(user=request.user),
        request=request,
    )
    return render(
        request,
        "meetings/calls/list.html",
        {"calls": list(filterset.qs), "filter": filterset},
    )


@public_page
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "meetings/calls/detail.html",
        {"call": selectors.call_for_page(pk=pk, user=request.user)},
    )


# The clerk's screens ----------------------------------------------------------


@clerks
def manage_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/manage/calls.html",
        {"calls": selectors.calls_to_manage(user=request.user)},
    )


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def manage_new(request: HttpRequest) -> HttpResponse:
    bodies = Body.objects.in_back_office(request.user).order_by("order", "name")
    form = CallForm(request.POST or None, bodies=bodies)

    def record(data: dict[str, Any]) -> tuple[str, str]:
        call = services.call_record(**data)
        return "Call for action recorded as received.", _call_url(call)

    return form_applied(request, form, record) or render_form(
        request, "meetings/manage/call_new.html", {"form": form}
    )


def _call_url(call: CallForAction) -> str:
    return reverse("manage:call", args=[call.pk])


def _stage_forms(call: CallForAction) -> dict[str, Callable[[Any], BaseForm]]:
    """How the call page's forms are made, by the stage each records."""
    items, meetings = selectors.call_agenda_choices(call=call)
    return {
        "consider": lambda data: CallConsiderForm(data, items=items, meetings=meetings),
        "outcome": CallOutcomeForm,
        "close": CallCloseForm,
    }


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def manage_call(request: HttpRequest, pk: int) -> HttpResponse:
    """One call and its next stage: put before the committee, its outcome,
    or withdrawn or refused."""
    call = selectors.call_to_manage(pk=pk, user=request.user)
    forms, done = chosen_form_applied(
        request,
        button="stage",
        forms=_stage_forms(call),
        apply=lambda stage, form, data: _apply(call, form, data),
        unknown="Choose what happened to the call.",
    )
    return done or _call_page(request, call, forms, refused=request.method == "POST")


def _apply(
    call: CallForAction, form: BaseForm, data: dict[str, Any]
) -> tuple[str, str]:
    if isinstance(form, CallConsiderForm):
        services.call_consider(call=call, **form.chosen())
    elif isinstance(form, CallOutcomeForm):
        services.call_decide(
            call=call,
            outcome=data["outcome"],
            text=data["outcome_text"],
            on=data["outcome_on"],
        )
    else:
        services.call_close(
            call=call,
            status=data["status"],
            reason=data["closed_reason"],
            on=data["closed_on"],
        )
    return "Call for action updated.", _call_url(call)


def _call_page(
    request: HttpRequest,
    call: CallForAction,
    forms: dict[str, BaseForm],
    refused: bool = False,
) -> HttpResponse:
    if refused:
        call.refresh_from_db()
    return render(
        request,
        "meetings/manage/call.html",
        {"call": call, "forms": forms},
        status=400 if refused else 200,
    )
