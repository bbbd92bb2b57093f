from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from imports.commands import (
    ImportCommand,
    add_body_argument,
    add_minutes_writing_arguments,
)
from imports.moderngov_source import FetchError, PoliteFetcher
from imports.parsers.website_html import MAX_PAGE_BYTES
from imports.webpage import webpage_import

_WEB_PAGES = {"text/html", "application/xhtml+xml"}


class Command(ImportCommand):
    help = (
        "Import one meeting from its committee website page (ModernGov's 'Agenda "
        "and minutes' page), saved as HTML or fetched live: the meeting, its "
        "items with their papers (recorded as documents held on the council's "
        "site, with type and size), its minutes as drafts for a clerk to review, "
        "and attendance when the page lists it. Prints everything it could not "
        "place. Safe to run again: it updates what it made and never duplicates. "
        "For example: import_webpage meeting.html --body "
        "kent-community-safety-partnership, or import_webpage --url "
        "'https://democracy.example.gov.uk/ieListDocuments.aspx?CId=1&MId=2' "
        "--body kent-community-safety-partnership --save-to meeting.html"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="The page saved as HTML (or give --url).",
        )
        parser.add_argument(
            "--url",
            metavar="URL",
            help="Fetch the page from this address instead, politely (one "
            "request, retried on server errors, naming the portal).",
        )
        parser.add_argument(
            "--save-to",
            type=Path,
            metavar="PATH",
            help="With --url: also save the page as fetched in PATH.",
        )
        add_body_argument(parser, whose="meeting this is")
        add_minutes_writing_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path | None = options["file"]
        url: str = options["url"] or ""
        if bool(path) == bool(url):
            raise CommandError("Give the page's file or --url, not both.")
        if options["save_to"] and not url:
            raise CommandError("--save-to saves a fetched page; use it with --url.")
        body = self.body(options["body"])
        if path is None:
            content = self.fetch(url, options["save_to"])
            name = url
        else:
            try:
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
            name = path.name
        report = webpage_import(
            content=content,
            body=body,
            source_name=name,
            url=url,
            dry_run=options["dry_run"],
            replace=options["replace"],
        )
        self.print_report(
            report,
            verbosity=options["verbosity"],
            failed="The page was not imported (see above).",
        )

    def fetch(self, url: str, save_to: Path | None) -> bytes:
        if not url.lower().startswith(("http://", "https://")):
            raise CommandError(f"{url!r} is not a web address.")
        try:
            content, headers = PoliteFetcher().get(url, limit=MAX_PAGE_BYTES)
        except FetchError as error:
            raise CommandError(f"The page could not be fetched: {error}.") from error
        if headers.get_content_type() not in _WEB_PAGES:
            raise CommandError(
                f"{url} is not a web page (the server sent "
                f"{headers.get_content_type()})."
            )
        if save_to is not None:
            try:
                save_to.write_bytes(content)
            except OSError as error:
                raise CommandError(
                    f"Cannot save to {save_to}: {error.strerror}."
                ) from error
        return content
