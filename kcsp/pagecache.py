"""Whole-page caching of public pages, keyed on the content version.

Published agendas, minutes and reviews change rarely and are read often, so
the page a signed-out reader gets is kept in the cache and served again
until anything changes. The key holds:

- the content version (`content_version`: the id of the latest
  `ContentChange`, written by a signal in the same transaction as every
  save or delete of the apps' records), so a publication, correction or
  take-down shows at once on every web node;
- today's date (pages list "upcoming" meetings and due dates);
- the host, one of ALLOWED_HOSTS (pages hold absolute links made from it);
- the path and query string.

A request for a host outside ALLOWED_HOSTS is refused (400) before the cache
is read, as Django refuses it everywhere else.

Pages are served by `PageCacheMiddleware`, placed straight after WhiteNoise,
so that a hit costs neither the rest of the middleware (sessions, sign-in,
CSRF, two-factor, messages ...) nor the view. What is stored is the body and
the response headers as they left the full stack (Content Security Policy,
X-Frame-Options, Vary ...), so a page from the cache carries the same headers
as one just rendered; a cookie is never stored. Views say that their page
may be cached with the `public_page` decorator; nothing else is stored.

Only readers without a session are served or stored: anyone signed in
(staff, partner officers) and anyone with a session (messages waiting, a
half-finished sign-in) always gets a freshly rendered page, so nobody is
given the public variant of a page that should show them more, and the
public is never given a page rendered for someone else. Only 200 responses
that set no cookie and are not marked private are stored.

With a shared Redis cache (`REDIS_URL`) the content version is kept in the
cache too: each change raises it when its transaction commits, and a hit then
needs no database at all. The stored version only ever goes up (a change
committed late never takes it back), and it lives no longer than a page, so
if it is lost or the database is replaced it is read again from the
database. With the per-process memory cache every request reads the version
from the database (one indexed query), as other processes cannot tell it.

`PUBLIC_PAGE_CACHE_SECONDS` (default 300; 0 turns caching off) bounds how
long a page lives, which also bounds staleness of things that change with
the clock rather than with a save (a paper published at a set time).
"""

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

# Apps whose records public pages show.
CONTENT_APPS = {"kcsp", "meetings", "agreement", "priorities", "dhr"}
# Models of those apps that no page shows (derived data and bookkeeping).
IGNORED = {
    "kcsp.contentchange",
    "kcsp.searchentry",
    "kcsp.rendereddocument",
    "kcsp.renderjob",
    # Permissions to set up an authenticator app: on no page.
    "kcsp.authenticatorenrolment",
    # Who read which DHR page: written on every coordinator's read, shown on
    # no public page, so it must not empty the cache.
    "dhr.accesslog",
    # E-mail alerts' addresses and sendings: on no page.
    "kcsp.subscriber",
    "kcsp.subscription",
    "kcsp.delivery",
}
# Keep the table short: old rows are removed every this many changes.
PRUNE_EVERY = 500
# The cache key of the content version, when the cache is shared.
VERSION_KEY = "content-version"
# Set the version to ARGV[1] unless it is already higher: a change committed
# after a later one must not take the version back.
RAISE_VERSION = """
local current = tonumber(redis.call('GET', KEYS[1]))
local new = tonumber(ARGV[1])
if current == nil or new > current then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return new
end
return current
"""
# Response headers never stored with a page.
NOT_STORED = {"set-cookie", "x-page-cache"}

View = Callable[..., HttpResponse]


def content_version() -> int:
    """The latest change's id: one index lookup (in plain SQL, as this runs
    on every cached request and the ORM's compiling costs more than the
    lookup)."""
    from kcsp.models import ContentChange

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {ContentChange._meta.db_table}")  # noqa: S608 - a model's own table name
        row = cursor.fetchone()
    return int(row[0] or 0)


def _shared_cache() -> RedisCache | None:
    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


def _raise_version(backend: RedisCache, version: int) -> int:
    """Set the shared version to `version` unless it is higher already;
    returns the version now in the cache."""
    key = backend.make_and_validate_key(VERSION_KEY)
    client = backend._cache.get_client(key, write=True)
    lifetime = max(settings.PUBLIC_PAGE_CACHE_SECONDS, 1)
    raised: Any = client.eval(RAISE_VERSION, 1, key, version, lifetime)
    return int(raised)


def current_version(request: HttpRequest | None = None) -> int:
    """The content version pages are keyed on: from a shared cache when it
    holds it, otherwise from the database; read once per request."""
    known = getattr(request, "_content_version", None)
    if known is not None:
        return known
    backend = _shared_cache()
    if backend is None:
        version = content_version()
    else:
        stored = backend.get(VERSION_KEY)
        if stored is not None:
            version = int(stored)
        else:
            version = _raise_version(backend, content_version())
    if request is not None:
        request._content_version = version  # type: ignore[attr-defined]
    return version


def site_state(request: HttpRequest | None) -> str:
    """What every cached copy (a page's part, a stored document, an API
    answer's ETag) is current for: the content version and the date,
    "<version>:<yyyy-mm-dd>". Read it before the records the copy shows, so
    that a change made meanwhile is never kept under the new version."""
    return f"{current_version(request)}:{timezone.localdate().isoformat()}"


def state_version(state: str) -> int:
    """The content version a `site_state` names."""
    return int(state.partition(":")[0])


def state_day(state: str) -> str:
    """The date a `site_state` names, as "yyyy-mm-dd"."""
    return state.rpartition(":")[2]


def fragment_key(request: HttpRequest | None, *parts: object) -> str:
    """A key for a cached part of a page (the `{% cache %}` tag's vary-on
    value) that changes with the content and the date. Read it before the
    records the part shows, so that a change made meanwhile is never kept
    under the new version. `parts` must name everything else the part
    depends on (the record, the viewer's audience ...)."""
    return ":".join(str(p) for p in (site_state(request), *parts))


def content_fragment(request: HttpRequest) -> dict[str, Any]:
    """The template context of a page whose content (everything but the
    header and footer, which name the reader) is kept in the cache for each
    audience, so that signed-in readers, whom the page cache never serves,
    get it without the page's queries: ``fragment`` (the key, by the
    reader's row of the role table, the address and query string, the
    content version and the date) and ``fragment_seconds``
    (FRAGMENT_CACHE_SECONDS). The template wraps its content in
    ``{% cache fragment_seconds <name> fragment %}``; the view reads its
    records lazily, when the template first asks for them, so a hit reads
    none. The content must hold no form that posts (its CSRF token is the
    reader's own)."""
    from kcsp.visibility import audience_of

    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return {"fragment": "", "fragment_seconds": 0}
    audience = audience_of(getattr(request, "user", None)).key
    return {
        "fragment": fragment_key(request, audience, request.get_full_path()),
        "fragment_seconds": seconds,
    }


def cached_reading[T](
    request: HttpRequest | None, name: str, query: QuerySet[Any], read: Callable[[], T]
) -> T:
    """`read()`, an aggregate over `query` that costs a pass over every row
    it matches, kept in the cache until any record changes (and at most
    FRAGMENT_CACHE_SECONDS, for changes that come with the clock)."""
    from kcsp import documents

    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0 or documents.recording():
        # A document being built records every query it reads.
        return read()
    try:
        sql = repr((query.db, query.query.sql_with_params()))
    except EmptyResultSet:
        return read()
    which = hashlib.sha256(sql.encode()).hexdigest()
    key = f"{name}:{fragment_key(request, which)}"
    found = cache.get(key)
    if found is None:
        found = read()
        cache.set(key, found, seconds)
    return found


def content_changed() -> int:
    """Record a change (called by the signals; call it after `update()` or
    `bulk_create`, which send none). Returns the new version.

    Inside a transaction a second change is recorded once it commits: the
    first version was taken before the transaction's writes could be seen,
    and a shorter transaction may take a later version and commit first, so
    readers could keep the old data under that later version. The version
    recorded after the commit is newer than any taken while the writes were
    hidden.
    """
    version = _record_change()
    if connection.in_atomic_block:
        if not any(entry[1] is _committed for entry in connection.run_on_commit):
            transaction.on_commit(_committed, robust=True)
    else:
        _share(version)
    return version


def _record_change() -> int:
    from kcsp.models import ContentChange

    change = ContentChange.objects.create()
    if change.id % PRUNE_EVERY == 0:
        # One statement: the ORM's delete would read the rows first, as
        # delete signals have receivers (this module's among them).
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {ContentChange._meta.db_table} WHERE id < %s",  # noqa: S608 - a model's own table name
                [change.id - PRUNE_EVERY],
            )
    return change.id


def _committed() -> None:
    _share(_record_change())


def _share(version: int) -> None:
    """Raise the version in the shared cache, when there is one."""
    backend = _shared_cache()
    if backend is not None:
        _raise_version(backend, version)


def _is_content(model: type[Model]) -> bool:
    meta = model._meta
    return (
        # Migrations' historical models live in their own registry.
        meta.apps is apps
        and meta.app_label in CONTENT_APPS
        and meta.label_lower not in IGNORED
        # simple_history's audit rows are written beside every change.
        and not hasattr(model, "instance_type")
    )


def _on_change(sender: type[Model], **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    if _is_content(sender):
        content_changed()


def _on_m2m(sender: Any, action: str, instance: Model, **kwargs: Any) -> None:
    if action.startswith("post_") and _is_content(type(instance)):
        content_changed()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="kcsp.pagecache.save")
    post_delete.connect(_on_change, dispatch_uid="kcsp.pagecache.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="kcsp.pagecache.m2m")


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PUBLIC_PAGE_CACHE_SECONDS > 0
        and request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "HX-Request" not in request.headers
    )


def _cacheable_response(response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in control
        and "no-store" not in control
    )


def _key(request: HttpRequest) -> str:
    """A page's key; the version it was rendered at is stored with it, so a
    hit costs one round trip to a shared cache (version and page together).
    Raises DisallowedHost (answered with 400) for a host outside
    ALLOWED_HOSTS."""
    page = f"{request.get_host()} {request.get_full_path()}"
    where = hashlib.sha256(page.encode()).hexdigest()[:32]
    return f"page:{timezone.localdate().isoformat()}:{where}"


def public_page(view: View) -> View:
    """Let `PageCacheMiddleware` keep this view's signed-out page while
    nothing changes."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_vary_headers(response, ["Cookie"])
        response.public_page = True  # type: ignore[attr-defined]
        return response

    wrapped.public_page = True  # type: ignore[attr-defined]
    return wrapped


def _public_view(request: HttpRequest) -> bool:
    """Whether the request goes to a `public_page` view (no other request
    needs the content version)."""
    try:
        match = resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


def _replay(content: bytes, headers: list[tuple[str, str]]) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    response["X-Page-Cache"] = "hit"
    return response


def _store(backend: BaseCache, key: str, version: int, response: HttpResponse) -> None:
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in NOT_STORED
    ]
    backend.set(
        key, (version, response.content, headers), settings.PUBLIC_PAGE_CACHE_SECONDS
    )


def _lookup(request: HttpRequest, key: str) -> tuple[int, Any]:
    """The content version and the page stored under `key` (or None)."""
    backend = _shared_cache()
    if backend is None:
        return current_version(request), cache.get(key)
    found = backend.get_many([VERSION_KEY, key])
    if VERSION_KEY in found:
        request._content_version = int(found[VERSION_KEY])  # type: ignore[attr-defined]
    return current_version(request), found.get(key)


class PageCacheMiddleware:
    """Answer signed-out readers from the page cache before the rest of the
    middleware runs, and store the pages of `public_page` views as the full
    stack returns them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (_cacheable_request(request) and _public_view(request)):
            return self.get_response(request)
        key = _key(request)
        version, stored = _lookup(request, key)
        if stored is not None and stored[0] == version:
            # A reader whose copy is current (a PDF's ETag) gets 304, as from
            # the view.
            response = _replay(stored[1], stored[2])
            return (
                get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    last_modified=parse_http_date_safe(
                        response.get("Last-Modified", "")
                    ),
                    response=response,
                )
                or response
            )
        response = self.get_response(request)
        if getattr(response, "public_page", False) and _cacheable_response(response):
            _store(cache, key, version, response)
            response["X-Page-Cache"] = "miss"
        return response
