from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kcsp.backup import backup


class Command(BaseCommand):
    help = (
        "Write every record (with its history) and every uploaded file into one "
        "archive that `manage.py restore` loads into a new, migrated database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the archive (default: "
            "backups/kcsp-YYYY-MM-DD-HHMM.tar.gz).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
        output = options["output"] or Path("backups") / f"kcsp-{stamp}.tar.gz"
        backup(output, say=self.stdout.write)
