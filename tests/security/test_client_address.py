"""The client's address behind the reverse proxy, and what a forged
X-Forwarded-For can do: nothing.

Behind the proxy every request comes from the proxy's address, so lockout
keyed on REMOTE_ADDR would let anyone lock anyone out. The address is read
from the hop the proxy itself appended; a client can write anything to the
left of it, and that is never read."""

import logging

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import Client, RequestFactory

from kcsp.proxy import client_address
from tests.helpers import text
from tests.security.signing_in import sign_in

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


def _behind_proxy(forwarded: str) -> Client:
    """A browser whose requests reach the portal through the proxy, which
    has written `forwarded` as X-Forwarded-For."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _fail(client: Client, times: int = 5) -> object:
    for _ in range(times):
        response = sign_in(client, "clerk", "wrong-password")
    return response


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        # Nothing is read from the header without a proxy.
        ("198.51.100.7", 0, PROXY),
        ("198.51.100.7", 1, "198.51.100.7"),
        # A client's own header, with the proxy's hop appended.
        ("203.0.113.9, 198.51.100.7", 1, "198.51.100.7"),
        ("203.0.113.9,198.51.100.7", 1, "198.51.100.7"),
        # A load balancer, then the proxy.
        ("203.0.113.9, 198.51.100.7, 10.0.0.1", 2, "198.51.100.7"),
        # Came in at the inner proxy: its hop is still a trusted one.
        ("198.51.100.7", 2, "198.51.100.7"),
        ("2001:DB8::1", 1, "2001:db8::1"),
        # No header (a health check straight to the portal), or a broken one.
        ("", 1, PROXY),
        ("203.0.113.9, not-an-address", 1, PROXY),
    ],
)
def test_the_client_is_the_right_most_hop_no_trusted_proxy_vouches_for(
    settings, forwarded: str, proxies: int, expected: str
) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )
    assert client_address(request) == expected


def test_without_a_proxy_a_forged_header_is_ignored_by_the_lockout(
    settings, clerk
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    here = "192.0.2.10"
    # Each attempt claims to come from somewhere new.
    for n in range(5):
        response = sign_in(
            Client(REMOTE_ADDR=here, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"),
            "clerk",
            "wrong-password",
        )
    assert response.status_code == 429
    again = Client(REMOTE_ADDR=here, HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert sign_in(again, "clerk").status_code == 429
    # The lock is on the address the connection came from, and on no other.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {here}
    assert sign_in(Client(REMOTE_ADDR="192.0.2.20"), "clerk").status_code == 302


def test_behind_the_proxy_two_clients_do_not_lock_each_other_out(
    settings, clerk
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = _behind_proxy("198.51.100.66")
    owner = _behind_proxy("198.51.100.7")
    assert _fail(attacker).status_code == 429
    # The account's owner, behind the same proxy, signs in as usual ...
    assert sign_in(owner, "clerk").status_code == 302
    # ... which lifts nothing for the attacker.
    assert sign_in(attacker, "clerk").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {
        "198.51.100.66"
    }


def test_a_client_cannot_escape_its_lockout_by_prepending_an_address(
    settings, clerk
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _fail(_behind_proxy("198.51.100.66")).status_code == 429
    # The client sends "X-Forwarded-For: 203.0.113.9"; the proxy appends the
    # address it really came from.
    forged = _behind_proxy("203.0.113.9, 198.51.100.66")
    response = sign_in(forged, "clerk")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in text(response)
    assert not AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()


def test_the_sign_in_log_names_the_client_not_the_proxy(
    settings, clerk, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    client = _behind_proxy("203.0.113.9, 198.51.100.7")
    with caplog.at_level(logging.INFO, logger="kcsp.security"):
        sign_in(client, "clerk", "wrong-password")
        sign_in(client, "clerk")
    lines = [r.getMessage() for r in caplog.records if r.name == "kcsp.security"]
    assert "sign-in failed user=clerk from=198.51.100.7" in lines
    assert "sign-in user=clerk from=198.51.100.7" in lines
    assert not any("203.0.113.9" in line or PROXY in line for line in lines)
    assert list(AccessLog.objects.values_list("ip_address", flat=True)) == [
        "198.51.100.7"
    ]
