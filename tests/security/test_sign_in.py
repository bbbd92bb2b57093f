"""Sign-in hardening: lockout, two-factor for staff, session limits, logging."""

import logging
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kcsp import authenticators
from kcsp.security import LAST_SEEN, SIGNED_IN_AT
from tests.helpers import text
from tests.security.signing_in import PASSWORD
from tests.security.signing_in import sign_in as _sign_in

pytestmark = pytest.mark.django_db


def test_repeated_failures_lock_the_account_for_that_address(clerk, partner) -> None:
    client = Client()
    for _ in range(4):
        assert _sign_in(client, "clerk", "wrong-password").status_code == 200
    locked = _sign_in(client, "clerk", "wrong-password")
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    # Even the right password is refused while locked.
    assert _sign_in(client, "clerk").status_code == 429
    # Another account from the same address is unaffected.
    assert _sign_in(client, "partner").status_code == 302


def test_the_lockout_page_says_who_can_unlock_the_account(settings, clerk) -> None:
    settings.PORTAL_CONTACT_EMAIL = "csu@example.org"
    client = Client()
    for _ in range(5):
        locked = _sign_in(client, "clerk", "wrong-password")
    page = text(locked)
    assert locked.status_code == 429
    assert "locked on this connection after 5 wrong passwords" in page
    assert "unlocks by itself 30 minutes after the last attempt" in page
    assert "An administrator of the portal can unlock it sooner" in page
    assert 'href="mailto:csu@example.org"' in page


def test_success_resets_the_failure_count(clerk) -> None:
    client = Client()
    for _ in range(3):
        _sign_in(client, "clerk", "wrong-password")
    assert _sign_in(client, "clerk").status_code == 302
    other = Client()
    for _ in range(4):
        assert _sign_in(other, "clerk", "wrong-password").status_code == 200


def test_sign_in_starts_a_new_session(clerk) -> None:
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    _sign_in(client, "clerk")
    assert client.session.session_key != before


def test_sign_ins_and_failures_are_logged(
    clerk, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kcsp.security"):
        _sign_in(Client(), "clerk", "wrong-password")
        _sign_in(Client(), "clerk")
    messages = [r.getMessage() for r in caplog.records if r.name == "kcsp.security"]
    assert any(m.startswith("sign-in failed user=clerk") for m in messages)
    assert any(m.startswith("sign-in user=clerk") for m in messages)
    assert not any(PASSWORD in m for m in messages)


def test_staff_need_a_second_factor(settings, clerk, partner, administrator) -> None:
    settings.STAFF_TWO_FACTOR = True
    authenticators.enrolment_allow(user=clerk, by=administrator)
    client = Client()
    _sign_in(client, "clerk")
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))
    setup = client.get(reverse("two_factor_setup"))
    assert setup.status_code == 200
    assert "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=clerk)
    wrong = client.post(reverse("two_factor_setup"), {"token": "000000"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    # A wrong code slows the next try down (throttling); skip the wait.
    device.refresh_from_db()
    device.throttle_reset()
    code = f"{totp(device.bin_key):06d}"
    done = client.post(reverse("two_factor_setup"), {"token": code, "next": "/admin/"})
    assert done.status_code == 302 and done["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200
    # A partner officer is not staff and needs no second factor.
    partner_client = Client()
    _sign_in(partner_client, "partner")
    assert partner_client.get(reverse("kcsp:actions")).status_code == 200


def test_an_idle_session_ends(clerk) -> None:
    client = Client()
    _sign_in(client, "clerk")
    assert client.get(reverse("kcsp:actions")).status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("kcsp:actions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_ends_after_its_absolute_lifetime_even_if_busy(clerk) -> None:
    client = Client()
    _sign_in(client, "clerk")
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 11 * 3600
    session.save()
    assert client.get(reverse("kcsp:actions")).status_code == 302


def test_disabling_an_account_ends_its_sessions(clerk) -> None:
    client = Client()
    _sign_in(client, "clerk")
    clerk.is_active = False
    clerk.save()
    assert client.get(reverse("kcsp:actions")).status_code == 302
