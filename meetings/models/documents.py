"""Papers of a meeting: reports, appendices, presentations, late papers."""

import uuid

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from simple_history.models import HistoricalRecords

from kcsp.models import (
    AuditedModel,
    ProvenanceModel,
    TimeStampedModel,
    UploadedFileModel,
    optional_link,
    unique_within,
)
from kcsp.visibility import (
    Audience,
    ExemptParagraph,
    Visibility,
    VisibilityQuerySet,
    levels_for,
)
from meetings.models.agendas import AgendaItem, Meeting, published_agenda_q
from meetings.models.exemption import exempt_needs_paragraph


def document_upload_to(instance: "Document", filename: str) -> str:
    # An unguessable folder: files are served only through the portal's view,
    # but a leaked storage listing should still not reveal names by year.
    return f"documents/{uuid.uuid4().hex}/{filename}"


class DocumentQuerySet(VisibilityQuerySet):
    partnership_path = "meeting__body__partnership"

    def published_q(self, audience: Audience) -> Q:
        """Published papers whose own level, item and meeting all allow it.

        A paper of an exempt item is never public, whatever the paper says.
        """
        return (
            Q(visibility__in=levels_for(audience.reach(self.content)))
            # The database's clock, not a parameter: the same rule reads as
            # the same SQL at every request, so readings of it can be cached.
            & Q(published_at__isnull=False, published_at__lte=Now())
            & (Q(item__isnull=True) | Q(item__visibility=Visibility.PUBLIC))
            & published_agenda_q("meeting")
        )


class Supplement(AuditedModel):
    """ "Supplementary agenda 1": papers published together after the agenda."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="supplements"
    )
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            unique_within("meeting", "number", name="supplement_unique_number")
        ]

    def __str__(self) -> str:
        return f"Supplementary agenda {self.number}"


class Document(TimeStampedModel, ProvenanceModel, UploadedFileModel):
    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        APPENDIX = "appendix", "Appendix"
        PRESENTATION = "presentation", "Presentation"
        SUPPLEMENT = "supplement", "Supplement"
        LATE_PAPER = "late_paper", "Late paper"
        MINUTES = "minutes", "Minutes"
        BACKGROUND = "background", "Background paper"
        OTHER = "other", "Other"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="documents"
    )
    item = optional_link(
        AgendaItem,
        on_delete=models.CASCADE,
        related_name="documents",
        help_text="Leave blank for a paper of the whole meeting.",
    )
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.REPORT)
    version = models.PositiveSmallIntegerField(default=1)
    file = models.FileField(upload_to=document_upload_to, blank=True, max_length=300)
    filename = models.CharField(max_length=200, blank=True, editable=False)
    file_kind = models.CharField(max_length=10, blank=True, editable=False)
    mime_type = models.CharField(max_length=120, blank=True, editable=False)
    size_bytes = models.BigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    page_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    external_url = models.URLField(
        max_length=500, blank=True, help_text="Where the file lives if not uploaded."
    )
    visibility = models.CharField(
        max_length=20, choices=Visibility, default=Visibility.PUBLIC
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph, null=True, blank=True
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when the agenda is published, or when a late paper is.",
    )
    supplement = optional_link(
        Supplement,
        related_name="documents",
        help_text="The supplementary agenda that published this paper late.",
    )
    replaces = optional_link(
        "self",
        related_name="replacements",
        help_text="The earlier version this paper replaces.",
    )
    superseded_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a newer version replaced this one; it stays listed as "
        "superseded.",
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(
        "text layer",
        blank=True,
        editable=False,
        help_text="The words of the uploaded PDF, read when it is attached, for "
        "site search. Empty for a scan or a file that is not a PDF.",
    )

    # The text layer is derived from the file, which the history already tracks.
    history = HistoricalRecords(excluded_fields=["text"])
    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "item", "order", "pk"]
        constraints = [exempt_needs_paragraph("document_exempt_needs_paragraph")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:document", args=[self.pk, self.filename or "document"])
