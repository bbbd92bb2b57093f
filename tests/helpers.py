"""Assertions shared across the test tree."""

import os
import time
import tracemalloc
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, NoReturn

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

# The Redis server tests of the shared cache use (the `redis_server` fixture).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def queries_for(client: Client, url: str) -> int:
    """How many SQL queries one GET of `url` costs (and that it succeeds)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def text(response: Any) -> str:
    return response.content.decode()


def is_public(action: Any) -> bool:
    """Whether the public sees this action, as its source says today."""
    from kcsp.models import Action

    return Action.objects.public().filter(pk=action.pk).exists()


def peak_extra_memory[T](call: Callable[[], T]) -> tuple[T, int]:
    """What `call` returns, and the most memory (in bytes) it held at once
    beyond what was in use before it."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak - before


def service_missing(message: str) -> NoReturn:
    """A test needs a service this machine lacks (Redis, Chromium): it is
    skipped with `message`, or fails with it when REQUIRE_SERVICES=1, as CI
    sets, so that CI runs every test production needs and skips none."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def words(response: Any) -> str:
    """A page's text as a reader hears it: tags out, white space folded."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def pdf_failures() -> list[Any]:
    """Each kind of error a PDF build may raise (every one a PdfError), for
    tests that the reader is answered the same way whichever it is."""
    from kcsp.pdf import InvalidPdfError, PdfRenderError, PdfRenderTimeout

    return [
        pytest.param(PdfRenderTimeout("too slow"), id="timeout"),
        pytest.param(PdfRenderError("the renderer stopped"), id="render"),
        pytest.param(InvalidPdfError("not a PDF"), id="invalid"),
    ]


def pdf_failing(monkeypatch: pytest.MonkeyPatch, module: Any, error: Exception) -> None:
    """Make `module`'s render_pdf raise `error`."""

    def fail(**kwargs: Any) -> bytes:
        raise error

    monkeypatch.setattr(module, "render_pdf", fail)


def assert_pdf_unavailable(response: Any, back: str) -> None:
    """The page for a PDF that could not be made: 503 (never a 500) with
    Retry-After, saying so, and linking back to `back`."""
    from kcsp import documents

    assert response.status_code == 503
    assert response["Retry-After"] == str(documents.RETRY_AFTER)
    page = text(response)
    assert "The PDF could not be made just now" in page
    assert f'href="{back}"' in page


def links_read_later(monkeypatch: pytest.MonkeyPatch, *, hours: int) -> None:
    """From now on the portal reads every signed link as if `hours` had
    passed since it was made."""
    now = time.time
    later = SimpleNamespace(time=lambda: now() + hours * 3600)
    monkeypatch.setattr(signing, "time", later)


def assert_link_problem(response: Any, *, status: int, says: str, onward: str) -> None:
    """A confirmation link's problem page: its status, what happened, and
    the link onward to where the reader starts again."""
    assert response.status_code == status, response.content.decode()
    assert says in words(response)
    assert f'href="{onward}"' in response.content.decode()
