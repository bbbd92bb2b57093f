from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kcsp.registry import daily_jobs


class Command(BaseCommand):
    help = (
        "Run the portal's daily jobs: reminder e-mails for actions due in seven "
        "days or overdue, and any the apps add (a review's actions leave public "
        "view on its take-down date). Run once a day from cron or a timer; "
        "running it again the same day does no harm."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        for name, job in daily_jobs():
            done = job(today)
            self.stdout.write(f"{name}: {done}")
