"""The redaction screen in the browser: by keyboard, with and without
JavaScript, with axe (WCAG 2.2 AA)."""

import re
from typing import Any

from playwright.sync_api import expect

from kcsp.roles import Role
from meetings import services
from meetings.models import Meeting, Redaction
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.meetings.minutes_factories import write
from tests.meetings.pdf_helpers import minutes_meeting

PASSAGE = "Mr Barnaby Quillfeather of Mill Lane"


def _named_minutes() -> Meeting:
    meeting = minutes_meeting()
    item = meeting.minutes.items.order_by("order").first()
    meeting.minutes.status = "draft"
    meeting.minutes.save()
    write(item, [f"{PASSAGE} asked about speeding on the high street."])
    services.minutes_publish_draft(minutes=meeting.minutes)
    return meeting


def _press_and_load(page: Any, role: str, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.focus()
        page.keyboard.press("Enter")


def _redact(page: Any, meeting: Meeting, *, axe: bool = True) -> None:
    """Redact the passage by keyboard; axe checks each page, where it can run
    (it needs the page's JavaScript)."""

    def check() -> None:
        if axe:
            assert_accessible(page)

    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/")
    _press_and_load(page, "link", "Redact a passage from the published minutes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Redact a passage")
    check()

    _press_and_load(page, "button", "Continue")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check()

    page.get_by_label("Redact from").select_option(
        label=str(meeting.minutes.items.order_by("order").first())
    )
    page.get_by_label("The passage to redact").fill("mr barnaby quillfeather")
    page.get_by_label("Why it is redacted").fill("personal information")
    _press_and_load(page, "button", "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what will change")
    expect(
        page.get_by_text("[redacted: personal information] of Mill Lane")
    ).to_be_visible()
    check()

    _press_and_load(page, "button", "Confirm: redact the passage")
    expect(page.get_by_text("The passage is redacted from minute 51")).to_be_visible()
    check()


def test_a_clerk_redacts_a_passage_by_keyboard(page: Any) -> None:
    factories.user("clerk", Role.CLERK)
    meeting = _named_minutes()
    _redact(page, meeting)

    page.goto(meeting.get_absolute_url())
    expect(
        page.get_by_text("[redacted: personal information] of Mill Lane")
    ).to_be_visible()
    assert "Quillfeather" not in page.content()
    assert Redaction.objects.get().passage == "mr barnaby quillfeather"


def test_the_screen_works_without_javascript(browser: Any, live_server: Any) -> None:
    factories.user("clerk", Role.CLERK)
    meeting = _named_minutes()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    try:
        _redact(context.new_page(), meeting, axe=False)
    finally:
        context.close()
    assert Redaction.objects.count() == 1
