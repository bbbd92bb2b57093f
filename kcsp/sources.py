"""What the core itself registers: the daily reminder e-mails."""

import datetime as dt

from kcsp.registry import register_daily_job
from kcsp.reminders import send_action_reminders


@register_daily_job("reminders")
def _reminders(today: dt.date) -> int:
    return send_action_reminders(today=today)
