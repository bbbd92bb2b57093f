"""The Community Safety Agreement: its versions and what each one says.

A version has a period ("April 2011 to March 2014"), ordered narrative
sections, signatories, contact details, the strategies it links to and the
strategic assessment matrix it was built from. An annual refresh is a new
version derived from the previous one (`previous`), drafted by the clerk,
then approved by the partnership; the version it replaces is then
superseded and kept exactly as it was. Priorities, themes, leads and action
plans belong to each version too, in the priorities app.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from kcsp.formatting import month_year
from kcsp.models import (
    AuditedModel,
    Organisation,
    Partnership,
    ProvenanceModel,
    UploadedFileModel,
    acting_user,
    lookup_through,
    optional_link,
    unique_within,
)
from kcsp.models.partnerships import host_partnership_id
from kcsp.visibility import Audience, Content, VisibilityQuerySet

PUBLISHED_STATUSES = ("approved", "superseded")


def carried_from_field(help_text: str = "") -> "models.ForeignKey[Any, Any]":
    """The same row in the version this one was refreshed from: set by a
    refresh when it copies the row into the new draft, kept if that row goes."""
    return optional_link("self", editable=False, related_name="+", help_text=help_text)


class VersionedQuerySet(VisibilityQuerySet):
    """Rows of a version of the agreement, reached by `agreement_path` ("" for
    the version itself): public once the version is approved, and kept public
    when it is superseded; a draft's are for those who read all of the
    agreement (clerks)."""

    partnership_path = "agreement__partnership"

    content = Content.AGREEMENT
    agreement_path = "agreement"

    def published_q(self, audience: Audience) -> Q:
        status = lookup_through(self.agreement_path, "status__in")
        return Q(**{status: PUBLISHED_STATUSES})


class AgreementQuerySet(VersionedQuerySet):
    """The versions themselves."""

    partnership_path = "partnership"

    agreement_path = ""

    def current(self) -> "AgreementQuerySet":
        return self.filter(status=Agreement.Status.APPROVED)


class Agreement(AuditedModel, ProvenanceModel):
    """One version of the agreement: the original or an annual refresh."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft (staff only)"
        APPROVED = "approved", "Approved (the current agreement)"
        SUPERSEDED = "superseded", "Superseded by a later version"

    title = models.CharField(max_length=200, default="Kent Community Safety Agreement")
    slug = models.SlugField(
        "period in the address",
        max_length=40,
        unique=True,
        help_text="For example '2011-14', or '2022-23' for an annual refresh.",
    )
    period_start = models.DateField(help_text="The first month of the period.")
    period_end = models.DateField(help_text="The last month of the period.")
    edition = models.CharField(
        max_length=100,
        blank=True,
        help_text="For a refresh, for example 'Annual refresh 2022/23'.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status,
        default=Status.DRAFT,
        db_index=True,
        editable=False,
    )
    previous = optional_link(
        "self",
        on_delete=models.PROTECT,
        editable=False,
        related_name="refreshes",
        help_text="The version this one was refreshed from.",
    )
    partnership = models.ForeignKey(
        "kcsp.Partnership",
        on_delete=models.PROTECT,
        related_name="agreements",
        default=host_partnership_id,
        help_text="The partnership whose agreement it is: the county partnership's.",
    )
    responsible_body = optional_link(
        "meetings.Body",
        related_name="agreements",
        help_text="The partnership board that approves the agreement and receives "
        "its performance reports.",
    )
    approved_on = models.DateField(null=True, blank=True, editable=False)
    approved_at_meeting = optional_link(
        "meetings.Meeting",
        editable=False,
        related_name="agreements_approved",
    )
    approved_by_resolution = optional_link(
        "meetings.Resolution",
        editable=False,
        related_name="agreements_approved",
    )
    superseded_on = models.DateField(null=True, blank=True, editable=False)
    contact_name = models.CharField(
        max_length=200, blank=True, help_text="For example 'KCC Community Safety Unit'."
    )
    contact_address = models.TextField(blank=True, help_text="One line per line.")
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(
        max_length=40,
        blank=True,
        help_text="For copies in other formats and languages.",
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="agreement_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False),
                name="agreement_approved_needs_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="superseded") | Q(superseded_on__isnull=False),
                name="agreement_superseded_needs_date",
            ),
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="approved"),
                name="agreement_one_current",
            ),
        ]

    def __str__(self) -> str:
        name = f"{self.title}, {self.period}"
        return f"{name} ({self.edition})" if self.edition else name

    def get_absolute_url(self) -> str:
        return reverse("agreement:detail", args=[self.slug])

    @property
    def period(self) -> str:
        """'April 2011 to March 2014'."""
        return f"{month_year(self.period_start)} to {month_year(self.period_end)}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_published(self) -> bool:
        return self.status in PUBLISHED_STATUSES

    @property
    def contact_lines(self) -> list[str]:
        return [line.strip() for line in self.contact_address.splitlines() if line]

    def clean(self) -> None:
        if (
            self.period_start
            and self.period_end
            and self.period_end < self.period_start
        ):
            raise ValidationError(
                {"period_end": "The period must end after it starts."}
            )
        if self.pk and self.previous_id == self.pk:
            raise ValidationError("A version cannot be refreshed from itself.")


class AgreementSection(AuditedModel):
    """A part of the document: the foreword, a numbered section or an appendix.

    Every section has a heading and text typed by the clerk. Some kinds are
    followed by a block the portal builds from the version's data (the
    priorities, the leads table, the signatories ...), so the document reads
    in the order the clerk gives while its tables stay in step with the data.
    """

    class Kind(models.TextChoices):
        FOREWORD = "foreword", "Foreword"
        TEXT = "text", "Text only"
        PRIORITIES = "priorities", "Text, then the priorities and cross-cutting themes"
        LEADS = "leads", "Text, then the table of priority leads"
        STRATEGIES = "strategies", "Text, then the linked strategies and plans"
        SIGNATORIES = "signatories", "Text, then the signatories"
        MATRIX = "matrix", "Text, then the strategic assessment matrix"
        CONTEXT = "context", "Text, then each priority's current context"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.TEXT)
    heading = models.CharField(max_length=300)
    body = models.TextField(
        blank=True,
        help_text='As typed: blank lines between paragraphs, "- " for a list, '
        "**bold** and [words](https://link).",
    )
    signature = models.TextField(
        blank=True,
        help_text="For the foreword: who signed it and their roles, one a line.",
    )
    is_appendix = models.BooleanField(
        default=False, help_text="Lettered (Appendix A, B ...) after the sections."
    )
    order = models.PositiveSmallIntegerField(default=0)
    carried_from = carried_from_field(
        help_text="The same section in the version this one was refreshed from."
    )

    class Meta:
        ordering = ["agreement", "is_appendix", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "kind"],
                condition=~Q(kind="text"),
                name="agreement_section_one_block_per_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="foreword") | Q(is_appendix=False),
                name="agreement_section_foreword_not_appendix",
            ),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def signature_lines(self) -> list[str]:
        return [line.strip() for line in self.signature.splitlines() if line.strip()]


def name_or_directory(name: str, organisation: Organisation | None) -> str:
    """An organisation as the agreement names it: the name typed, else its
    name in the partner directory ("" with neither)."""
    if name:
        return name
    return organisation.name if organisation else ""


class Signatory(AuditedModel):
    """A partner on whose behalf the agreement is drawn up."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="signatories"
    )
    organisation = optional_link(
        Organisation,
        on_delete=models.PROTECT,
        related_name="agreements_signed",
    )
    name = models.CharField(
        max_length=200,
        blank=True,
        help_text="As the agreement names it, for example 'Primary Care Trusts'. "
        "Leave blank to use the organisation's name.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | ~Q(name=""),
                name="signatory_needs_a_name",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return name_or_directory(self.name, self.organisation)


class LinkedStrategy(AuditedModel):
    """A national or local plan the agreement's priorities link to."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="strategies"
    )
    title = models.CharField(max_length=300)
    owner = optional_link(Organisation, related_name="strategies")
    owner_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="For an owner outside the partner directory, for example "
        "'Home Office'.",
    )
    period = models.CharField(
        max_length=40, blank=True, help_text="For example '2011-2014'."
    )
    url = models.URLField("web address", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agreement", "order", "pk"]
        verbose_name = "linked strategy or plan"
        verbose_name_plural = "linked strategies and plans"
        constraints = [
            unique_within("agreement", "title", name="linked_strategy_unique_title")
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.period}" if self.period else self.title

    @property
    def owner_label(self) -> str:
        return name_or_directory(self.owner_name, self.owner)


class ChangeNote(AuditedModel):
    """What the clerk records about a refresh: why something changed."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="change_notes"
    )
    text = models.TextField(
        help_text='As typed: blank lines, "- " lists, **bold** and links.'
    )
    recorded_by = acting_user()

    class Meta:
        ordering = ["agreement", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class AssessmentIssueQuerySet(VersionedQuerySet):
    partnership_path = "round__agreement__partnership"

    agreement_path = "round__agreement"


class AssessmentRound(AuditedModel):
    """One round of the local partnerships' strategic assessments (2010/11),
    with the stakeholder workshop held on its results."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
        help_text="The version of the agreement this round informed.",
    )
    label = models.CharField(max_length=40, help_text="For example '2010/11'.")
    conducted = models.CharField(
        max_length=100, blank=True, help_text="For example 'late 2010 - early 2011'."
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The year of the district partnerships' strategic assessments "
        "the matrix is computed from, for example 2010.",
    )
    method = models.TextField(
        blank=True, help_text="How the assessments were made, as typed."
    )
    footnote = models.TextField(blank=True)
    workshop_held = models.DateField(
        null=True,
        blank=True,
        help_text="Any day in the month of the stakeholder workshop.",
    )
    workshop_text = models.TextField(blank=True)

    # A round is public with its version; a district clerk's back office
    # lists the rounds of their own partnership's agreement only.
    objects = VersionedQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "label"]
        constraints = [
            unique_within("agreement", "label", name="assessment_round_unique_label")
        ]

    def __str__(self) -> str:
        return f"Strategic assessments {self.label}"


class AssessmentIssue(AuditedModel):
    """An issue local partnerships selected, or the workshop added."""

    class Source(models.TextChoices):
        ASSESSMENT = "assessment", "Selected in local strategic assessments"
        WORKSHOP = "workshop", "Added at the stakeholder workshop"

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="issues"
    )
    name = models.CharField(
        max_length=200,
        help_text="District assessments that name a priority by this name "
        "(in any case) count towards it.",
    )
    source = models.CharField(max_length=20, choices=Source, default=Source.ASSESSMENT)
    highlighted = models.BooleanField(
        default=False, help_text="A common issue, highlighted in the published table."
    )
    note = models.CharField(
        max_length=300,
        blank=True,
        help_text="For example 'Includes shoplifting, theft and handling'.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = AssessmentIssueQuerySet.as_manager()

    class Meta:
        ordering = ["round", "source", "order", "pk"]
        constraints = [
            unique_within("round", "source", "name", name="assessment_issue_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def assessment_upload_to(instance: "StrategicAssessment", filename: str) -> str:
    return f"assessments/{uuid.uuid4().hex}/{filename}"


class StrategicAssessmentQuerySet(VisibilityQuerySet["StrategicAssessment"]):
    """A district partnership's assessment, its priorities and summary are
    public once recorded (they are what the published matrix is computed
    from); its clerks change only their own partnership's."""

    partnership_path = "partnership"

    content = Content.AGREEMENT

    def published_q(self, audience: Audience) -> Q:
        return Q()


class StrategicAssessment(AuditedModel, UploadedFileModel):
    """A district partnership's annual strategic assessment: the priorities
    it chose, in rank order, from which the county agreement's matrix is
    computed."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        related_name="strategic_assessments",
        limit_choices_to={"kind": Partnership.Kind.DISTRICT},
        help_text="The district or borough partnership whose assessment it is.",
    )
    year = models.PositiveSmallIntegerField(
        help_text="The year the assessment was made, for example 2010."
    )
    priorities = models.TextField(
        help_text="One a line, the highest first, named as the county's matrix "
        "names them (for example 'Domestic Abuse')."
    )
    summary = models.TextField(
        blank=True, help_text="A short summary of what the assessment found."
    )
    document = models.FileField(
        upload_to=assessment_upload_to,
        max_length=300,
        blank=True,
        help_text="The assessment itself: a PDF, Word, OpenDocument or other "
        "accepted document, checked by its contents.",
    )
    filename = models.CharField(max_length=200, blank=True, editable=False)
    file_kind = models.CharField(max_length=10, blank=True, editable=False)
    size_bytes = models.BigIntegerField(null=True, blank=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, editable=False)

    objects = StrategicAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "partnership__name"]
        verbose_name = "district strategic assessment"
        constraints = [
            unique_within(
                "partnership",
                "year",
                name="strategic_assessment_one_a_year",
                message="The partnership already has an assessment for this year.",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1998) & Q(year__lte=2100),
                name="strategic_assessment_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} strategic assessment {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("agreement:assessment", args=[self.partnership.slug, self.year])

    def get_document_url(self) -> str:
        """The public address of the assessment's own document (only when
        it has one)."""
        return reverse(
            "agreement:assessment_document",
            args=[self.partnership.slug, self.year, self.filename],
        )

    @property
    def priority_list(self) -> list[str]:
        """The priorities in rank order, as typed."""
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]

    def rank_of(self, name: str) -> int | None:
        """Where the assessment ranks the priority called `name` (1 is
        highest), or None if it does not name it."""
        wanted = name.strip().casefold()
        for rank, priority in enumerate(self.priority_list, start=1):
            if priority.casefold() == wanted:
                return rank
        return None

    def clean(self) -> None:
        if self.partnership_id and self.partnership.kind != Partnership.Kind.DISTRICT:
            raise ValidationError(
                {"partnership": "Choose a district or borough partnership."}
            )
        names = [p.casefold() for p in self.priority_list]
        if not names:
            raise ValidationError({"priorities": "Give at least one priority."})
        repeated = sorted(
            {p for p in self.priority_list if names.count(p.casefold()) > 1}
        )
        if repeated:
            raise ValidationError(
                {"priorities": f"Each priority once only: {', '.join(repeated)}."}
            )
