"""The address a request came from, as the reverse proxy in front saw it.

Behind a reverse proxy every request reaches the portal from the proxy's own
address (REMOTE_ADDR), and the client's address is in X-Forwarded-For, to
which each proxy appends the address the request reached it from. A client
can send that header already filled in with anything it likes, so only the
entries the portal's own proxies added can be believed: the right-most
TRUSTED_PROXY_COUNT of them. The left-most of those is the client (the
right-most hop no trusted proxy vouches for); whatever stands to its left is
the client's own invention and is never read.

Without a proxy (TRUSTED_PROXY_COUNT 0, the default unless BEHIND_TLS_PROXY
is on) the header is ignored altogether and the address is REMOTE_ADDR.

Sign-in lockout (django-axes, through AXES_CLIENT_IP_CALLABLE), the sign-in
log and the open data API's rate limit all ask `client_address`.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address: the right-most untrusted hop of
    X-Forwarded-For behind TRUSTED_PROXY_COUNT proxies, else REMOTE_ADDR.
    None only when the request carries no address at all."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies: int = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote
    hops = forwarded.split(",")
    # Fewer hops than proxies: the request entered the chain part of the way
    # along, so even its left-most hop was written by a trusted proxy.
    hop = hops[-proxies] if len(hops) >= proxies else hops[0]
    # A trusted proxy writes a plain address; anything else is a proxy
    # misconfigured, and its own address is the one thing known for sure.
    return _address(hop) or remote
