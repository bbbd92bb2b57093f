"""The renderer process: turns an HTML string into PDF bytes with WeasyPrint.

This module runs in a child process started by `kcsp.pdf.pool` (the parent)
and talks to it over a socket. It knows nothing about Django: every URL the
document refers to (stylesheet, fonts, images) is sent back to the parent,
which alone decides what may be read. Keeping the child this ignorant means
the rule "static files and data: URLs only" lives in one place, and the
parent's settings (including a test's `override_settings`) always apply.

Messages on the socket are tuples whose first item names them:

- parent to child: ``("render", job)`` with a `RenderJob`; closing the
  socket tells the child to exit;
- child to parent: ``("ready",)`` once WeasyPrint is loaded, then for each
  job any number of ``("fetch", url)`` (answered by ``("fetched", body,
  mime_type)`` or ``("refused", reason)``), and finally ``("done", pdf,
  notes, peak_rss_kb)`` or ``("failed", reason, notes)``.
"""

from __future__ import annotations

import logging
import math
import resource
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

# Only so many WeasyPrint warnings travel back with a result: a document with
# a thousand broken images should not produce a thousand log lines.
MAX_NOTES = 20

# Seconds past a job's time limit after which the renderer ends itself.
ALARM_GRACE = 10


@dataclass(frozen=True, kw_only=True)
class RenderJob:
    """One HTML document to convert, as the parent sends it."""

    html: str
    base_url: str
    title: str
    author: str
    tagged: bool
    timeout: float


class _NoteCollector(logging.Handler):
    """Keeps WeasyPrint's warnings for the current job, to send to the parent."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.notes: list[tuple[int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append((record.levelno, record.getMessage()))


def _make_fetcher(conn: Connection) -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ParentFetcher(URLFetcher):
        """Reads data: URLs itself and asks the parent for everything else."""

        def __init__(self) -> None:
            # The base class would open http, https, ftp and file URLs; with
            # this list it refuses all of them even if reached directly.
            super().__init__(allowed_protocols=("data",))

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            conn.send(("fetch", url))
            reply = conn.recv()
            if reply[0] != "fetched":
                # WeasyPrint catches this, logs it and leaves the resource out.
                raise PermissionError(reply[1])
            _, body, mime_type = reply
            return URLFetcherResponse(url, body, {"Content-Type": mime_type})

    return ParentFetcher()


def _convert(job: RenderJob, conn: Connection) -> bytes:
    from weasyprint import HTML

    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1"} if job.tagged else {}
    html = HTML(string=job.html, base_url=job.base_url, url_fetcher=_make_fetcher(conn))
    document = html.render(**options)
    # The caller's title is the document's title, whatever the template's
    # <title> says: it is what a screen reader announces and a viewer shows.
    document.metadata.title = job.title
    if job.author:
        document.metadata.authors = [job.author]
    if not document.metadata.lang:
        document.metadata.lang = "en-GB"
    return document.write_pdf(**options)


def main(fd: int) -> None:
    """Entry point of the renderer process: serve the socket `fd`."""
    serve(Connection(fd))


def serve(conn: Connection) -> None:
    """Convert jobs from `conn` until the parent closes it or goes away."""
    # Ctrl-C in a terminal reaches the whole process group; the parent
    # decides when this process ends, so it ignores the interrupt.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    collector = _NoteCollector()
    weasyprint_logger = logging.getLogger("weasyprint")
    weasyprint_logger.addHandler(collector)
    weasyprint_logger.setLevel(logging.WARNING)
    weasyprint_logger.propagate = False

    # Loaded before saying "ready", so the import does not count against the
    # first document's time limit.
    import weasyprint  # noqa: F401

    try:
        conn.send(("ready",))
        while True:
            message = conn.recv()
            if message[0] != "render":
                return
            _handle(message[1], conn, collector)
            # Drop the finished job's HTML before waiting for the next one.
            del message
    except (EOFError, BrokenPipeError, ConnectionResetError):
        # The parent has gone: there is nobody to render for.
        return


def _handle(job: RenderJob, conn: Connection, collector: _NoteCollector) -> None:
    collector.notes.clear()
    # The parent kills this process when the job overruns; the alarm ends it
    # anyway (SIGALRM's default action) if the parent disappeared meanwhile.
    signal.alarm(math.ceil(job.timeout) + ALARM_GRACE)
    try:
        pdf = _convert(job, conn)
    except Exception as error:  # anything WeasyPrint raises goes to the parent
        conn.send(("failed", f"{type(error).__name__}: {error}", collector.notes))
    else:
        peak_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        conn.send(("done", pdf, collector.notes, peak_rss_kb))
    finally:
        signal.alarm(0)
