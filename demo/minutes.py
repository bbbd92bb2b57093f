"""Demo minutes, brought in as a partnership's history is: through the import.

The published minutes kept as seeds (`demo/seeds/`) are
imported into the meetings the meetings demo set up, then published (the
2010 minutes approved by the 2011 meeting), and the actions their
resolutions asked for are recorded. Runs after the meetings demo and before
the priorities demo, which links the 2022 refresh to minute 52.
"""

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from demo import SEEDS
from imports.minutes import minutes_import_text
from kcsp.models import Organisation
from meetings import services
from meetings.models import Body, Meeting, MinuteItem, Minutes, ResolutionAction

MINUTES_2010 = (
    "**COMMUNITIES POSC (MEETING AS THE CRIME AND",
    "This page is intentionally left blank",
)


def _seed_minutes(name: str, marks: tuple[str, str] | None = None) -> str:
    text = (SEEDS / name).read_text(encoding="utf-8")
    if marks:
        start = text.index(marks[0])
        text = text[start : text.index(marks[1], start)]
    return text


def _import(
    body: Body,
    meeting: Meeting,
    name: str,
    log: Callable[[str], None],
    marks: tuple[str, str] | None = None,
) -> Minutes | None:
    """Import published minutes once; later runs leave them as they are."""
    minutes = services.minutes_for(meeting)
    if minutes is None or not minutes.items.exists():
        report = minutes_import_text(
            text=_seed_minutes(name, marks), body=body, source_name=name
        )
        if report.failed:
            log(f"Could not import {name}: {report.failure}")
            return None
        minutes = services.minutes_for(meeting)
    if minutes is not None and minutes.status == Minutes.Status.DRAFT:
        services.minutes_publish_draft(minutes=minutes, at=meeting.start)
    return minutes


def _minutes(log: Callable[[str], None]) -> None:
    kcsp = Body.objects.get(slug="kent-community-safety-partnership")
    cdc = Body.objects.get(slug="crime-and-disorder-committee")
    by_date = {
        (m.body_id, m.url_key): m for m in Meeting.objects.filter(body__in=[kcsp, cdc])
    }
    _import(kcsp, by_date[(kcsp.pk, "2015-03-19")], "003_27efcbc9c765a2a8.txt", log)
    _import(kcsp, by_date[(kcsp.pk, "2022-03-24")], "002_f79a73190b6b78f0.txt", log)
    minutes_2010 = _import(
        cdc,
        by_date[(cdc.pk, "2010-04-06")],
        "001_1a709a66df1af549.txt",
        log,
        marks=MINUTES_2010,
    )
    # The 8 July 2011 agenda took the 2010 minutes (item A3): draft minutes of
    # that meeting carry the standard resolution that approved them.
    meeting_2011 = by_date[(cdc.pk, "2011-07-08")]
    minutes_2011 = services.minutes_for(meeting_2011)
    if minutes_2011 is None:
        minutes_2011 = services.minutes_start_from_agenda(meeting=meeting_2011)
    if minutes_2010 is not None and minutes_2010.status != Minutes.Status.APPROVED:
        approving = minutes_2011.items.get(agenda_reference="A3").resolutions.get()
        services.minutes_approve(minutes=minutes_2010, resolution=approving)
    log(
        f"Minutes: {Minutes.objects.count()} sets, "
        f"{MinuteItem.objects.count()} minute items."
    )


# Actions the seeds' resolutions asked for: (meeting, minute, owner, at the
# next meeting or by a date, the action's wording).
SEED_ACTIONS: list[tuple[str, int, str, str | None, str]] = [
    (
        "2015-03-19",
        94,
        "KFRS",
        None,
        "Update on progress of the Community Safety Integration Project at a future meeting",
    ),
    (
        "2015-03-19",
        97,
        "Kent Police",
        None,
        "Update on the MARAC commissioning process at the next meeting",
    ),
    (
        "2015-03-19",
        99,
        "OPCC",
        None,
        "Update on progress of child sexual exploitation work at the next meeting",
    ),
    (
        "2015-03-19",
        103,
        "KCC",
        None,
        "Report from the Prevent Steering Board to the next KCSP meeting",
    ),
    (
        "2022-03-24",
        56,
        "KMSRP",
        "2023-03-16",
        "Further update on the Vision Zero Strategy in March 2023",
    ),
    (
        "2022-03-24",
        58,
        "Probation",
        "2022-06-30",
        "Consider the DHR funding arrangements for 2022/23",
    ),
]


def _actions(log: Callable[[str], None]) -> None:
    kcsp = Body.objects.get(slug="kent-community-safety-partnership")
    orgs = {o.short_name: o for o in Organisation.objects.all()}
    for key, number, owner, due, title in SEED_ACTIONS:
        item = MinuteItem.objects.filter(
            minutes__meeting__body=kcsp, minutes__meeting__url_key=key, number=number
        ).first()
        resolution = item.resolutions.first() if item is not None else None
        if (
            resolution is None
            or ResolutionAction.objects.filter(resolution__minute_item=item).exists()
        ):
            continue
        services.resolution_action_create(
            resolution=resolution,
            owner_organisation=orgs[owner],
            at_next_meeting=due is None,
            due_date=dt.date.fromisoformat(due) if due else None,
            title=title,
        )
    log(f"Actions: {ResolutionAction.objects.count()} from resolutions.")


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    _minutes(log)
    _actions(log)
