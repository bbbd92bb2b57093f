from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kcsp.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Load an archive made by `manage.py backup` into a new database that "
        "`manage.py migrate` has just made, and its files into MEDIA_ROOT."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz backup file.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restore(options["archive"], say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
