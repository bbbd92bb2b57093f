"""Recommendations of a review, the learning themes they carry, and the
agency actions that answer them.

An agency action is a row of the shared `kcsp.Action` table (so it shows in
the agency's "My actions" like any other) linked here to its recommendation,
with the DHR board's sign-off: when, and at which minute.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dhr.models.cases import Case
from kcsp.formatting import long_date
from kcsp.models import (
    Action,
    AuditedModel,
    Organisation,
    TimeStampedModel,
    optional_link,
    unique_within,
)


class LearningTheme(AuditedModel):
    """A lesson that recurs across reviews, e.g. information sharing."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Recommendation(TimeStampedModel):
    class Level(models.TextChoices):
        SINGLE_AGENCY = "single_agency", "Single agency"
        MULTI_AGENCY = "multi_agency", "Multi-agency"
        NATIONAL = "national", "National"

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField(
        help_text="Numbered in order within the review; never reused."
    )
    text = models.TextField(
        help_text="As the overview report words it. No names: it is published "
        "with the action plan."
    )
    level = models.CharField(max_length=20, choices=Level, default=Level.SINGLE_AGENCY)
    addressed_to = optional_link(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency the recommendation is for.",
    )
    addressed_to_other = models.CharField(
        "addressed to (other)",
        max_length=200,
        blank=True,
        help_text="For a body outside the directory, for example 'Home Office' "
        "or 'All panel agencies'.",
    )
    themes = models.ManyToManyField(
        LearningTheme,
        blank=True,
        related_name="recommendations",
        verbose_name="learning themes",
    )

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            unique_within(
                "case",
                "number",
                name="dhr_recommendation_unique_number",
                message="The review already has a recommendation with this number.",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="dhr_recommendation_number_positive",
                violation_error_message="Recommendations are numbered from 1.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}, recommendation {self.number}"

    @property
    def addressee(self) -> str:
        if self.addressed_to is not None:
            return self.addressed_to.name
        return self.addressed_to_other


class AgencyAction(AuditedModel):
    """Links a tracked action to the recommendation it answers, with the
    board's sign-off."""

    # The `source_kind` of these actions (`dhr.sources` registers it).
    ACTION_KIND = "dhr"

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, related_name="dhr_link"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.PROTECT, related_name="agency_actions"
    )
    signed_off_on = models.DateField(
        "signed off by the board on", null=True, blank=True
    )
    minute_item = optional_link(
        "meetings.MinuteItem",
        related_name="+",
        verbose_name="minute",
        help_text="The board's minute that signed the action off.",
    )
    minute_reference = models.CharField(
        max_length=120,
        blank=True,
        help_text="For minutes kept outside the portal, for example 'Minute 12, "
        "5 June 2026'.",
    )

    class Meta:
        ordering = ["recommendation", "pk"]
        verbose_name = "agency action"
        constraints = [
            models.CheckConstraint(
                condition=Q(signed_off_on__isnull=False)
                | (Q(minute_item__isnull=True) & Q(minute_reference="")),
                name="dhr_agencyaction_minute_needs_sign_off",
                violation_error_message="A minute is recorded with the sign-off.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} ({self.recommendation})"

    @property
    def sign_off_date(self) -> dt.date | None:
        """The date the board signed the action off; for a sign-off recorded
        on the action's own page, the day it was recorded."""
        if self.signed_off_on:
            return self.signed_off_on
        if self.action.signed_off_at:
            return timezone.localdate(self.action.signed_off_at)
        return None

    @property
    def minute_label(self) -> str:
        """'Minute 12, 5 June 2026' from the linked minute or the typed one."""
        item = self.minute_item
        if item is not None:
            return f"Minute {item.number}, {long_date(item.minutes.meeting.date)}"
        return self.minute_reference
