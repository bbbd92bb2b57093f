"""What meetings offer to e-mail alerts: the items of the public feeds (new
agendas, supplementary agendas of late papers, published minutes, decisions),
bodies to follow, and the agenda sent to a body's members.

Each source reads the feed's own queryset, so an alert and a feed item are
the same thing, published at the same moment, as the public sees it. Each
event names its body and its body's partnership, so following either
matches it.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from kcsp.registry import (
    AlertCopies,
    AlertEvent,
    AlertSource,
    AlertTarget,
    register_alert_source,
    register_alert_target,
)
from kcsp.visibility import Audience
from meetings.models import Body, Meeting, Membership
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
        body = meeting(row).body
        return AlertEvent(
            key=feed.item_guid(row),
            kind=kind,
            published_at=feed.item_pubdate(row),
            title=feed.item_title(row),
            url=feed.item_link(row),
            lines=tuple(feed.item_description(row).splitlines()),
            subjects=frozenset(
                {("body", body.slug), ("partnership", body.partnership.slug)}
            ),
            documents=_documents(kind, row),
        )

    return register_alert_source(
        AlertSource(
            kind=kind,
            label=label,
            prefix=prefix,
            rows=rows,
            published_field=published_field,
            event=event,
            copies=_members_copies if kind == "agendas" else None,
            order=order,
        )
    )


def _documents(kind: str, row: Any) -> tuple[tuple[str, str], ...]:
    if kind != "agendas":
        return ()
    url = reverse("meetings:agenda_pdf", args=[row.body.slug, row.url_key])
    return (("The agenda (PDF)", url),)


def _clerk(body: Body) -> str:
    contact = ", ".join(x for x in (body.clerk_name, body.clerk_email) if x)
    return f"the clerk ({contact})" if contact else f"the clerk of the {body.name}"


def _members_copies(events: list[AlertEvent]) -> dict[str, AlertCopies]:
    """The members of each body that has its agendas e-mailed to them, for
    each agenda published of a meeting still to come: those who sit on it
    today and have an e-mail address in the directory."""
    keys = {
        int(pk): e.key for e in events if (pk := e.key.rpartition("-")[2]).isdigit()
    }
    meetings = list(
        Meeting.objects.filter(
            pk__in=keys, body__agenda_to_members=True, start__gt=timezone.now()
        ).select_related("body")
    )
    if not meetings:
        return {}
    members: dict[int, set[str]] = defaultdict(set)
    rows = (
        Membership.objects.current()
        .filter(body__in={m.body_id for m in meetings})
        .exclude(person__email="")
        .values_list("body_id", "person__email")
    )
    for body_id, email in rows:
        members[body_id].add(email)
    return {
        keys[m.pk]: AlertCopies(
            to=frozenset(members[m.body_id]),
            reason=f"You are sent this agenda as a member of the {m.body.name}.",
            stop=f"To stop getting its agendas by e-mail, ask {_clerk(m.body)}.",
        )
        for m in meetings
        if members[m.body_id]
    }


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
