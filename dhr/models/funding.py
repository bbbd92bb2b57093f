"""How reviews are paid for: partners' contributions per financial year and
each review's costs, so a shortfall shows before it happens.

Statutory partners pool money for reviews; when one stops paying (as when
the Community Rehabilitation Companies ended in 2021) the year's costs can
outrun the pool.
"""

import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from dhr.models.cases import Case
from kcsp.models import AuditedModel, Organisation, unique_within

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def financial_year_of(day: dt.date) -> int:
    """The year a financial year starts in: 2022 for 1 April 2022 - 31 March 2023."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start: int) -> str:
    """'2022/23'."""
    return f"{start}/{(start + 1) % 100:02d}"


class YearlyAmount(AuditedModel):
    """An amount of money in one financial year: a partner's contribution to
    the pool for reviews, or a review's cost. Each gives its `financial_year`
    (whose help text says how it is counted) and its `amount`."""

    financial_year: int

    class Meta:
        abstract = True

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)


def amount_not_negative(what: str) -> models.CheckConstraint:
    """A contribution or a cost is never negative; `what` names it."""
    return models.CheckConstraint(
        condition=Q(amount__gte=0),
        name=f"dhr_{what}_amount_not_negative",
        violation_error_message=f"A {what} cannot be negative.",
    )


class FundingContribution(YearlyAmount):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    financial_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS,
        help_text="The year it starts in: 2022 for 2022/23.",
    )
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    received_on = models.DateField(
        null=True, blank=True, help_text="Leave blank while it is only agreed."
    )
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-financial_year", "organisation__name"]
        constraints = [
            unique_within(
                "organisation",
                "financial_year",
                name="dhr_contribution_one_per_partner_per_year",
                message="This partner already has a contribution for that year.",
            ),
            amount_not_negative("contribution"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}, {self.year_label}"


class CaseCost(YearlyAmount):
    class Kind(models.TextChoices):
        CHAIR = "chair", "Independent chair"
        ADMINISTRATION = "administration", "Panel and administration"
        PUBLICATION = "publication", "Publication and translation"
        LEGAL = "legal", "Legal advice"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="costs")
    financial_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS,
        help_text="The year it falls in: 2022 for 2022/23.",
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.CHAIR)
    amount = models.DecimalField(
        max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    description = models.CharField(
        max_length=200, blank=True, help_text="No names of anyone in the case."
    )

    class Meta:
        ordering = ["case", "financial_year", "kind"]
        verbose_name = "cost"
        constraints = [amount_not_negative("cost")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.case}"
