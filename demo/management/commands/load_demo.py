from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import agreement, dhr, directory, districts, meetings, minutes, priorities
from kcsp.search.index import index_rebuild

# Each part builds on those before it: people sit on bodies, minutes follow
# their meetings, the agreement
# names the body responsible for it, its priorities link to the meetings that
# discussed them, and reviews report to a board.
LOADERS = [
    ("directory", directory.load),
    ("meetings", meetings.load),
    # The minutes come in through the import, as a partnership's history does.
    ("minutes", minutes.load),
    ("agreement", agreement.load),
    ("priorities", priorities.load),
    # The district partnerships' boards, and their assessments in a round of
    # the agreement's matrix.
    ("districts", districts.load),
    ("dhr", dhr.load),
]


class Command(BaseCommand):
    help = (
        "Load the demo partnership (organisations, people, meetings, minutes, the "
        "agreement and reviews) and one sign-in account per role. Safe to run "
        "again: it updates what is there and never duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the data but create no demo sign-in accounts.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create demo accounts even with DEBUG off (never on a live site).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wants_accounts = not options["no_accounts"]
        if wants_accounts and not settings.DEBUG and not options["force"]:
            raise CommandError(
                "Demo accounts have published passwords; they are only created with "
                "DEBUG=1 (or --force). Use --no-accounts to load just the data."
            )
        for name, loader in LOADERS:
            self.stdout.write(f"Loading {name} ...")
            loader(self.stdout.write)
        # Saves keep the index current; a rebuild also catches rows the
        # loaders wrote in bulk, so the demo's search finds everything.
        self.stdout.write("Indexing for search ...")
        index_rebuild(report=self.stdout.write)
        if not wants_accounts:
            return
        accounts = directory.create_demo_accounts(self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS("\nDemo accounts (sign in at /accounts/login/):")
        )
        width = max(len(u) for u, _, _ in accounts)
        for username, password, role in accounts:
            self.stdout.write(f"  {username:<{width}}  password: {password:<22} {role}")
