"""State changes of reviews: recommendations, agency actions and their
sign-off, documents, publication and the access log.

Views let only the DHR coordinator role (and administrators) reach them;
services that record who acted (sign-off, publication, uploads) check it
again. Agency actions are created through `kcsp.services.action_create`;
what they say about their source names the case by its reference until the
review is published, and by its pseudonym and year after, never by anything
else.
"""

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from dhr.models import (
    AccessLog,
    AgencyAction,
    Case,
    Configuration,
    LearningTheme,
    PublishedDocument,
    Recommendation,
)
from kcsp import services as action_services
from kcsp.formatting import long_date
from kcsp.models import Action, Organisation, Person
from kcsp.retention import retention_delete
from kcsp.services import validated_save
from kcsp.uploads import check_upload
from kcsp.visibility import Content, audience_of
from kcsp.workdays import add_months, years_after
from meetings.models import MinuteItem


def _require_coordinator(user: Any) -> None:
    if not audience_of(user).sees_all(Content.DHR):
        raise PermissionDenied("Only the DHR coordinator can do this.")


def action_source_label(case: Case, recommendation: Recommendation) -> str:
    """'Domestic Homicide Review DHR 2025/03, recommendation 2': the case by
    its reference, or by its public name once published."""
    name = case.public_name if case.is_published() else case.reference
    return f"{settings.DHR_LABEL} {name}, recommendation {recommendation.number}"


def _action_source_url(case: Case) -> str:
    return case.get_absolute_url() if case.is_published() else ""


def _sync_actions(case: Case) -> int:
    """Bring the case's agency actions' source up to date (the public name
    once published). Whether they are public follows from the case
    (`dhr.sources`)."""
    changed = 0
    links = AgencyAction.objects.filter(recommendation__case=case).select_related(
        "action", "recommendation"
    )
    for link in links:
        action = link.action
        wanted = {
            "source_label": action_source_label(case, link.recommendation),
            "source_url": _action_source_url(case),
        }
        fields = [
            name for name, value in wanted.items() if getattr(action, name) != value
        ]
        if fields:
            for name in fields:
                setattr(action, name, wanted[name])
            action.save(update_fields=[*fields, "updated_at"])
            changed += 1
    return changed


@transaction.atomic
def case_save(*, case: Case) -> Case:
    """Validate and save a case (from the back office); keep its agency
    actions' labels in step with it."""
    validated_save(case)
    if case.published_on is not None:
        _sync_actions(case)
    return case


@transaction.atomic
def case_publish(
    *,
    case: Case,
    by: Any,
    published_on: dt.date,
    pseudonym: str,
    year: int,
    action_plan_public: bool = False,
) -> Case:
    """Publish an approved review under its pseudonym and year.

    The take-down date is set from the configured period (the coordinator may
    change it later). The agency actions take the public name in their
    source, and become public only if the action plan is published too.
    """
    _require_coordinator(by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.published_on is not None:
        raise ValidationError("This review is already published.")
    today = timezone.localdate()
    if published_on > today:
        raise ValidationError(
            {"published_on": "Publish on the day the review goes online, not before."}
        )
    if not case.is_approved:
        raise ValidationError(
            "The Quality Assurance Panel has not approved this review yet."
        )
    case.pseudonym = pseudonym.strip()
    case.year = year
    case.published_on = published_on
    case.action_plan_public = action_plan_public
    months = Configuration.current().takedown_after_months
    if case.takedown_on is None and months:
        case.takedown_on = add_months(published_on, months)
    validated_save(case)
    _sync_actions(case)
    return case


@transaction.atomic
def recommendation_add(
    *,
    case: Case,
    text: str,
    level: str = Recommendation.Level.SINGLE_AGENCY,
    addressed_to: Organisation | None = None,
    addressed_to_other: str = "",
    themes: Iterable[LearningTheme] = (),
) -> Recommendation:
    """Add the next numbered recommendation to a review."""
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation."})
    # Locking the case makes two coordinators adding at once number in turn.
    Case.objects.select_for_update().filter(pk=case.pk).first()
    last = case.recommendations.aggregate(last=Max("number"))["last"] or 0
    recommendation = Recommendation(
        case=case,
        number=last + 1,
        text=text.strip(),
        level=level,
        addressed_to=addressed_to,
        addressed_to_other=addressed_to_other.strip(),
    )
    validated_save(recommendation)
    recommendation.themes.set(list(themes))
    return recommendation


@transaction.atomic
def agency_action_create(
    *,
    recommendation: Recommendation,
    owner_organisation: Organisation,
    title: str,
    due_date: dt.date | None,
    owner_person: Person | None = None,
    description: str = "",
) -> AgencyAction:
    """An action for an agency answering a recommendation.

    It appears in the agency's "My actions" under the case reference (or the
    public name once published), reports to the DHR board, and is public
    only once the review's action plan is.
    """
    if not title.strip():
        raise ValidationError({"title": "Say what the agency will do."})
    if owner_person is not None and owner_person.organisation_id != (
        owner_organisation.pk
    ):
        raise ValidationError(
            {"owner_person": "Choose a lead officer of that agency, or none."}
        )
    case = recommendation.case
    action = action_services.action_create(
        title=title,
        description=description.strip(),
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_date=due_date,
        source_kind=AgencyAction.ACTION_KIND,
        source_label=action_source_label(case, recommendation),
        source_url=_action_source_url(case),
        reports_to=Configuration.current().board_name,
    )
    link = AgencyAction(action=action, recommendation=recommendation)
    return validated_save(link)


@transaction.atomic
def agency_action_sign_off(
    *,
    link: AgencyAction,
    by: Any,
    signed_off_on: dt.date,
    minute_item: MinuteItem | None = None,
    minute_reference: str = "",
    note: str = "",
) -> AgencyAction:
    """Record the DHR board's sign-off of a completed action, and close it.

    Closing an action always needs this sign-off: the agency can only mark
    it complete. Who recorded it and when is kept on the action; the date
    the board signed it off and its minute are kept here.
    """
    _require_coordinator(by)
    action = Action.objects.select_for_update().get(pk=link.action_id)
    if action.status != Action.Status.COMPLETE:
        raise ValidationError(
            "The agency has not marked this action complete: the board signs "
            "off completed actions only."
        )
    if signed_off_on > timezone.localdate():
        raise ValidationError(
            {"signed_off_on": "The date of the sign-off cannot be in the future."}
        )
    link.signed_off_on = signed_off_on
    link.minute_item = minute_item
    link.minute_reference = "" if minute_item else minute_reference.strip()
    link.full_clean()
    board = Configuration.current().board_name
    record = f"Signed off by the {board} on {long_date(signed_off_on)}"
    if link.minute_label:
        record += f" ({link.minute_label})"
    if note.strip():
        record += f": {note.strip()}"
    action_services.action_sign_off_recorded(action=action, by=by, note=record)
    link.action = action
    link.save()
    return link


@transaction.atomic
def document_upload(
    *,
    case: Case,
    by: Any,
    kind: str,
    upload: IO[bytes],
    name: str,
) -> PublishedDocument:
    """Attach a document checked by its content; a new file of a kind the
    review already has replaces it (the history keeps the earlier one)."""
    _require_coordinator(by)
    checked = check_upload(upload, name)
    document = PublishedDocument.objects.filter(case=case, kind=kind).first()
    document = document or PublishedDocument(case=case, kind=kind)
    document.filename = checked.filename
    document.file_kind = checked.kind.key
    document.mime_type = checked.kind.mime
    document.size_bytes = checked.size
    document.sha256 = checked.sha256
    document.uploaded_by = by
    document.file.save(
        checked.filename, File(upload, name=checked.filename), save=False
    )
    return validated_save(document)


def access_log_record(
    *, user: Any, what: str, path: str, case: Case | None = None
) -> AccessLog:
    """Write one row saying who read what, and when."""
    return AccessLog.objects.create(
        user=user,
        username=user.get_username(),
        case=case,
        case_reference=case.reference if case else "",
        what=what,
        path=path[:500],
    )


def _document_rule(years: int) -> str:
    return (
        f"A review's documents are kept for {years} years after they were taken "
        "down and its action plan was completed (the host's policy, "
        "DHR_DOCUMENT_RETENTION_YEARS)."
    )


@transaction.atomic
def documents_expire(*, today: dt.date) -> int:
    """Delete the documents of reviews whose documents were taken down and
    whose action plan was completed more than DHR_DOCUMENT_RETENTION_YEARS
    before `today` (kept through the anniversary of the later date), every
    file each one ever had included, logging each; returns how many. The
    review itself (its name, dates, recommendations and actions) stays on
    the register. Nothing is deleted while the setting is 0, nor while the
    documents are public or the plan open."""
    years = settings.DHR_DOCUMENT_RETENTION_YEARS
    if years <= 0:
        return 0
    earliest_kept = years_after(today, -years)
    due = (
        PublishedDocument.objects.filter(
            case__takedown_on__lt=earliest_kept, case__closed_on__lt=earliest_kept
        )
        .select_related("case")
        .order_by("pk")
    )
    count = 0
    for document in due:
        case = document.case
        # Both dates are set: the query asked for them.
        ended = max(filter(None, (case.takedown_on, case.closed_on)))
        retention_delete(
            document,
            rule=_document_rule(years),
            description=f"{document.get_kind_display()} of {case}",
            kept_until=years_after(ended, years),
        )
        count += 1
    return count
