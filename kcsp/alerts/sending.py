"""The alert sender: what was published since, to whom, and sending it.

`alerts_send` runs as a task on the database worker (`manage.py send_alerts`
queues it; run it every few minutes). Each run:

1. reads what the public may see that was published in the last
   `LOOKBACK` (a paper published at a set time counts from that time, not
   from when it was saved);
2. queues the copies sent as of right (a body's agenda to its members,
   `AlertSource.copies`), then one e-mail per address and event for
   immediate alerts, and one digest per address for daily and weekly alerts
   once they are due, each under a key unique per address, so a second run
   queues nothing twice and an address that several alerts match, or that is
   sent a copy and follows it too, gets one e-mail per event;
3. sends what is due, at most `ALERTS_MAX_PER_RUN` e-mails a run and
   `ALERTS_PER_ADDRESS_PER_HOUR` to one address (the rest wait for a later
   run). Each event is read again as the public sees it at sending time: one
   taken out of public view meanwhile is left out. A temporary SMTP failure is
   retried with back-off; a refusal (5xx) or too many failures is recorded as
   failed.
"""

import datetime as dt
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from kcsp.alerts.events import Matcher, copies_of, events_by_key, published_events
from kcsp.alerts.subscribing import links
from kcsp.formatting import long_date
from kcsp.mail import absolute, email_of_parts, email_parts
from kcsp.models import Delivery, Frequency, Subscription
from kcsp.registry import AlertCopies, AlertEvent

# How far back a run looks for what was published: longer than a weekly
# digest covers, and than the worker might be stopped for.
LOOKBACK = dt.timedelta(days=8)
# A delivery left "sending" this long (its worker stopped) is sent again.
STALE = dt.timedelta(minutes=15)
# Retries of a temporary failure: 5, 10, 20, 40 and 80 minutes later.
BACKOFF = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 6
# How long the record of each e-mail is kept (a failure can be looked into).
KEEP = dt.timedelta(days=90)
DIGEST_PREFIX = {Frequency.DAILY: "daily", Frequency.WEEKLY: "weekly"}


@dataclass
class SendReport:
    queued: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def alerts_send(
    *, now: dt.datetime | None = None, since: dt.datetime | None = None
) -> SendReport:
    """Queue what was published after `since` (by default the last
    `LOOKBACK`) and send every e-mail due."""
    now = now or timezone.now()
    report = SendReport(queued=alerts_queue(now=now, since=since))
    deliveries_send(now=now, report=report)
    deliveries_prune(now=now)
    return report


# Queueing -----------------------------------------------------------------------


def digest_key(frequency: str, now: dt.datetime) -> str | None:
    """The key of the digest due now, or None when none is: daily ones from
    `ALERTS_DIGEST_HOUR` each day, weekly ones from then on Mondays."""
    local = timezone.localtime(now)
    if local.hour < settings.ALERTS_DIGEST_HOUR:
        return None
    if frequency == Frequency.DAILY:
        return f"daily-{local.date().isoformat()}"
    year, week, weekday = local.isocalendar()
    return f"weekly-{year}-W{week:02d}" if weekday == 1 else None


def _delivered(since: dt.datetime) -> dict[str, set[str]]:
    """Each address's events already queued or sent since `since`."""
    done: dict[str, set[str]] = defaultdict(set)
    rows = Delivery.objects.filter(created_at__gte=since).values_list("email", "events")
    for email, events in rows:
        done[email].update(events)
    return done


def alerts_queue(*, now: dt.datetime, since: dt.datetime | None = None) -> int:
    """Queue the e-mails that what was published after `since` calls for;
    returns how many were queued."""
    since = since or now - LOOKBACK
    events = published_events(since=since, until=now)
    if not events:
        return 0
    done = _delivered(min(since, now - LOOKBACK) - LOOKBACK)
    # Copies first: an address sent one is not also sent the alert.
    queued = _queue_copies(events, done, now)
    subscriptions = list(Subscription.objects.select_related("subscriber"))
    if not subscriptions:
        return queued
    matcher = Matcher(subscriptions)
    emails = {s.subscriber_id: s.subscriber.email for s in subscriptions}
    immediate: list[Delivery] = []
    # frequency -> address -> its events by key, oldest first
    digests: dict[str, dict[int, dict[str, AlertEvent]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for event in events:
        matched = matcher.matching(event)
        at_once = {
            s.subscriber_id for s in matched if s.frequency == Frequency.IMMEDIATE
        }
        for subscriber_id in sorted(at_once):
            email = emails[subscriber_id]
            if event.key not in done[email]:
                immediate.append(
                    _delivery(subscriber_id, email, event.key, [event.key], now)
                )
                done[email].add(event.key)
        for s in matched:
            if (
                s.subscriber_id not in at_once
                and event.key not in done[emails[s.subscriber_id]]
            ):
                digests[s.frequency][s.subscriber_id][event.key] = event
    queued += _queue(immediate)
    for frequency, boxes in digests.items():
        key = digest_key(frequency, now)
        if key is not None:
            queued += _queue_digests(frequency, key, boxes, emails, now)
    return queued


def _queue_copies(
    events: list[AlertEvent], done: dict[str, set[str]], now: dt.datetime
) -> int:
    """Queue the copies of events sent as of right, one per address and event."""
    copies = []
    for key, copy in copies_of(events).items():
        for email in sorted(copy.to):
            if key not in done[email]:
                copies.append(
                    Delivery(
                        kind=Delivery.Kind.COPY,
                        email=email,
                        key=key,
                        events=[key],
                        created_at=now,
                        next_attempt_at=now,
                    )
                )
                done[email].add(key)
    return _queue(copies)


def _delivery(
    subscriber_id: int,
    email: str,
    key: str,
    events: list[str],
    now: dt.datetime,
    **more: Any,
) -> Delivery:
    return Delivery(
        subscriber_id=subscriber_id,
        email=email,
        key=key,
        events=events,
        created_at=now,
        next_attempt_at=now,
        **more,
    )


def _queue(deliveries: list[Delivery]) -> int:
    # A run alongside this one may have queued some: those are kept once.
    Delivery.objects.bulk_create(deliveries, batch_size=1000, ignore_conflicts=True)
    return len(deliveries)


def deliveries_prune(*, now: dt.datetime) -> int:
    """Forget e-mails finished more than KEEP ago (far longer than any run
    looks back, so nothing is sent twice); returns how many."""
    done = [Delivery.Status.SENT, Delivery.Status.FAILED, Delivery.Status.DROPPED]
    old = Delivery.objects.filter(status__in=done, created_at__lt=now - KEEP)
    return old.delete()[0]


def _queue_digests(
    frequency: str,
    key: str,
    boxes: dict[int, dict[str, AlertEvent]],
    emails: dict[int, str],
    now: dt.datetime,
) -> int:
    """One digest per address not yet sent its `key`, of the events since
    the end of its last digest of this frequency."""
    prefix = DIGEST_PREFIX[Frequency(frequency)]
    last = dict(
        Delivery.objects.filter(key__startswith=f"{prefix}-", subscriber_id__in=boxes)
        .values("subscriber_id")
        .annotate(end=Max("window_end"))
        .values_list("subscriber_id", "end")
    )
    had = set(
        Delivery.objects.filter(key=key, subscriber_id__in=boxes).values_list(
            "subscriber_id", flat=True
        )
    )
    digests = []
    for subscriber_id, events in boxes.items():
        if subscriber_id in had:
            continue
        since = last.get(subscriber_id)
        keys = [k for k, e in events.items() if since is None or e.published_at > since]
        if keys:
            digests.append(
                _delivery(
                    subscriber_id, emails[subscriber_id], key, keys, now, window_end=now
                )
            )
    return _queue(digests)


# Sending ---------------------------------------------------------------------------


# Deliveries read, claimed and recorded at a time: the queries of a run grow
# with the number of batches, not of e-mails.
BATCH = 500
# Stand-ins for the per-address links in bodies rendered once per event.
_LINK_MARKS = {"manage_url": "@@manage-url@@", "unsubscribe_url": "@@unsubscribe-url@@"}


def _due(now: dt.datetime, after: int, size: int) -> list[Delivery]:
    waiting = Q(status=Delivery.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Delivery.Status.SENDING, next_attempt_at__lte=now - STALE
    )
    return list(
        Delivery.objects.filter(waiting, pk__gt=after)
        .select_related("subscriber")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")[:size]
    )


def _sent_last_hour(deliveries: list[Delivery], now: dt.datetime) -> dict[str, int]:
    return dict(
        Delivery.objects.filter(
            email__in={d.email for d in deliveries},
            sent_at__gt=now - dt.timedelta(hours=1),
        )
        .values("email")
        .annotate(n=Count("pk"))
        .values_list("email", "n")
    )


def _claim(
    now: dt.datetime, after: int, size: int, limit: int
) -> tuple[list[Delivery], int, int]:
    """Take the next batch of due deliveries for this run (rows another run
    holds are skipped), leaving those of an address at its hourly limit;
    returns the claimed ones, how many wait, and the last id read."""
    with transaction.atomic():
        due = _due(now, after, size)
        if not due:
            return [], 0, after
        sent_recently = _sent_last_hour(due, now)
        claimed = []
        for delivery in due:
            count = sent_recently.get(delivery.email, 0)
            if count < limit:
                sent_recently[delivery.email] = count + 1
                claimed.append(delivery)
        Delivery.objects.filter(pk__in=[d.pk for d in claimed]).update(
            status=Delivery.Status.SENDING, next_attempt_at=now
        )
    return claimed, len(due) - len(claimed), due[-1].pk


def _permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    code = getattr(error, "smtp_code", 0)
    return isinstance(code, int) and code >= 500


def _record_failure(
    delivery: Delivery, now: dt.datetime, error: Exception, report: SendReport
) -> None:
    delivery.attempts += 1
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    if _permanent(error) or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        report.failed += 1
    else:
        delivery.status = Delivery.Status.PENDING
        delivery.next_attempt_at = now + BACKOFF * 2 ** (delivery.attempts - 1)
        report.retrying += 1
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])


def deliveries_send(
    *, now: dt.datetime, report: SendReport | None = None
) -> SendReport:
    """Send the e-mails due, through one connection to the mail server, a
    batch at a time: each batch is claimed, sent and recorded in a constant
    number of queries, and each event's e-mail is rendered once."""
    report = report or SendReport()
    limit = settings.ALERTS_PER_ADDRESS_PER_HOUR
    budget = settings.ALERTS_MAX_PER_RUN
    events: dict[str, AlertEvent] = {}
    copies: dict[str, AlertCopies] = {}
    parts: dict[tuple[str, ...], tuple[str, tuple[str, str]]] = {}
    after = 0
    with mailers.default as connection:
        while budget > 0:
            batch, waiting, after = _claim(now, after, min(BATCH, budget), limit)
            report.waiting += waiting
            if not batch and not waiting:
                break
            budget -= len(batch)
            wanted = {k for d in batch for k in d.events} - set(events)
            if wanted:
                events.update(events_by_key(wanted, now=now))
            copied = {
                k: events[k]
                for d in batch
                if d.kind == Delivery.Kind.COPY
                for k in d.events
                if k in events and k not in copies
            }
            if copied:
                copies.update(copies_of(list(copied.values())))
            if len(parts) > BATCH:
                parts.clear()
            _send_batch(batch, events, copies, parts, connection, now, report)
    return report


def _send_batch(
    batch: list[Delivery],
    events: dict[str, AlertEvent],
    copies: dict[str, AlertCopies],
    parts: dict[tuple[str, ...], tuple[str, tuple[str, str]]],
    connection: Any,
    now: dt.datetime,
    report: SendReport,
) -> None:
    sent: list[int] = []
    dropped: list[int] = []
    for delivery in batch:
        found = [events[k] for k in delivery.events if k in events]
        copy = None
        if delivery.kind == Delivery.Kind.COPY:
            copy = copies.get(delivery.key)
            if copy is None or delivery.email not in copy.to:
                # No longer one of those it goes to (a member who left).
                found = []
        if not found:
            dropped.append(delivery.pk)
            continue
        message = (
            _copy_message(delivery, found[0], copy, parts)
            if copy is not None
            else _message(delivery, found, parts)
        )
        try:
            connection.send_messages([message])
        except (smtplib.SMTPException, OSError) as failure:
            # The next message starts a new session.
            connection.close()
            _record_failure(delivery, now, failure, report)
        else:
            sent.append(delivery.pk)
    if sent:
        Delivery.objects.filter(pk__in=sent).update(
            status=Delivery.Status.SENT,
            sent_at=now,
            last_error="",
            attempts=F("attempts") + 1,
        )
        report.sent += len(sent)
    if dropped:
        Delivery.objects.filter(pk__in=dropped).update(status=Delivery.Status.DROPPED)


def _message(
    delivery: Delivery,
    events: list[AlertEvent],
    cache: dict[tuple[str, ...], tuple[str, tuple[str, str]]],
) -> Any:
    """The delivery's e-mail: its bodies are rendered once for each event (or
    set of events of a digest) with stand-ins for the address's own links."""
    digest = delivery.window_end is not None
    period = "daily" if delivery.key.startswith("daily-") else "weekly"
    shape = (period if digest else "", *(e.key for e in events))
    if shape not in cache:
        shown = events[: settings.ALERTS_DIGEST_ITEMS]
        context: dict[str, Any] = {
            "events": [_shown(e) for e in shown],
            "more": len(events) - len(shown),
            "digest": digest,
            "period": period,
            **_LINK_MARKS,
        }
        if digest:
            count = f"{len(events)} new item{'s' if len(events) != 1 else ''}"
            subject = f"{settings.PORTAL_SHORT_NAME} {period} alerts: {count}"
        else:
            subject = events[0].title
        cache[shape] = (subject, email_parts("kcsp/email/alert", context))
    subject, (text, html) = cache[shape]
    # An alert or digest always has its subscriber (a database constraint).
    urls = links(delivery.subscriber)  # type: ignore[arg-type]
    for name, mark in _LINK_MARKS.items():
        text = text.replace(mark, urls[name])
        html = html.replace(mark, escape(urls[name]))
    return email_of_parts(
        to=delivery.email,
        subject=subject,
        parts=(text, html),
        unsubscribe_url=urls["unsubscribe_url"],
    )


def _copy_message(
    delivery: Delivery,
    event: AlertEvent,
    copy: AlertCopies,
    cache: dict[tuple[str, ...], tuple[str, tuple[str, str]]],
) -> Any:
    """A copy of an event sent as of right: the same for each of those it
    goes to, rendered once; it says why it came and whom to ask to stop it,
    and has no unsubscribe link (nobody subscribed)."""
    shape = ("copy", event.key)
    if shape not in cache:
        context = {
            "event": _shown(event),
            "reason": copy.reason,
            "stop": copy.stop,
            "sign_in_url": absolute(reverse("login")) if copy.sign_in else "",
        }
        cache[shape] = (event.title, email_parts("kcsp/email/copy", context))
    subject, parts = cache[shape]
    return email_of_parts(
        to=delivery.email, subject=subject, parts=parts, unsubscribe_url=None
    )


def _shown(event: AlertEvent) -> dict[str, Any]:
    return {
        "title": event.title,
        "url": absolute(event.url),
        "published": long_date(event.published_at),
        "lines": event.lines[: settings.ALERTS_EVENT_LINES],
        "documents": [(label, absolute(url)) for label, url in event.documents],
    }
