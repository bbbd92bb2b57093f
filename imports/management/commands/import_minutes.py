import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError, CommandParser

from imports.commands import (
    ImportCommand,
    add_body_argument,
    add_minutes_writing_arguments,
)
from imports.minutes import ItemPlacing, minutes_import_pdf, minutes_import_text
from imports.parsers import parse_british_date
from imports.report import ImportReport
from kcsp.formatting import file_size
from kcsp.uploads import is_pdf

FORMS = """\
The forms it reads, told apart by their content, not their names:
  - printed notes as text ("NOTES of a meeting of ... held ... on ..."):
      import_minutes notes-2022-03-24.txt --body kent-community-safety-partnership
  - a committee website page copied as text ("Kent Community Safety
    Partnership - Thursday, 14th July, 2022 10.00 am"):
      import_minutes page.txt --body kent-community-safety-partnership
  - minutes published only as a PDF (kept as the minutes' source document):
      import_minutes minutes-2023-05-16.pdf --body riverside-csp
  - a single item page, placed into its meeting:
      import_minutes item.txt --body crime-and-disorder-committee \\
        --date "8 July 2011" --item-number 6
  - attendance written as a table (name, organisation, role) needs nothing
    more; lines it cannot place stop the import unless --allow-unplaced:
      import_minutes notes.txt --body riverside-csp --allow-unplaced
A website page saved as HTML, or a live one, is read by import_webpage.
"""


def _date(value: str) -> dt.date:
    date, _time = parse_british_date(value)
    if date is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; write it as 24 March 2022 or 24/03/2022"
        )
    return date


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a minute number")
    return int(value)


class Command(ImportCommand):
    help = (
        "Import one meeting's minutes as a council published them (printed notes "
        "or a website page as text, or a PDF) as draft minutes of a body, for a "
        "clerk to review. "
        "Finds or creates the meeting of that date, its attendance, agenda "
        "references and minute items, and prints everything it could not place. "
        "Safe to run again on the same file: it updates what it made, never "
        "duplicates, and a run that finds nothing new writes nothing."
    )

    epilog = FORMS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", type=Path, help="The minutes: a text file or a PDF."
        )
        add_body_argument(parser, whose="minutes these are")
        add_minutes_writing_arguments(parser)
        parser.add_argument(
            "--allow-unplaced",
            action="store_true",
            help="Import the minutes even when some attendance lines cannot be "
            "placed (they are listed).",
        )
        single = parser.add_argument_group(
            "a single item page",
            "One item of a meeting, as a committee website shows it, goes into "
            "that meeting's minutes beside the items of other pages.",
        )
        single.add_argument(
            "--date",
            type=_date,
            help="The meeting's date, for example '8 July 2011' or 08/07/2011.",
        )
        single.add_argument(
            "--item-number",
            type=_positive,
            metavar="NUMBER",
            help="The item's minute number in the council's minutes (never made "
            "up by the import).",
        )
        single.add_argument(
            "--meeting-title",
            metavar="TITLE",
            default="",
            help="The meeting as the website names it, holding its date and "
            "time, for example 'Crime and Disorder Committee - Friday, 8th July, "
            "2011 2.00 pm'.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        body = self.body(options["body"])
        placing = None
        if options["date"] or options["item_number"] or options["meeting_title"]:
            placing = ItemPlacing(
                date=options["date"],
                item_number=options["item_number"],
                meeting_title=options["meeting_title"],
            )
        raw = self._read(path)
        common: dict[str, Any] = {
            "body": body,
            "dry_run": options["dry_run"],
            "source_name": path.name,
            "replace": options["replace"],
            "placing": placing,
            "allow_unplaced": options["allow_unplaced"],
        }
        report: ImportReport
        if is_pdf(raw):
            report = minutes_import_pdf(data=raw, **common)
        else:
            report = minutes_import_text(text=self._text(path, raw), **common)
        self.print_report(
            report,
            verbosity=options["verbosity"],
            failed=f"{path.name} was not imported (see above).",
        )

    @staticmethod
    def _read(path: Path) -> bytes:
        """The file's bytes, refused before reading when it is too large."""
        limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
        try:
            size = path.stat().st_size
            if size > limit:
                raise CommandError(
                    f"{path.name} is {file_size(size)}; minutes must be smaller "
                    f"than {file_size(limit)}."
                )
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error

    def _text(self, path: Path, raw: bytes) -> str:
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Older minutes saved from Word are often Windows-1252.
            self.stdout.write(f"{path.name} is not UTF-8: read as Windows-1252.")
            return raw.decode("cp1252", errors="replace")
