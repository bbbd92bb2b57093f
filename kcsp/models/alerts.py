"""E-mail alerts: confirmed addresses, what each follows, and each e-mail.

An address is stored only once its owner has confirmed it (double opt-in:
the request waits, signed, in the confirmation link, not here), with the
moment of consent; deleting it deletes its alerts and its e-mails' records.
No history is kept of these rows: an address removed is gone.
"""

from django.db import models
from django.db.models import Q

from kcsp.models.base import optional_link


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "As soon as it is published"
    DAILY = "daily", "A daily summary"
    WEEKLY = "weekly", "A weekly summary (on Mondays)"


class Subscriber(models.Model):
    """A confirmed e-mail address."""

    email = models.EmailField(max_length=254, unique=True)
    consented_at = models.DateTimeField(
        help_text="When the owner of the address confirmed it."
    )

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email


class Subscription(models.Model):
    """One thing an address follows, for which kinds of event, how often.

    The thing followed is a registered target kind and a value
    (`kcsp.registry.AlertTarget`): ("body", a body's slug), ("action", an
    action's id), ("keyword", the words).
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    target = models.CharField(max_length=20)
    value = models.CharField(max_length=200)
    kinds = models.JSONField(default=list, help_text="The kinds of event followed.")
    frequency = models.CharField(
        max_length=10, choices=Frequency, default=Frequency.IMMEDIATE
    )
    consented_at = models.DateTimeField(
        help_text="When this alert was confirmed: nothing older is sent."
    )

    class Meta:
        ordering = ["subscriber", "target", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "target", "value"],
                name="subscription_unique_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.target} {self.value}"


class Delivery(models.Model):
    """One e-mail to one address: an event's alert, a digest of several, or
    a copy of an event sent as of right (a body's agenda to its members).

    It carries the address it goes to; an alert or digest also names the
    subscriber (and goes when the subscriber is deleted), a copy names none.
    Its `key` (the event's, or "daily-2026-12-05") is unique per address, so
    running the sender again sends nothing twice, and an address that is
    both sent a copy of an event and subscribed to it gets one e-mail. A
    failure is recorded here and retried later; a refusal that will not
    change is kept as failed.
    """

    class Kind(models.TextChoices):
        ALERT = "alert", "Alert or digest"
        COPY = "copy", "Copy sent as of right"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        DROPPED = "dropped", "Not sent: no longer public"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.ALERT)
    email = models.EmailField(max_length=254)
    subscriber = optional_link(
        Subscriber,
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    key = models.CharField(max_length=100)
    events = models.JSONField(default=list, help_text="The keys of its events.")
    status = models.CharField(
        max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(
        null=True, blank=True, help_text="For a digest: the end of what it covers."
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "key"], name="delivery_unique_address_key"
            ),
            models.CheckConstraint(
                condition=Q(kind="copy") | Q(subscriber__isnull=False),
                name="delivery_alert_has_subscriber",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_waiting",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["email", "sent_at"], name="delivery_address_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.key} to {self.email}"
