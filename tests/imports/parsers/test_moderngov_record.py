"""Turning a ModernGov meeting into a meeting's record: no database."""

import datetime as dt

from imports.parsers.html_text import html_blocks
from imports.parsers.moderngov import (
    MgMeeting,
    MgMeetingSummary,
    parse_meeting,
    parse_meetings,
    tidy_word_html,
)
from imports.parsers.moderngov_record import meeting_record, minute_content
from imports.record import AttendanceKind, MeetingStatus, ResolutionKind
from tests.imports.parsers import source

HELD = dt.date(2026, 2, 10)


def _xml(name: str) -> bytes:
    return source(f"fixtures/moderngov/{name}").read_bytes()


def _responses(
    meeting_xml: bytes | None = None,
) -> tuple[MgMeetingSummary, MgMeeting]:
    summaries = {s.id: s for s in parse_meetings(_xml("meetings.xml"))}
    return summaries[4967], parse_meeting(
        meeting_xml or _xml("meeting_with_minutes.xml")
    )


def test_a_held_meeting_gives_its_agenda_minutes_and_attendance() -> None:
    summary, detail = _responses()

    record = meeting_record(
        summary, detail, today=HELD + dt.timedelta(days=1), url="https://d/4967"
    )

    assert record is not None
    assert (record.key, record.label, record.url) == (
        "4967",
        "meeting 4967",
        "https://d/4967",
    )
    assert (record.date, record.time, record.end_time) == (
        HELD,
        dt.time(10, 0),
        dt.time(14, 0),
    )
    assert record.venue == "Council Antechamber, Level 2, Town Hall Extension"
    assert record.status == MeetingStatus.HELD
    assert record.agenda_published_at is not None
    assert record.agenda_published_at.date() == dt.date(2026, 2, 2)
    assert [(e.key, e.letter, e.number, e.section_title) for e in record.agenda] == [
        ("18831", "A", 1, "Agenda"),
        ("18833", "A", 9, "Agenda"),
    ]
    assert [(m.number, m.key, m.agenda_key) for m in record.minutes] == [
        (1, "18831", "18831"),
        (9, "18833", "18833"),
    ]
    # A minute takes its visibility and reference from its agenda item.
    assert {(m.exempt, m.reference) for m in record.minutes} == {(None, None)}
    (attendee,) = record.attendance
    # "Expected" at a meeting held and minuted does not say they came.
    assert (attendee.kind, attendee.person_id, attendee.source_id) == (
        AttendanceKind.NOT_RECORDED,
        "192",
        "192",
    )
    assert attendee.in_the_chair is None  # ModernGov does not say
    assert [w.reason for w in record.warnings] == [
        "meeting 4967: Councillor Basil Curley's attendance is recorded as "
        "'Expected' in ModernGov, which does not say they came: recorded as not "
        "recorded yet; set it from the minutes"
    ]


def test_a_meeting_not_yet_held_has_no_attendance() -> None:
    summary, detail = _responses()

    record = meeting_record(summary, detail, today=HELD)

    assert record is not None
    assert record.status == MeetingStatus.AGENDA_PUBLISHED
    assert record.attendance == ()
    assert len(record.minutes) == 2


def test_without_getmeeting_only_the_meeting_itself_is_read() -> None:
    summary, _ = _responses()

    record = meeting_record(summary, None, today=HELD)

    assert record is not None
    assert (record.agenda, record.minutes, record.attendance) == ((), (), ())
    assert record.time == dt.time(10, 0)


def test_a_restricted_item_is_exempt_under_its_paragraph() -> None:
    xml = _xml("meeting_with_minutes.xml").replace(
        b"<isrestricted>False</isrestricted>",
        b"<isrestricted>True</isrestricted>",
        1,
    )
    summary, detail = _responses(xml)

    record = meeting_record(summary, detail, today=HELD)

    assert record is not None
    first = record.agenda[0]
    assert (first.exempt, first.exempt_paragraph) == (True, 1)
    assert "names no paragraph of Schedule 12A" in record.warnings[0].reason


def test_minute_content_from_word_html() -> None:
    html = tidy_word_html(
        '<div class="WordSection1"><p class="MsoNormal"><span style="x">'
        "(2) Members asked<o:p></o:p></span></p><h3>Decision</h3>"
        "<p>Resolved: that</p><p>a) the plan be approved;</p>"
        "<p>b) officers report back.</p>"
        "<table><tr><td>Year</td><td>Cost</td></tr></table></div>"
    )
    paragraphs, resolutions, notes = minute_content(html_blocks(html))

    assert [(p.text, p.numbered) for p in paragraphs] == [
        ("Members asked", True),
        ("**Decision**", False),
        ("Year | Cost", False),
    ]
    assert resolutions[0].text == "Resolved: that"
    assert resolutions[0].parts == ("the plan be approved;", "officers report back.")
    assert resolutions[0].kind == ResolutionKind.APPROVED
    assert notes == ["a table was kept as one line per row"]
