"""Abstract bases and fields shared by every app's models."""

from typing import Any

from django.conf import settings
from django.db import models


def acting_user(**options: Any) -> "models.ForeignKey[Any, Any]":
    """The user who did what the row records (saved it, signed it off,
    uploaded it ...). The row outlives their account: the link is then empty."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        **options,
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


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
