"""What was published, as the public sees it, and which alerts it matches.

Events come only from the sources the apps register, each made from its
model's visibility rule for the public; a record published at a set time is
an event once that time has come.
"""

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.utils import timezone

from kcsp import registry
from kcsp.alerts.subscribing import normalise_email
from kcsp.models import Subscription
from kcsp.registry import AlertCopies, AlertEvent, AlertSource
from kcsp.search.query import parse_terms


def kind_choices(target: str | None = None) -> list[tuple[str, str]]:
    """The kinds of event one may follow (for this kind of target)."""
    found = registry.alert_target(target) if target else None
    wanted = found.event_kinds if found else ()
    return [
        (s.kind, s.label)
        for s in registry.alert_sources()
        if not wanted or s.kind in wanted
    ]


def kind_labels() -> dict[str, str]:
    return dict(kind_choices())


def _window(source: AlertSource, since: dt.datetime, until: dt.datetime) -> dict:
    field = source.published_field
    return {f"{field}__gt": since, f"{field}__lte": until}


def published_events(*, since: dt.datetime, until: dt.datetime) -> list[AlertEvent]:
    """Every event published after `since` up to `until`, oldest first."""
    events = [
        source.event(row)
        for source in registry.alert_sources()
        for row in source.rows().filter(**_window(source, since, until))
    ]
    return sorted(events, key=lambda e: (e.published_at, e.key))


def events_by_key(
    keys: Iterable[str], *, now: dt.datetime | None = None
) -> dict[str, AlertEvent]:
    """The events of these keys that the public may read now: a record taken
    out of public view since it was queued is not found."""
    now = now or timezone.now()
    ids: dict[str, list[int]] = defaultdict(list)
    for key in keys:
        prefix, _, pk = key.rpartition("-")
        if pk.isdigit():
            ids[prefix].append(int(pk))
    found: dict[str, AlertEvent] = {}
    for source in registry.alert_sources():
        if ids.get(source.prefix):
            rows = source.rows().filter(
                pk__in=ids[source.prefix], **{f"{source.published_field}__lte": now}
            )
            found.update((e.key, e) for e in map(source.event, rows))
    return found


def copies_of(events: list[AlertEvent]) -> dict[str, AlertCopies]:
    """Who gets each of these events as of right (`AlertSource.copies`), by
    event key, their addresses written as stored subscribers' are."""
    by_kind: dict[str, list[AlertEvent]] = defaultdict(list)
    for event in events:
        by_kind[event.kind].append(event)
    found: dict[str, AlertCopies] = {}
    for source in registry.alert_sources():
        if source.copies is not None and by_kind.get(source.kind):
            for key, copy in source.copies(by_kind[source.kind]).items():
                to = frozenset(normalise_email(e) for e in copy.to if e.strip())
                found[key] = dataclasses.replace(copy, to=to)
    return found


def keyword_matches(event: AlertEvent, words: str) -> bool:
    """Whether an event's words hold every word or "phrase" of a search and
    none of its -excluded ones (site search's syntax, read as its fallback
    reads it)."""
    terms = parse_terms(words)
    text = event.text.lower()
    return (
        bool(terms.include)
        and all(t.lower() in text for t in terms.include)
        and not any(t.lower() in text for t in terms.exclude)
    )


class Matcher:
    """Which subscriptions each event matches, without reading every
    subscription for every event: those following a subject (a body, an
    action) are found by it; only keyword alerts are read for each event."""

    def __init__(self, subscriptions: Iterable[Subscription]) -> None:
        self.by_subject: dict[tuple[str, str], list[Subscription]] = defaultdict(list)
        self.by_words: list[Subscription] = []
        for s in subscriptions:
            target = registry.alert_target(s.target)
            if target is None:
                continue
            if target.matches is None:
                self.by_subject[(s.target, s.value)].append(s)
            else:
                self.by_words.append(s)

    def matching(self, event: AlertEvent) -> list[Subscription]:
        candidates = [
            s for subject in event.subjects for s in self.by_subject.get(subject, [])
        ]
        candidates += [
            s
            for s in self.by_words
            if (target := registry.alert_target(s.target)) is not None
            and target.concerns(event, s.value)
        ]
        return [
            s
            for s in candidates
            if event.kind in s.kinds and event.published_at >= s.consented_at
        ]
