from decimal import Decimal
from typing import Any

from playwright.sync_api import expect

from meetings import services as meeting_services
from priorities import services
from tests import factories
from tests.agreement import factories as csa
from tests.browser.helpers import assert_accessible, sign_in


def _agreement() -> Any:
    agreement = csa.agreement()
    priorities = csa.with_priorities(agreement)
    csa.matrix(agreement)
    domestic = priorities[1]
    csa.plan_action(domestic, "Review refuge provision", rag="amber")
    csa.plan_action(domestic, "Share MARAC case data", is_public=False)
    csa.measure(
        domestic,
        "Domestic abuse incidents reported to the police",
        values=[("2009", 20100), ("2010", 21545)],
        target=Decimal(21000),
    )
    meeting = factories.meeting(start="2022-03-24T10:00")
    item = factories.item(factories.section(meeting), "Kent CSA Review and Refresh")
    meeting_services.agenda_publish(meeting=meeting)
    services.discussion_link(priority=domestic, agenda_item=item)
    return agreement


def test_public_agreement_and_priority_pages_are_accessible(page: Any) -> None:
    _agreement()
    page.goto("/agreement/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Kent Community Safety Agreement"
    )
    expect(
        page.get_by_role("img", name="Number of district partnerships naming")
    ).to_be_visible()
    assert_accessible(page)
    # The contents lead to each section; then on to a priority.
    page.get_by_role("link", name="3. Priority Leads").click()
    assert page.locator(":target h2").inner_text() == "3. Priority Leads"
    page.get_by_role("link", name="Domestic Abuse", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Domestic Abuse")
    expect(
        page.get_by_role("img", name="Domestic abuse incidents reported to the police")
    ).to_be_visible()
    expect(page.get_by_text("Review refuge provision")).to_be_visible()
    assert page.get_by_text("Share MARAC case data").count() == 0
    assert_accessible(page)


def test_changes_and_exception_report_are_accessible(page: Any, clerk: Any) -> None:
    import datetime as dt

    from agreement import services as agreement_services

    agreement = _agreement()
    draft = agreement_services.agreement_refresh(
        agreement=agreement,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    road = draft.priorities.get(slug="road-safety")
    services.priority_update(
        priority=road, name="Vision Zero road safety", description="Towards zero."
    )
    agreement_services.agreement_approve(
        agreement=draft, approved_on=dt.date(2012, 3, 22)
    )
    page.goto("/agreement/2012-13/changes/")
    expect(page.get_by_text("is now “Vision Zero road safety”")).to_be_visible()
    assert_accessible(page)
    sign_in(page, "clerk")
    page.goto("/priorities/exception-report/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Performance by exception"
    )
    assert_accessible(page)


def test_assessment_page_and_choosing_a_partnerships_priorities(page: Any) -> None:
    """The matrix leads to each district's assessment; the priorities page
    shows the county's by default and another partnership's by keyboard."""
    _agreement()
    page.goto("/agreement/")
    page.get_by_role("link", name="Dover CSP", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Strategic assessment 2010"
    )
    expect(
        page.get_by_role("heading", name="Priorities, highest first")
    ).to_be_visible()
    assert_accessible(page)
    page.goto("/priorities/")
    expect(page.get_by_text("the county partnership", exact=False)).to_be_visible()
    page.get_by_label("Partnership", exact=True).focus()
    page.get_by_label("Partnership", exact=True).select_option("dover")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community safety priorities of Dover Community Safety Partnership"
    )
    assert_accessible(page)
