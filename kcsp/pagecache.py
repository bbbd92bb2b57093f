"""Whole-page caching of public pages, keyed on the content version.

Published agendas, minutes and reviews change rarely and are read often, so
the page a signed-out reader gets is kept in the cache and served again
until anything changes. The key holds:

- the content version (`content_version`: the id of the latest
  `ContentChange`, written by a signal in the same transaction as every
  save or delete of the apps' records), so a publication, correction or
  take-down shows at once on every web node;
- today's date (pages list "upcoming" meetings and due dates);
- the path and query string.

Only readers without a session are served or stored: anyone signed in
(staff, partner officers) and anyone with a session (messages waiting, a
half-finished sign-in) always gets a freshly rendered page, so nobody is
given the public variant of a page that should show them more, and the
public is never given a page rendered for someone else. Only 200 responses
that set no cookie and are not marked private are stored.

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
from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

# Apps whose records public pages show.
CONTENT_APPS = {"kcsp", "meetings", "agreement", "priorities", "dhr"}
# Models of those apps that no page shows (derived data and bookkeeping).
IGNORED = {
    "kcsp.contentchange",
    "kcsp.searchentry",
    "kcsp.rendereddocument",
    "kcsp.renderjob",
}
# Keep the table short: old rows are removed every this many changes.
PRUNE_EVERY = 500

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


def content_changed() -> int:
    """Record a change (called by the signals; call it after `update()` or
    `bulk_create`, which send none). Returns the new version."""
    from kcsp.models import ContentChange

    change = ContentChange.objects.create()
    if change.id % PRUNE_EVERY == 0:
        ContentChange.objects.filter(id__lt=change.id - PRUNE_EVERY).delete()
    return change.id


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


def _key(request: HttpRequest, version: int) -> str:
    where = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{version}:{timezone.localdate().isoformat()}:{where}"


def public_page(view: View) -> View:
    """Serve this view's signed-out page from the cache while nothing changed."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            return response
        key = _key(request, content_version())
        stored = cache.get(key)
        if stored is not None:
            content, content_type = stored
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if _cacheable_response(response):
                cache.set(
                    key,
                    (response.content, response["Content-Type"]),
                    settings.PUBLIC_PAGE_CACHE_SECONDS,
                )
                response["X-Page-Cache"] = "miss"
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped
