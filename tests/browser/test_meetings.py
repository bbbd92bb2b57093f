from typing import Any

from playwright.sync_api import expect

from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Membership
from tests import factories
from tests.browser.helpers import assert_accessible


def _published_meeting() -> Any:
    body = factories.body("Crime and Disorder Committee", shows_political_groups=True)
    Membership.objects.create(
        body=body,
        person=factories.person("Tweed", initials="E M", title="Mrs"),
        role="chair",
        political_group="Conservative",
    )
    meeting = factories.meeting(body, start="2011-07-08T14:00")
    a = factories.section(meeting, "A", "Committee Business")
    b = factories.section(meeting, "B", "Items for consideration")
    factories.item(a, "Substitutes")
    agreement = factories.item(
        b,
        "Community Safety Agreement 2011-14",
        page_from=9,
        page_to=30,
        presenter="Mr S Beaumont",
    )
    factories.item(
        b,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    factories.document(meeting, agreement, title="Kent Community Safety Agreement")
    services.agenda_publish(meeting=meeting)
    return meeting


def test_public_meeting_page_is_accessible_and_links_papers(page: Any) -> None:
    meeting = _published_meeting()
    page.goto(meeting.get_absolute_url())
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Friday, 8 July 2011, 2.00 pm"
    )
    expect(
        page.get_by_text("Exempt: paragraph 1 of Part 1 of Schedule 12A")
    ).to_be_visible()
    assert_accessible(page)
    with page.expect_response(lambda r: "/documents/" in r.url) as info:
        page.get_by_role("link", name="Kent Community Safety Agreement").click()
    assert info.value.status == 200
    assert info.value.headers["content-type"] == "application/pdf"


def test_meeting_list_and_committee_pages_are_accessible(page: Any) -> None:
    meeting = _published_meeting()
    page.goto("/meetings/")
    assert_accessible(page)
    page.get_by_label("Committee or board").select_option(meeting.body.slug)
    page.get_by_label("Year").fill("2011")
    page.get_by_role("button", name="Show meetings").click()
    assert "1 meeting" in page.get_by_role("heading", name="1 meeting").inner_text()
    page.get_by_role("link", name="Friday, 8 July 2011, 2.00 pm").click()
    page.wait_for_url("**" + meeting.get_absolute_url())
    page.goto("/committees/")
    assert_accessible(page)
    page.get_by_role("link", name="Crime and Disorder Committee").click()
    expect(page.get_by_text("Mrs E M Tweed (Chairman)")).to_be_visible()
    assert_accessible(page)


def test_agenda_can_be_reached_by_keyboard(page: Any) -> None:
    meeting = _published_meeting()
    page.goto(meeting.get_absolute_url())
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == (
            "Kent Community Safety Agreement"
        ):
            break
    else:
        raise AssertionError("The paper's link was never reached with Tab")
