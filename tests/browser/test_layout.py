from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible


def test_home_page_renders(page: Any) -> None:
    response = page.goto("/")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "en-GB"
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Kent Community Safety Partnership"
    )


def test_skip_link_is_first_and_moves_focus_to_main(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    expect(page.locator(".skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    assert page.url.endswith("#main-content")


def test_home_page_has_no_accessibility_violations(page: Any) -> None:
    page.goto("/")
    assert_accessible(page)


def test_accessibility_statement_and_sign_in_have_no_violations(page: Any) -> None:
    for url in ("/accessibility/", "/privacy/", "/accounts/login/"):
        page.goto(url)
        assert_accessible(page)


def test_pages_work_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    context.close()
