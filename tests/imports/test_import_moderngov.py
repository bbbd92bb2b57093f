"""The `import_moderngov` command on real ModernGov responses.

Saved responses come from `tests/fixtures/moderngov/`; the live path is
tested against a small HTTP server on 127.0.0.1 that serves the same files.
No council's server is ever contacted.
"""

import datetime as dt
import io
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from imports.moderngov_source import WebServiceSource, user_agent
from kcsp.models import Person
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
    MinuteParagraph,
    Minutes,
    Resolution,
)
from tests import factories

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "moderngov"
LONDON = ZoneInfo("Europe/London")
MODELS = (
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
)


def run(*options: str) -> str:
    out = io.StringIO()
    call_command("import_moderngov", *options, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _copy_fixtures(folder: Path) -> Path:
    for name in ("committees.xml", "meetings.xml", "meeting_with_minutes.xml"):
        shutil.copy(FIXTURES / name, folder / name)
    return folder


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(old) >= count, old
    path.write_text(content.replace(old, new, count), encoding="utf-8")


# Saved responses ----------------------------------------------------------------


def test_committees_become_bodies() -> None:
    out = run("--from-dir", str(FIXTURES))

    assert "bodies: 3 created" in out
    audit = Body.objects.get(source_system="moderngov", source_id="144")
    assert audit.name == "Audit Committee"
    assert audit.slug == "audit-committee"
    assert audit.kind == Body.Kind.PARTNERSHIP_BOARD
    assert audit.is_public is True
    assert audit.active_until is None
    assert audit.first_imported_at is not None
    assert audit.last_imported_at == audit.first_imported_at
    assert audit.source_url == ""  # only a live import knows the site

    expired = Body.objects.get(source_id="312")
    assert expired.name == (
        "Appointment Sub Committee for Director of Adult Social Services"
    )
    assert expired.kind == Body.Kind.SUB_GROUP
    assert expired.is_public is True  # its records stay open to inspection
    assert expired.active_until is not None
    assert expired not in Body.objects.active()
    assert Body.objects.get(source_id="163").slug == "art-galleries-committee"


def test_meetings_including_the_cancelled_one() -> None:
    run("--from-dir", str(FIXTURES))
    audit = Body.objects.get(source_id="144")

    cancelled = Meeting.objects.get(source_system="moderngov", source_id="4966")
    assert cancelled.body == audit
    assert cancelled.start == dt.datetime(2026, 1, 13, 10, 0, tzinfo=LONDON)
    assert cancelled.status == Meeting.Status.CANCELLED
    assert cancelled.status_reason.startswith("Recorded as cancelled")
    assert cancelled.venue == ""
    assert cancelled.url_key == "2026-01-13"
    assert not cancelled.items.exists()

    held = Meeting.objects.get(source_id="4967")
    assert held.body == audit
    assert held.start == dt.datetime(2026, 2, 10, 10, 0, tzinfo=LONDON)
    assert held.end == dt.datetime(2026, 2, 10, 14, 0, tzinfo=LONDON)
    assert held.status == Meeting.Status.HELD
    assert held.venue == "Council Antechamber, Level 2, Town Hall Extension"
    assert held.online is False
    assert held.agenda_published_at == dt.datetime(2026, 2, 2, tzinfo=LONDON)
    assert held.first_imported_at is not None


def test_agenda_items_go_to_section_a_at_their_shown_numbers() -> None:
    run("--from-dir", str(FIXTURES))
    meeting = Meeting.objects.get(source_id="4967")

    (section,) = meeting.sections.all()
    assert (section.letter, section.title) == ("A", "Agenda")
    items = list(meeting.items.order_by("number"))
    assert [(i.reference, i.number, i.title) for i in items] == [
        ("A1", 1, "Minutes"),
        ("A9", 9, "Work Programme"),
    ]
    first = items[0]
    assert first.description == (
        "<p>To approve as a correct record the minutes of the meeting held on "
        "25 November 2025.</p>"
    )
    assert first.visibility == Visibility.PUBLIC
    assert first.exempt_paragraph is None
    assert first.presenter == ""
    assert (first.source_system, first.source_id) == ("moderngov", "18831")
    assert items[1].source_id == "18833"


def test_documents_keep_their_metadata() -> None:
    run("--from-dir", str(FIXTURES))

    minutes_paper = Document.objects.get(source_id="60860")
    assert (
        minutes_paper.title == "6 - CHAIR APPROVED  Minutes Audit Committee 25 Nov 2025"
    )
    assert minutes_paper.kind == Document.Kind.MINUTES
    assert minutes_paper.item.source_id == "18831"
    assert minutes_paper.meeting.source_id == "4967"
    assert minutes_paper.external_url == (
        "https://democracy.manchester.gov.uk/mgConvert2PDF.aspx?ID=60860"
    )
    assert minutes_paper.source_url == minutes_paper.external_url
    assert minutes_paper.published_at == dt.datetime(2026, 2, 2, tzinfo=LONDON)
    assert minutes_paper.visibility == Visibility.PUBLIC
    assert minutes_paper.order == 1
    assert not minutes_paper.file  # files come only from a live import

    programme = Document.objects.get(source_id="60909")
    assert programme.title == "DRAFT WP  FEBRUARY 2026"
    assert programme.kind == Document.Kind.REPORT
    assert programme.item.title == "Work Programme"
    # Published with the agenda, so the public can see it.
    assert Document.objects.public().count() == 2


def test_minutes_html_becomes_draft_minute_items() -> None:
    run("--from-dir", str(FIXTURES))
    meeting = Meeting.objects.get(source_id="4967")

    minutes = meeting.minutes
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.first_number == 1
    assert (minutes.source_system, minutes.source_id) == ("moderngov", "4967")
    items = list(minutes.items.order_by("number"))
    assert [(i.number, i.title, i.agenda_reference) for i in items] == [
        (1, "Minutes", "A1"),
        (9, "Work Programme", "A9"),
    ]
    assert items[0].agenda_item.source_id == "18831"
    assert [(p.text, p.numbered) for p in items[0].paragraphs.all()] == [
        (
            "To approve the minutes of the meeting held on 25 November 2025 as a "
            "correct record.",
            False,
        )
    ]
    assert (
        items[1]
        .paragraphs.get()
        .text.startswith(
            "The Committee considered a report of the Governance and Scrutiny"
        )
    )
    assert all(i.version == 1 for i in items)
    assert all(i.revisions.filter(version=1).exists() for i in items)
    assert items[1].source_id == "18833"


def test_attendees_become_people_memberships_and_attendance() -> None:
    out = run("--from-dir", str(FIXTURES))
    meeting = Meeting.objects.get(source_id="4967")

    person = Person.objects.get()
    assert (person.title, person.forenames, person.surname) == (
        "Councillor",
        "Basil",
        "Curley",
    )
    assert (person.source_system, person.source_id) == ("moderngov", "192")
    assert person.source_url == (
        "https://democracy.manchester.gov.uk/mgUserInfo.aspx?UID=192"
    )
    membership = Membership.objects.get()
    assert membership.body == meeting.body
    assert membership.person == person
    assert membership.role == Membership.Role.MEMBER
    assert membership.political_group == Membership.PoliticalGroup.LABOUR
    assert (membership.start, membership.end) == (
        dt.date(2026, 2, 10),
        dt.date(2026, 2, 10),
    )
    attendance = Attendance.objects.get()
    assert attendance.meeting == meeting
    assert attendance.person == person
    # ModernGov's "Expected" is not "Present": the clerk sets it from the minutes.
    assert attendance.kind == Attendance.Kind.NOT_RECORDED
    assert attendance.capacity == ""
    assert "attendance is recorded as 'Expected' in ModernGov" in out


def test_running_again_changes_nothing_and_reports_unchanged() -> None:
    run("--from-dir", str(FIXTURES))
    before = counts()
    first = Meeting.objects.get(source_id="4967").first_imported_at

    out = run("--from-dir", str(FIXTURES))

    assert counts() == before
    assert "created" not in out
    assert "updated" not in out
    for line in (
        "bodies: 3 unchanged",
        "meetings: 2 unchanged",
        "agenda items: 2 unchanged",
        "documents: 2 unchanged",
        "minute items: 2 unchanged",
        "person: 1 unchanged",
        "attendance record: 1 unchanged",
    ):
        assert line in out
    meeting = Meeting.objects.get(source_id="4967")
    assert meeting.first_imported_at == meeting.last_imported_at == first


def test_a_changed_response_updates_in_place(tmp_path: Path) -> None:
    folder = _copy_fixtures(tmp_path)
    run("--from-dir", str(folder))
    _edit(
        folder / "meeting_with_minutes.xml",
        "<agendaitemtitle>Work Programme</agendaitemtitle>",
        "<agendaitemtitle>Work Programme 2026</agendaitemtitle>",
    )
    _edit(folder / "meetings.xml", "<meetingtime>10.00 am", "<meetingtime>2.00 pm", 2)
    _edit(
        folder / "meeting_with_minutes.xml",
        "<meetingtime>10.00 am</meetingtime>\n  <meetingactual",
        "<meetingtime>2.00 pm</meetingtime>\n  <meetingactual",
    )

    out = run("--from-dir", str(folder))

    assert "agenda items: 1 updated, 1 unchanged" in out
    assert "minute items: 1 updated, 1 unchanged" in out
    assert AgendaItem.objects.get(source_id="18833").title == "Work Programme 2026"
    meeting = Meeting.objects.get(source_id="4967")
    assert meeting.start == dt.datetime(2026, 2, 10, 14, 0, tzinfo=LONDON)
    assert meeting.end is None  # finishing at 2.00 pm cannot end a 2.00 pm start
    assert Meeting.objects.count() == 2


def test_dry_run_writes_nothing() -> None:
    out = run("--from-dir", str(FIXTURES), "--dry-run")

    assert "Dry run: nothing was saved" in out
    assert "meetings: 2 created" in out
    assert counts() == dict.fromkeys(counts(), 0)


def test_committee_and_date_filters() -> None:
    out = run(
        "--from-dir",
        str(FIXTURES),
        "--committee",
        "Audit Committee",
        "--committee",
        "999",
        "--from-date",
        "2026-02-01",
    )

    assert list(Body.objects.values_list("source_id", flat=True)) == ["144"]
    assert list(Meeting.objects.values_list("source_id", flat=True)) == ["4967"]
    assert "no committee has the id or title '999'" in out

    run("--from-dir", str(FIXTURES), "--committee", "144", "--to-date", "31/01/2026")
    assert set(Meeting.objects.values_list("source_id", flat=True)) == {"4966", "4967"}


def test_restricted_items_and_papers_are_exempt(tmp_path: Path) -> None:
    folder = _copy_fixtures(tmp_path)
    meeting_xml = folder / "meeting_with_minutes.xml"
    # The work programme item is restricted under paragraph 3 ...
    _edit(
        meeting_xml,
        "<isrestricted>False</isrestricted>\n      <isdisplayallowed>True"
        "</isdisplayallowed>\n      <meetingdate>10/02/2026</meetingdate>\n"
        "      <meetingtime>10.00 am</meetingtime>\n      <minutesitemnumber>9",
        "<isrestricted>True</isrestricted>\n      <restrictionsRef>Paragraph 3"
        "</restrictionsRef>\n      <isdisplayallowed>True</isdisplayallowed>\n"
        "      <meetingdate>10/02/2026</meetingdate>\n"
        "      <meetingtime>10.00 am</meetingtime>\n      <minutesitemnumber>9",
    )
    # ... the minutes item is not for display ...
    _edit(
        meeting_xml,
        "<isdisplayallowed>True</isdisplayallowed>\n      <meetingdate>",
        "<isdisplayallowed>False</isdisplayallowed>\n      <meetingdate>",
    )
    # ... and a paper is restricted without saying why.
    _edit(
        meeting_xml,
        "<isrestricted>False</isrestricted>\n          <restrictionsRef>",
        "<isrestricted>True</isrestricted>\n          <restrictionsRef>",
    )

    out = run("--from-dir", str(folder))

    programme = AgendaItem.objects.get(source_id="18833")
    assert (programme.visibility, programme.exempt_paragraph) == (
        Visibility.EXEMPT,
        3,
    )
    assert MinuteItem.objects.get(number=9).visibility == Visibility.EXEMPT
    hidden = AgendaItem.objects.get(source_id="18831")
    assert (hidden.visibility, hidden.exempt_paragraph) == (Visibility.EXEMPT, 1)
    assert "'Minutes' is not for display in ModernGov: imported as exempt" in out
    paper = Document.objects.get(source_id="60860")
    assert (paper.visibility, paper.exempt_paragraph) == (Visibility.EXEMPT, 1)
    assert "names no paragraph of Schedule 12A" in out
    assert Document.objects.public().count() == 0  # both papers' items are exempt


def test_minutes_with_a_resolution_and_lists(tmp_path: Path) -> None:
    folder = _copy_fixtures(tmp_path)
    _edit(
        folder / "meeting_with_minutes.xml",
        '&lt;p class="MsoNormal"&gt;The Committee considered',
        '&lt;p class="MsoNormal"&gt;1. The Committee considered a report.'
        "&lt;/p&gt;&lt;ul&gt;&lt;li&gt;first &lt;b&gt;point&lt;/b&gt;&lt;/li&gt;"
        '&lt;li&gt;see &lt;a href="https://example.org/wp"&gt;the plan&lt;/a&gt;'
        "&lt;/li&gt;&lt;/ul&gt;&lt;p&gt;&lt;b&gt;RESOLVED&lt;/b&gt; that the "
        "Committee:&lt;/p&gt;&lt;ol&gt;&lt;li&gt;note the report;&lt;/li&gt;"
        "&lt;li&gt;agree the programme.&lt;/li&gt;&lt;/ol&gt;"
        '&lt;p class="MsoNormal"&gt;Also considered',
    )

    run("--from-dir", str(folder))

    item = MinuteItem.objects.get(number=9)
    paragraphs = list(item.paragraphs.all())
    assert (paragraphs[0].text, paragraphs[0].numbered) == (
        "The Committee considered a report.\n- first **point**\n"
        "- see [the plan](https://example.org/wp)",
        True,
    )
    assert paragraphs[1].text.startswith("Also considered a report of the")
    (resolution,) = item.resolutions.all()
    assert resolution.text == "RESOLVED that the Committee:"
    assert [part.text for part in resolution.parts.all()] == [
        "note the report;",
        "agree the programme.",
    ]
    assert resolution.kind == Resolution.Kind.NOTED


def test_attendance_kinds_roles_and_parties(tmp_path: Path) -> None:
    folder = _copy_fixtures(tmp_path)
    _edit(
        folder / "meeting_with_minutes.xml",
        "  </attendees>",
        '    <attendee membertype="U" memberid="193" name="Councillor Ann Jones"'
        ' roledescription="Chair" attendance="Present" politicalparty="CON"'
        ' ward="X"><url>https://democracy.example/u193</url></attendee>\n'
        '    <attendee membertype="U" memberid="194" name="Mr P M Hill, OBE"'
        ' roledescription="Vice-Chair" attendance="Apologies"'
        ' politicalparty="Kent Independents" ward="Y"><url></url></attendee>\n'
        '    <attendee membertype="O" memberid="195" name="Ms D Fitch"'
        ' roledescription="Democratic Services Officer" attendance="Present"'
        ' politicalparty="" ward=""><url></url></attendee>\n'
        "  </attendees>",
    )

    out = run("--from-dir", str(folder))

    rows = {a.person.surname: a for a in Attendance.objects.select_related("person")}
    assert rows["Jones"].kind == Attendance.Kind.PRESENT
    assert rows["Hill"].kind == Attendance.Kind.APOLOGIES
    assert rows["Hill"].person.honours == "OBE"
    assert rows["Fitch"].kind == Attendance.Kind.IN_ATTENDANCE
    assert rows["Fitch"].capacity == "Democratic Services Officer"
    roles = {m.person.surname: m for m in Membership.objects.select_related("person")}
    assert roles["Jones"].role == Membership.Role.CHAIR
    assert roles["Jones"].political_group == Membership.PoliticalGroup.CONSERVATIVE
    assert roles["Hill"].role == Membership.Role.VICE_CHAIR
    assert roles["Hill"].political_group == Membership.PoliticalGroup.OTHER
    assert "political party 'Kent Independents' is not one the portal lists" in out
    assert "Fitch" not in roles


def test_an_existing_person_is_matched_by_name() -> None:
    curley = factories.person("Curley", title="Cllr", forenames="Basil")

    out = run("--from-dir", str(FIXTURES))

    assert Person.objects.get() == curley
    assert Attendance.objects.get().person == curley
    assert "person: 1 matched" in out


def test_a_body_set_up_by_hand_is_used_not_duplicated() -> None:
    audit = factories.body("Audit Committee")

    out = run("--from-dir", str(FIXTURES))

    assert Body.objects.filter(name="Audit Committee").get() == audit
    assert Meeting.objects.filter(body=audit).count() == 2
    assert "bodies: 2 created, 1 matched" in out


def test_a_meeting_entered_by_hand_is_not_duplicated() -> None:
    factories.body("Audit Committee")
    by_hand = factories.meeting(
        Body.objects.get(name="Audit Committee"), start="2026-02-10T10:00"
    )

    out = run("--from-dir", str(FIXTURES))

    assert Meeting.objects.filter(start__date=dt.date(2026, 2, 10)).get() == by_hand
    assert "did not come from ModernGov: meeting 4967 was not imported" in out


def test_edited_minutes_are_not_overwritten() -> None:
    run("--from-dir", str(FIXTURES))
    item = MinuteItem.objects.get(number=9)
    services.minute_item_save(
        item=item,
        version=item.version,
        title="Work Programme",
        paragraphs=["Edited by the clerk."],
        resolutions=[],
    )

    out = run("--from-dir", str(FIXTURES))

    assert "have been started, edited or published in the portal" in out
    assert MinuteItem.objects.get(number=9).paragraphs.get().text == (
        "Edited by the clerk."
    )


def test_minutes_a_clerk_added_to_are_not_overwritten() -> None:
    run("--from-dir", str(FIXTURES))
    services.minute_item_add(minutes=Minutes.objects.get(), title="Any other business")

    out = run("--from-dir", str(FIXTURES))

    assert "(a clerk has added to): not overwritten" in out
    assert MinuteItem.objects.filter(title="Any other business").exists()
    # The rest of the meeting is still brought up to date.
    assert "agenda items: 2 unchanged" in out


def test_missing_or_hostile_responses_fail_cleanly(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="stopped"):
        run("--from-dir", str(tmp_path))
    (tmp_path / "committees.xml").write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x "y">]><committees/>'
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_moderngov", "--from-dir", str(tmp_path), stdout=out)
    assert "DOCTYPE or ENTITY declaration; refused" in out.getvalue()
    assert Body.objects.count() == 0


def test_a_bad_byte_keeps_the_meetings_items_minutes_and_attendance(
    tmp_path: Path,
) -> None:
    """A response declared UTF-8 with one Windows-1252 byte in it (a curly
    apostrophe saved from Word) is read as Windows-1252, with a warning,
    rather than losing the meeting's content."""
    folder = _copy_fixtures(tmp_path)
    path = folder / "meeting_with_minutes.xml"
    path.write_bytes(
        path.read_bytes().replace(
            b"<agendaitemtitle>Work Programme</agendaitemtitle>",
            b"<agendaitemtitle>Committee\x92s Work Programme</agendaitemtitle>",
            1,
        )
    )
    out = run("--from-dir", str(folder))

    meeting = Meeting.objects.get(source_id="4967")
    assert "read as Windows-1252" in out
    assert meeting.items.filter(title="Committee\u2019s Work Programme").exists()
    assert meeting.minutes.items.count() == 2
    assert meeting.attendance.count() == 1


def test_a_meeting_without_its_getmeeting_response_is_reported(
    tmp_path: Path,
) -> None:
    folder = _copy_fixtures(tmp_path)
    (folder / "meeting_with_minutes.xml").unlink()

    out = run("--from-dir", str(folder))

    assert "meeting 4967 (10 February 2026): no GetMeeting response" in out
    assert Meeting.objects.get(source_id="4967").status == Meeting.Status.HELD
    assert not AgendaItem.objects.exists()


# Live, against a local server --------------------------------------------------


@dataclass
class FakeCouncil:
    """A ModernGov web service on 127.0.0.1 serving the fixture files."""

    url: str = ""
    requests: list[tuple[str, dict[str, list[str]], str]] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)

    def calls(self, name: str) -> list[dict[str, list[str]]]:
        return [query for path, query, _ in self.requests if path.endswith(name)]


EMPTY_MEETINGS = (
    b'<?xml version="1.0" encoding="utf-8"?><getmeetings><meetingscount>0'
    b"</meetingscount><committeescount>0</committeescount></getmeetings>"
)


@pytest.fixture
def council() -> Iterator[FakeCouncil]:
    state = FakeCouncil()
    pdf = factories.pdf_bytes(2)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

        def do_GET(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(parts.query)
            state.requests.append(
                (parts.path, query, self.headers.get("User-Agent", ""))
            )
            call = parts.path.rsplit("/", 1)[-1]
            if state.failures.get(call, 0) > 0:
                state.failures[call] -= 1
                return self.reply(503, b"busy", "text/plain")
            if parts.path == "/democracy/mgWebService.asmx/GetCommittees":
                return self.reply(200, (FIXTURES / "committees.xml").read_bytes())
            if call == "GetMeetings":
                if query.get("lCommitteeId") == ["144"]:
                    return self.reply(200, (FIXTURES / "meetings.xml").read_bytes())
                return self.reply(200, EMPTY_MEETINGS)
            if call == "GetMeeting" and query.get("lMeetingId") == ["4967"]:
                body = (FIXTURES / "meeting_with_minutes.xml").read_bytes()
                return self.reply(200, body)
            if call == "GetAttachment" and query.get("lAttachmentId") == ["60860"]:
                return self.reply(
                    200,
                    pdf,
                    "application/pdf",
                    {"Content-Disposition": 'attachment; filename="minutes.pdf"'},
                )
            if call == "GetAttachment" and query.get("lAttachmentId") == ["60909"]:
                # This installation answers with the file's address.
                return self.reply(
                    200,
                    b"<attachment><url>/democracy/files/wp.pdf</url></attachment>",
                )
            if parts.path == "/democracy/files/wp.pdf":
                return self.reply(200, b"<html>Not found</html>", "text/html")
            return self.reply(404, b"not found", "text/plain")

        def reply(
            self,
            status: int,
            body: bytes,
            kind: str = "text/xml; charset=utf-8",
            headers: dict[str, str] | None = None,
        ) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/democracy"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def live(council: FakeCouncil, *options: str) -> str:
    return run(
        "--base-url",
        council.url,
        "--delay",
        "0",
        "--retry-wait",
        "0",
        "--timeout",
        "5",
        *options,
    )


def test_live_import_over_http(council: FakeCouncil) -> None:
    council.failures["GetCommittees"] = 2  # two server errors, then success

    out = live(council)

    assert len(council.calls("GetCommittees")) == 3
    assert {q["lCommitteeId"][0] for q in council.calls("GetMeetings")} == {
        "312",
        "163",
        "144",
    }
    audit_dates = next(
        q for q in council.calls("GetMeetings") if q["lCommitteeId"] == ["144"]
    )
    assert "sFromDate" in audit_dates and "sToDate" in audit_dates
    assert [q["lMeetingId"] for q in council.calls("GetMeeting")] == [
        ["4966"],
        ["4967"],
    ]
    assert {agent for _, _, agent in council.requests} == {user_agent()}
    assert "Kent Community Safety Partnership" in user_agent()

    audit = Body.objects.get(source_id="144")
    assert audit.source_url == (f"{council.url}/mgCommitteeDetails.aspx?ID=144")
    meeting = Meeting.objects.get(source_id="4967")
    assert meeting.source_url == f"{council.url}/ieListDocuments.aspx?CId=144&MId=4967"
    assert meeting.minutes.items.count() == 2

    paper = Document.objects.get(source_id="60860")
    assert paper.file_kind == "pdf"
    assert paper.filename == "minutes.pdf"
    assert paper.page_count == 2
    assert len(paper.sha256) == 64
    programme = Document.objects.get(source_id="60909")
    assert not programme.file
    assert (
        "file of document 'DRAFT WP  FEBRUARY 2026' not fetched: the council's "
        "server sent a web page instead of the file"
    ) in out
    assert "document file: 1 created" in out


def test_live_import_again_fetches_no_file_twice(council: FakeCouncil) -> None:
    live(council)
    fetched = len(council.calls("GetAttachment"))

    out = live(council)

    assert "document file" not in out
    # Only the paper whose file was refused is asked for again.
    assert len(council.calls("GetAttachment")) == fetched + 1
    assert "documents: 2 unchanged" in out
    assert "meetings: 2 unchanged" in out


def test_live_dry_run_fetches_no_files_and_writes_nothing(
    council: FakeCouncil,
) -> None:
    out = live(council, "--dry-run")

    assert "meetings: 2 created" in out
    assert council.calls("GetAttachment") == []
    assert counts() == dict.fromkeys(counts(), 0)


def test_live_responses_can_be_saved_and_imported_again_from_the_folder(
    council: FakeCouncil, tmp_path: Path
) -> None:
    live(council, "--no-files", "--save-to", str(tmp_path))

    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "committees.xml",
        "meeting_4967.xml",
        "meetings_144.xml",
        "meetings_163.xml",
        "meetings_312.xml",
    ]
    assert council.calls("GetAttachment") == []
    out = run("--from-dir", str(tmp_path))
    assert "meetings: 2 unchanged" in out
    assert "created" not in out


def test_a_server_that_keeps_failing_stops_the_import_cleanly(
    council: FakeCouncil,
) -> None:
    council.failures["GetCommittees"] = 10
    out = io.StringIO()

    with pytest.raises(CommandError, match="stopped"):
        call_command(
            "import_moderngov",
            "--base-url",
            council.url,
            "--delay",
            "0",
            "--retry-wait",
            "0",
            "--retries",
            "2",
            stdout=out,
        )

    assert "answered 503" in out.getvalue()
    assert len(council.calls("GetCommittees")) == 3
    assert Body.objects.count() == 0


def test_the_web_source_waits_between_requests(council: FakeCouncil) -> None:
    waits: list[float] = []
    # The first request starts at 0; the second is ready at 0.25 so waits
    # 0.75; the third is ready at 5, long after, so does not wait.
    clock = iter([0.0, 0.25, 1.0, 5.0, 5.0])
    source = WebServiceSource(
        council.url, delay=1.0, sleep=waits.append, clock=lambda: next(clock)
    )
    source.committees()
    source.committees()
    source.committees()

    assert waits == [0.75]


def test_only_web_addresses_are_accepted() -> None:
    with pytest.raises(CommandError, match="is not a web address"):
        run("--base-url", "file:///etc/passwd")


def test_two_members_with_the_same_name_stay_two_people(tmp_path: Path) -> None:
    folder = _copy_fixtures(tmp_path)
    _edit(
        folder / "meeting_with_minutes.xml",
        "  </attendees>",
        '    <attendee membertype="U" memberid="300" name="Councillor Basil Curley"'
        ' roledescription="Substitute Member" attendance="Present as substitute"'
        ' politicalparty="LAB" ward="Z"><url></url></attendee>\n'
        "  </attendees>",
    )

    run("--from-dir", str(folder))
    run("--from-dir", str(folder))

    assert sorted(Person.objects.values_list("source_id", flat=True)) == [
        "192",
        "300",
    ]
    substitute = Attendance.objects.get(person__source_id="300")
    assert substitute.kind == Attendance.Kind.SUBSTITUTE
    assert Membership.objects.get(person=substitute.person).role == (
        Membership.Role.SUBSTITUTE
    )


def test_admin_shows_where_imported_records_came_from(client: Client, clerk) -> None:
    run("--from-dir", str(FIXTURES))
    client.force_login(clerk)

    for url in (
        reverse(
            "admin:meetings_body_change", args=[Body.objects.get(source_id="144").pk]
        ),
        reverse(
            "admin:meetings_document_change",
            args=[Document.objects.get(source_id="60860").pk],
        ),
        reverse(
            "admin:meetings_agendaitem_change",
            args=[AgendaItem.objects.get(source_id="18833").pk],
        ),
        reverse("admin:meetings_minutes_change", args=[Minutes.objects.get().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert "moderngov" in page, url
        assert 'name="source_id"' not in page, url
