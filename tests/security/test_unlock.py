"""An administrator sees which accounts are locked after wrong passwords,
and unlocks them; nobody else reaches the screen."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import text
from tests.security.signing_in import sign_in

pytestmark = pytest.mark.django_db

LOCKED = reverse("locked_sign_ins")


def _as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _lock_out(username: str) -> Client:
    client = Client(REMOTE_ADDR="192.0.2.44")
    for _ in range(5):
        response = sign_in(client, username, "wrong-password")
    assert response.status_code == 429
    return client


def test_an_administrator_unlocks_a_locked_account(clerk, administrator) -> None:
    locked_out = _lock_out("clerk")
    admin = _as(administrator)
    assert "Locked sign-ins" in text(admin.get(reverse("admin:index")))
    page = text(admin.get(LOCKED))
    assert "<td>clerk</td>" in page
    assert "<td>192.0.2.44</td>" in page
    assert "<td>5</td>" in page
    assert 'value="Unlock clerk"' in page

    done = admin.post(LOCKED, {"username": "clerk", "address": "192.0.2.44"})
    assert done["Location"] == LOCKED
    after = text(admin.get(LOCKED))
    assert "Unlocked clerk, who can sign in again from 192.0.2.44." in after
    assert "No account is locked." in after
    assert sign_in(locked_out, "clerk").status_code == 302


def test_only_administrators_reach_the_locked_sign_ins(
    clerk, dhr_coordinator, partner, administrator
) -> None:
    locked_out = _lock_out("partner")
    for user in (clerk, dhr_coordinator):
        client = _as(user)
        assert client.get(LOCKED).status_code == 403
        refused = client.post(LOCKED, {"username": "partner", "address": "192.0.2.44"})
        assert refused.status_code == 403
        assert "Locked sign-ins" not in text(client.get(reverse("admin:index")))
    # Outside the back office altogether: sent to its sign-in page.
    for client in (_as(partner), Client()):
        response = client.get(LOCKED)
        assert response["Location"].startswith(reverse("admin:login"))
    assert sign_in(locked_out, "partner").status_code == 429
    assert "<td>partner</td>" in text(_as(administrator).get(LOCKED))
