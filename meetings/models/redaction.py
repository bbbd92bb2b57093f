"""Redactions: a passage taken out of a published minute or paper.

The public version (the minute's text, the paper's file and text layer)
holds "[redacted: <reason>]" where the passage was; the record below keeps
what was taken out, who took it out, when and why. What was taken out is
content of its own in the role table (`Content.REDACTED`): administrators
read it, nobody else does, clerks included.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from kcsp.models import AuditedModel, WrittenOnceModel, acting_user, optional_link
from kcsp.visibility import Audience, Content, VisibilityQuerySet
from meetings.models.agendas import Meeting
from meetings.models.documents import Document
from meetings.models.minutes import MinuteItem

MARKER = "[redacted: {reason}]"


def original_upload_to(instance: "Redaction", filename: str) -> str:
    return f"redacted/{uuid.uuid4().hex}/{filename}"


class RedactionQuerySet(VisibilityQuerySet):
    content = Content.REDACTED
    partnership_path = "meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        # What was redacted is never published.
        return Q(pk__in=[])


class Redaction(WrittenOnceModel, AuditedModel):
    """A passage replaced by "[redacted: <reason>]" in a minute item's text
    or in a paper; the original wording is kept here."""

    changed_message = "A redaction is recorded once; redact again to take out more."

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="redactions"
    )
    minute_item = optional_link(
        MinuteItem, on_delete=models.CASCADE, related_name="redactions"
    )
    document = optional_link(
        Document, on_delete=models.CASCADE, related_name="redactions"
    )
    passage = models.TextField(help_text="The words taken out, as the clerk gave them.")
    reason = models.CharField(max_length=200)
    original = models.JSONField(
        default=dict,
        help_text="Each changed text as it was before: its place, then its words.",
    )
    original_file = models.FileField(
        upload_to=original_upload_to,
        blank=True,
        max_length=300,
        help_text="A redacted paper's file as it was uploaded.",
    )
    made_by = acting_user()
    made_at = models.DateTimeField(default=timezone.now)

    objects = RedactionQuerySet.as_manager()

    class Meta:
        ordering = ["-made_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minute_item__isnull=True, document__isnull=False)
                | Q(minute_item__isnull=False, document__isnull=True),
                name="redaction_of_a_minute_or_a_paper",
            )
        ]

    def __str__(self) -> str:
        return f"Redaction from {self.what}: {self.reason}"

    @property
    def what(self) -> str:
        target = self.minute_item or self.document
        return target_name(target) if target is not None else "a deleted record"

    @property
    def marker(self) -> str:
        return MARKER.format(reason=self.reason)


def target_name(target: MinuteItem | Document) -> str:
    """ "minute 52, Community Safety Agreement" or "the paper 'Annual report'"."""
    if isinstance(target, MinuteItem):
        return f"minute {target.number}, {target.title}"
    return f"the paper '{target.title}'"
