"""The core's models, re-exported so import paths stay stable."""

from kcsp.models.actions import Action, ActionQuerySet, ActionUpdate
from kcsp.models.alerts import Delivery, Frequency, Subscriber, Subscription
from kcsp.models.base import (
    AuditedModel,
    InForceQuerySet,
    ProvenanceModel,
    TimeStampedModel,
    WrittenOnceModel,
    acting_user,
    lookup_through,
    optional_link,
    unique_within,
)
from kcsp.models.changes import ContentChange
from kcsp.models.directory import (
    Organisation,
    OrganisationQuerySet,
    Person,
    PersonQuerySet,
    Post,
    PostHolding,
    PostHoldingQuerySet,
)
from kcsp.models.documents import RenderedDocument, RenderJob
from kcsp.models.enrolments import AuthenticatorEnrolment
from kcsp.models.files import UploadedFileModel
from kcsp.models.partnerships import Partnership, PartnershipQuerySet
from kcsp.models.retention import RetentionDeletion
from kcsp.models.search import SearchEntry

__all__ = [
    "Action",
    "ActionQuerySet",
    "ActionUpdate",
    "AuditedModel",
    "AuthenticatorEnrolment",
    "ContentChange",
    "Delivery",
    "Frequency",
    "InForceQuerySet",
    "Organisation",
    "OrganisationQuerySet",
    "Partnership",
    "PartnershipQuerySet",
    "Person",
    "PersonQuerySet",
    "Post",
    "PostHolding",
    "PostHoldingQuerySet",
    "ProvenanceModel",
    "RenderJob",
    "RenderedDocument",
    "RetentionDeletion",
    "SearchEntry",
    "Subscriber",
    "Subscription",
    "TimeStampedModel",
    "UploadedFileModel",
    "WrittenOnceModel",
    "acting_user",
    "lookup_through",
    "optional_link",
    "unique_within",
]
