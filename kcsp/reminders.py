"""Reminder e-mails to action owners: seven days before due, and when overdue.

At most one reminder per action per day, however often `manage.py daily`
runs.
"""

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from kcsp.formatting import long_date
from kcsp.mail import absolute, email_message
from kcsp.models import Action
from kcsp.roles import Role
from kcsp.selectors import actions_needing_reminders


def _recipients(action: Action) -> list[str]:
    if action.owner_person and action.owner_person.email:
        return [action.owner_person.email]
    User = get_user_model()
    return sorted(
        User.objects.filter(
            is_active=True,
            groups__name=Role.PARTNER_OFFICER,
            person__organisation=action.owner_organisation,
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def send_action_reminders(*, today: dt.date | None = None) -> int:
    """E-mail the owners of actions due in a week or overdue; return how many."""
    today = today or timezone.localdate()
    sent = 0
    for action in actions_needing_reminders(today=today):
        recipients = _recipients(action)
        if recipients:
            overdue = action.due_date is not None and action.due_date < today
            context: dict[str, Any] = {
                "action": action,
                "overdue": overdue,
                "due": long_date(action.due_date),
                "url": absolute(action.get_absolute_url()),
            }
            subject = (
                f"Overdue: {action.title}"
                if overdue
                else f"Due in 7 days: {action.title}"
            )
            # One message each: officers of an organisation do not see each
            # other's addresses.
            for to in recipients:
                email_message(
                    to=to,
                    subject=subject,
                    template="kcsp/email/action_reminder",
                    context=context,
                ).send()
            sent += 1
        # Bookkeeping only, deliberately outside the audited history.
        Action.objects.filter(pk=action.pk).update(last_reminded_on=today)
    return sent
