"""Writing the search index: entries follow the rows they describe.

Each registered source's rows are indexed when saved and removed when
deleted; a save of a row the source `follows` (a meeting, for the papers
and minutes filed under its date) re-indexes the rows reached through it.
Saves made without signals (`QuerySet.update`, `bulk_create`) are caught up
by `manage.py search_index`, which rebuilds every entry and drops stale ones.

Only words and dates are written here. Whether an entry may be found is
decided at search time by the source's own queryset, so a change of state
(publishing, exemption, take-down) needs no index write at all.

Index maintenance is derived data, not workflow, which is why it hangs on
model signals rather than on each service: the importers, the back office
and the minutes editor all change these rows.
"""

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Exists, Model, OuterRef
from django.db.models.signals import post_delete, post_save, pre_delete

from kcsp.models import SearchEntry
from kcsp.pagecache import content_changed
from kcsp.registry import SearchSource, search_sources

# PostgreSQL refuses NUL in text, and the highlighter uses STX/ETX as markers.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A tsvector holds at most 1 MB; long papers are indexed on their opening.
MAX_TEXT = 400_000
BATCH = 1000


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """Text safe to store and index: no control characters, bounded length."""
    return _CONTROL.sub(" ", value or "")[:limit]


def _entry(source: SearchSource, row: Any) -> SearchEntry:
    found = source.text(row)
    return SearchEntry(
        source=source.key,
        object_id=row.pk,
        kind=source.kind,
        title=clean_text(found.title, 500),
        text=clean_text(found.text),
        date=found.date,
    )


def _write(entries: list[SearchEntry]) -> None:
    if entries:
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["source", "object_id"],
            update_fields=["kind", "title", "text", "date", "indexed_at"],
        )


def index_refresh(*, source: SearchSource, ids: Iterable[int]) -> int:
    """Re-index these rows of `source`; entries of rows now gone are removed.

    Returns how many entries were written.
    """
    wanted = set(ids)
    if not wanted:
        return 0
    entries = [_entry(source, row) for row in source.rows().filter(pk__in=wanted)]
    _write(entries)
    gone = wanted - {e.object_id for e in entries}
    if gone:
        index_remove(source=source, ids=gone)
    return len(entries)


def index_remove(*, source: SearchSource, ids: Iterable[int]) -> None:
    SearchEntry.objects.filter(source=source.key, object_id__in=list(ids)).delete()


def index_rebuild(
    *,
    sources: Sequence[SearchSource] | None = None,
    report: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Index every row of each source (all sources by default) and remove
    entries whose rows no longer exist. Returns entries written per source."""
    counts: dict[str, int] = {}
    for source in sources if sources is not None else search_sources():
        written = 0
        batch: list[SearchEntry] = []
        for row in source.rows().order_by("pk").iterator(chunk_size=BATCH):
            batch.append(_entry(source, row))
            if len(batch) >= BATCH:
                _write(batch)
                written += len(batch)
                batch = []
        _write(batch)
        written += len(batch)
        # NOT EXISTS, an anti-join: PostgreSQL runs `NOT IN (subquery)` row
        # by row once the ids outgrow its working memory.
        stale = SearchEntry.objects.filter(source=source.key).exclude(
            Exists(source.model.objects.filter(pk=OuterRef("object_id")))
        )
        stale.delete()
        counts[source.key] = written
        if report:
            report(f"{source.key}: {written} entries")
    # Search pages kept in the cache were read from the entries rewritten.
    content_changed()
    return counts


# Signals -------------------------------------------------------------------------


def _on_save(source: SearchSource) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, raw: bool = False, **_: Any):
        if not raw:
            index_refresh(source=source, ids=[instance.pk])

    return handler


def _on_delete(source: SearchSource) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, **_: Any) -> None:
        index_remove(source=source, ids=[instance.pk])

    return handler


def _follower_ids(source: SearchSource, lookup: str, instance: Model) -> list[int]:
    return list(
        source.model.objects.filter(**{lookup: instance}).values_list("pk", flat=True)
    )


def _on_followed_save(source: SearchSource, lookup: str) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, raw: bool = False, **_: Any):
        if not raw:
            index_refresh(source=source, ids=_follower_ids(source, lookup, instance))

    return handler


def _on_followed_pre_delete(source: SearchSource, lookup: str) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, **_: Any) -> None:
        # Remember who is affected while the link still exists.
        pending = instance.__dict__.setdefault("_search_followers", {})
        pending[(source.key, lookup)] = _follower_ids(source, lookup, instance)

    return handler


def _on_followed_delete(source: SearchSource, lookup: str) -> Callable[..., None]:
    def handler(sender: type[Model], instance: Model, **_: Any) -> None:
        pending = instance.__dict__.get("_search_followers", {})
        # Rows deleted with it (a cascade) are gone by now and are removed;
        # rows that stay (a resolution losing a part) are re-indexed.
        index_refresh(source=source, ids=pending.pop((source.key, lookup), []))

    return handler


_handlers: list[Callable[..., None]] = []


def connect_source(source: SearchSource) -> None:
    """Keep `source`'s entries in step with its rows and what they follow."""

    def connect(signal: Any, handler: Callable[..., None], model: type[Any], tag: str):
        _handlers.append(handler)  # signals hold receivers weakly
        signal.connect(handler, sender=model, dispatch_uid=f"search:{source.key}:{tag}")

    connect(post_save, _on_save(source), source.model, "save")
    connect(post_delete, _on_delete(source), source.model, "delete")
    for model, lookup in source.follows:
        tag = f"{model._meta.label}:{lookup}"
        connect(post_save, _on_followed_save(source, lookup), model, f"{tag}:save")
        connect(
            pre_delete, _on_followed_pre_delete(source, lookup), model, f"{tag}:pre"
        )
        connect(
            post_delete, _on_followed_delete(source, lookup), model, f"{tag}:delete"
        )
