"""Signing in as a person does: through the sign-in page with a password,
then a code worked out from a real authenticator key."""

from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "a-long-test-password"


def sign_in(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def authenticator(user: Any) -> TOTPDevice:
    """An authenticator app `user` set up earlier."""
    return TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )


def code(device: TOTPDevice) -> str:
    """The code the app shows now. A code is taken once, and a wrong one
    slows the next try down; a test uses several within one 30 seconds, so
    the device first forgets both (the wait a person would sit out)."""
    device.refresh_from_db()
    device.throttle_reset(commit=False)
    device.last_t = -1
    device.save()
    return f"{totp(device.bin_key):06d}"


def confirm_code(client: Client, device: TOTPDevice, next_url: str = "/") -> Any:
    """The second step of signing in, with the right code."""
    return client.post(reverse("two_factor"), {"token": code(device), "next": next_url})
