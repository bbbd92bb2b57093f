from typing import Any

from tests.browser.helpers import assert_accessible


def test_api_guide_has_no_accessibility_violations(page: Any) -> None:
    response = page.goto("/api/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).inner_text() == "Open data API"
    assert_accessible(page)
