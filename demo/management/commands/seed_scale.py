from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.scale import scale_build, vacuum_analyze
from kcsp.pagecache import content_changed


class Command(BaseCommand):
    help = (
        "Add decades of realistic records for measuring speed: bodies with "
        "meetings, published agendas and papers, minutes, decisions and actions "
        "(about 7,500 meetings and 150,000 minute items for 25 years of 30 "
        "bodies). For a benchmark database only, never a live site."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=25)
        parser.add_argument("--bodies", type=int, default=30)
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="Skip the audit history rows (faster; history is kept by default).",
        )
        parser.add_argument(
            "--no-search-index",
            action="store_true",
            help="Do not rebuild the site search index afterwards.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["years"] < 1 or options["bodies"] < 1:
            raise CommandError("--years and --bodies must be at least 1.")
        try:
            result = scale_build(
                years=options["years"],
                bodies=options["bodies"],
                history=not options["no_history"],
                log=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(
                f"{error} The scale data is loaded once into an empty or demo "
                "database; drop the database to load it again."
            ) from error
        for line in result.lines():
            self.stdout.write(line)
        self.stdout.write(f"Written in {result.seconds:.1f} s.")
        # Bulk creation sends no signals: cached pages must see the new data.
        content_changed()
        if not options["no_search_index"]:
            import time

            from kcsp.search.index import index_rebuild

            started = time.perf_counter()
            counts = index_rebuild()
            self.stdout.write(
                f"Search index rebuilt ({sum(counts.values()):,} entries) in "
                f"{time.perf_counter() - started:.1f} s."
            )
        if vacuum_analyze():
            self.stdout.write("Tables vacuumed and analysed (VACUUM (ANALYZE)).")
        self.stdout.write(self.style.SUCCESS("Scale data loaded."))
