"""Two-factor sign-in for staff: set up an authenticator app, then confirm codes."""

import base64
from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kcsp import roles


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


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("two_factor")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, "Two-factor sign-in is set up.")
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
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "qr": mark_safe(qr),  # noqa: S308 - generated here from the device key
        },
        status=400 if request.method == "POST" else 200,
    )
