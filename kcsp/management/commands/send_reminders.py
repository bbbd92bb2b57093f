from typing import Any

from django.core.management.base import BaseCommand

from kcsp.reminders import send_action_reminders


class Command(BaseCommand):
    help = (
        "E-mail owners of actions due in seven days or overdue. Run daily (cron or "
        "a scheduler); each action is reminded at most once a day."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_action_reminders()
        self.stdout.write(f"{sent} reminder{'s' if sent != 1 else ''} sent.")
