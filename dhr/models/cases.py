"""Review cases and the agencies taking part in them.

A case holds special-category and criminal-offence data. It keeps only what
the process needs: the dates of each statutory stage, the decision and its
reason, and the few facts the Home Office asks about (ages, sex,
relationship), never a name. Until it is published only the DHR coordinator
role sees it; afterwards the public sees its pseudonym and year, area,
publication date and published documents, and nothing else.
"""

import datetime as dt
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from dhr.models.stages import Stage
from kcsp.models import (
    AuditedModel,
    Organisation,
    Person,
    lookup_through,
    optional_link,
    unique_within,
)
from kcsp.visibility import Audience, Content, VisibilityQuerySet

# The only fields a public surface reads. Public selectors load nothing else,
# so a template that reached for a restricted field would cost a query per
# row, and the query-count tests would catch it.
PUBLIC_FIELDS = (
    "id",
    "pseudonym",
    "year",
    "slug",
    "area",
    "published_on",
    "takedown_on",
    "action_plan_public",
    "published_url",
)

APPROVED_OUTCOMES = ("approved", "approved_subject")


def published_review_q(case: str = "") -> Q:
    """What `case` leads to ("" for the row itself) is a review published by
    today."""
    return Q(
        **{
            lookup_through(case, "published_on__isnull"): False,
            lookup_through(case, "published_on__lte"): timezone.localdate(),
        }
    )


def not_taken_down_q(case: str = "") -> Q:
    """What `case` leads to ("" for the row itself) is a review whose
    documents are not taken down today."""
    return Q(**{lookup_through(case, "takedown_on__isnull"): True}) | Q(
        **{lookup_through(case, "takedown_on__gt"): timezone.localdate()}
    )


class CaseQuerySet(VisibilityQuerySet):
    """Cases as each viewer may see them: published ones, unless the viewer
    reads all DHR content (the coordinator, administrators). Search,
    sitemaps, feeds and the API use `public()`.
    """

    content = Content.DHR

    def published_q(self, audience: Audience) -> Q:
        return published_review_q()

    def online(self) -> Self:
        """Published reviews whose documents are not taken down: what search
        and the sitemap offer."""
        return self.public().filter(not_taken_down_q())

    def action_plan_shown(self) -> Self:
        """Reviews whose action plan the public sees today (`shows_action_plan`)."""
        return self.online().filter(action_plan_public=True)

    def public_listing(self) -> Self:
        """Published reviews, newest first, with their public fields only."""
        return (
            self.public()
            .only(*PUBLIC_FIELDS)
            .order_by("-published_on", "pseudonym", "pk")
        )

    def open(self) -> Self:
        """Cases still being worked: not closed, and not a past review
        recorded from its publication."""
        return self.filter(closed_on__isnull=True, recorded_from_publication=False)


class Case(AuditedModel):
    class Kind(models.TextChoices):
        HOMICIDE = "homicide", "Homicide"
        SUICIDE = "suicide", "Suicide following domestic abuse"
        OTHER = "other", "Other death"

    class Decision(models.TextChoices):
        PENDING = "pending", "Not decided yet"
        HOLD = "hold", "Hold a review"
        NOT_HELD = "not_held", "Do not hold a review"

    class QaOutcome(models.TextChoices):
        NONE = "", "No outcome yet"
        APPROVED = "approved", "Approved"
        APPROVED_SUBJECT = "approved_subject", "Approved subject to amendments"
        RESUBMIT = "resubmit", "Resubmit"

    class Sex(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        FEMALE = "female", "Female"
        MALE = "male", "Male"

    class Relationship(models.TextChoices):
        NOT_RECORDED = "", "Not recorded"
        PARTNER = "partner", "Intimate partner"
        FORMER_PARTNER = "former_partner", "Former intimate partner"
        RELATIVE = "relative", "Relative"
        HOUSEHOLD = "household", "Member of the same household"

    reference = models.CharField(
        max_length=40,
        unique=True,
        help_text="The partnership's reference, for example 'DHR 2025/03'. Agency "
        "leads see it beside their actions: never use a name.",
    )
    pseudonym = models.CharField(
        max_length=60,
        blank=True,
        help_text="The name the published review uses, agreed with the family, "
        "for example 'Sylvie'. Never a real name.",
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The year in the review's published name."
    )
    slug = models.SlugField(max_length=80, blank=True, editable=False)
    area = models.CharField(
        max_length=100,
        default="Kent and Medway",
        help_text="As published, for example 'Kent and Medway' or 'Thanet'.",
    )
    local_csp = optional_link(
        Organisation,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.LOCAL_CSP},
        verbose_name="local community safety partnership",
    )
    kind = models.CharField(
        "kind of death", max_length=20, choices=Kind, default=Kind.HOMICIDE
    )
    date_of_death = models.DateField(null=True, blank=True)
    victim_age = models.PositiveSmallIntegerField(
        "age of the person who died", null=True, blank=True
    )
    victim_sex = models.CharField(
        "sex of the person who died", max_length=10, choices=Sex, blank=True
    )
    perpetrator_relationship = models.CharField(
        "relationship of the perpetrator",
        max_length=20,
        choices=Relationship,
        blank=True,
        help_text="To the person who died.",
    )
    perpetrator_age = models.PositiveSmallIntegerField(null=True, blank=True)
    perpetrator_sex = models.CharField(max_length=10, choices=Sex, blank=True)

    recorded_from_publication = models.BooleanField(
        default=False,
        help_text="A review published before this portal, recorded from its "
        "published listing only: its stage dates are not needed.",
    )
    notified_on = models.DateField(
        "notified by the police on",
        null=True,
        blank=True,
        help_text="When the police told the partnership of the death.",
    )
    decision = models.CharField(
        max_length=20, choices=Decision, default=Decision.PENDING
    )
    decision_on = models.DateField("decided on", null=True, blank=True)
    decision_reason = models.TextField(
        "reason for the decision",
        blank=True,
        help_text="A sentence or two. Write 'the victim', 'the perpetrator', "
        "'the agency': never names.",
    )
    home_office_notified_on = models.DateField(
        "Home Office told on", null=True, blank=True
    )
    chair = optional_link(Person, related_name="+", verbose_name="independent chair")
    panel_appointed_on = models.DateField(
        "chair and panel appointed on", null=True, blank=True
    )
    terms_of_reference_agreed_on = models.DateField(null=True, blank=True)
    overview_report_drafted_on = models.DateField(null=True, blank=True)
    executive_summary_drafted_on = models.DateField(null=True, blank=True)
    submitted_to_qa_on = models.DateField(
        "submitted to the Quality Assurance Panel on",
        null=True,
        blank=True,
        help_text="The latest submission to the Home Office panel.",
    )
    qa_outcome = models.CharField(
        "Quality Assurance Panel outcome", max_length=20, choices=QaOutcome, blank=True
    )
    qa_outcome_on = models.DateField("outcome received on", null=True, blank=True)
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set by publishing the review from its page.",
    )
    action_plan_public = models.BooleanField(
        "action plan published",
        default=False,
        help_text="Show the action plan (recommendations, actions, lead agencies, "
        "target dates and progress) with the published review.",
    )
    published_url = models.URLField(
        "also published at",
        max_length=500,
        blank=True,
        help_text="Another page where the review is published, if any.",
    )
    takedown_on = models.DateField(
        "documents taken down on",
        null=True,
        blank=True,
        help_text="From this date the published documents are no longer shown; "
        "the review stays listed.",
    )
    closed_on = models.DateField(
        null=True, blank=True, help_text="When the action plan was completed."
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-notified_on", "reference"]
        verbose_name = "case"
        indexes = [models.Index(fields=["published_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["pseudonym", "year"],
                condition=~Q(pseudonym=""),
                name="dhr_case_unique_public_name",
                violation_error_message="Another review already has this "
                "pseudonym and year.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=~Q(slug=""),
                name="dhr_case_unique_slug",
                violation_error_message="Another review already has this "
                "pseudonym and year.",
            ),
            models.CheckConstraint(
                condition=Q(victim_age__isnull=True) | Q(victim_age__gte=16),
                name="dhr_case_victim_aged_16_or_over",
                violation_error_message="A review is held only for the death of "
                "a person aged 16 or over.",
            ),
            models.CheckConstraint(
                condition=Q(notified_on__isnull=False)
                | Q(recorded_from_publication=True),
                name="dhr_case_notified_has_date",
                violation_error_message="Give the date the police notified the "
                "partnership.",
            ),
            models.CheckConstraint(
                condition=Q(recorded_from_publication=False)
                | Q(published_on__isnull=False),
                name="dhr_case_recorded_from_publication_is_published",
                violation_error_message="A review recorded from its publication "
                "needs its publication date.",
            ),
            models.CheckConstraint(
                condition=Q(recorded_from_publication=True)
                | (Q(decision="pending") & Q(decision_on__isnull=True))
                | (~Q(decision="pending") & Q(decision_on__isnull=False)),
                name="dhr_case_decision_has_date",
                violation_error_message="Give the decision and the date it was "
                "made together.",
            ),
            models.CheckConstraint(
                condition=Q(decision_on__isnull=True)
                | Q(decision_on__gte=F("notified_on")),
                name="dhr_case_decision_after_notification",
                violation_error_message="The decision cannot come before the "
                "police notification.",
            ),
            models.CheckConstraint(
                condition=(Q(qa_outcome="") & Q(qa_outcome_on__isnull=True))
                | (
                    ~Q(qa_outcome="")
                    & Q(qa_outcome_on__isnull=False)
                    & Q(submitted_to_qa_on__isnull=False)
                ),
                name="dhr_case_qa_outcome_has_date_and_submission",
                violation_error_message="A Quality Assurance Panel outcome needs "
                "its date and the date of submission.",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True)
                | (
                    ~Q(pseudonym="")
                    & Q(year__isnull=False)
                    & (
                        Q(recorded_from_publication=True)
                        | (Q(decision="hold") & Q(qa_outcome__in=APPROVED_OUTCOMES))
                    )
                ),
                name="dhr_case_published_needs_approval_and_name",
                violation_error_message="A review is published only once the "
                "Quality Assurance Panel has approved it, under a pseudonym and "
                "year.",
            ),
            models.CheckConstraint(
                condition=Q(action_plan_public=False) | Q(published_on__isnull=False),
                name="dhr_case_action_plan_public_needs_publication",
                violation_error_message="The action plan is published only with "
                "the review.",
            ),
            models.CheckConstraint(
                condition=Q(takedown_on__isnull=True)
                | Q(published_on__isnull=False, takedown_on__gte=F("published_on")),
                name="dhr_case_takedown_after_publication",
                violation_error_message="Documents can be taken down only after "
                "the review is published.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        """The public page once the review has a public name, else the
        coordinator's page (which is all anyone may see before then)."""
        if self.slug:
            return reverse("dhr:review", args=[self.slug])
        return self.get_staff_url()

    def get_staff_url(self) -> str:
        return reverse("dhr:case", args=[self.pk])

    def clean(self) -> None:
        self.pseudonym = self.pseudonym.strip()
        self.slug = self.public_slug()
        if (
            self.slug
            and Case.objects.exclude(pk=self.pk).filter(slug=self.slug).exists()
        ):
            raise ValidationError(
                {"pseudonym": "Another review already has this pseudonym and year."}
            )

    def public_slug(self) -> str:
        """'sylvie-2018': the public address, once there is a public name."""
        if not (self.pseudonym.strip() and self.year):
            return ""
        return slugify(f"{self.pseudonym} {self.year}")[:80]

    @property
    def public_name(self) -> str:
        """'Sylvie 2018', or '' before a pseudonym is chosen."""
        if not (self.pseudonym and self.year):
            return ""
        return f"{self.pseudonym} {self.year}"

    def is_published(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.published_on is not None and self.published_on <= today

    def documents_taken_down(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.takedown_on is not None and self.takedown_on <= today

    def shows_action_plan(self, today: dt.date | None = None) -> bool:
        """Whether the public sees the action plan today."""
        return (
            self.action_plan_public
            and self.is_published(today)
            and not self.documents_taken_down(today)
        )

    @property
    def is_approved(self) -> bool:
        return self.qa_outcome in APPROVED_OUTCOMES

    def stage_dates(self, today: dt.date | None = None) -> dict[str, dt.date | None]:
        """When each stage was done (None if not yet).

        Reads `agencies` for the individual management reviews: prefetch them
        when looking at many cases.
        """
        today = today or timezone.localdate()
        agencies = [a for a in self.agencies.all() if a.imr_requested_on]
        requested = min(
            (a.imr_requested_on for a in agencies if a.imr_requested_on), default=None
        )
        received: dt.date | None = None
        if agencies and all(a.imr_received_on for a in agencies):
            received = max(a.imr_received_on for a in agencies if a.imr_received_on)
        drafted = None
        if self.overview_report_drafted_on and self.executive_summary_drafted_on:
            drafted = max(
                self.overview_report_drafted_on, self.executive_summary_drafted_on
            )
        # A panel asking for resubmission sends the review back a stage,
        # until the coordinator records the new submission date.
        resubmit = (
            self.qa_outcome == self.QaOutcome.RESUBMIT
            and self.qa_outcome_on is not None
            and self.submitted_to_qa_on is not None
            and self.qa_outcome_on >= self.submitted_to_qa_on
        )
        return {
            Stage.NOTIFIED: self.notified_on,
            Stage.DECIDED: self.decision_on,
            Stage.HOME_OFFICE_NOTIFIED: self.home_office_notified_on,
            Stage.PANEL_APPOINTED: self.panel_appointed_on,
            Stage.TERMS_AGREED: self.terms_of_reference_agreed_on,
            Stage.IMRS_REQUESTED: requested,
            Stage.IMRS_RECEIVED: received,
            Stage.REPORTS_DRAFTED: drafted,
            Stage.QA_SUBMITTED: None if resubmit else self.submitted_to_qa_on,
            Stage.QA_APPROVED: self.qa_outcome_on if self.is_approved else None,
            Stage.PUBLISHED: self.published_on if self.is_published(today) else None,
            Stage.CLOSED: self.closed_on,
        }


class CaseAgency(AuditedModel):
    """An agency taking part in a review: on the panel, asked for an IMR, or both."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agencies")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    on_panel = models.BooleanField("on the review panel", default=True)
    imr_requested_on = models.DateField("IMR requested on", null=True, blank=True)
    imr_due_on = models.DateField(
        "IMR due on", null=True, blank=True, help_text="The date given to the agency."
    )
    imr_received_on = models.DateField("IMR received on", null=True, blank=True)

    class Meta:
        ordering = ["case", "organisation__name"]
        verbose_name = "agency taking part"
        verbose_name_plural = "agencies taking part"
        constraints = [
            unique_within(
                "case",
                "organisation",
                name="dhr_caseagency_unique_organisation",
                message="This agency is already listed for the case.",
            ),
            models.CheckConstraint(
                condition=Q(imr_received_on__isnull=True)
                | Q(
                    imr_requested_on__isnull=False,
                    imr_received_on__gte=F("imr_requested_on"),
                ),
                name="dhr_caseagency_imr_received_after_request",
                violation_error_message="An IMR is received after it is requested.",
            ),
            models.CheckConstraint(
                condition=Q(imr_due_on__isnull=True)
                | Q(
                    imr_requested_on__isnull=False,
                    imr_due_on__gte=F("imr_requested_on"),
                ),
                name="dhr_caseagency_imr_due_after_request",
                violation_error_message="An IMR falls due after it is requested.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.case})"

    def imr_overdue(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.imr_due_on is not None
            and self.imr_received_on is None
            and self.imr_due_on < today
        )
