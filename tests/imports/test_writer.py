"""The one writer: a meeting's record from any source, through the services."""

import datetime as dt
import io
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import models, transaction
from simple_history.models import registered_models

from imports.parsers.legacy_minutes import parse_minutes
from imports.parsers.legacy_minutes_record import minutes_record
from imports.parsers.names import parse_name
from imports.people import PeopleFinder
from imports.record import (
    AgendaEntry,
    AttendanceKind,
    AttendanceRecord,
    MeetingRecord,
    MeetingStatus,
    MinuteRecord,
    Paragraph,
    ResolutionKind,
    ResolutionRecord,
)
from imports.report import ImportReport
from imports.writer import WriteRules, Written, meeting_record_write
from kcsp.models import Person
from kcsp.pagecache import content_version
from kcsp.visibility import Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Body,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    MinuteItemRevision,
    MinuteParagraph,
    Minutes,
    Resolution,
    ResolutionPart,
)
from tests import factories

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "demo" / "seeds"
SEED_002 = SEEDS / "002_f79a73190b6b78f0.txt"
SEED_003 = SEEDS / "003_27efcbc9c765a2a8.txt"
MODERNGOV = ROOT / "tests" / "fixtures" / "moderngov"
LONDON = ZoneInfo("Europe/London")

# Every record an import writes. A run that changes nothing leaves all but
# the last import time (and the save time that goes with it) as they were.
WRITTEN = (
    Body,
    Meeting,
    AgendaSection,
    AgendaItem,
    Document,
    Person,
    Membership,
    Attendance,
    Minutes,
    MinuteItem,
    MinuteParagraph,
    Resolution,
    ResolutionPart,
    MinuteItemRevision,
)
WITHOUT_PROVENANCE = (
    AgendaSection,
    Attendance,
    MinuteParagraph,
    Resolution,
    ResolutionPart,
)


def _record(path: Path) -> MeetingRecord:
    text = path.read_text(encoding="utf-8")
    return minutes_record(parse_minutes(text), source_id=path.name, source_text=text)


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    moving = {"last_imported_at", "updated_at"}
    return {
        model.__name__: [
            {k: v for k, v in row.items() if k not in moving}
            for row in model.objects.order_by("pk").values()
        ]
        for model in WRITTEN
    }


def _history() -> dict[str, int]:
    return {
        model.__name__: model.history.count()  # type: ignore[attr-defined]
        for model in WITHOUT_PROVENANCE
    }


def _content(item: MinuteItem) -> dict[str, Any]:
    return {**services.item_content(item), "number": None}


@pytest.mark.parametrize("seed", [SEED_002, SEED_003], ids=["2022", "2015"])
def test_each_imported_minute_is_what_the_drafting_screen_writes(seed: Path) -> None:
    kcsp = factories.body("Kent Community Safety Partnership")
    call_command("import_minutes", str(seed), "--body", kcsp.slug, stdout=io.StringIO())
    record = _record(seed)
    # A clerk types the same minutes into the drafting screen of another body.
    typed_minutes = services.minutes_start_from_agenda(
        meeting=factories.meeting(factories.body("Typing Pool"))
    )

    for minute in record.minutes:
        imported = MinuteItem.objects.get(
            minutes__meeting__body=kcsp, number=minute.number
        )
        typed = services.minute_item_add(minutes=typed_minutes, title=minute.title)
        typed = services.minute_item_save(
            item=typed,
            version=typed.version,
            title=minute.title,
            paragraphs=[paragraph.text for paragraph in minute.paragraphs],
            resolutions=[
                services.ResolutionInput(
                    text=resolution.text,
                    parts=list(resolution.parts),
                    kind=resolution.kind,
                )
                for resolution in minute.resolutions
            ],
        )

        assert _content(imported) == _content(typed), minute.number
        # The import also keeps which paragraphs the minutes numbered.
        assert [p.numbered for p in imported.paragraphs.all()] == [
            p.numbered for p in minute.paragraphs
        ]
        assert imported.revisions.get(version=1).content == services.item_content(
            imported
        )


def _run_minutes(body: Body) -> str:
    out = io.StringIO()
    for seed in (SEED_003, SEED_002):
        call_command("import_minutes", str(seed), "--body", body.slug, stdout=out)
    return out.getvalue()


def _run_moderngov() -> str:
    out = io.StringIO()
    call_command("import_moderngov", "--from-dir", str(MODERNGOV), stdout=out)
    return out.getvalue()


def _all_history() -> int:
    """History rows of every audited model."""
    return sum(
        model.history.count()  # type: ignore[attr-defined]
        for model in registered_models.values()
        if hasattr(model, "history")
    )


@pytest.mark.parametrize("source", ["minutes", "moderngov"])
def test_running_an_import_again_writes_nothing(source: str) -> None:
    kcsp = factories.body("Kent Community Safety Partnership")

    def run() -> str:
        return _run_minutes(kcsp) if source == "minutes" else _run_moderngov()

    run()
    before, history = _snapshot(), _history()
    rows, version = _all_history(), content_version()
    first = list(Meeting.objects.values_list("last_imported_at", flat=True))

    out = run()

    assert _snapshot() == before
    assert _history() == history
    # Not one history row, and the public pages' cache is not emptied.
    assert _all_history() == rows
    assert content_version() == version
    assert "created" not in out
    assert "updated" not in out
    assert "deleted" not in out
    assert "unchanged" in out
    later = list(Meeting.objects.values_list("last_imported_at", flat=True))
    assert later == first


# A source with no importer yet ------------------------------------------------------

WEBSITE = WriteRules(system="website", name="the council's website")


def _website_record(**changes: Any) -> MeetingRecord:
    """A meeting as a parser of the council's web pages would give it."""
    values: dict[str, Any] = {
        "key": "ieListDocuments.aspx?MId=512",
        "date": dt.date(2023, 3, 16),
        "time": dt.time(14, 0),
        "venue": "Medway Room, Sessions House",
        "agenda": (
            AgendaEntry(key="item-7", letter="B", number=1, title="Vision Zero"),
            AgendaEntry(
                key="item-9",
                letter="C",
                number=1,
                title="Domestic Homicide Reviews",
                exempt=True,
                exempt_paragraph=3,
            ),
        ),
        "attendance": (
            AttendanceRecord(
                name=parse_name("Mr P M Hill, OBE"),
                kind=AttendanceKind.PRESENT,
                capacity="Chairman",
                in_the_chair=True,
            ),
            AttendanceRecord(
                name=parse_name("Ms S Brinson"), kind=AttendanceKind.APOLOGIES
            ),
        ),
        "minutes": (
            MinuteRecord(
                number=12,
                title="Vision Zero",
                agenda_key="item-7",
                paragraphs=(Paragraph(1, "Mr Steenhuis introduced the strategy.", 0),),
                resolutions=(
                    ResolutionRecord(
                        text="RESOLVED that the Partnership",
                        parts=("note the strategy;", "agree the priorities."),
                        kind=ResolutionKind.AGREED,
                    ),
                ),
            ),
            MinuteRecord(
                number=13,
                title="Domestic Homicide Reviews",
                agenda_key="item-9",
                paragraphs=(
                    Paragraph(None, "The Partnership discussed the cases.", 0),
                ),
            ),
        ),
    }
    return MeetingRecord(**{**values, **changes})


def _write(record: MeetingRecord, body: Body) -> tuple[Written | None, ImportReport]:
    report = ImportReport()
    now = dt.datetime.now(tz=LONDON)
    with transaction.atomic():
        written = meeting_record_write(
            record=record,
            body=body,
            rules=WEBSITE,
            report=report,
            people=PeopleFinder(report=report, system=WEBSITE.system, now=now),
            now=now,
        )
    return written, report


def test_a_record_from_any_parser_is_written_as_a_draft_with_provenance() -> None:
    kcsp = factories.body("Kent Community Safety Partnership")

    written, report = _write(_website_record(), kcsp)

    assert written is not None
    meeting = written.meeting
    assert (meeting.source_system, meeting.source_id) == (
        "website",
        "ieListDocuments.aspx?MId=512",
    )
    assert meeting.start == dt.datetime(2023, 3, 16, 14, 0, tzinfo=LONDON)
    assert meeting.status == Meeting.Status.HELD
    assert [
        (i.reference, i.source_id) for i in meeting.items.order_by("reference")
    ] == [
        ("B1", "item-7"),
        ("C1", "item-9"),
    ]
    minutes = meeting.minutes
    assert (minutes.status, minutes.first_number) == (Minutes.Status.DRAFT, 12)
    vision, reviews = minutes.items.order_by("number")
    assert (vision.agenda_reference, vision.agenda_item) == (
        "B1",
        written.agenda["item-7"],
    )
    assert [part.letter for part in vision.resolutions.get().parts.all()] == ["a", "b"]
    assert vision.source_id == "ieListDocuments.aspx?MId=512#12"
    # A minute without its own visibility takes its agenda item's.
    assert (reviews.visibility, reviews.exempt_paragraph) == (Visibility.EXEMPT, 3)
    assert reviews.paragraphs.get().numbered is False
    chair = Attendance.objects.get(in_the_chair=True)
    assert (chair.person.formal_name, chair.capacity) == (
        "Mr P M Hill, OBE",
        "Chairman",
    )
    assert Attendance.objects.get(person__surname="Brinson").kind == "apologies"
    assert report.total("minute item", "created") == 2

    _, again = _write(_website_record(), kcsp)

    assert not again.changed_anything()
    assert again.total("minute item", "unchanged") == 2


def test_a_changed_record_updates_in_place_and_drops_what_it_no_longer_has() -> None:
    kcsp = factories.body("Kent Community Safety Partnership")
    _write(_website_record(), kcsp)
    first = _website_record().minutes[0]

    written, report = _write(
        _website_record(minutes=(first,), status=MeetingStatus.HELD), kcsp
    )

    assert written is not None
    assert list(written.meeting.minutes.items.values_list("number", flat=True)) == [12]
    assert report.total("minute item", "deleted") == 1
    assert report.total("minute item", "unchanged") == 1
    assert Meeting.objects.count() == 1


def test_a_record_without_minutes_leaves_the_minutes_alone() -> None:
    kcsp = factories.body("Kent Community Safety Partnership")
    _write(_website_record(), kcsp)

    _, report = _write(_website_record(minutes=(), attendance=()), kcsp)

    assert MinuteItem.objects.count() == 2
    assert Attendance.objects.count() == 2
    assert not report.changed_anything()


def test_the_record_enums_are_the_models_choices() -> None:
    def values(choices: type[models.TextChoices]) -> set[str]:
        return set(choices.values)

    # "Not recorded yet" is also what a source says that does not tell
    # whether someone came (ModernGov's "Expected" at a minuted meeting).
    assert {k.value for k in AttendanceKind} == values(Attendance.Kind)
    assert {k.value for k in ResolutionKind} == values(Resolution.Kind)
    assert {k.value for k in MeetingStatus} == values(Meeting.Status)
