"""Generated documents (PDFs, and parts of pages as HTML), kept by the
documents service (`kcsp.documents`), which says when a stored copy is
current.

A document is named by `kind` ("meetings.agenda") and `subject` (what it is
about, e.g. "meeting:42"); `version` is the digest of its bytes, its ETag.
Slow documents are built in the background; `RenderJob` records each build
so a page can say how it is going.
"""

import datetime as dt

from django.db import models
from django.utils import timezone

from kcsp.models.base import TimeStampedModel, acting_user


def rendered_upload_to(instance: "RenderedDocument", filename: str) -> str:
    # The version is in the name, so two versions never share a file and a
    # half-written new one never replaces a good old one.
    kind = instance.kind.replace(".", "-")
    return f"rendered/{kind}/{instance.version[:2]}/{filename}"


class NamedDocument(TimeStampedModel):
    """A record about one version of a document named by kind and subject."""

    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=100)

    class Meta:
        abstract = True


def one_per_version(name: str) -> models.UniqueConstraint:
    """One record for each version of a document."""
    return models.UniqueConstraint(fields=["kind", "subject", "version"], name=name)


class RenderedDocumentQuerySet(models.QuerySet["RenderedDocument"]):
    def of(self, *, kind: str, subject: str) -> "RenderedDocumentQuerySet":
        return self.filter(kind=kind, subject=subject)


class RenderedDocument(NamedDocument):
    """One generated file, for one version of the content it shows."""

    version = models.CharField(max_length=64, help_text="Digest of the file's bytes.")
    layout = models.CharField(
        max_length=64, blank=True, help_text="Digest of the templates and styles."
    )
    site_version = models.CharField(
        max_length=80,
        blank=True,
        help_text="The content version and date it was last found current for.",
    )
    reads = models.JSONField(
        default=list, blank=True, help_text="The queries its build ran."
    )
    data_digest = models.CharField(
        max_length=64,
        blank=True,
        help_text="Digest of what those queries answered; empty if unverified.",
    )
    file = models.FileField(upload_to=rendered_upload_to, max_length=300)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.FloatField(null=True, blank=True)
    notes = models.JSONField(
        default=list,
        blank=True,
        help_text="What a reader should know, e.g. papers that could not be "
        "included in a pack.",
    )

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        constraints = [one_per_version("rendered_document_one_per_version")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.version[:12]})"


class RenderJob(NamedDocument):
    """A background build of one version of a document, and how it went."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Could not be prepared"

    version = models.CharField(
        max_length=80, help_text="The content version and date it was asked for."
    )
    status = models.CharField(
        max_length=10, choices=Status, default=Status.QUEUED, db_index=True
    )
    task_id = models.CharField(max_length=64, blank=True)
    requested_by = acting_user()
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    message = models.TextField(
        blank=True, help_text="Why the build failed, in words a reader can act on."
    )

    class Meta:
        constraints = [one_per_version("render_job_one_per_version")]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    def is_stalled(self, *, after: dt.timedelta) -> bool:
        """Pending but with no sign of life for longer than `after`: its worker
        stopped, or no worker is running."""
        return self.is_pending and timezone.now() - self.updated_at > after
