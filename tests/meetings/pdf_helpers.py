"""Helpers for the tests of a meeting's PDFs: reading PDFs back, papers of
every kind, minutes to print, and running the real task worker."""

import io
import logging
import signal
from typing import Any

import pdfplumber
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Document, Meeting, Membership
from tests import factories
from tests.meetings.minutes_factories import agenda, write

HEADER = "Kent Community Safety Partnership - 24 March 2022"


# Reading PDFs -----------------------------------------------------------------


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text, leaving out the diagonal watermark's letters."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return [page.filter(_upright).extract_text() or "" for page in document.pages]


def _upright(obj: dict[str, Any]) -> bool:
    # The watermark is the only text set at 40pt.
    return obj.get("object_type") != "char" or obj.get("size", 0) < 30


def whole_text(pdf: bytes) -> str:
    return "\n".join(page_texts(pdf))


def in_order(haystack: str, needles: list[str]) -> bool:
    """Each needle occurs in `haystack` after the one before it."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return False
        position = found + len(needle)
    return True


def assert_accessible_pdf(pdf: bytes, title: str) -> PdfReader:
    """Tagged, en-GB, titled, A4, and fonts travelling with it."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == title
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    return reader


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def text_pdf(label: str, pages: int = 1) -> bytes:
    """A paper whose every page reads "<label> page <n>", as a report would."""
    writer = PdfWriter()
    font = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    for number in range(1, pages + 1):
        page = writer.add_blank_page(width=595, height=842)
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        stream = DecodedStreamObject()
        stream.set_data(
            f"BT /F1 14 Tf 72 760 Td ({label} page {number}) Tj ET".encode()
        )
        page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def paper(meeting: Meeting, item: Any, title: str, content: bytes, **kw: Any) -> Any:
    return services.document_add(
        meeting=meeting,
        item=item,
        upload=io.BytesIO(content),
        name=kw.pop("name", "paper.pdf"),
        title=title,
        **kw,
    )


def docx_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


# The worker --------------------------------------------------------------------


def run_worker() -> None:
    """Run `manage.py db_worker` over the queue once, as the service would.

    The worker installs its own signal handlers and log levels for the life
    of its process; here the test process goes on, so they are put back.
    """
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    loggers = [logging.getLogger(n) for n in ("django_tasks_db", "django.tasks")]
    levels = [(lg, lg.level, list(lg.handlers)) for lg in loggers]
    try:
        call_command(
            "db_worker",
            batch=True,
            startup_delay=False,
            reload=False,
            interval=0,
            verbosity=0,
            worker_id="pdf-tests",
            stdout=io.StringIO(),
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        for lg, level, previous in levels:
            lg.setLevel(level)
            lg.handlers[:] = previous


# Data ----------------------------------------------------------------------------


def minutes_meeting(items: int = 3) -> Meeting:
    """Draft minutes published for the public: attendance, numbered items with
    paragraphs and a lettered RESOLVED block, and one exempt item."""
    body = factories.body()
    meeting = factories.meeting(body, start="2022-03-24T10:00", online=True, venue="")
    hill = factories.person("Hill", initials="P M", honours="OBE")
    Membership.objects.create(body=body, person=hill, role="chair")
    titles = [f"Update number {n}" for n in range(1, items - 1)]
    made = agenda(
        meeting,
        [
            "Kent Community Safety Agreement Review and Refresh",
            *titles,
            "Domestic Homicide Review case progress",
        ],
    )
    exempt = made[-1]
    exempt.visibility = Visibility.EXEMPT
    exempt.exempt_paragraph = ExemptParagraph.IDENTITY
    exempt.save()
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=51)
    services.attendance_mark_present(meeting=meeting)
    first, *middle, last = list(minutes.items.order_by("order"))
    write(
        first,
        [
            "Mr Peerbux introduced the review of the Community Safety Agreement.",
            "Members asked about violence against women and girls.",
        ],
        "RESOLVED that the Kent Community Safety Partnership",
        ["note the review of the Agreement;", "approve the revised priorities."],
    )
    for item in middle:
        write(
            item,
            [f"Members heard {item.title.lower()}."],
            "RESOLVED that the update be noted.",
        )
    last.visibility = Visibility.EXEMPT
    last.exempt_paragraph = ExemptParagraph.IDENTITY
    last.save()
    write(last, ["The family at 12 Example Road were spoken to."])
    services.minutes_publish_draft(minutes=minutes)
    return meeting


def pack_meeting_create() -> Meeting:
    """A published agenda whose papers are of every kind a pack meets."""
    meeting = factories.meeting(start="2022-03-24T10:00")
    a = factories.section(meeting, "A", "Committee Business")
    b = factories.section(meeting, "B", "Items for consideration")
    factories.item(a, "Declarations of interest")
    refresh = factories.item(b, "Agreement refresh")
    zero = factories.item(b, "Vision Zero")
    exempt = factories.item(
        b,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.IDENTITY,
        description="<p>Case of the family at 12 Example Road.</p>",
    )
    paper(meeting, None, "Order of business", text_pdf("Order of business", 1))
    paper(meeting, refresh, "Refresh report", text_pdf("Refresh report", 3))
    paper(meeting, refresh, "Refresh appendix", text_pdf("Refresh appendix", 2))
    paper(
        meeting,
        refresh,
        "Partner dashboard",
        text_pdf("Partner dashboard", 1),
        visibility=Visibility.RESTRICTED,
    )
    paper(meeting, zero, "Vision Zero slides", docx_bytes(), name="slides.docx")
    paper(
        meeting,
        zero,
        "Damaged report",
        b"%PDF-1.7\n" + bytes(range(256)) * 8,
        name="damaged.pdf",
    )
    paper(meeting, zero, "Vision Zero strategy", text_pdf("Vision Zero strategy", 2))
    Document.objects.create(
        meeting=meeting,
        item=zero,
        title="Road safety dashboard",
        external_url="https://www.kent.gov.uk/roads",
    )
    paper(meeting, exempt, "Case report", text_pdf("Exempt case report", 2))
    services.agenda_publish(meeting=meeting)
    return meeting


def url(meeting: Meeting, name: str) -> str:
    return reverse(f"meetings:{name}", args=[meeting.body.slug, meeting.url_key])
