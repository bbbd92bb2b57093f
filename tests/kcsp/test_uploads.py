import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from kcsp.uploads import check_upload, safe_filename
from tests.factories import pdf_bytes


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
