"""What can go wrong when producing or combining PDFs."""


class PdfError(Exception):
    """Base class for every error the PDF service raises."""


class PdfRenderError(PdfError):
    """A document could not be turned into a PDF."""


class PdfRenderTimeout(PdfRenderError):
    """Producing a PDF took longer than `PDF_RENDER_TIMEOUT` and was stopped."""


class FetchRefused(PdfError):
    """A URL a document refers to is not one a PDF may read.

    Never reaches callers of `render_pdf`: WeasyPrint logs it and leaves the
    image or stylesheet out.
    """


class InvalidPdfError(PdfError):
    """The bytes given are not a PDF that can be read (damaged, empty, locked)."""


class PdfMergeError(PdfError):
    """One part of a combined PDF could not be included.

    `part_index` (counting from 0) and `part_title` name the part, so a
    caller can list it as "could not be included" and try again without it.
    """

    def __init__(self, message: str, *, part_index: int, part_title: str) -> None:
        super().__init__(message)
        self.part_index = part_index
        self.part_title = part_title
