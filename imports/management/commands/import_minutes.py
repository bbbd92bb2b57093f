import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    DjangoHelpFormatter,
)

from imports.minutes import minutes_import_text
from meetings.models import Body

FORMS_HELP = """\
The forms it reads, each told by its heading:
  printed notes ("NOTES of a meeting of the Kent Community Safety Partnership
    held online on Thursday, 24 March 2022."):
      import_minutes notes.txt --body kent-community-safety-partnership
  a committee website page copied as text ("Kent Community Safety
    Partnership - Thursday, 14th July, 2022 10.00 am"):
      import_minutes page.txt --body kent-community-safety-partnership
A website page saved as HTML, or a live one, is read by import_webpage.
"""


class _HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's option order, with the list of forms as written."""


class Command(BaseCommand):
    help = (
        "Import one meeting's minutes as a council published them as draft minutes "
        "of a body, for a clerk to review. Finds or creates the meeting of that "
        "date, its attendance, agenda references and minute items, and prints "
        "everything it could not place. Safe to run again on the same file: it "
        "updates what it made and never duplicates. The form is told from the "
        "text itself (see below)."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = _HelpFormatter
        parser.epilog = FORMS_HELP
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The minutes as a text file.")
        parser.add_argument(
            "--body",
            required=True,
            metavar="SLUG",
            help="The body whose minutes these are, by its slug "
            "(for example kent-community-safety-partnership).",
        )
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

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        body = Body.objects.filter(slug=options["body"]).first()
        if body is None:
            known = ", ".join(
                Body.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(
                f"There is no body with the slug {options['body']!r}."
                + (f" Bodies: {known}." if known else "")
            )
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older minutes saved from Word are often Windows-1252.
            text = raw.decode("cp1252", errors="replace")
            self.stdout.write(f"{path.name} is not UTF-8: read as Windows-1252.")
        report = minutes_import_text(
            text=text,
            body=body,
            dry_run=options["dry_run"],
            source_name=path.name,
            replace=options["replace"],
        )
        if options["verbosity"] > 0 or report.failed:
            for line in report.summary():
                self.stdout.write(line)
        if report.failed:
            raise CommandError(f"{path.name} was not imported (see above).")
