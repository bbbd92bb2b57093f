import argparse
import datetime as dt
import textwrap
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from imports.commands import ImportCommand
from imports.moderngov import moderngov_import
from imports.moderngov_source import (
    DirectorySource,
    ModernGovSource,
    WebServiceSource,
)
from imports.parsers.moderngov import ModernGovError

FOLDER_HELP = """\
Saved responses are read from a folder named by call:
  committees.xml   the GetCommittees response
  meetings*.xml    GetMeetings responses, any number (e.g. meetings_144.xml)
  meeting_*.xml    one GetMeeting response per meeting (e.g. meeting_4967.xml)
Committee and meeting ids are read from the files' contents. --save-to writes
a live import's responses under these names.
"""


def _date(value: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(
        f"{value!r} is not a date; write it 2022-03-24 or 24/03/2022"
    )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds")
    return seconds


class Command(ImportCommand):
    help = textwrap.fill(
        "Import a council's committees, meetings, agendas, papers, minutes and "
        "attendance from its ModernGov committee system (mgWebService.asmx), live "
        "or from saved responses. Minutes arrive as drafts for a clerk to review. "
        "Safe to run again: records are updated in place, never duplicated.",
        width=79,
    )

    epilog = FOLDER_HELP

    def add_arguments(self, parser: CommandParser) -> None:
        _add_source(parser)
        _add_selection(parser)
        _add_fetching(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        from_date, to_date = options["from_date"], options["to_date"]
        if from_date and to_date and from_date > to_date:
            raise CommandError("--from-date is after --to-date.")
        if options["save_to"] and not options["base_url"]:
            raise CommandError(
                "--save-to saves a live import's responses; use it with --base-url."
            )
        if options["retries"] < 0:
            raise CommandError("--retries cannot be negative.")
        source: ModernGovSource
        try:
            if options["base_url"]:
                source = WebServiceSource(
                    options["base_url"],
                    delay=options["delay"],
                    timeout=options["timeout"],
                    retries=options["retries"],
                    retry_wait=options["retry_wait"],
                    save_to=options["save_to"],
                )
            else:
                source = DirectorySource(options["from_dir"])
        except ModernGovError as error:
            raise CommandError(str(error)) from error
        report = moderngov_import(
            source=source,
            committees=options["committee"],
            from_date=from_date,
            to_date=to_date,
            fetch_files=not options["no_files"],
            dry_run=options["dry_run"],
        )
        self.print_report(
            report,
            verbosity=options["verbosity"],
            failed="The import stopped (see above).",
        )


def _add_source(parser: CommandParser) -> None:
    """Where the records come from: the live web service or saved responses."""
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--base-url",
        metavar="URL",
        help="The council's committee site or its web service, for example "
        "https://democracy.example.gov.uk (mgWebService.asmx is added).",
    )
    where.add_argument(
        "--from-dir",
        type=Path,
        metavar="DIR",
        help="A folder of saved responses (named as below).",
    )


def _add_selection(parser: CommandParser) -> None:
    """Which committees and meetings, and whether anything is saved."""
    parser.add_argument(
        "--committee",
        action="append",
        default=[],
        metavar="ID_OR_TITLE",
        help="Only this committee, by ModernGov id or exact title. Repeat for "
        "more than one. Default: every committee.",
    )
    parser.add_argument(
        "--from-date",
        type=_date,
        metavar="DATE",
        help="Only meetings on or after this date.",
    )
    parser.add_argument(
        "--to-date",
        type=_date,
        metavar="DATE",
        help="Only meetings on or before this date.",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="Show what would be created, updated or left unchanged; save "
        "nothing and fetch no document files.",
    )


def _add_fetching(parser: CommandParser) -> None:
    """How the council's server is asked (pace, patience and retries) and
    what is fetched or saved from it."""
    parser.add_argument(
        "--delay",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="Pause between requests to the council's server (default 1).",
    )
    parser.add_argument(
        "--timeout",
        type=_seconds,
        default=30.0,
        metavar="SECONDS",
        help="Give up on a request after this long (default 30).",
    )
    parser.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="Retry a request that failed on the network or with a server "
        "error this many times (default 3).",
    )
    parser.add_argument(
        "--retry-wait",
        type=_seconds,
        default=2.0,
        metavar="SECONDS",
        help="Wait before the first retry, doubled for each next one (default 2).",
    )
    parser.add_argument(
        "--no-files",
        action="store_true",
        help="Record documents but do not fetch their files (GetAttachment).",
    )
    parser.add_argument(
        "--save-to",
        type=Path,
        metavar="DIR",
        help="With --base-url: also save every response in DIR, named for --from-dir.",
    )
