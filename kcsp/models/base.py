"""Abstract bases and fields shared by every app's models."""

import datetime as dt
from collections.abc import Callable
from typing import Any, Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

_M = TypeVar("_M", bound=models.Model)


def optional_link(
    to: Any, *, on_delete: Callable[..., None] = models.SET_NULL, **options: Any
) -> "models.ForeignKey[Any, Any]":
    """A link the row can do without: it may be left empty. Unless `on_delete`
    says otherwise, it is emptied when the row it points to is deleted, and
    this row is kept."""
    return models.ForeignKey(to, on_delete=on_delete, null=True, blank=True, **options)


def acting_user(**options: Any) -> "models.ForeignKey[Any, Any]":
    """The user who did what the row records (saved it, signed it off,
    uploaded it ...). The row outlives their account: the link is then empty."""
    return optional_link(settings.AUTH_USER_MODEL, related_name="+", **options)


def lookup_through(path: str, lookup: str) -> str:
    """`lookup` of the row `path` leads to ("meeting" and "body__is_public"
    make "meeting__body__is_public"); the row's own `lookup` when `path` is
    empty."""
    return f"{path}__{lookup}" if path else lookup


def unique_within(
    parent: str, *fields: str, name: str, message: str | None = None
) -> models.UniqueConstraint:
    """At most one row with these `fields` within each `parent` (a number
    within its meeting, a label within its agreement ...); `message` is what a
    form says when a second one is entered."""
    return models.UniqueConstraint(
        fields=[parent, *fields], name=name, violation_error_message=message
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class AuditedModel(TimeStampedModel):
    """A timestamped row whose every change is kept in its `history`: who
    changed what, and when."""

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True


class WrittenOnceModel(models.Model):
    """A record written once and never changed (a log entry, a progress
    update): a correction is a new row. Saving it again raises ValueError
    with `changed_message`."""

    changed_message = "This record cannot be changed."

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(self.changed_message)
        super().save(*args, **kwargs)


class ProvenanceModel(models.Model):
    """Where an imported record came from, so a clerk can trace it back."""

    source_system = models.CharField(
        max_length=40, blank=True, help_text="For example 'moderngov' or 'minutes'."
    )
    source_id = models.CharField(max_length=100, blank=True)
    source_url = models.URLField(max_length=500, blank=True)
    first_imported_at = models.DateTimeField(null=True, blank=True)
    last_imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class InForceQuerySet(models.QuerySet[_M]):
    """Rows in force from their `start` to their `end` date (a post held, a
    seat on a body); an empty date leaves that side open."""

    def on(self, day: dt.date) -> Self:
        """The rows in force on `day` ("who were members on 8 July 2011")."""
        return self.filter(Q(start__isnull=True) | Q(start__lte=day)).filter(
            Q(end__isnull=True) | Q(end__gte=day)
        )

    def current(self) -> Self:
        return self.on(timezone.localdate())
