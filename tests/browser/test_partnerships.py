"""The partnerships list and a partnership's page in Chromium: accessible,
with the logo described and the meetings of that partnership only."""

from typing import Any

from django.core.files.base import ContentFile

from agreement.services import strategic_assessment_record
from tests import factories
from tests.browser.helpers import assert_accessible


def test_partnership_pages_are_accessible(page: Any) -> None:
    county = factories.partnership()
    dover = factories.partnership("Dover", logo_text="Dover CSP: safer together")
    dover.logo.save("dover.png", ContentFile(factories.png_bytes()))
    board = factories.body("Dover Community Safety Board", partnership=dover)
    factories.meeting(board, start="2024-06-13T14:00")
    factories.meeting(board, start="2031-02-06T10:00")
    factories.body("Kent Community Safety Partnership", partnership=county)
    strategic_assessment_record(
        partnership=dover, year=2025, priorities=["Domestic Abuse", "Shoplifting"]
    )

    page.goto("/partnerships/")
    assert page.get_by_role("heading", level=1).inner_text() == "Partnerships"
    assert_accessible(page)

    page.get_by_role("link", name="Dover Community Safety Partnership").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Dover Community Safety Partnership"
    )
    logo = page.get_by_role("img", name="Dover CSP: safer together")
    width = logo.evaluate("img => img.decode().then(() => img.naturalWidth, () => 0)")
    assert width == 40
    assert page.get_by_role("link", name="Thursday, 13 June 2024, 2.00 pm").count()
    assert "Kent Community Safety Partnership" not in page.locator("main").inner_text()
    assert page.get_by_role("link", name="2025 strategic assessment").count() == 1
    assert_accessible(page)
