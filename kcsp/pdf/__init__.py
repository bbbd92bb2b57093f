"""The portal's PDF service: accessible PDFs from templates, and packs.

`render_pdf` turns a template extending ``pdf/base.html`` into a tagged A4
PDF (PDF/UA-1) within a time limit, reading nothing but the portal's static
files. `merge_pdfs` combines PDFs (a contents page, rendered papers, uploaded
reports) into one document with a bookmark per part and reports where each
part starts. Agenda, minutes, reports pack and agreement PDFs are built on
these two functions.

Settings read (all optional):

- ``PDF_RENDER_TIMEOUT``: seconds one PDF may take to produce (default 30);
- ``PORTAL_BASE_URL``: the site's address, e.g. ``https://portal.example.org``,
  used to make links absolute in PDFs produced without a request (in
  background tasks).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from kcsp.pdf.errors import (
    InvalidPdfError,
    PdfError,
    PdfMergeError,
    PdfRenderError,
    PdfRenderTimeout,
)

if TYPE_CHECKING:
    from kcsp.pdf.merge import MergeResult, PdfPart, merge_pdfs, page_count
    from kcsp.pdf.render import PdfLayout, render_pdf

# Imported on first use: the renderer process imports kcsp.pdf.worker, and
# loading Django's template engine and pypdf there as well would add about
# 0.4 s to every renderer start for nothing.
_LAZY = {
    "MergeResult": "kcsp.pdf.merge",
    "PdfPart": "kcsp.pdf.merge",
    "merge_pdfs": "kcsp.pdf.merge",
    "page_count": "kcsp.pdf.merge",
    "PdfLayout": "kcsp.pdf.render",
    "render_pdf": "kcsp.pdf.render",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "InvalidPdfError",
    "MergeResult",
    "PdfError",
    "PdfLayout",
    "PdfMergeError",
    "PdfPart",
    "PdfRenderError",
    "PdfRenderTimeout",
    "merge_pdfs",
    "page_count",
    "render_pdf",
]
