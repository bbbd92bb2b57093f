"""Checking uploaded files by what they contain, not what they are called.

A clerk's "report.pdf" must really be a PDF: the first bytes decide, and the
file name's extension must agree with them. Only document and image formats a
committee publishes are accepted.
"""

import hashlib
import logging
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.forms import BaseForm
from django.http import FileResponse, Http404
from django.utils.text import get_valid_filename

from kcsp.formatting import file_size

logger = logging.getLogger(__name__)


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

PDF_HEADER = b"%PDF-"
PDF_HEADER_WITHIN = 1024

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


@dataclass(frozen=True)
class ArchiveLimits:
    """What a ZIP-based document (Word, Excel, PowerPoint, OpenDocument) may
    declare about its parts, checked before any part is unpacked.

    A small file can unpack to gigabytes ("zip bomb"). Real documents are
    far inside these limits: a few hundred parts, XML that packs some ten
    times smaller, images that hardly pack at all.
    """

    members: int = 5_000
    # The archive's list of parts is read in one piece; this bounds it.
    directory_bytes: int = 1024 * 1024
    unpacked_bytes: int = 500 * 1024 * 1024
    ratio: int = 100
    # A part smaller than this unpacked is not held to the ratio: a short,
    # repetitive XML part can pack very small and still be harmless.
    ratio_from_bytes: int = 1024 * 1024


class UnsafeArchive(Exception):
    """A ZIP file refused before unpacking; the message says why, in words
    that complete "could not be accepted because ..."."""


class _OneReadLimit:
    """A file none of whose reads may return more than `limit` bytes.

    `zipfile` reads an archive's list of parts in one read of the size the
    archive itself declares, then builds an object per part: bounding each
    read bounds that, whatever the archive claims. Reads of the parts'
    contents are small (a few kilobytes each), so they are not affected.
    """

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._limit = limit

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            here = self._stream.tell()
            size = self._stream.seek(0, os.SEEK_END) - here
            self._stream.seek(here)
        if size > self._limit:
            raise UnsafeArchive(
                f"its list of contents is longer than {file_size(self._limit)}, "
                "far longer than any document's"
            )
        return self._stream.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        return self._stream.seek(offset, whence)

    def tell(self) -> int:
        return self._stream.tell()

    def seekable(self) -> bool:
        return True


def _check_parts(parts: list[zipfile.ZipInfo], limits: ArchiveLimits) -> None:
    """Raise UnsafeArchive if the parts' declared sizes are beyond `limits`.

    `zipfile` never unpacks more of a part than its declared size, so the
    declared sizes bound what any later reading could cost.
    """
    if len(parts) > limits.members:
        raise UnsafeArchive(
            f"it is made of {len(parts):,} parts; a document has at most "
            f"{limits.members:,}"
        )
    total = sum(part.file_size for part in parts)
    if total > limits.unpacked_bytes:
        raise UnsafeArchive(
            f"it would unpack to {file_size(total)}, more than the "
            f"{file_size(limits.unpacked_bytes)} a document may"
        )
    for part in parts:
        if part.file_size >= limits.ratio_from_bytes and part.file_size > (
            limits.ratio * max(part.compress_size, 1)
        ):
            times = part.file_size // max(part.compress_size, 1)
            raise UnsafeArchive(
                f"a part of it would unpack to {file_size(part.file_size)}, "
                f"{times:,} times its packed size, which documents do not do"
            )


# Longer than any OpenDocument type name, so a part longer than this cannot
# be one and is not read at all.
_ODF_MIMETYPE_MAX = 100


def _odf_mimetype(archive: zipfile.ZipFile) -> bytes:
    """The opening bytes of the archive's `mimetype` part, read no further."""
    part = archive.getinfo("mimetype")
    if part.file_size > _ODF_MIMETYPE_MAX or part.compress_type not in {
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    }:
        return b""
    with archive.open(part) as member:
        return member.read(_ODF_MIMETYPE_MAX)


def _sniff_zip(stream: IO[bytes], limits: ArchiveLimits) -> str | None:
    try:
        bounded = _OneReadLimit(stream, limits.directory_bytes)
        with zipfile.ZipFile(bounded) as archive:
            _check_parts(archive.infolist(), limits)
            names = archive.namelist()
            if "mimetype" in names:
                return _ODF_MIMES.get(_odf_mimetype(archive).strip())
            if "[Content_Types].xml" in names:
                for prefix, key in _OOXML_PARTS.items():
                    if any(n.startswith(prefix) for n in names):
                        return key
    except (
        zipfile.BadZipFile,
        OSError,
        KeyError,
        EOFError,
        # An encrypted part, or one packed in a way `zipfile` cannot read.
        RuntimeError,
        NotImplementedError,
    ):
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


def is_pdf(head: bytes) -> bool:
    """Whether a file starting with these bytes is a PDF, whatever its name.

    As PDF readers do, the header may stand anywhere in the first kilobyte:
    some producers write a few bytes before it.
    """
    return PDF_HEADER in head[:PDF_HEADER_WITHIN]


def sniff(stream: IO[bytes], *, limits: ArchiveLimits = ArchiveLimits()) -> str | None:
    """The key of the accepted kind these bytes are, or None.

    Raises UnsafeArchive for a ZIP file (the form of Office and OpenDocument
    files) whose declared contents are beyond `limits`; nothing of it is
    unpacked but the few bytes a check needs.
    """
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    if is_pdf(head):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        try:
            return _sniff_zip(stream, limits)
        finally:
            stream.seek(0)
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
    upload: IO[bytes],
    name: str,
    *,
    max_bytes: int | None = None,
    limits: ArchiveLimits = ArchiveLimits(),
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
    try:
        key = sniff(upload, limits=limits)
    except UnsafeArchive as error:
        raise ValidationError(
            f'This file, "{filename}", could not be accepted because {error}. It '
            "may be damaged, or made to overload the server: save it again from "
            "the program that made it, or as a PDF, and upload it again.",
            code="unsafe_archive",
        ) from None
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


LOGO_KINDS = ("png", "jpeg")
LOGO_MAX_BYTES = 2 * 1024 * 1024


def check_logo(upload: IO[bytes], name: str) -> CheckedUpload:
    """Accept a PNG or JPEG image of at most 2 MB, by its content, or raise
    ValidationError saying what to do."""
    try:
        key = sniff(upload)
    except UnsafeArchive:
        key = None
    if key not in LOGO_KINDS:
        raise ValidationError(
            f'A logo must be a PNG or JPEG image; "{safe_filename(name)}" is not '
            "one. Save the logo as a PNG or JPEG image and upload it again.",
            code="not_an_image",
        )
    return check_upload(upload, name, max_bytes=LOGO_MAX_BYTES)


def form_upload_checked(
    form: BaseForm,
    name: str,
    check: Callable[[IO[bytes], str], CheckedUpload] = check_upload,
) -> Any:
    """The form's file field `name`, a newly uploaded file checked by its
    content (`check`) before anything is stored; a file already stored, or
    none, is kept as it is. For the form's `clean_<name>`."""
    upload = form.cleaned_data.get(name)
    if upload and hasattr(upload, "content_type"):  # a new upload
        try:
            check(upload, upload.name)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
    return upload


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


# Types a browser shows itself, safely once told the type (and not to
# sniff another): opened in place rather than saved.
SHOWN_IN_BROWSER = frozenset({"application/pdf", "image/png", "image/jpeg"})


def uploaded_file_response(
    file: FieldFile, *, filename: str = "", file_kind: str = "", mime_type: str = ""
) -> FileResponse:
    """A checked upload served as it was uploaded: a PDF or an image shown
    in the browser, anything else downloaded, never sniffed as another type;
    a 404 if the file has gone from storage. Whoever calls it has already
    asked the visibility rule, and sets the response's caching."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("Uploaded file missing: %s", file.name)
        raise Http404("No such document.") from None
    kind = KINDS.get(file_kind)
    content_type = (
        mime_type or (kind.mime if kind else "") or "application/octet-stream"
    )
    response = FileResponse(
        handle,
        as_attachment=content_type not in SHOWN_IN_BROWSER,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
