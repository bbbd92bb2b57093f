"""Running WeasyPrint in child processes, so a slow document can be stopped.

WeasyPrint cannot be interrupted from another thread, so each conversion runs
in a renderer process (see `kcsp.pdf.worker`). Starting one costs about a
second (mostly importing WeasyPrint), so a renderer is kept and reused for
later documents; a conversion on a warm renderer costs only a few socket
round trips on top of WeasyPrint's own time.

When a conversion overruns its time limit the renderer is killed (SIGKILL,
then reaped), so no stuck process is left behind, and a replacement is started
at once so the next document does not wait for the start-up. A renderer exits
by itself when its socket to this process closes, so renderers never outlive
the process that started them, and it stops itself shortly after the time
limit of a job in case this process vanished in the middle of one.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path

from kcsp.pdf.errors import FetchRefused, PdfRenderError, PdfRenderTimeout
from kcsp.pdf.worker import RenderJob

logger = logging.getLogger(__name__)
weasyprint_logger = logging.getLogger("weasyprint")

# Starting a renderer takes about a second; this bound only catches one that
# can never start (a broken installation), and is separate from the
# per-document limit so a cold start does not eat into a document's time.
STARTUP_TIMEOUT = 60.0

# Renderers per process (web worker or task worker). Conversion is CPU-bound,
# so more renderers than cores would not finish documents sooner.
MAX_RENDERERS = 2

# A renderer is replaced after this many documents, or once its peak memory
# passes this size, so memory held by WeasyPrint's caches or by one very large
# document is given back rather than kept for the life of the web process.
MAX_JOBS_PER_RENDERER = 200
MAX_PEAK_RSS_KB = 512 * 1024


# Answers a renderer's request for a URL with (body, MIME type), or raises
# FetchRefused.
Fetch = Callable[[str], tuple[bytes, str]]


class _Renderer:
    """One renderer process and the parent's end of its socket."""

    def __init__(self) -> None:
        parent_end, child_end = socket.socketpair()
        with child_end:
            # A fixed command (this interpreter, this package), not
            # multiprocessing: its "spawn" re-imports the parent's main
            # script, which breaks scripts without a __main__ guard and costs
            # a second in the test runner.
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", _CHILD_COMMAND, str(child_end.fileno())],
                pass_fds=(child_end.fileno(),),
                stdin=subprocess.DEVNULL,
                env=_child_environment(),
            )
        self.conn = Connection(parent_end.detach())
        self.ready = False
        self.healthy = True
        self.jobs = 0
        self.peak_rss_kb = 0

    @property
    def worn_out(self) -> bool:
        return self.jobs >= MAX_JOBS_PER_RENDERER or self.peak_rss_kb >= MAX_PEAK_RSS_KB

    def is_alive(self) -> bool:
        return self.process.poll() is None

    def wait_until_ready(self) -> None:
        if self.ready:
            return
        try:
            started = self.conn.poll(STARTUP_TIMEOUT) and self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            started = False
        if not started:
            self.healthy = False
            raise PdfRenderError(
                "The PDF renderer could not be started. Check that WeasyPrint "
                "and its fonts are installed."
            )
        self.ready = True

    def exit_code(self) -> int | None:
        try:
            return self.process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        """Let an idle renderer exit on its own (it sees its socket close)."""
        self.conn.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """End the renderer at once, whatever it is doing, and reap it."""
        self.conn.close()
        if self.is_alive():
            self.process.kill()
        self.process.wait()


_CHILD_COMMAND = "import sys; from kcsp.pdf.worker import main; main(int(sys.argv[1]))"


def _child_environment() -> dict[str, str]:
    # The renderer must import this package even when it is run from a
    # checkout rather than installed.
    project = str(Path(__file__).resolve().parents[2])
    paths = [project, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


class _RendererPool:
    """The renderers of this process: at most MAX_RENDERERS, reused."""

    def __init__(self) -> None:
        self._setup()
        # A process forked from this one (gunicorn's workers with
        # --preload) inherits this object but not the renderers, which stay
        # children of the original process: the copy starts empty.
        os.register_at_fork(after_in_child=self._forget_inherited)

    def _setup(self) -> None:
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_RENDERERS)
        self._idle: list[_Renderer] = []

    def _forget_inherited(self) -> None:
        for renderer in self._idle:
            renderer.conn.close()
        self._setup()

    @contextmanager
    def renderer(self, *, wait: float) -> Iterator[_Renderer]:
        """Lend a renderer; a healthy one goes back, any other is replaced."""
        if not self._slots.acquire(timeout=wait):
            raise PdfRenderTimeout(
                f"No PDF renderer became free within {wait:g} seconds: the "
                "portal is producing other PDFs. Try again shortly."
            )
        try:
            renderer = self._take_idle() or _Renderer()
            try:
                yield renderer
            finally:
                self._give_back(renderer)
        finally:
            self._slots.release()

    def _take_idle(self) -> _Renderer | None:
        with self._lock:
            while self._idle:
                renderer = self._idle.pop()
                if renderer.is_alive():
                    return renderer
                # It died while idle (for example killed for memory).
                renderer.kill()
        return None

    def _give_back(self, renderer: _Renderer) -> None:
        if renderer.healthy and not renderer.worn_out:
            replacement = renderer
        else:
            if renderer.healthy:
                renderer.stop()
            else:
                renderer.kill()
            try:
                # Started now, it is ready by the time the next document
                # comes, instead of that document waiting for the start-up.
                replacement = _Renderer()
            except OSError:
                logger.exception("Could not start a spare PDF renderer")
                return
        with self._lock:
            self._idle.append(replacement)


pool = _RendererPool()


def convert(*, job: RenderJob, fetch: Fetch, timeout: float) -> bytes:
    """Convert `job` in a renderer process and return the PDF bytes.

    Raises PdfRenderTimeout if the conversion (including the URLs it reads)
    takes longer than `timeout` seconds, and PdfRenderError if WeasyPrint
    fails or the renderer stops unexpectedly. Either way no process is left
    running the document.
    """
    with pool.renderer(wait=timeout) as renderer:
        renderer.wait_until_ready()
        # Until the job finishes cleanly, the renderer is presumed stuck or
        # dead, so any way out of this block (including an exception in
        # `fetch` or a KeyboardInterrupt) kills it.
        renderer.healthy = False
        started = time.monotonic()
        deadline = started + timeout
        try:
            renderer.conn.send(("render", job))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not renderer.conn.poll(remaining):
                    raise PdfRenderTimeout(
                        f'The PDF "{job.title}" took longer than {timeout:g} '
                        "seconds to produce, so it was stopped."
                    )
                message = renderer.conn.recv()
                if message[0] == "fetch":
                    _answer_fetch(renderer, message[1], fetch)
                    continue
                renderer.healthy = True
                renderer.jobs += 1
                _log_notes(message[2], job)
                if message[0] == "failed":
                    raise PdfRenderError(
                        f'The PDF "{job.title}" could not be made: {message[1]}'
                    )
                pdf: bytes = message[1]
                renderer.peak_rss_kb = message[3]
                logger.debug(
                    'Rendered "%s": %d bytes in %.2f s (renderer peak memory %d MB)',
                    job.title,
                    len(pdf),
                    time.monotonic() - started,
                    renderer.peak_rss_kb // 1024,
                )
                return pdf
        except (EOFError, OSError) as error:
            raise PdfRenderError(
                f'The PDF renderer stopped unexpectedly while producing "{job.title}" '
                f"(exit code {renderer.exit_code()})."
            ) from error


def _answer_fetch(renderer: _Renderer, url: str, fetch: Fetch) -> None:
    try:
        body, mime_type = fetch(url)
    except FetchRefused as refusal:
        renderer.conn.send(("refused", str(refusal)))
    else:
        renderer.conn.send(("fetched", body, mime_type))


def _log_notes(notes: list[tuple[int, str]], job: RenderJob) -> None:
    for level, note in notes:
        weasyprint_logger.log(level, 'While producing "%s": %s', job.title, note)
