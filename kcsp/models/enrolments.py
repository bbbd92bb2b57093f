"""An administrator's permission for a staff account to add its first
authenticator app.

Staff accounts see what the public may not, so a password alone must never be
enough to attach a new second factor: whoever guessed or stole the password
would add their own phone and keep it. An account with no authenticator app
may set one up only while an administrator's permission for it is open:
either at its next sign-in, or only through a one-time link the
administrator passes on (the link's token is kept as a digest, never as
itself). A permission closes when it is used or when it expires.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from kcsp.models.base import acting_user


def link_digest(token: str) -> str:
    """What is kept of a one-time link's token."""
    return hashlib.sha256(token.encode()).hexdigest()


class AuthenticatorEnrolmentQuerySet(models.QuerySet["AuthenticatorEnrolment"]):
    def open(self) -> "AuthenticatorEnrolmentQuerySet":
        """Permissions neither used nor expired."""
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())

    def at_sign_in(self, user: Any) -> "AuthenticatorEnrolmentQuerySet":
        """Open permissions for `user` to set up an app once signed in."""
        return self.open().filter(user=user, link_digest="")

    def by_link(self, user: Any, token: str) -> "AuthenticatorEnrolmentQuerySet":
        """The open permission `user` was sent `token` for, if any."""
        return self.open().filter(user=user, link_digest=link_digest(token))


class AuthenticatorEnrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="authenticator_enrolments",
        verbose_name="account",
    )
    allowed_by = acting_user(help_text="Empty when allowed from the command line.")
    allowed_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    # Empty: at the next sign-in. Otherwise only through the one-time link.
    link_digest = models.CharField(max_length=64, blank=True, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    # The token of a link just made; kept nowhere, so it can be shown once.
    link_token = ""

    objects = AuthenticatorEnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["-allowed_at"]
        verbose_name = "permission to set up an authenticator app"
        verbose_name_plural = "permissions to set up an authenticator app"
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("allowed_at")),
                name="kcsp_enrolment_expires_after_allowed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} may set up an authenticator app ({self.how})"

    @property
    def how(self) -> str:
        return "one-time link" if self.link_digest else "at next sign-in"

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return "Used"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Open"
