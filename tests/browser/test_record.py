"""The council's record in the browser, with axe (WCAG 2.2 AA): a body's
attendance statistics, and the clerk's screen for recording a vote."""

from typing import Any

from django.urls import reverse
from playwright.sync_api import expect

from kcsp.roles import Role
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.meetings.test_attendance_statistics import partnership  # noqa: F401
from tests.meetings.test_votes import voting  # noqa: F401


def test_attendance_page_is_accessible_and_offers_years_terms_and_csv(
    page: Any,
    partnership: Any,  # noqa: F811
) -> None:
    body, _, _ = partnership
    page.goto(reverse("meetings:body", args=[body.slug]))
    page.get_by_role("link", name="Attendance: each member and partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance")
    page.get_by_role("link", name="2022 to 2023").click()
    row = page.get_by_role("row", name="Mr P M Hill")
    expect(row).to_contain_text("50%")
    assert_accessible(page)

    # A term typed backwards is explained, by keyboard, and the page stays usable.
    page.get_by_label("From", exact=True).fill("2022-12-31")
    page.get_by_label("To", exact=True).fill("2022-01-01")
    page.get_by_role("button", name="Show the term").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        "The first date of the term must come before the last."
    )
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")


def test_clerk_records_a_vote_by_keyboard(page: Any, voting: Any) -> None:  # noqa: F811
    meeting, resolution, _ = voting
    factories.user("clerk", Role.CLERK)
    sign_in(page, "clerk")
    page.goto(
        reverse("manage:vote", args=[meeting.body.slug, meeting.url_key, resolution.pk])
    )
    page.get_by_label("Counted: the numbers for").check()
    page.locator("#id_votes_for").fill("9")
    page.get_by_role("button", name="Save the vote").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(page)
    page.locator("#id_votes_for").fill("3")
    page.locator("#id_votes_against").fill("1")
    page.locator("#id_votes_abstained").fill("0")
    page.get_by_role("button", name="Save the vote").press("Enter")
    expect(page.get_by_text("Vote on minute 51 saved.")).to_be_visible()
    expect(page.locator("#votes")).to_contain_text("3 for, 1 against, 0 abstained")
