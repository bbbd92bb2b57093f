"""Small factories for review data. Every case is fictional: references
start "TEST", pseudonyms are invented, and nothing names a real person."""

import datetime as dt
import io
import itertools
from typing import Any

from django.utils import timezone

from dhr import services
from dhr.models import (
    AgencyAction,
    Case,
    LearningTheme,
    PublishedDocument,
    Recommendation,
)
from kcsp.models import Action, Organisation
from tests import factories

_seq = itertools.count(1)

# Restricted facts a test can look for on pages that must not show them.
NARRATIVE = "The victim had told her GP about the threats in the spring."


def case(reference: str | None = None, **fields: Any) -> Case:
    """A case just decided on: a review will be held."""
    fields.setdefault("notified_on", dt.date(2026, 3, 2))
    fields.setdefault("decision", Case.Decision.HOLD)
    fields.setdefault("decision_on", dt.date(2026, 3, 25))
    fields.setdefault("decision_reason", NARRATIVE)
    fields.setdefault("victim_age", 41)
    obj = Case(reference=reference or f"TEST {next(_seq):03d}", **fields)
    return services.case_save(case=obj)


def approved_case(reference: str | None = None, **fields: Any) -> Case:
    """A case the Quality Assurance Panel has approved, ready to publish."""
    fields.setdefault("submitted_to_qa_on", dt.date(2026, 8, 3))
    fields.setdefault("qa_outcome", Case.QaOutcome.APPROVED)
    fields.setdefault("qa_outcome_on", dt.date(2026, 10, 1))
    return case(reference, **fields)


def published_case(
    pseudonym: str = "Juniper",
    year: int = 2025,
    by: Any = None,
    action_plan_public: bool = True,
    published_on: dt.date | None = None,
    **fields: Any,
) -> Case:
    """An approved case, published through the service."""
    obj = approved_case(**fields)
    coordinator = by or _coordinator()
    return services.case_publish(
        case=obj,
        by=coordinator,
        published_on=published_on or timezone.localdate(),
        pseudonym=pseudonym,
        year=year,
        action_plan_public=action_plan_public,
    )


def _coordinator() -> Any:
    from django.contrib.auth import get_user_model

    from kcsp.roles import Role

    existing = get_user_model().objects.filter(username="jo.clarke").first()
    return existing or factories.user("jo.clarke", Role.DHR_COORDINATOR)


def theme(name: str = "Information sharing between agencies") -> LearningTheme:
    from django.utils.text import slugify

    obj, _ = LearningTheme.objects.get_or_create(
        slug=slugify(name), defaults={"name": name}
    )
    return obj


def recommendation(
    case_obj: Case,
    text: str = "Agencies review how they share information about risk.",
    themes: tuple[LearningTheme, ...] = (),
    **kw: Any,
) -> Recommendation:
    return services.recommendation_add(case=case_obj, text=text, themes=themes, **kw)


def agency_action(
    recommendation_obj: Recommendation,
    organisation: Organisation,
    title: str = "Brief staff on the information sharing agreement",
    due_date: dt.date | None = dt.date(2027, 1, 29),
    **kw: Any,
) -> AgencyAction:
    return services.agency_action_create(
        recommendation=recommendation_obj,
        owner_organisation=organisation,
        title=title,
        due_date=due_date,
        **kw,
    )


def complete(action: Action, by: Any) -> Action:
    """The agency marks the action complete (awaiting sign-off)."""
    from kcsp import services as action_services

    action_services.action_post_update(
        action=action, by=by, text="Done.", status=Action.Status.COMPLETE
    )
    action.refresh_from_db()
    return action


def document(
    case_obj: Case,
    kind: str = PublishedDocument.Kind.EXECUTIVE_SUMMARY,
    name: str = "executive-summary.pdf",
) -> PublishedDocument:
    return services.document_upload(
        case=case_obj,
        by=_coordinator(),
        kind=kind,
        upload=io.BytesIO(factories.pdf_bytes()),
        name=name,
    )
