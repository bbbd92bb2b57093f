"""The coordinator's dashboard and case page, and the public list of reviews,
in a real browser with axe-core checking WCAG 2.2 AA."""

from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from dhr import services
from kcsp.roles import Role
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.dhr import factories as dhr


def test_coordinator_dashboard_case_and_learning_are_accessible(page: Any) -> None:
    kfrs = factories.organisation("Kent Fire and Rescue Service", short_name="KFRS")
    factories.user("coordinator", Role.DHR_COORDINATOR)
    case = dhr.approved_case("TEST 2026/01")
    recommendation = dhr.recommendation(case, themes=(dhr.theme(),))
    dhr.agency_action(recommendation, kfrs, "Fire safety visit checklist")
    dhr.case("TEST 2026/02")

    sign_in(page, "coordinator")
    page.goto("/dhr/cases/")
    expect(
        page.get_by_role("heading", name="Domestic Homicide Review cases")
    ).to_be_visible()
    expect(page.get_by_role("link", name="TEST 2026/01")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="TEST 2026/01").click()
    expect(page.get_by_role("heading", name="Recommendation 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_role("button", name="Add recommendation").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Recommendation").fill("Agencies share risk information.")
    page.get_by_role("button", name="Add recommendation").click()
    expect(page.get_by_text("Recommendation 2 added.")).to_be_visible()
    page.goto("/dhr/learning/")
    expect(page.get_by_role("img", name="Reviews by learning theme")).to_be_visible()
    assert_accessible(page)
    page.goto("/dhr/funding/")
    assert_accessible(page)
    assert case.recommendations.count() == 2


def test_public_list_and_review_are_accessible(page: Any) -> None:
    kfrs = factories.organisation("Kent Fire and Rescue Service", short_name="KFRS")
    case = dhr.approved_case()
    dhr.agency_action(dhr.recommendation(case), kfrs, "Fire safety visit checklist")
    dhr.document(case)
    services.case_publish(
        case=case,
        by=dhr._coordinator(),
        published_on=timezone.localdate(),
        pseudonym="Juniper",
        year=2025,
        action_plan_public=True,
    )
    page.goto("/dhr/")
    expect(page.get_by_role("link", name="Juniper 2025")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Juniper 2025").click()
    expect(page.get_by_role("heading", name="Juniper 2025")).to_be_visible()
    expect(page.get_by_role("link", name="Executive summary")).to_be_visible()
    assert_accessible(page)
    page.goto("/")
    expect(page.get_by_role("link", name="Juniper 2025")).to_be_visible()
    assert_accessible(page)
