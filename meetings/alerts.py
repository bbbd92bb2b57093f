"""What meetings offer to e-mail alerts: the items of the public feeds (new
agendas, supplementary agendas of late papers, published minutes, decisions)
and bodies to follow.

Each source reads the feed's own queryset, so an alert and a feed item are
the same thing, published at the same moment, as the public sees it.
"""

from collections.abc import Callable
from typing import Any

from kcsp.registry import (
    AlertEvent,
    AlertSource,
    AlertTarget,
    register_alert_source,
    register_alert_target,
)
from kcsp.visibility import Audience
from meetings.models import Body, Meeting
from meetings.views.feeds import (
    AgendasFeed,
    DecisionsFeed,
    MinutesFeed,
    agendas_for_feed,
    decisions_for_feed,
    minutes_for_feed,
    supplements_for_feed,
)

MEETING_KINDS = ("agendas", "supplements", "minutes", "decisions")


def _source(
    kind: str,
    label: str,
    prefix: str,
    rows: Callable[[], Any],
    published_field: str,
    feed: Any,
    meeting: Callable[[Any], Meeting],
    order: int,
) -> AlertSource:
    def event(row: Any) -> AlertEvent:
        return AlertEvent(
            key=feed.item_guid(row),
            kind=kind,
            published_at=feed.item_pubdate(row),
            title=feed.item_title(row),
            url=feed.item_link(row),
            lines=tuple(feed.item_description(row).splitlines()),
            subjects=frozenset({("body", meeting(row).body.slug)}),
        )

    return register_alert_source(
        AlertSource(
            kind=kind,
            label=label,
            prefix=prefix,
            rows=rows,
            published_field=published_field,
            event=event,
            order=order,
        )
    )


_agendas = AgendasFeed()
# kind, label, key prefix, rows, when published, feed, the row's meeting
SOURCES: list[
    tuple[str, str, str, Callable[[], Any], str, Any, Callable[[Any], Any]]
] = [
    (
        "agendas",
        "New agendas",
        "agenda",
        lambda: agendas_for_feed(body=None),
        "agenda_published_at",
        _agendas,
        lambda meeting: meeting,
    ),
    (
        "supplements",
        "Late papers and supplementary agendas",
        "supplement",
        lambda: supplements_for_feed(body=None),
        "published_at",
        _agendas,
        lambda supplement: supplement.meeting,
    ),
    (
        "minutes",
        "Published minutes",
        "minutes",
        lambda: minutes_for_feed(body=None),
        "published_at",
        MinutesFeed(),
        lambda minutes: minutes.meeting,
    ),
    (
        "decisions",
        "Decisions",
        "decision",
        lambda: decisions_for_feed(body=None),
        "minute_item__minutes__published_at",
        DecisionsFeed(),
        lambda decision: decision.minute_item.minutes.meeting,
    ),
]
for order, spec in enumerate(SOURCES, start=1):
    _source(*spec, order=order * 10)


def _public_bodies() -> Any:
    return Body.objects.for_audience(Audience.PUBLIC)


register_alert_target(
    AlertTarget(
        kind="body",
        label="Committee or board",
        describe=lambda slug: (
            _public_bodies().filter(slug=slug).values_list("name", flat=True).first()
        ),
        choices=lambda: list(
            _public_bodies().order_by("name").values_list("slug", "name")
        ),
        event_kinds=MEETING_KINDS,
        order=10,
    )
)
