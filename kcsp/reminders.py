"""Reminder e-mails to action owners: seven days before due, and when overdue.

At most one reminder per action per day, however often `manage.py daily`
runs.
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kcsp.formatting import long_date
from kcsp.mail import absolute, email_message
from kcsp.models import Action
from kcsp.roles import Role
from kcsp.selectors import actions_needing_reminders


def _officers_by_organisation(actions: list[Action]) -> dict[int, list[str]]:
    """The addresses of the active partner officers of each organisation
    that owns an action without an owner to write to, in one query."""
    organisations = {
        a.owner_organisation_id
        for a in actions
        if not (a.owner_person and a.owner_person.email)
    }
    found: dict[int, list[str]] = defaultdict(list)
    if not organisations:
        return found
    rows = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.PARTNER_OFFICER,
            person__organisation__in=organisations,
        )
        .exclude(email="")
        .values_list("person__organisation", "email")
        .order_by("email")
        .distinct()
    )
    for organisation, email in rows:
        found[organisation].append(email)
    return found


def _recipients(action: Action, officers: dict[int, list[str]]) -> list[str]:
    """The action's owner, where they have an address; else the partner
    officers of its organisation."""
    if action.owner_person and action.owner_person.email:
        return [action.owner_person.email]
    return officers.get(action.owner_organisation_id, [])


def _remind(action: Action, recipients: list[str], today: dt.date) -> None:
    overdue = action.due_date is not None and action.due_date < today
    context: dict[str, Any] = {
        "action": action,
        "overdue": overdue,
        "due": long_date(action.due_date),
        "url": absolute(action.get_absolute_url()),
    }
    subject = (
        f"Overdue: {action.title}" if overdue else f"Due in 7 days: {action.title}"
    )
    # One message each: officers of an organisation do not see each other's
    # addresses.
    for to in recipients:
        email_message(
            to=to,
            subject=subject,
            template="kcsp/email/action_reminder",
            context=context,
        ).send()


def send_action_reminders(*, today: dt.date | None = None) -> int:
    """E-mail the owners of actions due in a week or overdue; return how many.

    Three queries whatever the number of actions: the actions, the officers
    to write to, and marking the actions reminded. An action is marked once
    its messages are sent (an action with no one to write to, at once), and
    those sent are marked even if a later one fails, so a run again the same
    day sends nothing twice.
    """
    today = today or timezone.localdate()
    actions = list(actions_needing_reminders(today=today))
    officers = _officers_by_organisation(actions)
    done: list[int] = []
    sent = 0
    try:
        for action in actions:
            recipients = _recipients(action, officers)
            if recipients:
                _remind(action, recipients, today)
                sent += 1
            done.append(action.pk)
    finally:
        if done:
            # Bookkeeping only, deliberately outside the audited history.
            Action.objects.filter(pk__in=done).update(last_reminded_on=today)
    return sent
