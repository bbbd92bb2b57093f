from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kcsp.alerts.sending import alerts_send
from kcsp.tasks import send_alerts


class Command(BaseCommand):
    help = (
        "Queue the e-mail alert sender on the task worker (`manage.py db_worker` "
        "runs it). Run every few minutes from cron or a scheduler; --now sends "
        "in this process instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Send here rather than on the worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["now"]:
            report = alerts_send()
            self.stdout.write(
                f"{report.queued} queued, {report.sent} sent, "
                f"{report.retrying} to retry, {report.failed} failed."
            )
            return
        result = send_alerts.enqueue()
        self.stdout.write(f"Alert sender queued ({result.id}).")
