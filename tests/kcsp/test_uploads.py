import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from kcsp import services
from kcsp.uploads import ArchiveLimits, check_upload, safe_filename
from tests import factories
from tests.factories import pdf_bytes
from tests.helpers import peak_extra_memory, text


def _zip(**parts: str) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name.replace("__", "/"), content)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (io.BytesIO(pdf_bytes()), "report.pdf", "pdf"),
        (
            _zip(**{"[Content_Types].xml": "x", "word__document.xml": "x"}),
            "a.docx",
            "docx",
        ),
        (
            _zip(**{"[Content_Types].xml": "x", "ppt__presentation.xml": "x"}),
            "a.pptx",
            "pptx",
        ),
        (_zip(mimetype="application/vnd.oasis.opendocument.text"), "a.odt", "odt"),
        (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 20), "map.png", "png"),
        (io.BytesIO(b"\xff\xd8\xff\xe0" + b"\0" * 20), "photo.JPG", "jpeg"),
        (io.BytesIO(b"Priority,Count\nASB,11\n"), "matrix.csv", "csv"),
    ],
)
def test_accepted_files_are_recognised_by_content(
    data: io.BytesIO, name: str, kind: str
) -> None:
    checked = check_upload(data, name, max_bytes=10_000_000)
    assert checked.kind.key == kind
    assert checked.size == len(data.getvalue())


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"MZ\x90\x00 an executable", "report.pdf", "not a PDF"),
        (pdf_bytes(), "report.docx", "Rename it to end in .pdf"),
        (b"<html><script>x</script></html>", "page.html", "must be a PDF, Word"),
        (b"\x00\x01\x02", "data.bin", "must be a PDF, Word"),
        (b"", "empty.pdf", "empty"),
    ],
)
def test_refused_files_get_a_clear_message(
    data: bytes, name: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        check_upload(io.BytesIO(data), name, max_bytes=10_000_000)


def test_file_names_are_made_safe() -> None:
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("C:\\Users\\clerk\\Agenda pack (final).PDF") == (
        "Agenda_pack_final.pdf"
    )
    assert safe_filename("") == "document"


# Files that would unpack to far more than they weigh ("zip bombs") ----------

MB = factories.MB


@pytest.fixture(scope="module")
def mimetype_bomb() -> bytes:
    """An OpenDocument file whose `mimetype` part (the one the check reads to
    tell which kind of OpenDocument it is) is 200 MB of zeros."""
    return factories.zip_bomb({"mimetype": 200}, mimetype=None)


@pytest.fixture(scope="module")
def content_bomb() -> bytes:
    """An OpenDocument text whose content.xml unpacks to 300 MB."""
    return factories.zip_bomb({"content.xml": 300})


def test_a_zip_bomb_is_refused_before_it_is_unpacked(
    mimetype_bomb: bytes, content_bomb: bytes
) -> None:
    for data, name in ((mimetype_bomb, "minutes.odt"), (content_bomb, "plan.odt")):
        assert len(data) < 1 * MB
        with pytest.raises(ValidationError) as refused:
            check_upload(io.BytesIO(data), name, max_bytes=10 * MB)
        message = " ".join(refused.value.messages)
        assert message.startswith(f'This file, "{name}", could not be accepted ')
        assert "times its packed size" in message


@pytest.mark.parametrize(
    ("count", "reason"),
    [
        (6_000, "it is made of 6,001 parts; a document has at most 5,000"),
        (30_000, "its list of contents is longer than 1.0 MB"),
    ],
)
def test_a_file_of_too_many_parts_is_refused(count: int, reason: str) -> None:
    data = factories.zip_of_many_parts(count)
    with pytest.raises(ValidationError, match=reason):
        check_upload(io.BytesIO(data), "report.docx")


def test_a_file_unpacking_beyond_the_total_is_refused() -> None:
    data = factories.zip_bomb({"a.xml": 2, "b.xml": 2, "c.xml": 2})
    # Held to the total alone: the parts' ratio is allowed here.
    limits = ArchiveLimits(unpacked_bytes=5 * MB, ratio=100_000)
    with pytest.raises(ValidationError, match=r"would unpack to 6\.0 MB, more than"):
        check_upload(io.BytesIO(data), "a.odt", limits=limits)
    roomier = ArchiveLimits(unpacked_bytes=7 * MB, ratio=100_000)
    assert check_upload(io.BytesIO(data), "a.odt", limits=roomier).kind.key == "odt"


def test_a_large_ordinary_document_is_still_accepted() -> None:
    # A spreadsheet of 2 MB of XML packing about 20 times: a real one.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        rows = "".join(
            f'<row r="{n}"><c t="s"><v>{n * 7919 % 104729}</v></c></row>'
            for n in range(60_000)
        )
        archive.writestr("xl/worksheets/sheet1.xml", rows)
    checked = check_upload(io.BytesIO(buffer.getvalue()), "figures.xlsx")
    assert checked.kind.key == "xlsx"


@pytest.fixture(params=["mimetype", "content", "parts"])
def bomb(request: pytest.FixtureRequest) -> bytes:
    if request.param == "parts":
        return factories.zip_of_many_parts(30_000)
    return request.getfixturevalue(f"{request.param}_bomb")


@pytest.mark.django_db
def test_partner_uploading_a_zip_bomb_as_evidence_is_told_why_and_keeps_the_form(
    client: Client, partner: Any, kfrs: Any, bomb: bytes
) -> None:
    action = services.action_create(
        title="Fire safety visits for vulnerable households",
        owner_organisation=kfrs,
    )
    client.force_login(partner)
    response, extra = peak_extra_memory(
        lambda: client.post(
            action.get_absolute_url(),
            {
                "form": "update",
                "text": "Figures for the quarter attached.",
                "evidence": SimpleUploadedFile("figures.odt", bomb),
            },
        )
    )
    assert extra < 50 * MB, f"the request held {extra / MB:.0f} MB more"
    assert response.status_code == 400
    page = text(response)
    assert "This file, &quot;figures.odt&quot;, could not be accepted because" in page
    assert "Figures for the quarter attached." in page
    assert not action.updates.exists()


@pytest.mark.django_db
def test_a_stored_file_that_has_gone_is_not_found(settings, tmp_path) -> None:
    """A download whose file was lost from storage answers 404, not 500."""
    from django.http import Http404

    from agreement import services as agreement_services
    from agreement.models import StrategicAssessment
    from kcsp.uploads import uploaded_file_response

    settings.MEDIA_ROOT = str(tmp_path)
    assessment = agreement_services.strategic_assessment_record(
        partnership=factories.partnership("Dover"),
        year=2010,
        priorities=["Theft"],
        document=io.BytesIO(pdf_bytes()),
        document_name="dover.pdf",
    )
    stored = StrategicAssessment.objects.get(pk=assessment.pk).document
    shown = uploaded_file_response(stored, filename="dover.pdf", file_kind="pdf")
    assert shown["Content-Type"] == "application/pdf"
    assert shown["X-Content-Type-Options"] == "nosniff"
    shown.file_to_stream.close()  # closing the response would end the request
    stored.storage.delete(stored.name)
    gone = StrategicAssessment.objects.get(pk=assessment.pk).document
    with pytest.raises(Http404):
        uploaded_file_response(gone, filename="x.pdf", file_kind="pdf")
