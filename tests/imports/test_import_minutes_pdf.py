"""Minutes published only as a PDF: read in order without page furniture,
imported as printed notes, and the PDF kept as their source document."""

import html
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from simple_history.models import registered_models
from weasyprint import HTML

from imports.parsers.minutes_pdf import page_text_clean, pdf_minutes_text
from kcsp.pagecache import content_version
from meetings import services
from meetings.models import (
    Attendance,
    Body,
    Document,
    Meeting,
    MinuteItem,
    MinuteParagraph,
    Resolution,
    ResolutionPart,
)
from tests import factories
from tests.meetings.pdf_helpers import body_of, url, whole_text

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "minutes"
NOTES = FIXTURES / "riverside_notes.txt"
HEADER = "Riverside Community Safety Partnership - 16 May 2023"
PAGE_STYLE = f"""
@page {{
  size: A5;
  margin: 25mm 15mm;
  @top-center {{ content: "{HEADER}"; font-size: 8pt }}
  @bottom-center {{
    content: "Page " counter(page) " of " counter(pages); font-size: 8pt
  }}
  @bottom-right {{ content: counter(page); font-size: 8pt }}
}}
body {{ font-family: sans-serif; font-size: 10pt }}
"""


def render_minutes_pdf(text: str) -> bytes:
    """The printed notes as a council's PDF: a paragraph a block, lines kept,
    a running header, and "Page n of m" and the page number at the foot."""
    blocks = "".join(
        "<p>" + html.escape(block).replace("\n", "<br>") + "</p>"
        for block in text.split("\n\n")
    )
    document = f"<html><head><style>{PAGE_STYLE}</style></head><body>{blocks}"
    return HTML(string=f"{document}</body></html>").write_pdf()


@pytest.fixture
def riverside() -> Body:
    return factories.body("Riverside Community Safety Partnership")


@pytest.fixture
def notes_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "riverside-2023-05-16.pdf"
    path.write_bytes(render_minutes_pdf(NOTES.read_text(encoding="utf-8")))
    return path


def run(path: Path, body: Body, *args: str) -> str:
    out = io.StringIO()
    call_command("import_minutes", str(path), "--body", body.slug, *args, stdout=out)
    return out.getvalue()


def flat(text: str) -> str:
    return " ".join(text.split())


def source_paragraphs() -> list[str]:
    """Every paragraph, resolution and lettered part of the fixture's minutes,
    as the public reads them: numbers, letters and references aside."""
    text = NOTES.read_text(encoding="utf-8")
    blocks = text.split("UNRESTRICTED ITEMS", 1)[1].split("\n\n")
    found = []
    for block in (flat(b) for b in blocks if b.strip()):
        block = re.sub(r"\s*\(Item [A-Z]\d+\)$", "", block)
        found.append(re.sub(r"^(?:\d+\.|[a-z]\))\s+", "", block))
    return found


def test_the_pdf_text_keeps_reading_order_and_drops_page_furniture(
    notes_pdf: Path,
) -> None:
    extracted = pdf_minutes_text(notes_pdf.read_bytes())

    assert extracted.pages == 3
    assert set(extracted.dropped) == {HEADER, "Page 1 of 3 1"}
    assert HEADER not in extracted.text
    assert "Page " not in extracted.text
    assert not re.search(r"^\s*\d+\s*$", extracted.text, re.MULTILINE)
    # Reading order: every paragraph, in the order written.
    text = flat(extracted.text)
    positions = [text.find(paragraph) for paragraph in source_paragraphs()]
    assert -1 not in positions
    assert positions == sorted(positions)


def test_page_numbers_and_repeated_lines_go_but_repeated_minutes_stay() -> None:
    pages = [
        "Riverside CSP notes\n\n1. First paragraph runs\n\nPage 1 of 3",
        "Riverside CSP notes\n\non to the next page.\n\nRESOLVED that it be noted.\n"
        "- 2 -",
        "Riverside CSP notes\n\nRESOLVED that it be noted.\n\n3",
    ]

    cleaned = page_text_clean(pages)

    assert cleaned.text == (
        "1. First paragraph runs\non to the next page.\n\n"
        "RESOLVED that it be noted.\n\nRESOLVED that it be noted.\n"
    )
    assert cleaned.dropped == ("Riverside CSP notes", "Page 1 of 3", "- 2 -", "3")


def test_a_pdf_imports_with_exact_counts(riverside: Body, notes_pdf: Path) -> None:
    out = run(notes_pdf, riverside)

    meeting = Meeting.objects.get(body=riverside)
    assert meeting.date.isoformat() == "2023-05-16"
    assert meeting.venue == "Weald Room, Civic Centre, Riverside"
    items = list(MinuteItem.objects.filter(minutes__meeting=meeting))
    assert [(i.number, i.agenda_reference) for i in items] == [
        (14, "A3"),
        (15, "B1"),
        (16, "B2"),
        (17, "B3"),
        (18, "C1"),
    ]
    assert MinuteParagraph.objects.count() == 8
    assert Resolution.objects.count() == 5
    assert ResolutionPart.objects.count() == 3
    kinds = list(meeting.attendance.values_list("kind", flat=True))
    assert len(kinds) == 9
    assert kinds.count(Attendance.Kind.PRESENT) == 6
    assert kinds.count(Attendance.Kind.IN_ATTENDANCE) == 2
    assert kinds.count(Attendance.Kind.APOLOGIES) == 1
    chair = meeting.attendance.get(person__surname="Brackenbury")
    assert chair.capacity == "Vice-Chairman"  # rejoined across a line break
    # A paragraph that ran over the page break is one paragraph.
    plan = items[1].paragraphs.all()
    assert plan[2].text == flat(
        """Members asked how the plan would be paid for once the pilot
        grant ended. Mr Gallagher explained that the borough and the police had
        each agreed to meet half of the cost for the coming year, and that a bid
        to the business improvement district was being prepared."""
    )
    assert [p.text for p in items[1].resolutions.get().parts.all()] == [
        "endorse the Town Centre Night-Time Economy Plan for 2023/24;",
        "ask the Community Safety Manager to report on the summer months at the "
        "November meeting; and",
        "thank the street pastors for their work during the pilot.",
    ]
    # The PDF is kept, once, as the minutes' source document.
    document = Document.objects.get(meeting=meeting)
    assert document.kind == Document.Kind.MINUTES
    assert document.file_kind == "pdf"
    assert document.page_count == 3
    assert (document.source_system, document.source_id) == (
        "minutes",
        notes_pdf.name,
    )
    with document.file.open("rb") as stored:
        assert stored.read() == notes_pdf.read_bytes()
    assert "document: 1 created" in out
    assert "Lines not placed" not in out


def test_every_source_paragraph_is_on_the_public_page_and_in_the_minutes_pdf(
    client: Client, riverside: Body, notes_pdf: Path
) -> None:
    run(notes_pdf, riverside)
    meeting = Meeting.objects.get(body=riverside)
    services.minutes_publish_draft(minutes=meeting.minutes)

    page = client.get(meeting.get_absolute_url())
    pdf = client.get(url(meeting, "minutes_pdf"))

    assert page.status_code == pdf.status_code == 200
    page_text = flat(re.sub(r"<[^>]+>", " ", html.unescape(page.content.decode())))
    pdf_text = flat(whole_text(body_of(pdf)))
    missing_page = [p for p in source_paragraphs() if p not in page_text]
    missing_pdf = [p for p in source_paragraphs() if p not in pdf_text]
    assert (missing_page, missing_pdf) == ([], [])


def _history() -> int:
    return sum(
        model.history.count()  # type: ignore[attr-defined]
        for model in registered_models.values()
        if hasattr(model, "history")
    )


def test_a_second_run_writes_nothing_and_a_dry_run_reports_the_same(
    riverside: Body, notes_pdf: Path
) -> None:
    dry = run(notes_pdf, riverside, "--dry-run")
    assert not Meeting.objects.exists()
    first = run(notes_pdf, riverside)
    rows, version = _history(), content_version()

    again = run(notes_pdf, riverside)

    assert dry.splitlines()[2:] == first.splitlines()[1:]
    assert (_history(), content_version()) == (rows, version)
    assert Document.objects.count() == 1
    assert "created" not in again
    assert "updated" not in again
    assert "document: 1 unchanged" in again
    assert "minute items: 5 unchanged" in again


def test_pdf_is_told_by_its_content_not_its_name(
    riverside: Body, notes_pdf: Path, tmp_path: Path
) -> None:
    disguised = tmp_path / "minutes.txt"
    disguised.write_bytes(notes_pdf.read_bytes())
    out = run(disguised, riverside)
    assert "minute items: 5 created" in out
    assert Document.objects.get().filename == "minutes.txt.pdf"

    fake = tmp_path / "fake.pdf"
    fake.write_text("Not a PDF at all.\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(fake, riverside)


def test_a_pdf_with_bytes_before_its_header_imports_as_an_upload_accepts_it(
    riverside: Body, notes_pdf: Path, tmp_path: Path
) -> None:
    """Some producers and mail gateways put a few bytes before "%PDF-"; PDF
    readers, and the portal's upload check, look for it in the first
    kilobyte, and so does the import."""
    prefixed = tmp_path / "prefixed.pdf"
    prefixed.write_bytes(b"\r\n" * 20 + notes_pdf.read_bytes())
    out = run(prefixed, riverside)
    assert "minute items: 5 created" in out
    assert Document.objects.get().file_kind == "pdf"


def test_a_scanned_pdf_is_refused_with_a_reason(
    riverside: Body, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(HTML(string="<p></p>").write_pdf())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_minutes", str(scan), "--body", riverside.slug, stdout=out)
    assert "the PDF has no text to read: it may be a scan" in out.getvalue()
    assert not Meeting.objects.exists()
