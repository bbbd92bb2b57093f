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
from demo.directory import organisations_by_short_name
from demo.meetings import (
    CSA_SCRUTINY_DAY,
    CSA_SCRUTINY_ITEM,
    KNIFE_CRIME_DAY,
    KNIFE_CRIME_ITEM,
)
from demo.records import approve, minutes_of, resolution_action
from imports.minutes import minutes_import_text
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
    minutes_2011 = minutes_of(by_date[(cdc.pk, "2011-07-08")])
    if minutes_2010 is not None:
        approve(minutes_2010, by=minutes_2011, reference="A3")
    log(
        f"Minutes: {Minutes.objects.count()} sets, "
        f"{MinuteItem.objects.count()} minute items."
    )


# The minutes of the seeds' two single items (000 and 004), written for the
# demonstration in the shape the council's pages give them: numbered
# paragraphs, and the resolution where there was one.
CSA_SCRUTINY_MINUTE = [
    "Mr Hill, who had chaired the Kent Community Safety Partnership since it "
    "was set up in 2007, introduced the item. He spoke of the partnership's "
    "conferences, its work on domestic abuse and Domestic Homicide Reviews, and "
    "the Community Safety Team now working from one building with Kent Police "
    "and Kent Fire and Rescue Service.",
    "Mr Peerbux, Head of Community Safety, KCC, gave a presentation on the "
    "Community Safety Agreement, and Members heard from officers of Kent "
    "Police, Kent Fire and Rescue Service and Kent Public Health.",
    "Members asked about the link between deprivation and domestic abuse. "
    "Officers said there was a link, though not a simple one, and described "
    "the multi-agency team helping people with drug dependence, housing and "
    "money.",
    "Asked about serious organised crime and gangs, Kent Police said gangs were "
    "a priority and that work was under way with families and schools; Members "
    "would be invited to a briefing on the county's gangs strategy.",
    "On road safety, Kent Fire and Rescue Service explained that part of the "
    "rise in people killed or seriously injured came from the new national "
    "recording system for collisions, and that freight traffic was the subject "
    "of work on drivers' behaviour.",
    "Members asked where the County Council could do more. Partners asked "
    "Members to keep raising issues that cut across organisations and to hold "
    "partners to working together on prevention.",
    "Mr Peerbux explained that the agreement had a performance framework "
    "beneath it, watched by the working group and reported to the partnership "
    "by exception, and offered Members figures at the committee's next "
    "meeting.",
    "Mr Hill suggested that the committee's next annual meeting on crime and "
    "disorder allow more time for discussion, which the Chairman welcomed.",
]
CSA_SCRUTINY_RESOLVED = (
    "RESOLVED that the speakers be thanked for their presentation and that the "
    "Community Safety Agreement be noted."
)
KNIFE_CRIME_MINUTE = [
    "Mr Hill and Mr Peerbux were in attendance for this item.",
    "The Chairman: Welcomed the witnesses and invited their opening remarks.",
    "Mr Hill: Welcomed knife crime as the subject of a select committee. He "
    "described his Cabinet portfolio for community safety and his place as "
    "chairman of the Kent Community Safety Partnership and of the Police and "
    "Crime Panel.",
    "Mr Peerbux: Gave a presentation on the Kent Community Safety Team, which "
    "supports the district and borough community safety units, and on the "
    "partnership's role at county level: co-ordinating partners, producing "
    "the Community Safety Agreement and commissioning Domestic Homicide "
    "Reviews.",
    "Mr Peerbux: The agreement drew together the local partnerships' "
    "priorities from their strategic assessments. None named knife crime as "
    "such, but most covered it under serious and organised crime, violence or "
    "safeguarding vulnerable people, and all put early intervention first.",
    "Mr Peerbux: After the partnership's conference on protecting vulnerable "
    "people from organised crime, workshops with the districts had led to "
    "local serious and organised crime groups in each area.",
    "A Member: Asked whether information about gangs was shared evenly across "
    "the county, and whether there were the resources to reach young people "
    "before they joined a gang.",
    "Mr Peerbux: Practice was not yet consistent and the partnership was "
    "promoting consistency.",
    "A Member: Asked whether the youth service reductions of recent years were "
    "connected with the rise in knife crime.",
    "Mr Hill: The County Council had protected its budget for young people as "
    "far as it could; the service was smaller but still effective and could "
    "grow again.",
    "A Member: Asked whether the police could help fund the monitoring of "
    "district CCTV. Mr Hill undertook to raise the question at the Police and "
    "Crime Panel.",
    "The Chairman: Thanked the witnesses, and the session ended.",
]
SESSIONS: list[tuple[str, str, str, list[str], list[str]]] = [
    (
        "crime-and-disorder-committee",
        CSA_SCRUTINY_DAY,
        CSA_SCRUTINY_ITEM,
        CSA_SCRUTINY_MINUTE,
        [CSA_SCRUTINY_RESOLVED],
    ),
    (
        "knife-crime-select-committee",
        KNIFE_CRIME_DAY,
        KNIFE_CRIME_ITEM,
        KNIFE_CRIME_MINUTE,
        [],
    ),
]


def _sessions(log: Callable[[str], None]) -> None:
    """Minute the seeds' single items at their meetings, once, and publish
    them."""
    for slug, day, title, paragraphs, resolved in SESSIONS:
        meeting = Meeting.objects.filter(body__slug=slug, url_key=day).first()
        if meeting is None:
            continue
        minutes = minutes_of(meeting)
        if minutes.status != Minutes.Status.DRAFT:
            continue
        item = minutes.items.get(agenda_item__title=title)
        services.minute_item_save(
            item=item,
            version=item.version,
            title=title,
            paragraphs=paragraphs,
            resolutions=[services.ResolutionInput(text=text) for text in resolved],
        )
        services.minutes_publish_draft(
            minutes=minutes, at=meeting.start + dt.timedelta(days=8)
        )
    log("Minutes: the Crime and Disorder Committee and select committee items.")


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
    orgs = organisations_by_short_name()
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
        resolution_action(resolution, orgs[owner], due, title)
    log(f"Actions: {ResolutionAction.objects.count()} from resolutions.")


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    _minutes(log)
    _sessions(log)
    _actions(log)
