"""Records kept only as long as the retention schedule says, deleted by the
daily job with a log of each (`kcsp.models.RetentionDeletion`).

The schedule for meetings:
- agendas, reports and published minutes: kept permanently (the law asks
  for six years at least, s100C, and minutes are the body's record);
- background papers: four years after the meeting (Local Government Act
  1972, s100D(2)), then deleted: the record, every version of its file, and
  its redactions with the file as it was first uploaded.
"""

import datetime as dt

from django.db import transaction

from kcsp.retention import retention_delete
from kcsp.workdays import years_after
from meetings.models import Document

__all__ = ["BACKGROUND_PAPER_RULE", "background_papers_expire"]

BACKGROUND_PAPER_YEARS = 4
BACKGROUND_PAPER_RULE = (
    "Background papers are kept for four years after the meeting (Local "
    "Government Act 1972, s100D)."
)


@transaction.atomic
def background_papers_expire(*, today: dt.date) -> int:
    """Delete the background papers (every file they held included) of
    meetings held more than four years before `today`, logging each; returns
    how many. A paper is kept through the fourth anniversary of its meeting."""
    earliest_kept = years_after(today, -BACKGROUND_PAPER_YEARS)
    due = (
        Document.objects.filter(
            kind=Document.Kind.BACKGROUND, meeting__start__date__lt=earliest_kept
        )
        .select_related("meeting__body")
        .order_by("pk")
    )
    count = 0
    for document in due:
        retention_delete(
            document,
            rule=BACKGROUND_PAPER_RULE,
            description=f"Background paper '{document.title}', {document.meeting}",
            kept_until=years_after(document.meeting.date, BACKGROUND_PAPER_YEARS),
        )
        count += 1
    return count
