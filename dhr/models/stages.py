"""The stages of a review and the target time for each, kept as data.

Targets are rows the DHR coordinator edits in the back office, not settings:
practice changes (the statutory guidance has been revised more than once)
and a partnership may set tighter local targets. The defaults, loaded by a
migration, are the two every partnership works to: a decision within one
month of the police notification, and the review completed (submitted to the
Home Office) within six months of the decision.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from kcsp.models import AuditedModel, optional_link
from kcsp.workdays import add_months, add_working_days


class Stage(models.TextChoices):
    """Steps of a review, in the order they happen."""

    NOTIFIED = "notified", "Notified by the police"
    DECIDED = "decided", "Decision on holding a review"
    HOME_OFFICE_NOTIFIED = "home_office_notified", "Home Office told of the decision"
    PANEL_APPOINTED = "panel_appointed", "Independent chair and panel appointed"
    TERMS_AGREED = "terms_agreed", "Terms of reference agreed"
    IMRS_REQUESTED = "imrs_requested", "Individual management reviews requested"
    IMRS_RECEIVED = "imrs_received", "Individual management reviews received"
    REPORTS_DRAFTED = (
        "reports_drafted",
        "Overview report and executive summary drafted",
    )
    QA_SUBMITTED = (
        "qa_submitted",
        "Submitted to the Home Office Quality Assurance Panel",
    )
    QA_APPROVED = "qa_approved", "Approved by the Quality Assurance Panel"
    PUBLISHED = "published", "Published"
    CLOSED = "closed", "Closed (action plan complete)"


STAGE_ORDER: dict[str, int] = {stage.value: i for i, stage in enumerate(Stage)}

# The stages that still apply when the partnership decides not to hold a
# review: the Home Office is told of that decision too.
STAGES_WITHOUT_REVIEW = frozenset(
    {Stage.NOTIFIED, Stage.DECIDED, Stage.HOME_OFFICE_NOTIFIED, Stage.CLOSED}
)


class StageTargetQuerySet(models.QuerySet["StageTarget"]):
    def active(self) -> "StageTargetQuerySet":
        return self.filter(active=True)

    def by_stage(self) -> dict[str, "StageTarget"]:
        """Active targets keyed by the stage they time (one query)."""
        return {target.stage: target for target in self.active()}


class StageTarget(AuditedModel):
    """How long a stage may take, counted from an earlier stage."""

    class Unit(models.TextChoices):
        DAYS = "days", "days"
        WORKING_DAYS = "working_days", "working days"
        WEEKS = "weeks", "weeks"
        MONTHS = "months", "months"

    stage = models.CharField(
        max_length=30, choices=Stage, unique=True, help_text="The stage to be done."
    )
    after = models.CharField(
        "counted from",
        max_length=30,
        choices=Stage,
        help_text="The earlier stage the time is counted from.",
    )
    amount = models.PositiveSmallIntegerField(default=1)
    unit = models.CharField(max_length=20, choices=Unit, default=Unit.MONTHS)
    active = models.BooleanField(
        default=True, help_text="Untick to stop flagging this stage as overdue."
    )
    basis = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the target comes from, for example the statutory guidance.",
    )

    objects = StageTargetQuerySet.as_manager()

    class Meta:
        ordering = ["stage"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(stage=models.F("after")),
                name="dhr_stagetarget_counted_from_another_stage",
                violation_error_message="A stage's time is counted from another stage.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=1),
                name="dhr_stagetarget_amount_positive",
                violation_error_message="Give a time of at least 1.",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_stage_display()}: within {self.amount} "
            f"{self.get_unit_display()} of {self.get_after_display().lower()}"
        )

    def due_from(self, start: dt.date) -> dt.date:
        """The due date when the stage it is counted from was done on `start`."""
        if self.unit == self.Unit.MONTHS:
            return add_months(start, self.amount)
        if self.unit == self.Unit.WORKING_DAYS:
            return add_working_days(start, self.amount)
        days = self.amount * (7 if self.unit == self.Unit.WEEKS else 1)
        return start + dt.timedelta(days=days)


class Configuration(AuditedModel):
    """The partnership's choices for reviews: one row, edited in the back office."""

    board = optional_link(
        "meetings.Body",
        related_name="+",
        help_text="The board that signs off agency actions; its minutes can be "
        "linked to each sign-off.",
    )
    takedown_after_months = models.PositiveSmallIntegerField(
        "take reports down after (months)",
        null=True,
        blank=True,
        default=12,
        help_text="How long published documents stay online; each review's "
        "take-down date is set from this when it is published. Leave blank to "
        "keep reports online.",
    )

    class Meta:
        verbose_name = "configuration"
        verbose_name_plural = "configuration"
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="dhr_configuration_single_row",
                violation_error_message="There is only one configuration.",
            )
        ]

    def __str__(self) -> str:
        return "Configuration"

    @classmethod
    def current(cls) -> "Configuration":
        configuration, _ = cls.objects.select_related("board").get_or_create(pk=1)
        return configuration

    @property
    def board_name(self) -> str:
        """What agency actions report to: the board's name, or a label."""
        return self.board.name if self.board else f"{settings.DHR_LABEL} Board"
