"""Turning parsed minutes into a meeting's record: no database."""

import datetime as dt
import functools

import pytest

from imports.parsers.legacy_minutes import parse_minutes
from imports.parsers.legacy_minutes_record import minutes_record
from imports.record import AttendanceKind, MeetingRecord, ResolutionKind
from tests.imports.parsers import source

SEED_001 = "seeds/001_1a709a66df1af549.txt"
SEED_002 = "seeds/002_f79a73190b6b78f0.txt"
SEED_004 = "seeds/004_91af56b541b8bdc4.txt"


@functools.cache
def _record(name: str) -> MeetingRecord:
    text = source(name).read_text(encoding="utf-8")
    return minutes_record(parse_minutes(text), source_id="notes.txt", source_text=text)


def test_the_record_of_the_24_march_2022_notes() -> None:
    record = _record(SEED_002)

    assert (record.key, record.date, record.online, record.time) == (
        "notes.txt",
        dt.date(2022, 3, 24),
        True,
        None,
    )
    assert record.body_name == "Kent Community Safety Partnership"
    assert record.agenda_from_references
    assert record.source_text.startswith(
        source(SEED_002).read_text(encoding="utf-8")[:40]
    )
    assert [m.number for m in record.minutes] == list(range(51, 61))
    assert [(e.key, e.letter, e.number) for e in record.agenda][:2] == [
        ("notes.txt#A4", "A", 4),
        ("notes.txt#B1", "B", 1),
    ]
    agreement = record.minutes[1]
    assert (agreement.agenda_key, agreement.reference) == ("notes.txt#B1", "B1")
    assert agreement.key == ""  # the writer keys it "notes.txt#52"
    assert [p.numbered for p in agreement.paragraphs] == [True, True, True]
    (resolution,) = agreement.resolutions
    assert resolution.text == "RESOLVED that the Kent Community Safety Partnership"
    assert len(resolution.parts) == 3
    assert resolution.kind == ResolutionKind.AGREED


def test_the_chair_and_capacities_as_the_attendance_list_shows_them() -> None:
    record = _record(SEED_002)

    chair = record.attendance[0]
    assert (chair.name.surname, chair.kind, chair.in_the_chair, chair.capacity) == (
        "Rivers",
        AttendanceKind.PRESENT,
        True,
        "Vice-Chairman",
    )
    assert chair.source_id == f"notes.txt line {chair.line}"
    assert sum(1 for a in record.attendance if a.in_the_chair) == 1


def test_only_the_numbered_minutes_of_an_agenda_pack_are_kept() -> None:
    record = _record(SEED_001)

    assert [(m.number, m.reference) for m in record.minutes] == [
        (1, "B1"),
        (2, "B2"),
        (3, "B3"),
        (4, "B4"),
        (5, "B5"),
    ]
    parsed = parse_minutes(source(SEED_001).read_text(encoding="utf-8"))
    # The parser's own lines come first, then what building the record left.
    assert record.unplaced[: len(parsed.unplaced)] == parsed.unplaced
    assert any(
        "1. Introduction not imported" in line.reason
        for line in record.unplaced[len(parsed.unplaced) :]
    )
    assert any("start again 3 time(s)" in line.reason for line in record.warnings)


def test_minutes_without_a_date_give_no_record() -> None:
    parsed = parse_minutes(source(SEED_004).read_text(encoding="utf-8"))

    with pytest.raises(ValueError, match="without a date"):
        minutes_record(parsed, source_id="004")
