"""What a body has asked for and expects: resolution actions and the forward
plan (work programme) of items due at future meetings."""

from django.db import models

from kcsp.formatting import MONTH_CHOICES
from kcsp.models import (
    Action,
    AuditedModel,
    Organisation,
    optional_link,
)
from meetings.models.agendas import Meeting
from meetings.models.bodies import Body
from meetings.models.minutes import Resolution, ResolutionPart


class ResolutionAction(AuditedModel):
    """Links a tracked action to the resolution (and part) that created it."""

    # The `source_kind` of these actions (`meetings.sources` registers it).
    ACTION_KIND = "resolution"

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, related_name="resolution_link"
    )
    resolution = models.ForeignKey(
        Resolution, on_delete=models.CASCADE, related_name="actions"
    )
    part = optional_link(ResolutionPart, related_name="actions")
    due_meeting = optional_link(
        Meeting,
        related_name="actions_due",
        help_text="The meeting the action reports back to.",
    )

    class Meta:
        ordering = ["resolution", "pk"]

    def __str__(self) -> str:
        return f"{self.action} (minute {self.resolution.minute_item.number})"


class RecurringItem(AuditedModel):
    """An item a body takes every year (or every few years) in a given month."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="recurring_items"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    month = models.PositiveSmallIntegerField(choices=MONTH_CHOICES)
    every_years = models.PositiveSmallIntegerField(
        default=1, help_text="1 for every year, 3 for every third year."
    )
    first_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For items not taken every year."
    )
    presenter = models.CharField(max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["body", "month", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_month_display()})"

    def falls_in(self, year: int, month: int) -> bool:
        if not self.active or month != self.month:
            return False
        if self.every_years <= 1 or not self.first_year:
            return True
        return (
            year >= self.first_year and (year - self.first_year) % self.every_years == 0
        )


class ForwardPlanQuerySet(models.QuerySet["ForwardPlanItem"]):
    # Whose entry it is: a clerk's back office lists their partnerships'.
    partnership_path = "body__partnership"


class ForwardPlanItem(AuditedModel):
    """An item planned for a future meeting: added by the clerk, or recorded
    when a recurring item or a due action is put on an agenda."""

    class Source(models.TextChoices):
        CLERK = "clerk", "Added by the clerk"
        RECURRING = "recurring", "Recurring item"
        ACTION = "action", "Action due at the meeting"

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="forward_plan"
    )
    meeting = optional_link(Meeting, related_name="forward_plan_items")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source, default=Source.CLERK)
    recurring = optional_link(RecurringItem)
    action = optional_link(Action)
    partner_to_attend = optional_link(
        Organisation,
        related_name="+",
        help_text="A partner required to attend or to provide information: they "
        "must be given 28 days' notice.",
    )
    is_public = models.BooleanField(default=True)

    objects = ForwardPlanQuerySet.as_manager()

    class Meta:
        ordering = ["body", "meeting__start", "title"]

    def __str__(self) -> str:
        return self.title
