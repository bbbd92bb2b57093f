"""Two-factor sign-in for staff: set up an authenticator app, then confirm codes.

A staff account's first app is added only while an administrator's
permission is open (at the next sign-in, or through a one-time link, see
kcsp.models.enrolments); replacing an app needs a code from the app in use.
"""

import base64
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kcsp import authenticators, roles
from kcsp.models import AuthenticatorEnrolment

# The session key of the permission a one-time link opened.
LINKED_ENROLMENT = "kcsp-authenticator-enrolment"


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=8,
        help_text="The 6-digit code the app shows now.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )

    def __init__(self, *args: Any, device: TOTPDevice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or not self.device.verify_token(token):
            raise forms.ValidationError(
                "That code is not right or has expired. Enter the code the app "
                "shows now."
            )
        return token


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _staff_only(request: HttpRequest) -> None:
    if not roles.is_staff_member(request.user):
        raise Http404("No such page.")


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect(f"{reverse('two_factor_setup')}?next={_next(request)}")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if request.method == "POST" else 200,
    )


def _permission(request: HttpRequest, user: Any) -> AuthenticatorEnrolment | None:
    """The open permission `user` may add a first app under: the one their
    link opened in this session, else one for their next sign-in."""
    permissions = AuthenticatorEnrolment.objects
    linked = request.session.get(LINKED_ENROLMENT)
    if linked is not None:
        found = permissions.open().filter(pk=linked, user=user).first()
        if found is not None:
            return found
    return permissions.at_sign_in(user).first()


def _not_allowed(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/two_factor_not_allowed.html", status=403)


@login_required
def link(request: HttpRequest, token: str) -> HttpResponse:
    """A one-time link an administrator made: opens its permission for this
    session (the person signed in with their password first), then sends
    them on to the set-up page, so the token leaves the address bar."""
    _staff_only(request)
    enrolment = AuthenticatorEnrolment.objects.by_link(request.user, token).first()
    if enrolment is None:
        return render(request, "registration/two_factor_link_invalid.html", status=404)
    request.session[LINKED_ENROLMENT] = enrolment.pk
    return redirect("two_factor_setup")


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    replacing = TOTPDevice.objects.filter(user=request.user, confirmed=True).exists()
    enrolment = None
    if replacing:
        if not request.user.is_verified():  # type: ignore[union-attr]
            return redirect(f"{reverse('two_factor')}?next={request.path}")
    else:
        enrolment = _permission(request, request.user)
        if enrolment is None:
            return _not_allowed(request)
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            authenticators.authenticator_confirm(device=device, enrolment=enrolment)
        except ValidationError:
            return _not_allowed(request)
        request.session.pop(LINKED_ENROLMENT, None)
        otp_login(request, device)
        messages.success(
            request,
            "Your authenticator app is replaced: use the new one from now on."
            if replacing
            else "Two-factor sign-in is set up.",
        )
        return redirect(_next(request))
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title="QR code of your two-factor key"
    )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "replacing": replacing,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": mark_safe(qr),  # noqa: S308 - generated here from the device key
        },
        status=400 if request.method == "POST" else 200,
    )
