"""Keeping generated PDFs once per version, and serving them.

Files go through Django's default storage (the disk, or an S3-compatible
store), named after their version, with a kcsp.RenderedDocument row each.
Serving answers conditional requests from the row alone: the ETag is the
content version and Last-Modified the time the file was made.
"""

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from kcsp.models import RenderedDocument

logger = logging.getLogger(__name__)

# Stored files up to this size are sent from memory; larger ones (packs) are
# streamed from storage.
IN_MEMORY_BYTES = 512 * 1024


class StoredFileMissing(Exception):
    """The row is there but its file is not (storage restored without it)."""


@dataclass(frozen=True)
class Stored:
    """A stored document, as far as serving it needs."""

    pk: int
    version: str
    file_name: str
    size_bytes: int
    created_at: dt.datetime

    @classmethod
    def of(cls, document: RenderedDocument) -> "Stored":
        return cls(
            pk=document.pk,
            version=document.version,
            file_name=document.file.name or "",
            size_bytes=document.size_bytes,
            created_at=document.created_at,
        )


def rendered_find(*, kind: str, subject: str, version: str) -> RenderedDocument | None:
    return RenderedDocument.objects.filter(
        kind=kind, subject=subject, version=version
    ).first()


def rendered_store(
    *,
    kind: str,
    subject: str,
    version: str,
    content: bytes,
    page_count: int | None = None,
    render_seconds: float | None = None,
    notes: list[str] | None = None,
) -> RenderedDocument:
    """Keep `content` as this version of the document and forget older ones.

    If another process stored the same version meanwhile, its copy is kept
    and returned (the two are the same document). Older versions' files are
    deleted once the new row is committed.
    """
    document = RenderedDocument(
        kind=kind,
        subject=subject,
        version=version,
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=page_count,
        render_seconds=render_seconds,
        notes=notes or [],
    )
    name = f"{subject.replace(':', '-')}-{version}.pdf"
    document.file.save(name, ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
            older = list(
                RenderedDocument.objects.filter(kind=kind, subject=subject).exclude(
                    pk=document.pk
                )
            )
            RenderedDocument.objects.filter(pk__in=[o.pk for o in older]).delete()
            names = [o.file.name for o in older if o.file.name]
            transaction.on_commit(lambda: _delete_files(names))
    except IntegrityError:
        _delete_files([document.file.name or name])
        return RenderedDocument.objects.get(kind=kind, subject=subject, version=version)
    return document


def rendered_forget(*, stored: Stored) -> None:
    """Drop a row whose file has gone, so the document is made again."""
    RenderedDocument.objects.filter(pk=stored.pk).delete()


def _delete_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            # A file left behind costs disk space, not correctness: nothing
            # points at it any more.
            logger.warning("Could not delete the old rendered file %s", name)


def pdf_response(
    request: HttpRequest,
    document: Stored,
    *,
    filename: str,
    public: bool,
    content: bytes | None = None,
) -> HttpResponse:
    """The stored PDF, or 304 Not Modified when the client's copy is current.

    `content` serves bytes already in memory (just rendered) instead of
    reading the file back. Public documents may be kept by shared caches but
    must be checked with the server on every use (`no-cache`), so a changed
    minute is never read from a stale copy. Raises StoredFileMissing when the
    file cannot be opened.
    """
    headers = {
        "ETag": f'"{document.version}"',
        "Last-Modified": http_date(document.created_at.timestamp()),
        "Cache-Control": "public, no-cache" if public else "private, no-cache",
    }
    not_modified = get_conditional_response(
        request,
        etag=headers["ETag"],
        last_modified=int(document.created_at.timestamp()),
    )
    if not_modified is not None:
        return _with_headers(not_modified, headers)
    if content is None:
        try:
            handle = default_storage.open(document.file_name, "rb")
        except OSError as error:
            raise StoredFileMissing(document.file_name) from error
        if document.size_bytes <= IN_MEMORY_BYTES:
            # Reading a small file whole costs less than setting up a stream.
            with handle:
                content = handle.read()
        else:
            response = FileResponse(
                handle, content_type="application/pdf", filename=filename
            )
            return _with_headers(response, headers)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return _with_headers(response, headers)


def _with_headers(response: Any, headers: dict[str, str]) -> Any:
    for name, value in headers.items():
        response[name] = value
    return response
