"""The services imports write through: records with provenance, in place."""

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from kcsp.provenance import Outcome, Saved, Source
from kcsp.visibility import Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    MinuteItem,
    MinuteParagraph,
    Minutes,
    Resolution,
    ResolutionPart,
)
from meetings.services import ParagraphInput, ResolutionInput
from tests import factories
from tests.meetings.minutes_factories import write

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 2, 1, 9, 0, tzinfo=LONDON)
LATER = NOW + dt.timedelta(days=1)

PARAGRAPHS = [
    ParagraphInput("Shafick Peerbux introduced the report.", numbered=True),
    ParagraphInput("  Members asked about the Vision Zero strategy.  ", numbered=False),
    ParagraphInput("   "),
]
RESOLUTIONS = [
    ResolutionInput(
        text="RESOLVED that the Partnership",
        parts=["note the report;", "agree the refresh."],
        kind=Resolution.Kind.AGREED,
    )
]


def _source(key: str, at: dt.datetime = NOW, system: str = "minutes") -> Source:
    return Source(system=system, id=key, at=at)


def _minutes(key: str = "notes.txt") -> Minutes:
    meeting = factories.meeting()
    return services.minutes_import(
        meeting=meeting, first_number=51, source=_source(key), source_text="NOTES"
    ).record


def _import_item(
    minutes: Minutes,
    item: MinuteItem | None = None,
    at: dt.datetime = NOW,
    **overrides: Any,
) -> Saved[MinuteItem]:
    values = {
        "minutes": minutes,
        "item": item,
        "number": 52,
        "title": "Kent Community Safety Agreement",
        "paragraphs": PARAGRAPHS,
        "resolutions": RESOLUTIONS,
        "source": _source("notes.txt#52", at),
        "order": 0,
    }
    return services.minute_item_import(**{**values, **overrides})


def _history() -> tuple[int, int, int]:
    return (
        MinuteParagraph.history.count(),
        Resolution.history.count(),
        ResolutionPart.history.count(),
    )


# Minute items ---------------------------------------------------------------------


def test_an_imported_item_is_written_as_the_drafting_screen_writes_it() -> None:
    minutes = _minutes()
    imported = _import_item(minutes).record

    typed = services.minute_item_add(minutes=minutes, title=imported.title)
    typed = services.minute_item_save(
        item=typed,
        version=typed.version,
        title=imported.title,
        paragraphs=PARAGRAPHS,
        resolutions=RESOLUTIONS,
    )

    content = services.item_content(imported)
    assert {**content, "number": 0} == {**services.item_content(typed), "number": 0}
    assert content["paragraphs"] == [
        "Shafick Peerbux introduced the report.",
        "Members asked about the Vision Zero strategy.",
    ]
    assert [p.numbered for p in imported.paragraphs.all()] == [True, False]
    assert [p.numbered for p in typed.paragraphs.all()] == [True, False]
    # An imported item stays at version 1, with its revision, until edited.
    assert imported.version == 1
    assert imported.revisions.get(version=1).content == content
    assert (imported.source_system, imported.source_id) == ("minutes", "notes.txt#52")
    assert imported.first_imported_at == imported.last_imported_at == NOW


def test_importing_the_same_text_again_writes_nothing() -> None:
    minutes = _minutes()
    first = _import_item(minutes)
    before = _history()

    again = _import_item(minutes, item=first.record, at=LATER)

    assert (first.outcome, again.outcome) == (Outcome.CREATED, Outcome.UNCHANGED)
    assert _history() == before
    item = MinuteItem.objects.get()
    assert item.version == 1
    # The last import time is that of the last import that changed it.
    assert (item.first_imported_at, item.last_imported_at) == (NOW, NOW)
    assert item.revisions.count() == 1


def test_changed_text_updates_in_place_and_a_clerks_version_is_kept() -> None:
    minutes = _minutes()
    item = _import_item(minutes).record
    write(item, ["The clerk's own words."])
    item.refresh_from_db()
    assert item.version == 2

    again = _import_item(minutes, item=item, at=LATER)

    assert again.outcome == Outcome.UPDATED
    item.refresh_from_db()
    assert item.version == 3
    assert item.paragraphs.count() == 2
    assert item.revisions.get(version=2).content["paragraphs"] == [
        "The clerk's own words."
    ]
    assert item.revisions.get(version=3).content == services.item_content(item)


def test_a_number_another_item_holds_is_taken_and_the_holder_parked() -> None:
    minutes = _minutes()
    first = _import_item(minutes, number=51).record
    second = _import_item(
        minutes, number=52, source=_source("notes.txt#53"), title="DHR update"
    ).record

    _import_item(minutes, item=second, number=51, title="DHR update")
    _import_item(minutes, item=first, number=52)

    assert list(minutes.items.order_by("number").values_list("number", "title")) == [
        (51, "DHR update"),
        (52, "Kent Community Safety Agreement"),
    ]


def test_a_blank_title_or_approved_minutes_are_refused() -> None:
    minutes = _minutes()
    with pytest.raises(ValidationError):
        _import_item(minutes, title="  ")
    minutes.status = minutes.Status.APPROVED
    with pytest.raises(
        ValidationError, match="These minutes are approved, so they cannot be changed"
    ):
        _import_item(minutes)


def test_an_item_import_can_keep_the_series_numbers_when_one_is_deleted() -> None:
    minutes = _minutes()
    _import_item(minutes, number=51)
    gone = _import_item(minutes, number=55, source=_source("notes.txt#55")).record

    services.minute_item_delete(item=gone, renumber=False)

    assert list(minutes.items.values_list("number", flat=True)) == [51]


# Minutes ---------------------------------------------------------------------------


def test_minutes_are_imported_as_drafts_and_updated_in_place() -> None:
    meeting = factories.meeting()
    source = _source("notes.txt")

    first = services.minutes_import(
        meeting=meeting, first_number=51, source=source, source_text="NOTES"
    )
    same = services.minutes_import(
        meeting=meeting, first_number=51, source=source, source_text="NOTES"
    )
    moved = services.minutes_import(
        meeting=meeting, first_number=50, source=source, source_text="NOTES"
    )

    assert [first.outcome, same.outcome, moved.outcome] == [
        Outcome.CREATED,
        Outcome.UNCHANGED,
        Outcome.UPDATED,
    ]
    minutes = moved.record
    assert minutes.status == minutes.Status.DRAFT
    assert (minutes.first_number, minutes.source_text) == (50, "NOTES")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("publish", "have been published"),
        ("other source", "did not come from this source"),
        ("edit", "a clerk has edited (minute 52 first)"),
        ("add", "a clerk has added to"),
    ],
)
def test_minutes_a_clerk_worked_on_are_kept_unless_replaced(
    change: str, reason: str
) -> None:
    minutes = _minutes()
    item = _import_item(minutes).record
    if change == "publish":
        services.minutes_publish_draft(minutes=minutes)
    elif change == "edit":
        write(item, ["Edited."])
    elif change == "add":
        services.minute_item_add(minutes=minutes, title="Any other business")
    key = "elsewhere.txt" if change == "other source" else "notes.txt"

    with pytest.raises(services.MinutesKept) as kept:
        services.minutes_import(
            meeting=minutes.meeting, first_number=51, source=_source(key)
        )
    assert kept.value.reason == reason
    assert not kept.value.approved

    replaced = services.minutes_import(
        meeting=minutes.meeting, first_number=51, source=_source(key), replace=True
    )
    assert replaced.record.source_id == key


def test_approved_minutes_are_never_replaced() -> None:
    minutes = _minutes()
    later = services.minutes_import(
        meeting=factories.meeting(start="2022-06-30T10:00"),
        first_number=61,
        source=_source("later.txt"),
    ).record
    approving = _import_item(later, number=61, source=_source("later.txt#61"))
    services.minutes_approve(
        minutes=minutes, resolution=approving.record.resolutions.get()
    )

    with pytest.raises(services.MinutesKept) as kept:
        services.minutes_import(
            meeting=minutes.meeting,
            first_number=51,
            source=_source("notes.txt"),
            replace=True,
        )
    assert kept.value.approved


# Meetings and agendas --------------------------------------------------------------


def test_a_meeting_is_scheduled_updated_or_left_with_its_provenance() -> None:
    body = factories.body()
    start = dt.datetime(2026, 2, 10, 10, 0, tzinfo=LONDON)
    source = Source(system="moderngov", id="4967", url="https://d.example/4967", at=NOW)

    created = services.meeting_import(body=body, source=source, start=start)
    meeting = created.record
    same = services.meeting_import(
        body=body, source=source, meeting=meeting, start=start
    )
    moved = services.meeting_import(
        body=body,
        source=Source(system="moderngov", id="4967", at=LATER),
        meeting=meeting,
        start=start + dt.timedelta(days=1),
    )

    assert [created.outcome, same.outcome, moved.outcome] == [
        Outcome.CREATED,
        Outcome.UNCHANGED,
        Outcome.UPDATED,
    ]
    meeting = Meeting.objects.get()
    assert meeting.url_key == "2026-02-11"  # the address follows the date
    assert meeting.source_url == "https://d.example/4967"
    assert (meeting.first_imported_at, meeting.last_imported_at) == (NOW, LATER)


def test_an_imported_agenda_item_is_not_late_on_a_published_agenda() -> None:
    meeting = factories.meeting(agenda_published_at=NOW - dt.timedelta(days=10))
    section = services.agenda_section_add(meeting=meeting, letter="a", title="Agenda")

    saved = services.agenda_item_import(
        section=section,
        number=9,
        title="Work Programme",
        source=_source("18833", system="moderngov"),
        visibility=Visibility.EXEMPT,
        exempt_paragraph=3,
    )

    item = saved.record
    assert saved.outcome == Outcome.CREATED
    assert (section.letter, section.order) == ("A", 0)
    assert (item.reference, item.is_urgent, item.added_after_publication) == (
        "A9",
        False,
        False,
    )
    assert item.exempt_paragraph == 3


def test_an_imported_agenda_item_moves_its_sources_items_but_not_a_clerks() -> None:
    meeting = factories.meeting()
    section = factories.section(meeting, "A", "Agenda")
    first = services.agenda_item_import(
        section=section, number=1, title="Minutes", source=_source("1", system="mg")
    ).record

    second = services.agenda_item_import(
        section=section, number=1, title="Apologies", source=_source("2", system="mg")
    ).record
    first.refresh_from_db()
    assert (second.number, first.number) == (1, None)
    services.agenda_item_import(
        section=section,
        number=2,
        title="Minutes",
        source=_source("1", system="mg"),
        item=first,
    )
    assert list(
        section.items.order_by("number").values_list("reference", flat=True)
    ) == [
        "A1",
        "A2",
    ]

    factories.item(section, "The clerk's item")  # A3
    with pytest.raises(ValidationError):
        services.agenda_item_import(
            section=section, number=3, title="Papers", source=_source("3", system="mg")
        )
    assert AgendaItem.objects.get(number=3).title == "The clerk's item"


# Attendance ----------------------------------------------------------------------


def test_attendance_is_set_once_per_person_with_one_chair() -> None:
    meeting = factories.meeting()
    rivers = factories.person("Rivers", title="Mr")
    hill = factories.person("Hill", title="Mr")

    first = services.attendance_set(
        meeting=meeting, person=hill, kind="present", order=0, in_the_chair=True
    )
    chair = services.attendance_set(
        meeting=meeting,
        person=rivers,
        kind="present",
        order=1,
        capacity="Vice-Chairman",
        in_the_chair=True,
    )
    same = services.attendance_set(
        meeting=meeting,
        person=rivers,
        kind="present",
        order=1,
        capacity="Vice-Chairman",
    )

    assert [first.outcome, chair.outcome, same.outcome] == [
        Outcome.CREATED,
        Outcome.CREATED,
        Outcome.UNCHANGED,
    ]
    assert Attendance.objects.get(in_the_chair=True).person == rivers
    assert Attendance.objects.count() == 2


def test_a_substitute_keeps_whom_they_stand_in_for_unless_told() -> None:
    meeting = factories.meeting()
    member = factories.person("Hill", title="Mr")
    substitute = factories.person("Brinson", title="Ms")

    services.attendance_set(
        meeting=meeting,
        person=substitute,
        kind="substitute",
        order=0,
        substitute_for=member,
    )
    services.attendance_set(
        meeting=meeting, person=substitute, kind="substitute", order=0
    )
    assert Attendance.objects.get().substitute_for == member

    services.attendance_set(meeting=meeting, person=substitute, kind="present", order=0)
    assert Attendance.objects.get().substitute_for is None
