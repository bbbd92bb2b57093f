"""Double opt-in, the signed links of every alert e-mail, and the changes a
subscriber makes.

Nothing is stored when someone asks for an alert: the request travels,
signed, in the confirmation link, which expires after
`ALERTS_CONFIRM_HOURS`. Following it stores the address with the moment of
consent. Every e-mail then carries a link to manage one's alerts and a
one-click unsubscribe link (RFC 8058), both signed with the address's record:
no account is needed, and once the address is removed its links stop working.
"""

import dataclasses
import datetime as dt
from typing import Any, Protocol, cast

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from kcsp import registry
from kcsp.mail import absolute, email_message
from kcsp.models import Frequency, Subscriber, Subscription

CONFIRM_SALT = "kcsp.alerts.confirm"
MANAGE_SALT = "kcsp.alerts.manage"


class LinkExpired(Exception):
    """A confirmation link older than ALERTS_CONFIRM_HOURS."""


class BadLink(Exception):
    """A link that was not made by the portal, or was cut short."""


@dataclasses.dataclass(frozen=True)
class AlertRequest:
    """What someone asked to follow, waiting for them to confirm it."""

    email: str
    target: str
    value: str
    kinds: tuple[str, ...]
    frequency: str

    @property
    def target_label(self) -> str:
        return describe(self.target, self.value) or self.value


def describe(target: str, value: str) -> str | None:
    """The followed thing's public name, or None when it is not public (or
    not a name at all: a NUL character no database column may hold)."""
    found = registry.alert_target(target)
    if found is None or "\x00" in value:
        return None
    return found.describe(value)


def normalise_email(email: str) -> str:
    return email.strip().lower()


# Links ------------------------------------------------------------------------


def confirm_token(request: AlertRequest) -> str:
    return signing.dumps(dataclasses.astuple(request), salt=CONFIRM_SALT, compress=True)


def _loads(
    token: str, *, salt: str, parts: int, max_age: dt.timedelta | None = None
) -> list[Any]:
    """The `parts` values a signed link's token carries; raises LinkExpired
    once it is older than `max_age`, BadLink for one the portal did not make."""
    try:
        values = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink from error
    if not isinstance(values, list) or len(values) != parts:
        raise BadLink
    return values


def read_confirm_token(token: str) -> AlertRequest:
    """The request a confirmation link carries; raises LinkExpired or BadLink."""
    max_age = dt.timedelta(hours=settings.ALERTS_CONFIRM_HOURS)
    email, target, value, kinds, frequency = _loads(
        token, salt=CONFIRM_SALT, parts=5, max_age=max_age
    )
    return AlertRequest(email, target, value, tuple(kinds), frequency)


class Sent(Protocol):
    """A stored record with the address it came from."""

    @property
    def pk(self) -> Any: ...

    email: str


def sender_tell(
    record: Sent, *, subject: str, template: str, context: dict[str, Any]
) -> None:
    """E-mail the sender of a record (a question, a petition) what became of
    it, while their address is kept; once it is deleted nobody is told."""
    if record.email:
        email_message(
            to=record.email, subject=subject, template=template, context=context
        ).send()


@dataclasses.dataclass(frozen=True)
class ConfirmationLink[M: Model]:
    """The signed link e-mailed to the sender of a record held until they
    confirm it (a question, a petition, a signature): it names the record
    and the address it was sent to, opens the page `url_name`, and lasts the
    hours of the setting `hours_setting`. Once the record or its address is
    gone, the link names nothing."""

    url_name: str
    salt: str
    hours_setting: str
    records: QuerySet[M]

    @property
    def hours(self) -> int:
        hours: int = getattr(settings, self.hours_setting)
        return hours

    def url(self, record: Sent) -> str:
        token = signing.dumps([record.pk, record.email], salt=self.salt)
        return absolute(reverse(self.url_name, args=[token]))

    def send(
        self, record: Sent, *, subject: str, template: str, context: dict[str, Any]
    ) -> None:
        """E-mail the link to the record's sender (SMTP errors are the
        caller's to tell); the templates have it as `confirm_url`, with how
        many `hours` it lasts."""
        email_message(
            to=record.email,
            subject=subject,
            template=template,
            context={**context, "confirm_url": self.url(record), "hours": self.hours},
        ).send()

    def hold(
        self, record: M, *, subject: str, template: str, context: dict[str, Any]
    ) -> M:
        """Save a new `record`, validated, held until its sender follows the
        link e-mailed to them now (see `send`)."""
        record.full_clean()
        record.save()
        # Every record a link holds keeps its sender's address (see `Sent`).
        sent = cast(Sent, record)
        self.send(sent, subject=subject, template=template, context=context)
        return record

    def record(self, token: str) -> M:
        """The record a link names; raises LinkExpired, or BadLink also once
        the record or its address is gone."""
        found = self._named(token, max_age=dt.timedelta(hours=self.hours))
        if found is None:
            raise BadLink
        return found

    def named(self, token: str) -> M | None:
        """The record a link names however old the link is, or None: for the
        page that tells the reader of a link that no longer works where to
        start again."""
        try:
            return self._named(token, max_age=None)
        except BadLink:
            return None

    def _named(self, token: str, *, max_age: dt.timedelta | None) -> M | None:
        pk, email = _loads(token, salt=self.salt, parts=2, max_age=max_age)
        return self.records.filter(pk=pk, email=email).exclude(email="").first()


def manage_token(subscriber: Subscriber) -> str:
    return signing.dumps([subscriber.pk, subscriber.email], salt=MANAGE_SALT)


def subscriber_of(token: str) -> Subscriber | None:
    """The address a manage or unsubscribe link was made for; None once it
    has been removed. Raises BadLink for a link the portal did not make."""
    pk, email = _loads(token, salt=MANAGE_SALT, parts=2)
    return Subscriber.objects.filter(pk=pk, email=email).first()


def links(subscriber: Subscriber) -> dict[str, str]:
    token = manage_token(subscriber)
    return {
        "manage_url": absolute(reverse("kcsp:alert_manage", args=[token])),
        "unsubscribe_url": absolute(reverse("kcsp:alert_unsubscribe", args=[token])),
    }


# E-mails ----------------------------------------------------------------------


def alert_request_send(request: AlertRequest) -> None:
    """E-mail the confirmation link (SMTP errors are the caller's to tell)."""
    token = confirm_token(request)
    context = {
        "request": request,
        "confirm_url": absolute(reverse("kcsp:alert_confirm", args=[token])),
        "hours": settings.ALERTS_CONFIRM_HOURS,
        "kinds": kind_names(request.kinds),
        "frequency": Frequency(request.frequency).label,
    }
    email_message(
        to=request.email,
        subject=f"Confirm your e-mail alert: {request.target_label}",
        template="kcsp/email/alert_confirm",
        context=context,
    ).send()


def kind_names(kinds: Any) -> list[str]:
    from kcsp.alerts.events import kind_labels

    labels = kind_labels()
    return [labels[k] for k in kinds if k in labels]


# Limits -------------------------------------------------------------------------


def within_limit(name: str, limit: int, seconds: int) -> bool:
    """Count one more use of `name` in a window of `seconds` (in the shared
    cache, so every web node counts together); False past `limit`."""
    key = f"alerts-limit:{name}"
    cache.add(key, 0, seconds)
    try:
        used = cache.incr(key)
    except ValueError:
        # Expired between the two calls: this is the window's first use.
        cache.set(key, 1, seconds)
        used = 1
    return used <= limit


# A field people never see on the public forms that e-mail a confirmation
# link (templates/includes/honeypot.html): a form that fills it in is a robot's.
HONEYPOT = "website"


@dataclasses.dataclass(frozen=True)
class SendingLimit:
    """How often a public form that e-mails a confirmation link sends one:
    at most the setting `per_hour` requests from one connection in an hour
    (past it they are told `busy`), and the setting `per_day` links to one
    e-mail address in a day (past it they are told to use one already sent)."""

    scope: str
    per_hour: str
    per_day: str
    busy: str

    def refused(self, address: str | None, email: str) -> str | None:
        """Why a request from `address` to e-mail `email` is refused for now,
        or None."""
        per_hour: int = getattr(settings, self.per_hour)
        per_day: int = getattr(settings, self.per_day)
        if not within_limit(f"{self.scope}-ip:{address}", per_hour, 3600):
            return self.busy
        if not within_limit(f"{self.scope}-to:{email}", per_day, 86400):
            return (
                "We have already sent several confirmation e-mails to this "
                "address today. Follow the link in one of them, or try again "
                "tomorrow."
            )
        return None


# Changes ----------------------------------------------------------------------


@transaction.atomic
def subscription_confirm(
    *, request: AlertRequest, at: dt.datetime | None = None
) -> Subscription:
    """Store the address (once, with the moment of consent) and its alert; a
    second confirmation of the same alert replaces its choices."""
    at = at or timezone.now()
    subscriber, _ = Subscriber.objects.get_or_create(
        email=normalise_email(request.email), defaults={"consented_at": at}
    )
    subscription, _ = Subscription.objects.update_or_create(
        subscriber=subscriber,
        target=request.target,
        value=request.value,
        defaults={"kinds": list(request.kinds), "frequency": request.frequency},
        create_defaults={
            "kinds": list(request.kinds),
            "frequency": request.frequency,
            "consented_at": at,
        },
    )
    return subscription


def subscription_change(
    *, subscription: Subscription, kinds: list[str], frequency: str
) -> Subscription:
    subscription.kinds = list(kinds)
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save(update_fields=["kinds", "frequency"])
    return subscription


@transaction.atomic
def subscription_remove(*, subscription: Subscription) -> bool:
    """Stop one alert; the address goes with its last alert. Returns whether
    the address is kept."""
    subscriber = subscription.subscriber
    subscription.delete()
    if not subscriber.subscriptions.exists():
        subscriber.delete()
        return False
    return True


def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Remove the address with all its alerts and the records of its e-mails."""
    subscriber.delete()
