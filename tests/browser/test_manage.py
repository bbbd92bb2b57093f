"""The clerk's workspace in the browser, by keyboard, with axe (WCAG 2.2 AA)."""

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kcsp.formatting import meeting_when
from kcsp.roles import Role
from kcsp.visibility import ExemptParagraph, Visibility
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in


def _press_and_load(page: Any, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.focus()
        page.keyboard.press("Enter")


def test_clerk_publishes_then_withdraws_an_agenda_from_the_workspace(
    page: Any,
) -> None:
    factories.user("clerk", Role.CLERK)
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
    section = factories.section(meeting)
    report = factories.item(section, "Community Safety Agreement")
    factories.item(
        section,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    factories.document(meeting, report, title="Agreement refresh")

    sign_in(page, "clerk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clerk's workspace")
    assert_accessible(page)
    _press_and_load(page, "link", "Publish the agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        meeting_when(meeting.start)
    )
    assert_accessible(page)
    _press_and_load(page, "link", "Publish the agenda")
    expect(page.get_by_text("Exempt items: title and paragraph only")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Publish the agenda and its papers")
    expect(page.get_by_text("The agenda and its papers are published.")).to_be_visible()
    assert_accessible(page)

    _press_and_load(page, "link", "Withdraw the agenda")
    assert_accessible(page)
    _press_and_load(page, "button", "Withdraw the agenda")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why the agenda is withdrawn").fill("Published too early.")
    _press_and_load(page, "button", "Withdraw the agenda")
    expect(
        page.get_by_text("The agenda is withdrawn from public view.")
    ).to_be_visible()
    assert_accessible(page)


def test_a_year_of_meetings_by_keyboard(page: Any) -> None:
    factories.user("clerk", Role.CLERK)
    body = factories.body()
    sign_in(page, "clerk")
    _press_and_load(page, "link", f"Plan a year of meetings of {body.name}")
    assert_accessible(page)
    page.get_by_label("Year").fill("2027")
    page.get_by_label("March").check()
    page.get_by_label("Which week").select_option("Second")
    page.get_by_label("Day").select_option("Thursday")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Held online (or also online)").check()
    _press_and_load(page, "button", "Show the dates")
    expect(page.get_by_text("Thursday, 11 March 2027, 10.00 am")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Create these meetings")
    expect(page.get_by_text("1 meeting of Kent Community Safety")).to_be_visible()


def test_declarations_page_is_accessible_with_and_without_errors(page: Any) -> None:
    from meetings.models import Attendance

    factories.user("clerk", Role.CLERK)
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting), "Community Safety Agreement")
    hill = factories.person("Hill", initials="P M")
    Attendance.objects.create(meeting=meeting, person=hill, kind="present")
    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/declarations/")
    assert_accessible(page)
    _press_and_load(page, "button", "Record the declaration")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who declared it").select_option(label=hill.formal_name)
    page.get_by_label("The nature of the interest").fill("A school governor")
    _press_and_load(page, "button", "Record the declaration")
    expect(page.get_by_text("A school governor")).to_be_visible()
    assert_accessible(page)
