"""Petitions: the public list, one petition, starting one and signing one
(each confirmed by a signed link e-mailed to the sender), and the clerk's
queue under /manage/ where a petition is checked, put on an agenda and
answered.

No account is needed. Nothing unconfirmed is counted or shown, and signers'
names, postcodes and addresses are on no public page; a hidden field and a
limit per connection and per address keep robots out without a
third-party captcha.
"""

from collections.abc import Callable
from typing import Any

from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from kcsp.alerts.subscribing import SendingLimit
from kcsp.confirming import (
    SentPage,
    confirmation_form_page,
    confirmation_page,
)
from kcsp.links import Link
from kcsp.pagecache import public_page
from kcsp.views import render_form
from meetings import selectors, services
from meetings.filters import PetitionFilter
from meetings.forms import (
    PetitionAgendaForm,
    PetitionForm,
    PetitionPublishForm,
    PetitionRejectForm,
    PetitionResponseForm,
    SignatureForm,
)
from meetings.models import Petition
from meetings.views.manage import chosen_form_applied, clerks
from meetings.views.public import filtered_list

PETITIONS_PER_PAGE = 20


LIMIT = SendingLimit(
    scope="petitions",
    per_hour="PETITIONS_PER_HOUR",
    per_day="PETITIONS_PER_HOUR",
    busy="Too many petitions or signatures were sent from your connection. "
    "Try again in an hour.",
)


@public_page
def petition_list(request: HttpRequest) -> HttpResponse:
    petitions = selectors.petitions_for_list(user=request.user)
    return render(
        request,
        "meetings/petitions/list.html",
        {
            **filtered_list(
                request, PetitionFilter, petitions, per_page=PETITIONS_PER_PAGE
            ),
            "starts": bool(selectors.petition_bodies(user=request.user)),
        },
    )


@public_page
def petition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_for_page(pk=pk, user=request.user)
    return render(
        request,
        "meetings/petitions/detail.html",
        {"petition": petition, **_progress(petition)},
    )


def _progress(petition: Any) -> dict[str, Any]:
    threshold = petition.body.petition_threshold
    return {
        "threshold": threshold,
        "reached": petition.signed >= threshold,
        "percent": min(100, round(100 * petition.signed / threshold))
        if threshold
        else 100,
        "signing": petition.takes_signatures(),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def petition_new(request: HttpRequest) -> HttpResponse:
    bodies = selectors.petition_bodies(user=request.user)
    form = PetitionForm(
        request.POST if request.method == "POST" else None, bodies=bodies
    )
    if request.method == "POST" and not bodies:
        raise Http404("No committee or board takes petitions.")
    return confirmation_form_page(
        request,
        form,
        limit=LIMIT,
        send=lambda email: services.petition_start(
            body=form.bodies[form.cleaned_data["body"]],
            title=form.cleaned_data["title"],
            request=form.cleaned_data["request"],
            reasons=form.cleaned_data["reasons"],
            name=form.cleaned_data["name"],
            email=email,
        ),
        page=("meetings/petitions/new.html", {"form": form, "bodies": bodies}),
        sent=SentPage(
            hours=services.PETITION_LINK.hours,
            purpose="send your petition to the clerk",
            onward=_onward(None),
        ),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def petition_sign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.petition_for_page(pk=pk, user=request.user)
    signing = petition.takes_signatures()
    form = SignatureForm(request.POST if request.method == "POST" else None)
    context = {"petition": petition, "form": form, **_progress(petition)}
    if request.method == "POST" and not signing:
        return render(request, "meetings/petitions/sign.html", context, status=400)
    return confirmation_form_page(
        request,
        form,
        limit=LIMIT,
        send=lambda email: services.signature_add(
            petition=petition,
            name=form.cleaned_data["name"],
            postcode=form.cleaned_data["postcode"],
            email=email,
        ),
        page=("meetings/petitions/sign.html", context),
        sent=SentPage(
            hours=services.SIGNATURE_LINK.hours,
            purpose="add your signature to the petition",
            onward=_onward(petition),
        ),
    )


def _onward(petition: Petition | None) -> Link:
    """Where a petitioner or signer starts again: the petition they signed,
    or the list of petitions."""
    if petition is None:
        return Link(reverse("meetings:petitions"), "Back to petitions")
    return Link(petition.get_absolute_url(), "Back to the petition")


# What each confirmation link confirms: its link, how it confirms the
# record, the record's name in the templates, the two pages, and where its
# reader starts again.
CONFIRMING: dict[str, tuple[Any, Any, str, tuple[str, str], Callable[[Any], Link]]] = {
    "petition": (
        services.PETITION_LINK,
        services.petition_confirm,
        "petition",
        ("meetings/petitions/confirm.html", "meetings/petitions/confirmed.html"),
        lambda _: _onward(None),
    ),
    "signature": (
        services.SIGNATURE_LINK,
        services.signature_confirm,
        "signature",
        ("meetings/petitions/sign_confirm.html", "meetings/petitions/signed.html"),
        lambda signature: _onward(signature.petition if signature else None),
    ),
}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    """The link e-mailed to a petitioner or a signer; only pressing its
    button confirms."""
    link, confirmed, name, templates, onward = CONFIRMING[kind]
    return confirmation_page(
        request,
        token,
        link=link,
        confirm=confirmed,
        name=name,
        templates=templates,
        onward=onward,
    )


# The clerk's queue ------------------------------------------------------------


@clerks
def queue(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "meetings/manage/petitions.html",
        {"petitions": selectors.petition_queue(user=request.user)},
    )


def _manage_forms(petition: Petition) -> dict[str, Callable[[Any], BaseForm]]:
    """How the petition page's forms are made, by the action each posts."""
    meetings = selectors.petition_meetings(
        petition=petition, today=timezone.localdate()
    )
    return {
        "publish": PetitionPublishForm,
        "reject": PetitionRejectForm,
        "agenda": lambda data: PetitionAgendaForm(data, meetings=meetings),
        "respond": lambda data: PetitionResponseForm(
            data, initial={"response": petition.response}
        ),
    }


DONE = {
    "publish": "The petition is published and open for signatures.",
    "reject": "The petition is rejected; the petitioner has been told.",
    "agenda": "The petition is on the meeting's agenda.",
    "respond": "The response is published with the petition.",
}


@clerks
@require_http_methods(["GET", "HEAD", "POST"])
def petition_manage(request: HttpRequest, pk: int) -> HttpResponse:
    """One petition: check it (publish or reject with a reason), its
    signatures, put it on an agenda, publish the response."""
    petition = selectors.petition_to_manage(pk=pk, user=request.user)
    forms, done = chosen_form_applied(
        request,
        button="action",
        forms=_manage_forms(petition),
        apply=lambda action, form, data: _act(petition, action, form, data),
        unknown="Choose what to do with the petition.",
    )
    if done is not None:
        return done
    context = {
        "petition": petition,
        "signatures": selectors.petition_signatures(petition=petition),
        "forms": forms,
        **_progress(petition),
    }
    return render_form(
        request, "meetings/manage/petition.html", context, forms=forms.values()
    )


def _act(
    petition: Petition, action: str, form: Any, data: dict[str, Any]
) -> tuple[str, str]:
    if action == "publish":
        services.petition_publish(petition=petition, closes_on=data["closes_on"])
    elif action == "reject":
        services.petition_reject(petition=petition, reason=data["reason"])
    elif action == "agenda":
        services.petition_to_agenda(
            petition=petition,
            meeting=form.meetings[data["meeting"]],
            urgency_reason=data["urgency_reason"],
        )
    else:
        services.petition_respond(petition=petition, response=data["response"])
    return DONE[action], reverse("manage:petition", args=[petition.pk])
