"""The second factor is attached and changed only by its owner, and only
when an administrator allowed it or the current one is used.

Whoever learns a staff password must not be able to add their own
authenticator app (and keep it), replace the owner's, or change the
password: each needs an administrator's permission or a code from the app
in use. Every path is walked through the pages, reading what they say."""

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from kcsp import authenticators
from kcsp.models import AuthenticatorEnrolment
from tests.helpers import text
from tests.security.signing_in import (
    PASSWORD,
    authenticator,
    code,
    confirm_code,
    sign_in,
)

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
LINK = re.compile(r"/accounts/two-factor/link/[^/\s<]+/")
NOT_ALLOWED = "An administrator must allow two-factor set-up"
LINK_REFUSED = "This set-up link does not work"


@pytest.fixture(autouse=True)
def _two_factor_on(settings: Any) -> None:
    settings.STAFF_TWO_FACTOR = True


def _signed_in(username: str) -> Client:
    client = Client()
    assert sign_in(client, username).status_code == 302
    return client


def _as(user: Any) -> Client:
    """`user`, signed in with both factors (an app they set up earlier)."""
    device = TOTPDevice.objects.filter(user=user).first() or authenticator(user)
    client = _signed_in(user.username)
    assert confirm_code(client, device).status_code == 302
    return client


def _set_up(client: Client) -> Any:
    """Scan the key on the set-up page and enter the app's code."""
    page = client.get(SETUP)
    assert page.status_code == 200, text(page)
    assert "<svg" in text(page)
    device = TOTPDevice.objects.get(user__username=page.wsgi_request.user.username)
    return client.post(SETUP, {"token": code(device), "next": "/admin/"})


def _allow(administrator: Any, user: Any, **form: str) -> Any:
    """An administrator gives permission through the back office."""
    return _as(administrator).post(
        reverse("admin:kcsp_authenticatorenrolment_add"),
        {"user": user.pk, "hours": "24", **form},
    )


def _link(administrator: Any, user: Any) -> str:
    page = _allow(administrator, user, link="on")
    assert page.status_code == 200
    assert f"Pass this link on to {user.username}" in text(page)
    found = LINK.search(text(page))
    assert found is not None
    return found.group()


def test_a_staff_account_with_no_app_cannot_add_one_unasked(clerk) -> None:
    client = _signed_in("clerk")
    # Every staff page asks for the second factor, which leads to set-up ...
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor"))
    assert client.get(reverse("two_factor"))["Location"].startswith(SETUP)
    # ... which refuses, saying who can allow it.
    page = client.get(SETUP)
    assert page.status_code == 403
    assert NOT_ALLOWED in text(page)
    assert "communitysafetyunit@kent.gov.uk" in text(page)
    # No key was made to scan, and no code is taken.
    assert "<svg" not in text(page)
    assert client.post(SETUP, {"token": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert client.get("/admin/").status_code == 302


def test_an_administrator_allows_set_up_at_the_next_sign_in(
    clerk, administrator
) -> None:
    form = _as(administrator).get(reverse("admin:kcsp_authenticatorenrolment_add"))
    assert "Only through a one-time link" in text(form)
    assert _allow(administrator, clerk).status_code == 302
    listing = _as(administrator).get(
        reverse("admin:kcsp_authenticatorenrolment_changelist")
    )
    assert "at next sign-in" in text(listing)
    assert "Open" in text(listing)

    client = _signed_in("clerk")
    done = _set_up(client)
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    permission = AuthenticatorEnrolment.objects.get(user=clerk)
    assert permission.state == "Used"
    record = _as(administrator).get(
        reverse("admin:kcsp_authenticatorenrolment_change", args=[permission.pk])
    )
    assert "at next sign-in" in text(record)
    allowed_by = f'/admin/auth/user/{administrator.pk}/change/">administrator</a>'
    assert allowed_by in text(record)

    # The permission is spent: someone else with the password gets no key
    # to add a second app, only a request for the code from the first.
    other = _signed_in("clerk")
    assert other.get(SETUP)["Location"].startswith(reverse("two_factor"))
    assert TOTPDevice.objects.filter(user=clerk).count() == 1


def test_a_one_time_link_sets_up_an_app_once(clerk, administrator) -> None:
    link = _link(administrator, clerk)
    # A link's permission is not one for the next sign-in.
    assert _signed_in("clerk").get(SETUP).status_code == 403

    client = Client()
    asked = client.get(link)
    assert asked["Location"].startswith(reverse("login"))
    signed_in = client.post(
        reverse("login"), {"username": "clerk", "password": PASSWORD, "next": link}
    )
    assert signed_in["Location"] == link
    # The link opens the permission for this session and leaves the address.
    assert client.get(link)["Location"] == SETUP
    assert _set_up(client).status_code == 302
    assert client.get("/admin/").status_code == 200

    again = _signed_in("clerk")
    refused = again.get(link)
    assert refused.status_code == 404
    assert LINK_REFUSED in text(refused)


def test_a_link_works_only_for_its_own_account(
    clerk, dhr_coordinator, administrator
) -> None:
    link = _link(administrator, clerk)
    client = _signed_in("dhr")
    refused = client.get(link)
    assert refused.status_code == 404
    assert LINK_REFUSED in text(refused)
    assert client.get(SETUP).status_code == 403


def test_an_expired_permission_allows_nothing(clerk, administrator) -> None:
    permission = authenticators.enrolment_allow(user=clerk, by=administrator, hours=1)
    permission.allowed_at -= dt.timedelta(hours=2)
    permission.expires_at -= dt.timedelta(hours=2)
    permission.save()
    page = _signed_in("clerk").get(SETUP)
    assert page.status_code == 403
    assert NOT_ALLOWED in text(page)


def test_partner_officers_have_no_authenticator_app(partner, administrator) -> None:
    assert _signed_in("partner").get(SETUP).status_code == 404
    with pytest.raises(ValidationError, match="Only staff accounts"):
        authenticators.enrolment_allow(user=partner, by=administrator)


def test_only_administrators_give_permissions(clerk, dhr_coordinator) -> None:
    url = reverse("admin:kcsp_authenticatorenrolment_changelist")
    for user in (clerk, dhr_coordinator):
        client = _as(user)
        assert client.get(url).status_code == 403
        assert (
            client.get(reverse("admin:kcsp_authenticatorenrolment_add")).status_code
            == 403
        )
        assert "authenticator app" not in text(client.get("/admin/"))


def test_the_first_administrator_gets_a_link_from_the_command_line(
    administrator, partner
) -> None:
    out = io.StringIO()
    call_command("authenticator_link", "administrator", stdout=out)
    found = LINK.search(out.getvalue())
    assert found is not None
    assert "It works once, for administrator" in out.getvalue()
    client = Client()
    client.post(
        reverse("login"),
        {"username": "administrator", "password": PASSWORD, "next": found.group()},
    )
    assert client.get(found.group())["Location"] == SETUP
    assert _set_up(client).status_code == 302
    with pytest.raises(CommandError, match="no account 'nobody'"):
        call_command("authenticator_link", "nobody", stdout=io.StringIO())
    with pytest.raises(CommandError, match="Only staff accounts"):
        call_command("authenticator_link", "partner", stdout=io.StringIO())


def test_changing_the_password_needs_the_second_factor(clerk, partner) -> None:
    device = authenticator(clerk)
    client = _signed_in("clerk")
    url = reverse("password_change")
    new = {
        "old_password": PASSWORD,
        "new_password1": "another-long-password",
        "new_password2": "another-long-password",
    }
    asked = client.get(url)
    assert asked["Location"] == f"{reverse('two_factor')}?next={url}"
    assert client.post(url, new)["Location"].startswith(reverse("two_factor"))
    clerk.refresh_from_db()
    assert clerk.check_password(PASSWORD)

    assert confirm_code(client, device, next_url=url)["Location"] == url
    assert "Change your password" in text(client.get(url))
    assert client.post(url, new)["Location"] == reverse("password_change_done")
    clerk.refresh_from_db()
    assert clerk.check_password("another-long-password")

    # A partner officer has no second factor, and needs none.
    officer = _signed_in("partner")
    assert "Change your password" in text(officer.get(url))


@pytest.mark.parametrize("two_factor", [True, False])
def test_replacing_the_app_needs_a_code_from_the_current_one(
    settings, clerk, two_factor: bool
) -> None:
    settings.STAFF_TWO_FACTOR = two_factor
    old = authenticator(clerk)
    client = _signed_in("clerk")
    asked = client.get(SETUP)
    assert asked["Location"] == f"{reverse('two_factor')}?next={SETUP}"
    assert client.post(SETUP, {"token": "123456"})["Location"] == asked["Location"]
    assert list(TOTPDevice.objects.filter(user=clerk)) == [old]

    assert confirm_code(client, old, next_url=SETUP)["Location"] == SETUP
    page = client.get(SETUP)
    assert "Replace your authenticator app" in text(page)
    new = TOTPDevice.objects.get(user=clerk, confirmed=False)
    done = client.post(SETUP, {"token": code(new), "next": "/"})
    assert done.status_code == 302
    assert list(TOTPDevice.objects.filter(user=clerk)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    assert "Your authenticator app is replaced" in text(client.get("/"))
