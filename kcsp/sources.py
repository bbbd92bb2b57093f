"""What the core itself registers: the daily reminder e-mails, and a
partnership's actions on its page."""

import datetime as dt
from typing import Any

from django.http import HttpRequest

from kcsp import selectors
from kcsp.registry import (
    PartnershipSection,
    register_daily_job,
    register_partnership_section,
)
from kcsp.reminders import send_action_reminders


@register_daily_job("reminders")
def _reminders(today: dt.date) -> int:
    return send_action_reminders(today=today)


def _actions(request: HttpRequest, partnership: Any) -> dict[str, Any]:
    return {
        "actions": selectors.partnership_actions(
            partnership=partnership, user=request.user
        )
    }


register_partnership_section(
    PartnershipSection(
        template="kcsp/includes/partnership_actions.html", context=_actions, order=30
    )
)
