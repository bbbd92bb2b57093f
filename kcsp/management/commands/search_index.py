from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kcsp.registry import search_sources
from kcsp.search.index import index_rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the site search index from the content it describes: every "
        "source, or only those named with --source. Safe to run at any time; "
        "entries of rows that no longer exist are removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            metavar="NAME",
            help="Rebuild only this source (repeat for several), for example "
            "meetings.paragraph. Without it every source is rebuilt.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = {s.key: s for s in search_sources()}
        wanted = options["sources"] or []
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise CommandError(
                f"No search source called {', '.join(unknown)}. Choose from: "
                f"{', '.join(sorted(known))}."
            )
        chosen = [known[name] for name in wanted] if wanted else list(known.values())
        counts = index_rebuild(sources=chosen, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {sum(counts.values())} entries from {len(counts)} "
                f"source{'s' if len(counts) != 1 else ''}."
            )
        )
