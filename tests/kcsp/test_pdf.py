"""The PDF service: real WeasyPrint output, read back as a reader's tools would."""

import http.server
import io
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from django.test import RequestFactory
from pypdf import PdfReader, PdfWriter

from kcsp.pdf import (
    InvalidPdfError,
    PdfMergeError,
    PdfPart,
    PdfRenderError,
    PdfRenderTimeout,
    merge_pdfs,
    page_count,
    render_pdf,
)
from kcsp.pdf.errors import FetchRefused
from kcsp.pdf.pool import _Renderer
from kcsp.pdf.render import StaticFetch
from tests.factories import pdf_bytes

HEADER = "Kent Community Safety Partnership - 24 March 2022"

# Test documents, each extending the real base layout.
TEMPLATES = {
    "test_pdf/minutes.html": """{% extends "pdf/base.html" %}
{% block content %}
  <h2>Minutes</h2>
  {% for number in paragraphs %}
    <p>{{ number }}. The Board noted the update on the Community Safety
    Agreement and the progress of the action plan on serious violence,
    domestic abuse and anti-social behaviour across the county.</p>
  {% endfor %}
  {% if link %}<p><a href="{{ link }}">The meeting online</a></p>{% endif %}
{% endblock %}""",
    "test_pdf/outside.html": """{% extends "pdf/base.html" %}
{% block head %}
  <link rel="stylesheet" href="{{ server }}/style.css">
  <link rel="attachment" href="file:///etc/passwd" title="passwd">
  <style>@import url("{{ server }}/imported.css");</style>
{% endblock %}
{% block content %}
  <p>Map of hotspots:</p>
  <img src="https://example.org/x.png" alt="Hotspot map">
  <img src="{{ server }}/map.png" alt="Local map">
  <img src="file:///etc/passwd" alt="Password file">
  <img src="/static/../../../../etc/passwd" alt="Password file again">
  <object data="file:///etc/passwd" type="text/plain">No object</object>
{% endblock %}""",
    "test_pdf/data_image.html": """{% extends "pdf/base.html" %}
{% block content %}
  <p><img src="data:image/png;base64,{{ png }}" alt="A red square"
     style="width: 20mm; height: 20mm"></p>
{% endblock %}""",
    "test_pdf/heavy.html": """{% extends "pdf/base.html" %}
{% block content %}
  <table>
    <thead><tr><th scope="col">Ref</th><th scope="col">Action</th>
    <th scope="col">Owner</th><th scope="col">Status</th></tr></thead>
    <tbody>
    {% for number in rows %}
      <tr><td>A{{ number }}</td><td>Report progress on the serious violence
      duty to the next meeting of the Board</td><td>Kent Police</td>
      <td>On track</td></tr>
    {% endfor %}
    </tbody>
  </table>
{% endblock %}""",
}

# A 1 x 1 red PNG.
RED_PIXEL = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLv"
    "AAAAAElFTkSuQmCC"
)


@pytest.fixture(autouse=True)
def pdf_templates(settings: Any) -> None:
    """The real template settings, plus the test documents above."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", TEMPLATES),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


def minutes(paragraphs: int = 3, **options: Any) -> bytes:
    return render_pdf(
        template_name="test_pdf/minutes.html",
        context={
            "paragraphs": range(1, paragraphs + 1),
            "link": options.pop("link", ""),
        },
        title=options.pop("title", "Minutes of the Kent Community Safety Partnership"),
        **options,
    )


def page_texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.extract_text() or "" for page in document.pages]


def embedded_font_files(reader: PdfReader) -> dict[str, bool]:
    """Each font's name, and whether the font program is inside the PDF."""
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor_owner = (
                font["/DescendantFonts"][0] if "/DescendantFonts" in font else font
            )
            descriptor = descriptor_owner.get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
    return fonts


# Rendering


def test_pdf_is_a4_tagged_titled_in_british_english_with_embedded_fonts() -> None:
    pdf = minutes(author="Democratic Services")

    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert b'pdfuaid:part="1"' in catalog["/Metadata"].get_data()
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title == "Minutes of the Kent Community Safety Partnership"
    assert reader.metadata.author == "Democratic Services"
    assert reader.xmp_metadata.dc_title["x-default"] == (
        "Minutes of the Kent Community Safety Partnership"
    )
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    fonts = embedded_font_files(reader)
    # pdf.css was applied (the default face would be a serif) ...
    assert any("Liberation-Sans" in name for name in fonts)
    # ... and every font travels with the document.
    assert fonts and all(fonts.values()), fonts


def test_two_page_document_has_running_header_and_page_x_of_y() -> None:
    pdf = minutes(paragraphs=25, header=HEADER)

    pages = page_texts(pdf)
    assert len(pages) == 2
    for number, text in enumerate(pages, start=1):
        assert HEADER in text
        assert f"Page {number} of 2" in text
    assert "Minutes of the Kent Community Safety Partnership" in pages[0]
    assert "25. The Board noted" in pages[1]


def test_no_header_text_unless_one_is_given() -> None:
    pages = page_texts(minutes())

    assert "Kent Community Safety Partnership -" not in pages[0]
    assert "Page 1 of 1" in pages[0]


def test_watermark_is_printed_on_every_page_only_when_asked() -> None:
    marked = PdfReader(
        io.BytesIO(minutes(paragraphs=25, watermark="Draft - subject to approval"))
    )
    plain = PdfReader(io.BytesIO(minutes(paragraphs=25)))

    assert len(marked.pages) == 2
    for page in marked.pages:
        assert "Draft - subject to approval" in page.extract_text()
    for page in plain.pages:
        assert "Draft" not in page.extract_text()


def test_not_for_publication_is_marked_on_every_page_only_when_asked() -> None:
    marked = page_texts(minutes(paragraphs=25, not_for_publication=True))
    plain = page_texts(minutes(paragraphs=25))

    assert len(marked) == 2
    for text in marked:
        assert "Not for publication" in text
    # Once more under the title, where a screen reader reads it out.
    assert marked[0].count("Not for publication") == 2
    assert not any("Not for publication" in text for text in plain)


def test_title_comes_from_the_caller_and_is_required() -> None:
    reader = PdfReader(io.BytesIO(minutes(title="Agenda - 24 March 2022")))
    assert reader.metadata.title == "Agenda - 24 March 2022"

    with pytest.raises(ValueError, match="needs a title"):
        minutes(title=" ")
    with pytest.raises(ValueError, match="reserved"):
        render_pdf(template_name="test_pdf/minutes.html", context={"pdf": 1}, title="x")


def test_links_are_absolute_to_the_site_that_was_asked(settings: Any) -> None:
    request = RequestFactory().get("/meetings/12/pdf/", HTTP_HOST="portal.example.org")
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    settings.PORTAL_BASE_URL = "https://kcsp.example.org"

    from_request = minutes(link="/meetings/12/", request=request)
    from_setting = minutes(link="/meetings/12/")

    assert link_targets(from_request) == ["http://portal.example.org/meetings/12/"]
    assert link_targets(from_setting) == ["https://kcsp.example.org/meetings/12/"]


def link_targets(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
    ]


# Nothing is fetched from outside the portal's static files


class RecordingHandler(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def web_server() -> Iterator[tuple[str, list[str]]]:
    """A local web server that notes every request it receives."""
    RecordingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", RecordingHandler.requests
    server.shutdown()
    server.server_close()


def test_remote_and_local_files_are_never_fetched(
    web_server: tuple[str, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    server, requests = web_server

    pdf = render_pdf(
        template_name="test_pdf/outside.html",
        context={"server": server},
        title="Hotspots",
    )

    assert requests == []
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert not reader.pages[0]["/Resources"].get("/XObject")
    text = "\n".join(page_texts(pdf))
    assert "Map of hotspots" in text
    assert "root:" not in text
    refused = [r.getMessage() for r in caplog.records if r.name == "weasyprint"]
    assert any("https://example.org/x.png" in message for message in refused)
    assert any("file:///etc/passwd" in message for message in refused)


def test_data_urls_are_allowed() -> None:
    pdf = render_pdf(
        template_name="test_pdf/data_image.html",
        context={"png": RED_PIXEL},
        title="Images",
    )

    images = PdfReader(io.BytesIO(pdf)).pages[0].images
    assert len(images) == 1


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/x.png",
        "http://127.0.0.1:8000/static/css/pdf.css",  # right path, wrong site
        "file:///etc/passwd",
        "file:///work/static/css/pdf.css",
        "ftp://example.org/x.png",
        "http://testserver/media/report.pdf",
        "http://testserver/static/%2e%2e/%2e%2e/etc/passwd",
        "http://testserver/static/css/../../kcsp/settings.py",
        "http://testserver/static/no-such-file.css",
        "http://testserver/static/css",
    ],
)
def test_fetcher_refuses_anything_but_static_files(url: str) -> None:
    with pytest.raises(FetchRefused):
        StaticFetch(base_url="http://testserver/")(url)


def test_fetcher_serves_static_files(settings: Any) -> None:
    body, mime_type = StaticFetch(base_url="http://testserver/")(
        "http://testserver/static/css/pdf.css"
    )

    assert mime_type == "text/css"
    assert body == (settings.BASE_DIR / "static" / "css" / "pdf.css").read_bytes()


def test_fetcher_serves_collected_static_files(settings: Any, tmp_path: Path) -> None:
    # With the manifest storage, {% static %} names hashed copies that exist
    # only in STATIC_ROOT.
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "pdf.0123abcd.css").write_text("@page { size: A4 }")

    body, _ = StaticFetch(base_url="http://testserver/")(
        "http://testserver/static/css/pdf.0123abcd.css"
    )

    assert body == b"@page { size: A4 }"


# Time limit


def renderer_processes() -> set[int]:
    """Live renderer processes started by this process."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"kcsp.pdf.worker" in command:
            found.add(int(entry.name))
    return found


def test_slow_render_is_stopped_and_the_next_one_works(settings: Any) -> None:
    minutes()  # a renderer is running and warm
    before = renderer_processes()
    settings.PDF_RENDER_TIMEOUT = 0.5

    # Laid out in full, this table takes minutes (4,000 rows take about 20
    # seconds); stopped at the limit, it ends in about a second, and the
    # bound below leaves room for a busy machine starting the replacement.
    started = time.monotonic()
    with pytest.raises(PdfRenderTimeout, match=r"longer than 0\.5 seconds"):
        render_pdf(
            template_name="test_pdf/heavy.html",
            context={"rows": range(20_000)},
            title="Action tracker",
        )
    assert time.monotonic() - started < 20

    # The renderer that was working on it is gone and reaped (not a zombie),
    # and a fresh one stands in for it.
    gone = before - renderer_processes()
    assert len(gone) == 1
    assert not Path(f"/proc/{gone.pop()}").exists()
    assert len(renderer_processes()) == len(before)
    settings.PDF_RENDER_TIMEOUT = 30
    assert page_count(minutes()) == 1


def test_renderer_that_dies_mid_document_is_reported_and_replaced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    minutes()
    # As the kernel's out-of-memory killer would: the renderer lent for the
    # document is killed once it has started and been handed the document,
    # however long its start took on a busy machine.
    killers: list[threading.Timer] = []
    wait_until_ready = _Renderer.wait_until_ready

    def ready_then_killed(renderer: _Renderer) -> None:
        wait_until_ready(renderer)
        pid = renderer.process.pid
        killers.append(threading.Timer(0.3, os.kill, (pid, signal.SIGKILL)))
        killers[-1].start()

    monkeypatch.setattr(_Renderer, "wait_until_ready", ready_then_killed)
    with pytest.raises(PdfRenderError, match=r"stopped unexpectedly .*exit code -9"):
        render_pdf(
            template_name="test_pdf/heavy.html",
            context={"rows": range(4000)},
            title="Action tracker",
        )
    for killer in killers:
        killer.join()
    monkeypatch.undo()

    assert len(killers) == 1
    assert page_count(minutes()) == 1


# Merging


def test_merge_concatenates_parts_with_a_bookmark_for_each() -> None:
    agenda = minutes(paragraphs=25, header=HEADER)
    report = pdf_bytes(pages=3)
    appendix = pdf_bytes(pages=1)

    result = merge_pdfs(
        parts=[
            PdfPart(title="Agenda", content=agenda),
            PdfPart(title="B1 Serious violence duty", content=report),
            PdfPart(title="Appendix A: Hotspot data", content=appendix, level=1),
        ],
        title="Reports pack - 24 March 2022",
    )

    assert result.page_count == 6
    assert result.start_pages == (1, 3, 6)
    reader = PdfReader(io.BytesIO(result.content))
    assert len(reader.pages) == 6
    assert reader.metadata.title == "Reports pack - 24 March 2022"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    assert reader.page_mode == "/UseOutlines"
    outline = reader.outline
    assert [item.title for item in outline if not isinstance(item, list)] == [
        "Agenda",
        "B1 Serious violence duty",
    ]
    assert [item.title for item in outline[2]] == ["Appendix A: Hotspot data"]
    targets = [reader.get_destination_page_number(item) + 1 for item in outline[:2]]
    targets.append(reader.get_destination_page_number(outline[2][0]) + 1)
    assert targets == list(result.start_pages)
    # The agenda's own pages come first, header and all.
    assert HEADER in page_texts(result.content)[1]


def test_start_pages_let_a_contents_page_match_the_pack() -> None:
    papers = [pdf_bytes(pages=4), pdf_bytes(pages=2)]
    contents = minutes()
    counts = [page_count(paper) for paper in papers]
    expected = [page_count(contents) + 1, page_count(contents) + 1 + counts[0]]

    result = merge_pdfs(
        parts=[
            PdfPart(title="Contents", content=contents),
            *(PdfPart(title=f"Paper {n}", content=p) for n, p in enumerate(papers)),
        ],
        title="Pack",
    )

    assert list(result.start_pages[1:]) == expected


def odd_pages() -> bytes:
    """A landscape page and a page turned by /Rotate, as scanned reports have."""
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    writer.add_blank_page(width=595, height=842).rotate(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_not_for_publication_stamps_every_page_of_the_pack() -> None:
    parts = [
        PdfPart(title="Agenda", content=minutes()),
        PdfPart(title="Exempt report", content=pdf_bytes(pages=2)),
        PdfPart(title="Plans", content=odd_pages()),
    ]

    stamped = merge_pdfs(parts=parts, title="Pack", not_for_publication=True)
    plain = merge_pdfs(parts=parts, title="Pack")

    texts = page_texts(stamped.content)
    assert len(texts) == 5
    assert all("Not for publication" in text for text in texts), texts
    assert not any("Not for publication" in text for text in page_texts(plain.content))
    # One embedded font for the stamp, a few bytes a page: packs stay small.
    assert len(stamped.content) - len(plain.content) < 10_000
    # The stamp sits in the top-right corner of each page as it is seen.
    with pdfplumber.open(io.BytesIO(stamped.content)) as document:
        for page in document.pages:
            words = page.search("Not for publication")
            assert words, page.page_number
            assert words[0]["x0"] > page.width / 2
            assert words[0]["top"] < 30


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "damaged or is not a PDF"),
        (b"This is a Word document really", "damaged or is not a PDF"),
        (b"%PDF-1.7\n" + os.urandom(2000), "damaged or is not a PDF"),
        (pdf_bytes(pages=0), "has no pages"),
    ],
)
def test_unreadable_part_is_named_in_the_error(content: bytes, reason: str) -> None:
    parts = [
        PdfPart(title="Agenda", content=pdf_bytes(pages=1)),
        PdfPart(title="B2 Domestic abuse report", content=content),
        PdfPart(title="B3 Prevent update", content=pdf_bytes(pages=1)),
    ]

    with pytest.raises(PdfMergeError) as raised:
        merge_pdfs(parts=parts, title="Pack")

    assert raised.value.part_index == 1
    assert raised.value.part_title == "B2 Domestic abuse report"
    assert '"B2 Domestic abuse report" (part 2) could not be included' in str(
        raised.value
    )
    assert reason in str(raised.value)


def test_password_protected_part_is_named_in_the_error() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="secret", algorithm="AES-128")
    locked = io.BytesIO()
    writer.write(locked)

    with pytest.raises(PdfMergeError, match="protected by a password") as raised:
        merge_pdfs(
            parts=[PdfPart(title="Police data", content=locked.getvalue())],
            title="Pack",
        )
    assert raised.value.part_title == "Police data"


def test_page_count_reads_real_pdfs_and_refuses_others() -> None:
    assert page_count(minutes(paragraphs=25)) == 2
    assert page_count(pdf_bytes(pages=3)) == 3
    with pytest.raises(InvalidPdfError, match="damaged or is not a PDF"):
        page_count(b"<html>not a pdf</html>")


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([], "no documents"),
        ([1], "level 1"),
        ([0, 2], "level 2"),
        ([0, -1], "level -1"),
    ],
)
def test_bookmark_levels_must_nest_one_step_at_a_time(
    levels: list[int], message: str
) -> None:
    parts = [
        PdfPart(title=f"Part {n}", content=b"", level=level)
        for n, level in enumerate(levels)
    ]

    with pytest.raises(ValueError, match=message):
        merge_pdfs(parts=parts, title="Pack")


def test_parts_do_not_print_their_bytes() -> None:
    assert "content" not in repr(PdfPart(title="Agenda", content=b"%PDF" * 1000))
