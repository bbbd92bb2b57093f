"""Sign-in hardening: session limits, two-factor for staff, and a sign-in log.

- Sessions end after SESSION_IDLE_SECONDS without a request and, whatever the
  activity, SESSION_ABSOLUTE_SECONDS after signing in.
- Staff roles (clerk, DHR coordinator, administrator) must confirm a one-time
  code from an authenticator app before anything else when
  STAFF_TWO_FACTOR is on (the default whenever DEBUG is off).
- Changing a password, or the authenticator app, needs that code too; a
  staff account's first authenticator app is added only with an
  administrator's permission (kcsp.two_factor).
- Every sign-in, sign-out and failed attempt is logged on "kcsp.security"
  (never the password), with the client's address as the reverse proxy saw
  it (kcsp.proxy). Repeated failures lock the account for that address
  (django-axes) until the lock runs out or an administrator lifts it.
- Nothing shown to a signed-in user is kept by a browser or a shared cache.
"""

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kcsp import roles
from kcsp.proxy import client_address

log = logging.getLogger("kcsp.security")

SIGNED_IN_AT = "kcsp-signed-in-at"
LAST_SEEN = "kcsp-last-seen"
# Writing the session on every request would cost a write per page; a
# minute's precision is plenty for an idle limit measured in tens of minutes.
LAST_SEEN_RESOLUTION = 60


def _client(request: HttpRequest | None) -> str:
    address = client_address(request) if request is not None else None
    return address or "unknown"


@receiver(user_logged_in, dispatch_uid="kcsp.security.logged_in")
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    now = int(time.time())
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_SEEN] = now
    log.info("sign-in user=%s from=%s", user.get_username(), _client(request))


@receiver(user_logged_out, dispatch_uid="kcsp.security.logged_out")
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    name = user.get_username() if user is not None else "anonymous"
    log.info("sign-out user=%s from=%s", name, _client(request))


@receiver(user_login_failed, dispatch_uid="kcsp.security.login_failed")
def _login_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    **kwargs: Any,
) -> None:
    log.warning(
        "sign-in failed user=%s from=%s",
        credentials.get("username", "?"),
        _client(request),
    )


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page a locked-out person sees (django-axes' AXES_LOCKOUT_CALLABLE):
    for how long, and who can unlock it sooner."""
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(cool_off.total_seconds() // 60),
        },
        status=429,
    )


@dataclass(frozen=True)
class LockedSignIn:
    """An account locked for one client address."""

    username: str
    address: str | None
    failures: int
    until: dt.datetime


def locked_sign_ins() -> list[LockedSignIn]:
    """Accounts locked now, the latest first, counted as django-axes counts
    them: wrong passwords for the account from one address (whatever the
    browser) within the lockout time, up to the limit. Each failure while
    locked starts the lockout time again."""
    cool_off: dt.timedelta = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last", "username")
    )
    return [
        LockedSignIn(
            username=row["username"] or "",
            address=row["ip_address"],
            failures=row["failures"],
            until=row["last"] + cool_off,
        )
        for row in rows
    ]


def sign_in_unlock(*, username: str, address: str | None, by: Any) -> int:
    """Lift the lock on `username` from `address` (every address when None);
    returns how many records of failures were removed."""
    removed = axes_reset(ip=address or None, username=username)
    log.info(
        "sign-in unlocked user=%s from=%s by=%s",
        username,
        address or "any address",
        by.get_username(),
    )
    return removed


def two_factor_required(user: Any) -> bool:
    return bool(settings.STAFF_TWO_FACTOR) and roles.is_staff_member(user)


class SessionLimitsMiddleware:
    """End sessions that were idle too long or have lasted too long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.get(SIGNED_IN_AT, now)
            seen = session.get(LAST_SEEN, now)
            idle = now - seen > settings.SESSION_IDLE_SECONDS
            too_long = now - started > settings.SESSION_ABSOLUTE_SECONDS
            if idle or too_long:
                log.info(
                    "session ended user=%s reason=%s",
                    user.get_username(),
                    "idle" if idle else "lifetime",
                )
                # The session's other data (such as text kept from a form
                # posted after it expired) survives the sign-out.
                logout(request)
                messages.info(
                    request,
                    "You were signed out after a period without activity. Sign in "
                    "to carry on."
                    if idle
                    else "For security you are asked to sign in again each day.",
                )
            else:
                if SIGNED_IN_AT not in session:
                    session[SIGNED_IN_AT] = now
                if now - seen >= LAST_SEEN_RESOLUTION:
                    session[LAST_SEEN] = now
        return self.get_response(request)


# Signing in and out and the two-factor pages themselves; every other page,
# changing the password among them, needs the second factor first.
TWO_FACTOR_EXEMPT_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/static/",
    "/healthz",
)


class TwoFactorMiddleware:
    """Staff must confirm a one-time code before using the portal as staff."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and two_factor_required(user)
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_EXEMPT_PREFIXES)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Every response to a signed-in user says `Cache-Control: private,
    no-store` (pages, PDFs, document downloads, streamed files and the API
    alike, whatever the view chose), so neither a shared cache nor the
    browser keeps what only that person may see. Signed-out readers keep the
    caching headers their views chose.

    Signed in means at the start of the request or at its end: the open data
    API sets its own anonymous user in place of the one the session gave."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Still unread: reading it costs the session, which most pages read
        # anyway, and a request with no session cookie nothing.
        asking = request.user
        response = self.get_response(request)
        if asking.is_authenticated or request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
            del response["Expires"]
        return response
