"""Bringing in a committee website's meeting page, saved as HTML or fetched.

`webpage_import` reads ModernGov's "Agenda and minutes" page with
`parse_website_html`, turns it into the meeting's record (`page_record`)
and writes it with the one writer, as `imports.minutes` writes text:

- the meeting of the body on the page's date is found, or created as held,
  with the page's time and venue (or online);
- the items become the agenda (section A, in the page's order), each
  keeping its papers as documents held on the council's site (title, kind,
  address, type and size), and the papers of the whole meeting too;
- the minutes, when the page has them, become draft minutes: each item's
  number as shown, its paragraphs, and its resolution (the "Decision:"
  block, imported once when the minutes repeat it);
- the page's attendance table, when it has one, becomes attendance.

Importing the same page again updates the same records and never
duplicates them; minutes a clerk has edited or published are replaced only
when asked (`replace`), and approved minutes never. Every line the import
could not place and every warning is in the report, with the HTML's line
number.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from imports.minutes import record_import
from imports.parsers.website import page_record
from imports.parsers.website_html import WebPageError, parse_website_html
from imports.report import ImportReport
from imports.writer import WriteRules
from kcsp.formatting import long_date
from meetings.models import Body

__all__ = ["WEBPAGE_SOURCE", "webpage_import"]

WEBPAGE_SOURCE = "webpage"


def webpage_import(
    *,
    content: bytes,
    body: Body,
    source_name: str,
    url: str = "",
    dry_run: bool = False,
    replace: bool = False,
    now: dt.datetime | None = None,
) -> ImportReport:
    """Import one meeting's page, as HTML, into a meeting of `body`.

    `source_name` (the file name or the address) is recorded as the source
    of every record the import creates; `url` is the address the page was
    fetched from, which makes its links absolute. Never raises on any
    content: a page that is not a meeting's, or minutes the import must not
    overwrite, give a report whose `failure` says why, with nothing saved.
    With `dry_run` nothing is saved either.
    """
    source = source_name.strip()[:80] or "web page"
    report = ImportReport(title=f"Web page {source} for {body.name}", dry_run=dry_run)
    try:
        page = parse_website_html(content, url=url)
    except WebPageError as error:
        return report.fail(str(error))
    if page.heading is None:
        report.add_lines(unplaced=page.unplaced, warnings=page.warnings)
        return report.fail(
            "no meeting heading was found. The page needs the heading of a "
            "committee website's meeting page, for example 'Kent Community Safety "
            "Partnership - Thursday, 14th July, 2022 10.00 am'"
        )
    record = page_record(
        page,
        source_id=source,
        url=url,
        source_text=content.decode("utf-8", "replace"),
    )
    report.title = f"Meeting of {body.name}, {long_date(record.date)} (from {source})"
    if not record.agenda:
        report.add_lines(unplaced=record.unplaced, warnings=record.warnings)
        return report.fail("no items were found on the page")
    rules = WriteRules(
        system=WEBPAGE_SOURCE,
        name="the web page",
        meeting_by_date=True,
        replace=replace,
        refuse_kept_minutes=bool(record.minutes),
    )
    with transaction.atomic():
        record_import(
            record=record,
            body=body,
            rules=rules,
            now=now or timezone.now(),
            report=report,
        )
        if dry_run or report.failed:
            transaction.set_rollback(True)
    return report
