"""Search, the decisions register and the header at a phone's width, in the
browser with axe (WCAG 2.2 AA)."""

from typing import Any

from playwright.sync_api import expect

from meetings import services
from tests import factories
from tests.browser.helpers import assert_accessible
from tests.meetings.minutes_factories import agenda, write


def _decided() -> Any:
    meeting = factories.meeting(start="2022-03-24T10:00")
    agenda(meeting, ["Domestic abuse services"])
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(
        minutes.items.get(),
        ["Members heard about domestic abuse services."],
        "RESOLVED that the domestic abuse services report be noted.",
    )
    services.minutes_publish_draft(minutes=minutes)
    return meeting


def test_search_from_the_header_and_filter_by_keyboard(page: Any) -> None:
    _decided()
    page.goto("/")
    page.get_by_label("Search", exact=True).fill("domestic abuse")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=domestic+abuse")
    expect(
        page.get_by_role("heading", level=2, name="for “domestic abuse”")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Decisions").check()
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("checkbox", name="Decisions")).to_be_checked()
    assert_accessible(page)


def test_decisions_register_is_accessible(page: Any) -> None:
    _decided()
    page.goto("/decisions/")
    expect(page.get_by_text("domestic abuse services report be noted")).to_be_visible()
    assert_accessible(page)


def test_no_page_scrolls_sideways_at_400_per_cent_zoom(page: Any) -> None:
    """320 pixels wide: a 1,280 pixel screen zoomed to 400% (WCAG 1.4.10)."""
    _decided()
    page.set_viewport_size({"width": 320, "height": 800})
    for address in ("/", "/search/?q=domestic", "/decisions/", "/meetings/"):
        page.goto(address)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (address, width)
        header = page.locator(".site-header").bounding_box()
        assert header is not None and header["height"] < 800 / 4, address
    assert_accessible(page)
