"""The log of records deleted when their retention period ran out."""

from django.db import models
from django.utils import timezone

from kcsp.models.base import WrittenOnceModel


class RetentionDeletion(WrittenOnceModel):
    """One record the daily retention job deleted: what it was, under which
    rule, until when it had to be kept and when it went. Written once and
    never changed, so it keeps no history of its own."""

    rule = models.CharField(max_length=300)
    kind = models.CharField(
        "kind of record", max_length=100, help_text="For example meetings.document."
    )
    record_id = models.PositiveBigIntegerField()
    description = models.CharField(max_length=600)
    kept_until = models.DateField(help_text="The last day the rule kept it.")
    deleted_at = models.DateTimeField(default=timezone.now)

    changed_message = "A retention log entry cannot be changed."

    class Meta:
        ordering = ["-deleted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.description} (deleted {self.deleted_at:%d/%m/%Y})"
