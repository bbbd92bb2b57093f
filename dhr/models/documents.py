"""The documents published with a review.

Files are stored under an unguessable folder and only ever served through
the portal's views, which ask `PublishedDocument.objects` who may read them:
the public from the day the review is published until the documents are
taken down; the DHR coordinator always.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse

from dhr.models.cases import Case, not_taken_down_q, published_review_q
from kcsp.models import AuditedModel, UploadedFileModel, unique_within
from kcsp.visibility import Audience, Content, VisibilityQuerySet


def document_upload_to(instance: "PublishedDocument", filename: str) -> str:
    return f"dhr/{uuid.uuid4().hex}/{filename}"


class PublishedDocumentQuerySet(VisibilityQuerySet):
    """Documents of published reviews that are not taken down, unless the
    viewer reads all DHR content (the coordinator, administrators): they
    see them before publication and after take-down too."""

    content = Content.DHR

    def published_q(self, audience: Audience) -> Q:
        return published_review_q("case") & not_taken_down_q("case")


class PublishedDocument(AuditedModel, UploadedFileModel):
    class Kind(models.TextChoices):
        EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
        OVERVIEW_REPORT = "overview_report", "Overview report"
        ACTION_PLAN = "action_plan", "Action plan"
        HOME_OFFICE_LETTER = "home_office_letter", "Home Office letter"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind)
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    filename = models.CharField(max_length=200, editable=False)
    file_kind = models.CharField(max_length=10, editable=False)
    mime_type = models.CharField(max_length=120, editable=False)
    size_bytes = models.BigIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)

    objects = PublishedDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["case", "kind"]
        verbose_name = "published document"
        constraints = [
            unique_within(
                "case",
                "kind",
                name="dhr_document_one_per_kind",
                message="The review already has a document of this kind: upload a "
                "new version instead.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case})"

    def get_absolute_url(self) -> str:
        """The public address (it answers only while the document is public),
        or the coordinator's before the review has a public name."""
        if not self.case.slug:
            return self.get_staff_url()
        return reverse("dhr:document", args=[self.case.slug, self.pk, self.filename])

    def get_staff_url(self) -> str:
        return reverse("dhr:case_document", args=[self.case_id, self.pk, self.filename])
