"""Browser tests: Playwright driving Debian's Chromium against a live server.

Chromium comes from Debian (`apt-get install chromium`); Playwright's own
browser downloads are never used. Without Chromium the tests skip with that
message, unless REQUIRE_SERVICES=1 (CI), where they fail instead.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import service_missing

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install Debian's package "
            "'chromium' (apt-get install chromium) to run the browser tests."
        )
        service_missing(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the main thread; the test's
    # own ORM calls run there too and are safe, being synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="Europe/London",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
