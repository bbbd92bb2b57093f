"""Steps shared by browser tests."""

from typing import Any

from tests.browser.conftest import WCAG_22_AA


def sign_in(page: Any, username: str, password: str = "a-long-test-password") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def assert_accessible(page: Any) -> None:
    """axe-core finds no WCAG 2.2 A/AA (or best-practice) violations, and no
    two elements share an id (a label for one would name the other)."""
    from axe_playwright_python.sync_playwright import Axe

    shared = page.evaluate(
        """() => {
          const seen = new Set(), shared = new Set();
          for (const el of document.querySelectorAll("[id]")) {
            (seen.has(el.id) ? shared : seen).add(el.id);
          }
          return [...shared];
        }"""
    )
    assert shared == [], f"ids used more than once on {page.url}: {shared}"

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    )
    assert results.violations_count == 0, results.generate_report()
