"""State changes of staff accounts' authenticator apps (the second factor).

A staff account with no authenticator app adds one only under an
administrator's open permission (`enrolment_allow`); an account that has one
replaces it only after a code from the app in use (checked by the view).
"""

import datetime as dt
import logging
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from kcsp import roles
from kcsp.mail import absolute
from kcsp.models import AuthenticatorEnrolment
from kcsp.models.enrolments import link_digest

log = logging.getLogger("kcsp.security")

# How long a permission stays open unless the administrator says otherwise,
# and the most they may give.
ENROLMENT_HOURS = 24
ENROLMENT_MAX_HOURS = 7 * 24


def enrolment_allow(
    *, user: Any, by: Any | None, hours: int = ENROLMENT_HOURS, link: bool = False
) -> AuthenticatorEnrolment:
    """Let staff account `user` add an authenticator app within `hours`: at
    its next sign-in or, with `link`, only through a one-time link. The
    link's token is on the returned record as `link_token` and kept nowhere
    else, so it can be shown once. `by` is the administrator (None from the
    command line)."""
    if not roles.is_staff_member(user):
        raise ValidationError(
            "Only staff accounts (clerks, DHR coordinators and administrators) "
            "use an authenticator app."
        )
    if not user.is_active:
        raise ValidationError("This account is disabled.")
    if not 1 <= hours <= ENROLMENT_MAX_HOURS:
        raise ValidationError(
            f"A permission lasts from 1 to {ENROLMENT_MAX_HOURS} hours."
        )
    token = secrets.token_urlsafe(32) if link else ""
    now = timezone.now()
    enrolment = AuthenticatorEnrolment(
        user=user,
        allowed_by=by,
        allowed_at=now,
        expires_at=now + dt.timedelta(hours=hours),
        link_digest=link_digest(token) if link else "",
    )
    enrolment.full_clean()
    with transaction.atomic():
        enrolment.save()
    enrolment.link_token = token
    log.info(
        "authenticator set-up allowed user=%s how=%s until=%s by=%s",
        user.get_username(),
        "link" if link else "sign-in",
        enrolment.expires_at.isoformat(),
        by.get_username() if by is not None else "command line",
    )
    return enrolment


def enrolment_link_url(token: str) -> str:
    """The address of a one-time link, to pass on to its account's owner."""
    return absolute(reverse("two_factor_link", args=[token]))


def authenticator_confirm(
    *, device: TOTPDevice, enrolment: AuthenticatorEnrolment | None
) -> TOTPDevice:
    """Make `device`, whose code the person has just entered, their
    authenticator app: confirmed, with any other app of theirs removed. A
    first app is added under `enrolment`, which is closed; a replacement
    needs none (the person has just used the app it replaces)."""
    with transaction.atomic():
        if enrolment is not None:
            current = (
                AuthenticatorEnrolment.objects.select_for_update()
                .open()
                .filter(pk=enrolment.pk, user=device.user)
                .first()
            )
            if current is None:
                raise ValidationError(
                    "The permission to set up an authenticator app has been used "
                    "or has expired."
                )
            current.used_at = timezone.now()
            current.save(update_fields=["used_at"])
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    log.info(
        "authenticator %s user=%s",
        "added" if enrolment is not None else "replaced",
        device.user.get_username(),
    )
    return device
