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
    """axe-core finds no WCAG 2.2 A/AA (or best-practice) violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}}
    )
    assert results.violations_count == 0, results.generate_report()
