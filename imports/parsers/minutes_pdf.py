"""Minutes published as a PDF, read back into their text.

`pdf_minutes_text` takes the bytes of a PDF and returns the text of its
pages in reading order (poppler's `pdftotext`, run with a time limit and
writing to a file whose size is checked before it is read), with what is
layout rather than minutes taken out (`page_text_clean`):

- running headers and footers: a line among the first or last few of a
  page that comes back on most pages (digits aside, so "Page 3 of 7" and a
  dated header count as the same line on every page);
- page numbers in those places: "3", "- 3 -", "Page 3", "Page 3 of 7",
  "3 of 7";
- the break between pages: a paragraph that runs on to the next page is
  joined to it; one that ended a sentence is followed by a blank line.

A word broken at a hyphen at the end of a line ("Vice-" / "Chairman") is
joined up again, keeping the hyphen. The printed-notes parser
(`legacy_minutes.parse_minutes`) then reads the text as it reads minutes
copied from a website. Nothing here touches the database.
"""

import re
import subprocess
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kcsp.uploads import is_pdf

__all__ = [
    "PdfText",
    "PdfTextError",
    "page_text_clean",
    "pdf_minutes_text",
]

PDFTOTEXT = "/usr/bin/pdftotext"
# Minutes run to tens of pages; a file far longer is not one meeting's.
MAX_PAGES = 300
# The text of MAX_PAGES full pages is well under this.
MAX_TEXT_BYTES = 8 * 1024 * 1024
TIMEOUT_SECONDS = 60
# Where running headers and footers stand: this many non-blank lines at the
# top and the bottom of a page.
_EDGE_LINES = 3
_PAGE_NUMBER = re.compile(
    r"(?:page\s+)?[-\u2013(\[]?\s*\d{1,4}\s*[-\u2013)\]]?(?:\s+of\s+\d{1,4})?",
    re.IGNORECASE,
)
# Lines that are minutes even when they repeat: a numbered paragraph or
# heading, or a resolution.
_CONTENT = re.compile(r"(?:\(?\d{1,4}[.)]\s+\S|RESOLVED\b)")
_SENTENCE_END = re.compile(r"[.!?:;][\"'\u2019\u201d)\]]*$")
# "Vice-" at the end of a line and "Chairman)" at the start of the next.
_BROKEN_WORD = re.compile(r"[A-Za-z]-$")
_STARTS_WORD = re.compile(r"[A-Za-z]")
_STARTS_STRUCTURE = re.compile(r"(?:RESOLVED\b|[a-z]\)\s|[ivx]{1,4}\)\s)")


class PdfTextError(Exception):
    """The PDF cannot be read as minutes; the message says why, plainly."""


@dataclass(frozen=True)
class PdfText:
    """The minutes' text, its page count, and what was left out as layout.

    `dropped` holds each running header, footer or page number once, as
    first seen.
    """

    text: str
    pages: int
    dropped: tuple[str, ...] = ()


def pdf_minutes_text(data: bytes, *, timeout: float = TIMEOUT_SECONDS) -> PdfText:
    """The text of a minutes PDF, in reading order, without page furniture.

    Raises PdfTextError when the bytes are not a PDF, poppler cannot read
    it (damaged, password protected), it takes too long, or it has no text
    (a scan: the words are pictures).
    """
    if not is_pdf(data):
        raise PdfTextError("the file is not a PDF: its contents are not a PDF's")
    with tempfile.TemporaryDirectory(prefix="minutes-pdf-") as folder:
        source, target = Path(folder, "minutes.pdf"), Path(folder, "minutes.txt")
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603 - fixed program, no shell, our own paths
                [
                    PDFTOTEXT,
                    "-layout",
                    "-enc",
                    "UTF-8",
                    "-l",
                    str(MAX_PAGES),
                    str(source),
                    str(target),
                ],
                check=True,
                capture_output=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as error:
            raise PdfTextError(
                f"reading the PDF took longer than {int(timeout)} seconds"
            ) from error
        except subprocess.CalledProcessError as error:
            raise PdfTextError(
                "the PDF could not be read (it may be damaged or password protected)"
            ) from error
        except OSError as error:
            problem = f"pdftotext could not be run: {error.strerror}"
            raise PdfTextError(problem) from error
        if target.stat().st_size > MAX_TEXT_BYTES:
            raise PdfTextError("the PDF holds far more text than a set of minutes")
        raw = target.read_text(encoding="utf-8", errors="replace")
    pages = raw.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    if not any(page.strip() for page in pages):
        raise PdfTextError(
            "the PDF has no text to read: it may be a scan, whose words are "
            "pictures. Ask the council for a text version, or type the minutes in"
        )
    return page_text_clean(pages)


def _shape(line: str) -> str:
    """A line as compared between pages: spacing and digits aside."""
    return re.sub(r"\d+", "#", " ".join(line.split())).casefold()


def _edges(lines: list[str]) -> list[int]:
    """Indexes of the first and last few non-blank lines of a page."""
    filled = [index for index, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:_EDGE_LINES] + filled[-_EDGE_LINES:]))


def page_text_clean(pages: list[str]) -> PdfText:
    """The pages' text as one, without running headers, footers and page
    numbers, and with paragraphs that run across a page break joined."""
    split = [page.splitlines() for page in pages]
    seen: Counter[str] = Counter()
    for page_lines in split:
        seen.update({_shape(page_lines[index]) for index in _edges(page_lines)})
    # On most pages: at least half of them, and at least two.
    needed = max(2, (len(split) + 1) // 2)
    dropped: dict[str, str] = {}
    kept_pages: list[list[str]] = []
    for page_lines in split:
        drop = set()
        for index in _edges(page_lines):
            flat = " ".join(page_lines[index].split())
            repeated = seen[_shape(flat)] >= needed and not _CONTENT.match(flat)
            if repeated or _PAGE_NUMBER.fullmatch(flat):
                drop.add(index)
                dropped.setdefault(_shape(flat), flat)
        kept = [line.rstrip() for i, line in enumerate(page_lines) if i not in drop]
        while kept and not kept[0].strip():
            kept.pop(0)
        while kept and not kept[-1].strip():
            kept.pop()
        if kept:
            kept_pages.append(kept)
    lines: list[str] = []
    for page in kept_pages:
        # A sentence that runs on over the page break is one paragraph.
        if lines and _SENTENCE_END.search(lines[-1].strip()):
            lines.append("")
        lines.extend(page)
    return PdfText(
        text="\n".join(_join_broken_words(lines)) + "\n",
        pages=len(pages),
        dropped=tuple(dropped.values()),
    )


def _join_broken_words(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        text = line.strip()
        if (
            joined
            and _BROKEN_WORD.search(joined[-1])
            and _STARTS_WORD.match(text)
            and not _STARTS_STRUCTURE.match(text)
        ):
            joined[-1] = joined[-1] + text
            continue
        joined.append(line)
    return joined
