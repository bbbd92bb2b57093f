"""Producing a PDF from a Django template."""

from __future__ import annotations

import mimetypes
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils._os import safe_join

from kcsp.pdf import pool
from kcsp.pdf.errors import FetchRefused
from kcsp.pdf.worker import RenderJob

DEFAULT_TIMEOUT = 30.0

# Base URL when there is neither a request nor PORTAL_BASE_URL: links in the PDF
# then point at a local development server.
FALLBACK_BASE_URL = "http://localhost/"


@dataclass(frozen=True, kw_only=True)
class PdfLayout:
    """What `pdf/base.html` needs to know, given to templates as `pdf`."""

    title: str
    header: str = ""
    watermark: str = ""
    not_for_publication: bool = False
    author: str = ""


def render_pdf(
    *,
    template_name: str,
    context: Mapping[str, Any],
    title: str,
    request: HttpRequest | None = None,
    header: str = "",
    watermark: str = "",
    not_for_publication: bool = False,
    author: str = "",
) -> bytes:
    """Render a Django template to an accessible A4 PDF and return its bytes.

    The template should extend ``pdf/base.html``, which lays out every page:
    `header` runs along the top of each page, "Page X of Y" along the foot,
    `watermark` (e.g. "Draft - subject to approval") is printed diagonally
    across each page when given, and `not_for_publication` marks every page
    "Not for publication". The template receives `context` plus ``pdf``, a
    `PdfLayout` with these values; the key ``pdf`` is therefore reserved.

    The PDF is PDF/UA-1: tagged (it has a structure tree for screen
    readers), its language comes from ``<html lang>`` (en-GB in the base
    layout), its title is `title` whatever the template's ``<title>`` says,
    `author` (if given) is its author, and its fonts are embedded.

    Only the portal's own static files (through the staticfiles finders, then
    STATIC_ROOT) and data: URLs are read. Anything else the document points
    at (http:, https:, file:, another site) is refused: the item is left out
    and the refusal is logged on the "weasyprint" logger. Links in the PDF are
    made absolute against `request` (or the PORTAL_BASE_URL setting when there is
    no request).

    The template is rendered here; only the HTML-to-PDF step runs in a
    separate renderer process, which is killed if it takes longer than
    PDF_RENDER_TIMEOUT seconds (default 30).

    Raises PdfRenderTimeout when that limit is reached and PdfRenderError
    when WeasyPrint fails; either way no process is left working on it.
    """
    if not title.strip():
        raise ValueError("A PDF needs a title: screen readers announce it.")
    if "pdf" in context:
        raise ValueError('The context key "pdf" is reserved for the PDF layout.')
    layout = PdfLayout(
        title=title,
        header=header,
        watermark=watermark,
        not_for_publication=not_for_publication,
        author=author,
    )
    html = render_to_string(template_name, {**context, "pdf": layout}, request=request)
    return _convert(html=html, request=request, title=title, author=author, tagged=True)


def not_for_publication_stamp() -> bytes:
    """A small untagged PDF page reading "Not for publication".

    Made to be laid over the pages of a combined PDF (see `merge_pdfs`). It is
    untagged because its structure tree would mean nothing once its content
    is copied onto another document's pages.
    """
    html = render_to_string("pdf/base.html#not_for_publication_stamp")
    return _convert(html=html, request=None, title="Not for publication", tagged=False)


def _convert(
    *,
    html: str,
    request: HttpRequest | None,
    title: str,
    author: str = "",
    tagged: bool,
) -> bytes:
    base_url = pdf_base_url(request)
    timeout = float(getattr(settings, "PDF_RENDER_TIMEOUT", DEFAULT_TIMEOUT))
    job = RenderJob(
        html=html,
        base_url=base_url,
        title=title,
        author=author,
        tagged=tagged,
        timeout=timeout,
    )
    return pool.convert(job=job, fetch=StaticFetch(base_url=base_url), timeout=timeout)


def pdf_base_url(request: HttpRequest | None) -> str:
    """The absolute URL relative links in a PDF are resolved against.

    The site root as the request saw it, else the PORTAL_BASE_URL setting (for
    PDFs produced by background tasks), else a local development address.
    """
    if request is not None:
        return request.build_absolute_uri("/")
    configured: str = getattr(settings, "PORTAL_BASE_URL", "")
    return configured.rstrip("/") + "/" if configured else FALLBACK_BASE_URL


class StaticFetch:
    """Answers a renderer's URL requests from the portal's static files only.

    A URL is served when it lies under STATIC_URL, resolved against the
    document's base URL (so ``{% static %}`` links and URLs relative to the
    stylesheet work, and an absolute STATIC_URL on a CDN maps to the same
    files). Nothing is ever fetched over the network or read from outside
    the static files.
    """

    def __init__(self, *, base_url: str) -> None:
        self._static = urlsplit(urljoin(base_url, settings.STATIC_URL or "/static/"))

    def __call__(self, url: str) -> tuple[bytes, str]:
        name = self._static_name(url)
        if name is None:
            raise FetchRefused(
                "only the portal's own static files can be used in a PDF"
            )
        path = self._find(name)
        if path is None:
            raise FetchRefused(f"there is no static file {name}")
        try:
            body = path.read_bytes()
        except OSError as error:
            raise FetchRefused(f"static file {name} could not be read") from error
        mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return body, mime_type

    def _static_name(self, url: str) -> str | None:
        """The static file name `url` refers to, or None if it is not one."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        static = self._static
        if (
            parts.scheme.lower() != static.scheme.lower()
            or parts.netloc.lower() != static.netloc.lower()
            or not parts.path.startswith(static.path)
        ):
            return None
        name = posixpath.normpath(unquote(parts.path[len(static.path) :]))
        if name in {".", ".."} or name.startswith(("../", "/")) or "\x00" in name:
            return None
        return name

    @staticmethod
    def _find(name: str) -> Path | None:
        # The finders come first: during development they hold the current
        # files while STATIC_ROOT may hold an older collectstatic. Hashed
        # names from the manifest storage exist only in STATIC_ROOT.
        try:
            found = finders.find(name)
        except SuspiciousFileOperation:
            return None
        if isinstance(found, str):
            return Path(found)
        if settings.STATIC_ROOT:
            try:
                candidate = Path(safe_join(settings.STATIC_ROOT, name))
            except SuspiciousFileOperation:
                return None
            if candidate.is_file():
                return candidate
        return None
