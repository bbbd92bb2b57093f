"""Domestic Homicide Review models, re-exported so import paths stay stable."""

from dhr.models.access import AccessLog
from dhr.models.cases import PUBLIC_FIELDS, Case, CaseAgency, CaseQuerySet
from dhr.models.documents import PublishedDocument, PublishedDocumentQuerySet
from dhr.models.funding import (
    CaseCost,
    FundingContribution,
    financial_year_label,
    financial_year_of,
)
from dhr.models.recommendations import AgencyAction, LearningTheme, Recommendation
from dhr.models.stages import (
    STAGES_WITHOUT_REVIEW,
    Configuration,
    Stage,
    StageTarget,
)

__all__ = [
    "PUBLIC_FIELDS",
    "STAGES_WITHOUT_REVIEW",
    "AccessLog",
    "AgencyAction",
    "Case",
    "CaseAgency",
    "CaseCost",
    "CaseQuerySet",
    "Configuration",
    "FundingContribution",
    "LearningTheme",
    "PublishedDocument",
    "PublishedDocumentQuerySet",
    "Recommendation",
    "Stage",
    "StageTarget",
    "financial_year_label",
    "financial_year_of",
]
