"""Checking uploaded files by what they contain, not what they are called.

A clerk's "report.pdf" must really be a PDF: the first bytes decide, and the
file name's extension must agree with them. Only document and image formats a
committee publishes are accepted.
"""

import hashlib
import os
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

from kcsp.formatting import file_size


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str
    mime: str
    extensions: tuple[str, ...]


KINDS: dict[str, FileKind] = {
    k.key: k
    for k in (
        FileKind("pdf", "PDF", "application/pdf", (".pdf",)),
        FileKind(
            "docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileKind(
            "xlsx",
            "Excel spreadsheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileKind(
            "pptx",
            "PowerPoint presentation",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            (".pptx",),
        ),
        FileKind(
            "odt",
            "OpenDocument text",
            "application/vnd.oasis.opendocument.text",
            (".odt",),
        ),
        FileKind(
            "ods",
            "OpenDocument spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
        ),
        FileKind(
            "odp",
            "OpenDocument presentation",
            "application/vnd.oasis.opendocument.presentation",
            (".odp",),
        ),
        FileKind("png", "PNG image", "image/png", (".png",)),
        FileKind("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
        FileKind("csv", "CSV file", "text/csv", (".csv",)),
        FileKind("txt", "text file", "text/plain", (".txt",)),
    )
}

ACCEPTED_DESCRIPTION = (
    "a PDF, Word, Excel, PowerPoint, OpenDocument, PNG, JPEG, CSV or text file"
)

_OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
_ODF_MIMES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


@dataclass(frozen=True)
class CheckedUpload:
    kind: FileKind
    filename: str
    size: int
    sha256: str


def _sniff_zip(stream: IO[bytes]) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF_MIMES.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                for prefix, key in _OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return key
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return None


def _sniff_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is fine.
        return error.start >= len(head) - 3
    return True


def sniff(stream: IO[bytes]) -> str | None:
    """The key of the accepted kind these bytes are, or None."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        kind = _sniff_zip(stream)
        stream.seek(0)
        return kind
    if head and _sniff_text(head):
        return "text"
    return None


def safe_filename(name: str) -> str:
    """A name safe to store and to send back in Content-Disposition."""
    base = os.path.basename(name.replace("\\", "/")).strip() or "document"
    stem, ext = os.path.splitext(base)
    cleaned = get_valid_filename(stem)[:100] or "document"
    return f"{cleaned}{get_valid_filename(ext.lower())[:10] if ext else ''}"


def check_upload(
    upload: IO[bytes], name: str, *, max_bytes: int | None = None
) -> CheckedUpload:
    """Accept the file or raise ValidationError with a message a clerk can act on."""
    limit = max_bytes or settings.DOCUMENT_MAX_UPLOAD_BYTES
    filename = safe_filename(name)
    ext = os.path.splitext(filename)[1].lower()
    upload.seek(0, os.SEEK_END)
    size = upload.tell()
    upload.seek(0)
    if size == 0:
        raise ValidationError("The selected file is empty.", code="empty")
    if size > limit:
        raise ValidationError(
            f"The file must be smaller than {file_size(limit)}; this one is "
            f"{file_size(size)}.",
            code="too_large",
        )
    key = sniff(upload)
    if key == "text":
        key = {".csv": "csv", ".txt": "txt"}.get(ext)
    if key is None:
        claimed = next((k for k in KINDS.values() if ext in k.extensions), None)
        if claimed:
            raise ValidationError(
                f'The file is called "{filename}" but its contents are not a '
                f"{claimed.label}. Save it as a {claimed.label} and upload it again.",
                code="mismatch",
            )
        raise ValidationError(
            f"The file must be {ACCEPTED_DESCRIPTION}.", code="unsupported"
        )
    kind = KINDS[key]
    if ext not in kind.extensions:
        raise ValidationError(
            f'The file is called "{filename}" but its contents are a {kind.label}. '
            f"Rename it to end in {kind.extensions[0]} and upload it again.",
            code="mismatch",
        )
    digest = hashlib.sha256()
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        kind=kind, filename=filename, size=size, sha256=digest.hexdigest()
    )


# A paper longer than this is indexed on its opening pages only.
TEXT_MAX_PAGES = 300


def pdf_text(stream: IO[bytes], *, max_pages: int = TEXT_MAX_PAGES) -> str:
    """The text layer of a PDF, page by page, for site search.

    A scanned paper has no text layer and gives ''; so does a file pypdf
    cannot read (it is still offered for download, just not searchable).
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    pages: list[str] = []
    try:
        stream.seek(0)
        reader = PdfReader(stream)
        for page in reader.pages[:max_pages]:
            pages.append(page.extract_text() or "")
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError):
        pass
    finally:
        stream.seek(0)
    # PostgreSQL stores no NUL character in text.
    text = "\n".join(p.strip() for p in pages if p.strip())
    return text.replace("\x00", " ")
