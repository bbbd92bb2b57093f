from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from kcsp.roles import Role
from meetings import services
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in


def _press(page: Any, role: str, name: str) -> None:
    """Reach a control and activate it with the keyboard alone."""
    page.get_by_role(role, name=name).first.focus()
    page.keyboard.press("Enter")


def _press_and_load(page: Any, role: str, name: str) -> None:
    """As `_press`, for a control that loads a new page."""
    with page.expect_navigation():
        _press(page, role, name)


def test_clerk_drafts_and_publishes_minutes_from_the_keyboard(
    page: Any, browser: Any, live_server: Any
) -> None:
    factories.user("clerk", Role.CLERK)
    meeting = factories.meeting(start="2022-03-24T10:00", online=True)
    section = factories.section(meeting)
    factories.item(section, "Kent Community Safety Agreement Review and Refresh")
    services.agenda_publish(meeting=meeting)
    drafting = f"/meetings/{meeting.body.slug}/{meeting.url_key}/minutes/draft/"

    page.goto(f"/accounts/login/?next={drafting}")
    page.get_by_label("Username").focus()
    page.keyboard.type("clerk")
    page.keyboard.press("Tab")
    page.keyboard.type("a-long-test-password")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(drafting) and "login" not in url)
    assert_accessible(page)

    page.get_by_label("First minute number").fill("52")
    _press_and_load(page, "button", "Start minutes from the agenda")
    _press_and_load(page, "link", "Kent Community Safety Agreement Review and Refresh")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Minute 52")
    assert_accessible(page)

    _press(page, "button", "Add a paragraph")
    page.keyboard.type("Mr Peerbux introduced the report of the review and refresh.")
    _press(page, "button", "Add a paragraph")
    page.keyboard.type("Ms Brinson advised that VAWG would sit within the DA priority.")
    _press(page, "button", "Add a resolution")  # in the page: nothing reloads
    expect(page.locator("#resolution-0")).to_be_focused()
    page.keyboard.type(
        "the Kent Community Safety Partnership\n"
        "a) Consider and comment on the proposed changes.\n"
        "b) Agree the priorities and cross-cutting themes for 2022/23.\n"
        "c) Note the upcoming Scrutiny Committee arrangements."
    )
    _press_and_load(page, "button", "Save")
    expect(page.get_by_text("Minute 52 saved.")).to_be_visible()
    assert_accessible(page)

    _press_and_load(page, "link", "All minute items and attendance")
    _press_and_load(page, "button", "Publish as draft minutes")
    expect(page.get_by_text("Published as draft minutes")).to_be_visible()
    _press_and_load(page, "link", "Kent Community Safety Agreement Review and Refresh")
    expect(page.get_by_text("These draft minutes are public")).to_be_visible()
    expect(page.get_by_role("button", name="Save without publishing")).to_be_visible()
    assert_accessible(page)

    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(meeting.get_absolute_url())
    minutes = public.locator("#minutes")
    assert "Draft minutes - subject to approval" in minutes.inner_text()
    assert "52. Kent Community Safety Agreement Review and Refresh" in (
        minutes.inner_text()
    )
    paragraphs = minutes.locator(".minute-paragraphs > li").all_inner_texts()
    assert paragraphs == [
        "Mr Peerbux introduced the report of the review and refresh.",
        "Ms Brinson advised that VAWG would sit within the DA priority.",
    ]
    parts = minutes.locator(".resolution-parts li").all_inner_texts()
    assert [p[:3] for p in parts] == ["a) ", "b) ", "c) "]
    assert "RESOLVED that the Kent Community Safety Partnership" in minutes.inner_text()
    assert_accessible(public)
    public.context.close()


def test_without_script_an_added_resolution_opens_with_the_keyboard_on_it(
    browser: Any, live_server: Any
) -> None:
    factories.user("clerk", Role.CLERK)
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting), "Zero Casualty Strategy Update")
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, "clerk")
    page.goto(
        f"/meetings/{meeting.body.slug}/{meeting.url_key}/minutes/draft/items/{item.pk}/"
    )
    _press_and_load(page, "button", "Add a paragraph")
    expect(page.locator("#paragraph-0")).to_be_focused()
    page.keyboard.type("Mr McMullan updated Members on Vision Zero.")
    _press_and_load(page, "button", "Add a resolution")
    expect(page.locator("#resolution-0")).to_be_focused()
    assert page.get_by_label("Paragraph 1").input_value() == (
        "Mr McMullan updated Members on Vision Zero."
    )
    context.close()


def test_autosave_saves_while_typing(page: Any) -> None:
    factories.user("clerk", Role.CLERK)
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting), "Zero Casualty Strategy Update")
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("clerk")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(
        f"/meetings/{meeting.body.slug}/{meeting.url_key}/minutes/draft/items/{item.pk}/"
    )
    _press(page, "button", "Add a paragraph")
    page.keyboard.type("Mr McMullan updated Members on Vision Zero.")
    page.get_by_text("Saved at").wait_for(timeout=10_000)
    item.refresh_from_db()
    assert [p.text for p in item.paragraphs.all()] == [
        "Mr McMullan updated Members on Vision Zero."
    ]
    assert page.locator("#version").input_value() == str(item.version)


def test_compare_versions_reads_the_change_in_words(page: Any, clerk: Any) -> None:
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting), "Kent CSA Review and Refresh")
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    for version, paragraph in enumerate(
        ["Ms Brinson outlined the review.", "Ms Brinson explained the review."],
        start=item.version,
    ):
        item = services.minute_item_save(
            item=item,
            version=version,
            title=item.title,
            paragraphs=[paragraph],
            resolutions=[],
        )
    sign_in(page, "clerk")
    page.goto(
        reverse(
            "meetings:minutes_item_compare",
            args=[meeting.body.slug, meeting.url_key, item.pk],
        )
    )
    changed = page.locator(".diff__row--changed")
    # Seen: struck-through and underlined words; heard: what was done to them.
    expect(changed.locator("del")).to_have_text("[removed: outlined]")
    expect(changed.locator("ins")).to_have_text("[added: explained]")
    expect(changed.locator("del")).to_have_css("text-decoration-line", "line-through")
    assert_accessible(page)
