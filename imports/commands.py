"""What the import commands share: their help laid out as written, the body
they import into, the options that say what may be written, and the report
printed at the end."""

import argparse
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from imports.report import ImportReport
from meetings.models import Body


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the epilog as written."""


class ImportCommand(BaseCommand):
    epilog = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        parser.epilog = self.epilog or None
        return parser

    def body(self, slug: str) -> Body:
        """The body named by `--body`; an unknown slug lists the known ones."""
        body = Body.objects.filter(slug=slug).first()
        if body is None:
            known = ", ".join(
                Body.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                f"There is no body with the slug {slug!r}."
                + (f" Bodies: {known}." if known else "")
            )
        return body

    def print_report(
        self, report: ImportReport, *, verbosity: int, failed: str
    ) -> None:
        """Print the report (always when the import failed), and stop with
        `failed` when it did."""
        if verbosity > 0 or report.failed:
            for line in report.summary():
                self.stdout.write(line)
        if report.failed:
            raise CommandError(failed)


def add_body_argument(parser: CommandParser, *, whose: str) -> None:
    parser.add_argument(
        "--body",
        required=True,
        metavar="SLUG",
        help=f"The body whose {whose}, by its slug "
        "(for example kent-community-safety-partnership).",
    )


def add_minutes_writing_arguments(parser: CommandParser) -> None:
    """--dry-run and --replace, as every import that writes minutes takes them."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Show what would be created or changed, and save nothing.",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="Replace minutes of that meeting that a clerk has edited or "
        "published as a draft. Approved minutes are never replaced.",
    )
