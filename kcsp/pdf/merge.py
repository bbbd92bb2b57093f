"""Combining PDFs into one document with bookmarks (a reports pack)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import IO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import BooleanObject, IndirectObject, NameObject, TextStringObject

from kcsp.pdf.errors import InvalidPdfError, PdfMergeError

# Space between a page's top-right corner and the "Not for publication"
# stamp: 5 mm, clear of the printable-area limit of most office printers.
STAMP_INSET = 5 * 72 / 25.4

_DAMAGED = "The file is damaged or is not a PDF."


@dataclass(frozen=True, kw_only=True)
class PdfPart:
    """One document within a combined PDF.

    `title` is its bookmark. `level` nests the bookmark: 0 is top level, and a
    part at level n sits under the nearest earlier part at level n - 1 (like
    headings), so a paper's appendices can be listed under the paper.
    """

    title: str
    content: bytes = field(repr=False)
    level: int = 0


@dataclass(frozen=True, kw_only=True)
class MergeResult:
    """A combined PDF and where each part begins in it."""

    content: bytes = field(repr=False)
    # 1-based page number of each part's first page, in the order of the parts.
    start_pages: tuple[int, ...]
    page_count: int


def page_count(pdf: bytes | IO[bytes]) -> int:
    """How many pages the PDF has: its bytes, or a file read from where it stands.

    Raises InvalidPdfError (with a plain reason) if the bytes are not a
    readable PDF: damaged, not a PDF at all, locked with a password, or
    without pages.
    """
    return len(_read(pdf).pages)


def merge_pdfs(
    *,
    parts: Sequence[PdfPart],
    title: str,
    lang: str = "en-GB",
    not_for_publication: bool = False,
) -> MergeResult:
    """Concatenate `parts` into one PDF with a bookmark for each part.

    Each part's bookmark points at its first page and is nested by its
    `level`. The result has `title` as its title (shown by viewers in place
    of the file name), `lang` as its language, and opens with the bookmarks
    panel showing. Bookmarks inside the parts themselves are not carried
    over, so the outline lists exactly the parts. With `not_for_publication`
    every page is stamped "Not for publication" in its top-right corner, so a
    pack for staff is marked throughout, including the uploaded reports.

    The structure tree of tagged parts is not carried over (pypdf cannot join
    structure trees), so the combined PDF is not itself tagged.

    `MergeResult.start_pages` gives each part's first page (counting from 1)
    in the combined PDF. A contents page that lists those numbers must know
    its own length first, so build a pack in two passes: render the contents
    page, count its pages, compute the start pages after it, and render it
    again if its length changed::

        counts = [page_count(paper.content) for paper in papers]
        contents_length = 1
        while True:
            starts = list(accumulate(counts[:-1], initial=contents_length + 1))
            contents = render_pdf(..., context={"papers": zip(papers, starts)})
            if page_count(contents) == contents_length:
                break
            contents_length = page_count(contents)
        pack = merge_pdfs(
            parts=[PdfPart(title="Contents", content=contents), *papers], ...
        )
        # pack.start_pages[1:] == tuple(starts)

    Only the numbers change between passes, so the loop normally ends by its
    second pass. `page_count` raises InvalidPdfError for an unreadable paper,
    which is the moment to leave it out and list it as "could not be
    included".

    Raises PdfMergeError naming the first part that cannot be read (so the
    caller can list it as "could not be included" and merge the rest),
    ValueError if there are no parts or their levels skip a step, and
    PdfRenderError if the stamp cannot be produced.
    """
    if not parts:
        raise ValueError("There are no documents to combine.")
    _check_levels(parts)

    writer = PdfWriter()
    start_pages = _append_parts(writer, parts)
    if not_for_publication:
        _stamp_every_page(writer)
    _describe(writer, title=title, lang=lang)
    buffer = BytesIO()
    writer.write(buffer)
    return MergeResult(
        content=buffer.getvalue(),
        start_pages=tuple(start_pages),
        page_count=len(writer.pages),
    )


def _append_parts(writer: PdfWriter, parts: Sequence[PdfPart]) -> list[int]:
    """Append every part with its bookmark; returns each part's first page."""
    start_pages: list[int] = []
    # The bookmark of the latest part at each level, to nest the next one under.
    open_bookmarks: list[IndirectObject] = []
    for index, part in enumerate(parts):
        first_page = len(writer.pages)
        try:
            writer.append(_read(part.content), import_outline=False)
        except InvalidPdfError as error:
            raise _part_error(index, part, str(error)) from error
        except Exception as error:
            # pypdf reads lazily and raises many kinds of error on damaged
            # files while copying pages; whichever it is, the part is unusable.
            raise _part_error(index, part, _DAMAGED) from error
        start_pages.append(first_page + 1)
        del open_bookmarks[part.level :]
        parent = open_bookmarks[-1] if open_bookmarks else None
        open_bookmarks.append(
            writer.add_outline_item(
                title=part.title, page_number=first_page, parent=parent
            )
        )
    return start_pages


def _describe(writer: PdfWriter, *, title: str, lang: str) -> None:
    """Title, language, and opening on the bookmarks."""
    writer.add_metadata({"/Title": title})
    writer.root_object[NameObject("/Lang")] = TextStringObject(lang)
    # Viewers show the title instead of the file name (as PDF/UA asks).
    writer.create_viewer_preferences()[NameObject("/DisplayDocTitle")] = BooleanObject(
        True
    )
    writer.page_mode = "/UseOutlines"


def _read(content: bytes | IO[bytes]) -> PdfReader:
    try:
        stream = BytesIO(content) if isinstance(content, bytes) else content
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InvalidPdfError("The file is protected by a password.")
        count = len(reader.pages)
    except InvalidPdfError:
        raise
    except Exception as error:
        raise InvalidPdfError(_DAMAGED) from error
    if count == 0:
        raise InvalidPdfError("The file has no pages.")
    return reader


def _part_error(index: int, part: PdfPart, reason: str) -> PdfMergeError:
    return PdfMergeError(
        f'"{part.title}" (part {index + 1}) could not be included. {reason}',
        part_index=index,
        part_title=part.title,
    )


def _check_levels(parts: Sequence[PdfPart]) -> None:
    previous = -1
    for part in parts:
        if part.level < 0 or part.level > previous + 1:
            raise ValueError(
                f'"{part.title}" is at bookmark level {part.level}, but a part '
                f"can only be one level below the part before it."
            )
        previous = part.level


def _stamp_every_page(writer: PdfWriter) -> None:
    # Rendered by WeasyPrint like every other PDF, so the stamp's font is
    # embedded; imported here as rendering needs Django set up.
    from kcsp.pdf.render import not_for_publication_stamp

    stamp = PdfReader(BytesIO(not_for_publication_stamp())).pages[0]
    for page in writer.pages:
        _stamp(page, stamp)


def _stamp(page: PageObject, stamp: PageObject) -> None:
    if page.rotation:
        # Turn the page's rotation into its content, so "top right" below
        # is where a reader sees it.
        page.transfer_rotation_to_content()
    box = page.cropbox
    stamp_box = stamp.mediabox
    move = Transformation().translate(
        float(box.right) - STAMP_INSET - float(stamp_box.right),
        float(box.top) - STAMP_INSET - float(stamp_box.top),
    )
    page.merge_transformed_page(stamp, move, over=True)
    # Merging rewrites the page's content uncompressed (about 16 KB a page).
    page.compress_content_streams()
