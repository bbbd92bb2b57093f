"""Committee website pages, copied as text (`import_minutes`) or saved as HTML
(`import_webpage`), on fixtures written in ModernGov's page layout."""

import html
import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simple_history.models import registered_models

from imports.moderngov_source import user_agent
from imports.parsers.website import WebPage, page_record
from imports.parsers.website_html import parse_website_html
from imports.parsers.website_text import is_website_text, parse_website_text
from imports.record import MeetingRecord
from kcsp.pagecache import content_version
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    Document,
    Meeting,
    MinuteItem,
    MinuteParagraph,
    Resolution,
    ResolutionPart,
)
from tests import factories
from tests.helpers import words
from tests.meetings.pdf_helpers import body_of, url, whole_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "website"
SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
TEXTS = ("text_numbered.txt", "text_unnumbered.txt", "text_year_numbers.txt")
PAGES = ("page_attendance.html", "page_year_numbers.html")


@dataclass(frozen=True)
class Counts:
    items: int
    minutes: int
    paragraphs: int
    resolutions: int
    parts: int
    attendees: int
    papers: int
    documents: int


# What each fixture holds, counted by hand from the source.
EXPECTED = {
    "text_numbered.txt": Counts(6, 6, 8, 3, 3, 0, 5, 0),
    "text_unnumbered.txt": Counts(4, 4, 6, 2, 2, 0, 1, 0),
    "text_year_numbers.txt": Counts(3, 3, 4, 2, 0, 0, 3, 0),
    "page_attendance.html": Counts(5, 5, 7, 3, 3, 6, 8, 8),
    "page_year_numbers.html": Counts(4, 3, 3, 2, 2, 3, 3, 3),
}


def read(name: str) -> WebPage:
    path = FIXTURES / name
    if name.endswith(".html"):
        return parse_website_html(path.read_bytes())
    return parse_website_text(path.read_text(encoding="utf-8"))


def counts_of(page: WebPage, record: MeetingRecord) -> Counts:
    return Counts(
        items=len(record.agenda),
        minutes=len(record.minutes),
        paragraphs=sum(len(m.paragraphs) for m in record.minutes),
        resolutions=sum(len(m.resolutions) for m in record.minutes),
        parts=sum(len(r.parts) for m in record.minutes for r in m.resolutions),
        attendees=len(record.attendance),
        papers=len(page.papers) + sum(len(item.papers) for item in page.items),
        documents=len(record.documents),
    )


def imported_counts(meeting: Meeting) -> Counts:
    return Counts(
        items=AgendaItem.objects.filter(meeting=meeting).count(),
        minutes=MinuteItem.objects.filter(minutes__meeting=meeting).count(),
        paragraphs=MinuteParagraph.objects.filter(
            minute_item__minutes__meeting=meeting
        ).count(),
        resolutions=Resolution.objects.filter(
            minute_item__minutes__meeting=meeting
        ).count(),
        parts=ResolutionPart.objects.filter(
            resolution__minute_item__minutes__meeting=meeting
        ).count(),
        attendees=Attendance.objects.filter(meeting=meeting).count(),
        papers=-1,
        documents=Document.objects.filter(meeting=meeting).count(),
    )


@pytest.fixture
def kcsp(db: None) -> Any:
    return factories.body("Kent Community Safety Partnership")


def run(name: str, body: Any, *options: str) -> str:
    out = io.StringIO()
    path = str(FIXTURES / name)
    command = "import_webpage" if name.endswith(".html") else "import_minutes"
    call_command(command, path, "--body", body.slug, *options, stdout=out)
    return out.getvalue()


# Reading ----------------------------------------------------------------------


@pytest.mark.parametrize("name", [*TEXTS, *PAGES])
def test_each_fixture_reads_with_its_counts_and_nothing_unplaced(name: str) -> None:
    page = read(name)
    record = page_record(page, source_id=name)

    assert counts_of(page, record) == EXPECTED[name]
    assert record.unplaced == ()


def test_the_numbered_text_keeps_numbers_bullets_and_lettered_parts() -> None:
    page = read("text_numbered.txt")
    record = page_record(page, source_id="p")

    assert page.heading is not None
    assert (str(page.heading.date), str(page.heading.time)) == (
        "2022-07-14",
        "10:00:00",
    )
    assert (page.venue, page.online) == ("", True)
    assert [m.number for m in record.minutes] == [46, 47, 48, 49, 50, 51]
    action_plan = record.minutes[3]
    assert action_plan.title == "Community Safety Agreement Action Plan"
    first = action_plan.paragraphs[0]
    assert first.number == 1
    assert first.text.splitlines() == [
        "Ms Priya Okonedo introduced the report and highlighted the following:",
        "- the number of people supported by the new outreach team had doubled;",
        "- a second pilot of the night-time safety scheme had started in three towns;",
        "- partner agencies had agreed a shared approach to hate crime reporting.",
    ]
    # The decision repeats the minutes' resolution: it is imported once.
    (resolution,) = action_plan.resolutions
    assert resolution.text == "RESOLVED that the Partnership:"
    assert resolution.parts[1] == (
        "agree the revised performance measures in Appendix B; and"
    )
    # A decision the minutes do not state is the item's resolution.
    assert record.minutes[4].resolutions[0].text == (
        "That the Partnership note the presentation and support the joint "
        "strategic needs assessment."
    )
    assert record.minutes[1].paragraphs[0].text == "There were none."
    assert record.agenda[3].description == (
        "To receive an update on the action plan for the current Agreement."
    )
    assert [p.title for p in page.items[3].papers] == [
        "Community Safety Agreement Action Plan",
        "Appendix A - Action Plan Progress",
        "Appendix B - Performance Summary",
    ]
    assert page.items[3].papers[2].size_bytes == 1024 * 1024


def test_the_unnumbered_text_and_the_year_numbered_text() -> None:
    unnumbered = page_record(read("text_unnumbered.txt"), source_id="u")
    year = page_record(read("text_year_numbers.txt"), source_id="y")

    assert [m.number for m in unnumbered.minutes] == [None] * 4
    assert unnumbered.minutes[3].resolutions[0].parts == (
        "thank the officers who took part; and",
        "ask for a summary of the lessons learned.",
    )
    assert (unnumbered.venue, unnumbered.online) == ("", False)
    assert [m.number for m in year.minutes] == [77, 78, 79]
    assert [entry.label for entry in year.agenda] == ["77/21", "78/21", "79/21"]
    assert year.venue == "Darent Room, Sessions House, County Hall, Maidstone ME14 1XQ"
    assert year.minutes[0].resolutions[0].text == (
        "That the minutes of the meeting held on 16 September 2021 be approved "
        "as a correct record."
    )


def test_a_saved_page_gives_papers_with_addresses_types_and_sizes() -> None:
    page = read("page_attendance.html")
    record = page_record(page, source_id="page")

    by_title = {d.title: d for d in record.documents}
    funding = by_title["Community Safety Partnership Funding 2023/24"]
    assert (funding.file_type, funding.size_bytes) == ("docx", 54 * 1024)
    assert funding.url == (
        "https://democracy.example.gov.uk/documents/s90415/Funding%20report.docx"
    )
    assert by_title["Appendix 1 - Service Map"].kind == "appendix"
    assert by_title["Printed minutes"].agenda_key == ""
    assert page.venue == "Medway Room, Sessions House, County Hall, Maidstone"
    kinds = [(a.name.formal, a.kind.value) for a in record.attendance]
    assert kinds == [
        ("Mrs Harriet Quennell", "present"),
        ("Mr Corin Blackwood", "present"),
        ("Ms Yvette Lindqvist", "apologies"),
        ("Mr Tobias Greenhalgh", "substitute"),
        ("Ms Marguerite Osei", "in_attendance"),
        ("Mr Anselm Ricketts", "in_attendance"),
    ]
    review = record.minutes[3]
    assert review.paragraphs[0].text.splitlines()[1:] == [
        "- refuge places had risen in four districts;",
        "- waiting times for outreach support had fallen;",
        "- survivors asked for one number to call.",
    ]
    assert review.resolutions[0].parts == (
        "note the findings of the review;",
        "endorse the action plan; and",
        "receive a report on the second phase in 2023.",
    )


def test_expected_attendance_with_minutes_is_not_recorded_and_reported() -> None:
    record = page_record(read("page_year_numbers.html"), source_id="y")

    assert record.attendance[2].kind == "not_recorded"
    assert [w.line for w in record.warnings] == [73]
    assert "Expected" in record.warnings[0].reason


def test_printed_notes_are_not_taken_for_a_website_page() -> None:
    for seed in sorted(SEEDS.glob("*.txt")):
        assert not is_website_text(seed.read_text(encoding="utf-8"))
    assert is_website_text((FIXTURES / "text_numbered.txt").read_text())


# Shuffled layout never changes what is read -----------------------------------

_BULLETS = ("o", "\u00b7", "\u2022")


@st.composite
def relaid(draw: st.DrawFn, text: str) -> str:
    """The text with its spacing, line endings, bullets and spacer lines
    changed as pages copied from different browsers change them."""
    lines = []
    for line in text.splitlines():
        if line[:1] in _BULLETS and line[1:2] in {"\t", " "}:
            line = draw(st.sampled_from(_BULLETS)) + line[1:]
        gap = draw(st.sampled_from([" ", "  ", "\t", "     ", "\u00a0 "]))
        if line[:1].isdigit() and (". " in line[:6] or ".\t" in line[:6]):
            number, _, words = line.replace("\t", " ").partition(" ")
            line = f"{number}{gap}{words.strip()}"
        lines.append(line + draw(st.sampled_from(["", " ", "\t", "\u00a0"])))
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["", "\u00a0", "\u00a0\u00a0", " "])))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ending.join(lines) + ending


@pytest.mark.parametrize("name", TEXTS)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_relaid_text_reads_the_same(name: str, data: st.DataObject) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    changed = data.draw(relaid(text))
    page = parse_website_text(changed)
    record = page_record(page, source_id=name)

    assert counts_of(page, record) == EXPECTED[name]
    original = page_record(parse_website_text(text), source_id=name)
    assert [
        m.paragraphs and [p.text for p in m.paragraphs] for m in record.minutes
    ] == [m.paragraphs and [p.text for p in m.paragraphs] for m in original.minutes]


# Importing ---------------------------------------------------------------------


@pytest.mark.parametrize("name", [*TEXTS, *PAGES])
def test_each_fixture_imports_with_its_counts(kcsp: Any, name: str) -> None:
    out = run(name, kcsp)

    meeting = Meeting.objects.get(body=kcsp)
    expected = EXPECTED[name]
    got = imported_counts(meeting)
    assert got == Counts(**{**expected.__dict__, "papers": -1})
    assert "Lines not placed" not in out


def test_a_dry_run_reports_what_the_real_run_does(kcsp: Any) -> None:
    for name in ("text_numbered.txt", "page_attendance.html"):
        dry = run(name, kcsp, "--dry-run")
        assert Meeting.objects.count() == 0
        real = run(name, kcsp)
        assert dry.splitlines()[2:] == real.splitlines()[1:]
        Meeting.objects.all().delete()


def _all_history() -> int:
    """History rows of every audited model."""
    return sum(
        model.history.count()  # type: ignore[attr-defined]
        for model in registered_models.values()
        if hasattr(model, "history")
    )


@pytest.mark.parametrize(
    ("name", "unchanged"),
    [
        (
            "page_attendance.html",
            ["documents: 8 unchanged", "minute items: 5 unchanged"],
        ),
        ("text_numbered.txt", ["minute items: 6 unchanged"]),
    ],
)
def test_a_second_run_changes_nothing(
    kcsp: Any, name: str, unchanged: list[str]
) -> None:
    run(name, kcsp)
    rows, version = _all_history(), content_version()
    again = run(name, kcsp)

    assert "created" not in again and "updated" not in again
    for line in unchanged:
        assert line in again
    # Not one history row, and the public pages' cache is not emptied.
    assert (_all_history(), content_version()) == (rows, version)


def test_the_imported_papers_are_public_links_with_type_and_size(
    kcsp: Any, client: Client
) -> None:
    run("page_attendance.html", kcsp)
    meeting = Meeting.objects.get(body=kcsp)
    paper = Document.objects.get(title="Appendix 1 - Service Map")

    assert (
        paper.item is not None and paper.item.title == "Domestic Abuse Services Review"
    )
    assert (paper.file_kind, paper.mime_type, paper.size_bytes) == (
        "pdf",
        "application/pdf",
        88 * 1024,
    )
    assert paper.source_system == "webpage"
    page = html.unescape(client.get(meeting.get_absolute_url()).content.decode())
    assert "Appendix 1 - Service Map" in page
    assert "88" in page and "KB" in page


def flat(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


@pytest.mark.parametrize("name", ["text_numbered.txt", "page_attendance.html"])
def test_every_source_paragraph_is_on_the_public_page_and_in_the_pdf(
    kcsp: Any, client: Client, name: str
) -> None:
    run(name, kcsp)
    meeting = Meeting.objects.get(body=kcsp)
    services.minutes_publish_draft(minutes=meeting.minutes)
    page = flat(html.unescape(words(client.get(meeting.get_absolute_url()))))
    response = client.get(url(meeting, "minutes_pdf"))
    assert response.status_code == 200
    pdf = flat(whole_text(body_of(response)))

    record = page_record(read(name), source_id=name)
    for minute in record.minutes:
        said = [line for p in minute.paragraphs for line in p.text.splitlines()]
        said += [r.text for r in minute.resolutions]
        said += [part for r in minute.resolutions for part in r.parts]
        for line in said:
            source = flat(line.removeprefix("- "))
            assert source in page, source
            assert source in pdf, source


# The live page ------------------------------------------------------------------


class _Council(BaseHTTPRequestHandler):
    agents: list[str] = []

    def do_GET(self) -> None:
        _Council.agents.append(self.headers.get("User-Agent", ""))
        content = (FIXTURES / "page_year_numbers.html").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=windows-1252")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def council() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Council)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ieListDocuments.aspx?MId=9"
    server.shutdown()


def test_a_live_page_is_fetched_politely_saved_and_imported(
    kcsp: Any, council: str, tmp_path: Path
) -> None:
    saved = tmp_path / "meeting.html"
    out = io.StringIO()
    call_command(
        "import_webpage",
        "--url",
        council,
        "--save-to",
        str(saved),
        "--body",
        kcsp.slug,
        stdout=out,
    )

    assert _Council.agents[-1] == user_agent()
    assert saved.read_bytes() == (FIXTURES / "page_year_numbers.html").read_bytes()
    assert MinuteItem.objects.count() == 3
    assert "minute items: 3 created" in out.getvalue()


def test_a_page_without_a_meeting_heading_is_refused_cleanly(
    kcsp: Any, tmp_path: Path
) -> None:
    page = tmp_path / "other.html"
    page.write_text("<html><body><h1>Parking permits</h1></body></html>")
    out = io.StringIO()

    with pytest.raises(CommandError, match="was not imported"):
        call_command("import_webpage", str(page), "--body", kcsp.slug, stdout=out)
    assert "no meeting heading was found" in out.getvalue()
    assert Meeting.objects.count() == 0


def test_text_in_neither_form_names_both(kcsp: Any, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Some words\nMinutes:\nThere were none.\n")
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_minutes", str(notes), "--body", kcsp.slug, stdout=out)
    said = out.getvalue()
    assert "printed notes" in said and "committee website page" in said


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_never_break_the_page_reader(content: bytes) -> None:
    try:
        page = parse_website_html(content)
    except ValueError:
        return
    assert page.heading is None or page.heading.date.year > 0
