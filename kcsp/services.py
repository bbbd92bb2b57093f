"""State changes of tracked actions, shared by every kind of action.

Progress updates are immutable; closing an action needs a sign-off by a
clerk (or, for a Domestic Homicide Review action, the DHR board's
coordinator), recorded with who and when.
"""

import datetime as dt
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import models, transaction
from django.utils import timezone

from kcsp import registry
from kcsp.models import Action, ActionUpdate, Organisation, Partnership, Person
from kcsp.models.actions import content_of
from kcsp.roles import Role, assign_role
from kcsp.uploads import check_upload
from kcsp.visibility import audience_of


def validated_save[M: models.Model](row: M) -> M:
    """Save `row` once it passes its model's own checks (`full_clean`).

    How every service writes a row: nothing reaches the database that the
    model's fields, validators and constraints would refuse.
    """
    row.full_clean()
    row.save()
    return row


def may_update_action(user: Any, action: Action) -> bool:
    """Those who work on the action (`ActionQuerySet.worked_by`): everyone
    who sees all actions of its kind, and partner officers of the owning
    organisation. They alone read its updates' evidence."""
    if not getattr(user, "is_active", False):
        return False
    return Action.objects.worked_by(user).filter(pk=action.pk).exists()


def may_sign_off_action(user: Any, action: Action) -> bool:
    """Those who see all actions of its kind: clerks, or for a Domestic
    Homicide Review action the DHR board's coordinator."""
    audience = audience_of(user).within(action.partnership_id)
    return audience.sees_all(content_of(action.source_kind))


@transaction.atomic
def clerk_partnerships_set(*, user: Any, partnerships: Iterable[Partnership]) -> Any:
    """Make `user` a clerk of exactly these partnerships: they see and change
    those partnerships' meetings, agreement and actions, and no others'."""
    assign_role(user=user, role=Role.CLERK)
    user.clerk_of_partnerships.set(partnerships)
    user.__dict__.pop("_kcsp_audience", None)
    return user


@transaction.atomic
def action_create(
    *,
    title: str,
    owner_organisation: Organisation,
    source_kind: str = registry.OTHER_ACTIONS[0],
    source_label: str = "",
    source_url: str = "",
    reports_to: str = "",
    partnership: Partnership | None = None,
    owner_person: Person | None = None,
    due_date: dt.date | None = None,
    description: str = "",
) -> Action:
    """Create an action with its source described for lists and filters.
    Whether it is public is for its source to say (`registry.ActionSource`).
    It is `partnership`'s, or else the host partnership's."""
    action = Action(
        title=title.strip()[:500],
        description=description,
        owner_organisation=owner_organisation,
        owner_person=owner_person,
        due_date=due_date,
        source_kind=source_kind,
        source_label=source_label,
        source_url=source_url,
        reports_to=reports_to,
        partnership=partnership or Partnership.objects.host(),
    )
    return validated_save(action)


@transaction.atomic
def action_post_update(
    *,
    action: Action,
    by: Any,
    text: str,
    rag: str = "",
    status: str = "",
    evidence: IO[bytes] | None = None,
    evidence_name: str = "",
) -> ActionUpdate:
    """Post a dated progress update; it can never be edited afterwards.

    The update may move the action to in progress or complete (awaiting
    sign-off) and re-rate it; closing needs `action_sign_off`.
    """
    if not may_update_action(by, action):
        raise PermissionDenied("You cannot post updates on this action.")
    if not text.strip():
        raise ValidationError({"text": "Say what progress has been made."})
    if status == Action.Status.CLOSED:
        raise ValidationError(
            {
                "status": "An action is closed only when it is signed off. Mark it "
                "complete and the clerk will sign it off."
            }
        )
    if status and status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status from the list."})
    if action.status in {Action.Status.CLOSED, Action.Status.CANCELLED}:
        raise ValidationError("This action is closed; it takes no more updates.")
    update = ActionUpdate(
        action=action, posted_by=by, text=text.strip(), rag=rag, status=status
    )
    if evidence is not None:
        checked = check_upload(evidence, evidence_name or "evidence")
        update.evidence_name = checked.filename
        update.evidence_mime = checked.kind.mime
        update.evidence.save(
            checked.filename, File(evidence, name=checked.filename), save=False
        )
    update.full_clean(exclude=["evidence"])
    update.save()
    changed = []
    if rag and rag != action.rag:
        action.rag = rag
        changed.append("rag")
    if status and status != action.status:
        action.status = status
        changed.append("status")
        if status == Action.Status.COMPLETE:
            action.completed_at = timezone.now()
            changed.append("completed_at")
    if changed:
        action.version += 1
        action.save(update_fields=[*changed, "version", "updated_at"])
    return update


def sign_off_elsewhere(action: Action) -> str | None:
    """The address of the screen where the action's source records its
    sign-off, or None where it is signed off on its own page."""
    source = registry.action_source(action.source_kind)
    if source is None or source.sign_off_url is None:
        return None
    return source.sign_off_url(action.pk)


@transaction.atomic
def action_sign_off(*, action: Action, by: Any, note: str = "") -> Action:
    """Close an action: who signed it off, when, and optionally the minute.

    An action whose source records its own sign-off (`sign_off_elsewhere`)
    is refused: its source calls `action_sign_off_recorded` once it has.
    """
    if not may_sign_off_action(by, action):
        raise PermissionDenied("Only the clerk or the board can sign off this action.")
    if sign_off_elsewhere(action) is not None:
        raise ValidationError(
            "This action is signed off where its source records the board's "
            "sign-off, with its date and minute."
        )
    return action_sign_off_recorded(action=action, by=by, note=note)


@transaction.atomic
def action_sign_off_recorded(*, action: Action, by: Any, note: str) -> Action:
    """Close an action whose sign-off its source has recorded (the note says
    by whom, when and where)."""
    if not may_sign_off_action(by, action):
        raise PermissionDenied("Only the clerk or the board can sign off this action.")
    if action.status == Action.Status.CLOSED:
        raise ValidationError("This action is already signed off.")
    if action.status == Action.Status.CANCELLED:
        raise ValidationError("A cancelled action cannot be signed off.")
    now = timezone.now()
    action.status = Action.Status.CLOSED
    action.signed_off_by = by
    action.signed_off_at = now
    action.sign_off_note = note.strip()[:300]
    action.completed_at = action.completed_at or now
    action.version += 1
    action.save()
    return action


@transaction.atomic
def action_cancel(*, action: Action, by: Any, reason: str) -> Action:
    """Close an action without it being done, the reason kept as an update."""
    if not may_sign_off_action(by, action):
        raise PermissionDenied("Only those who sign actions off can cancel them.")
    if action.status in {Action.Status.CLOSED, Action.Status.CANCELLED}:
        raise ValidationError("This action is already closed.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the action is cancelled."})
    ActionUpdate.objects.create(
        action=action,
        posted_by=by,
        text=f"Cancelled: {reason.strip()}",
        status=Action.Status.CANCELLED,
    )
    action.status = Action.Status.CANCELLED
    action.version += 1
    action.save(update_fields=["status", "version", "updated_at"])
    return action
