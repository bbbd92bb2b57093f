"""E-mail alerts in the browser: ask for one from a committee's page, confirm
it from the e-mail received by the test SMTP server, get an alert, and
unsubscribe; axe on every page on the way."""

from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect

from kcsp.alerts.sending import alerts_send
from kcsp.models import Subscriber
from meetings import services
from tests import factories
from tests.browser.helpers import assert_accessible
from tests.mailserver import links_in


def _path(url: str) -> str:
    return urlsplit(url).path


def test_subscribe_confirm_and_unsubscribe(
    page: Any, smtp_server: Any, settings: Any, live_server: Any
) -> None:
    settings.PORTAL_BASE_URL = live_server.url
    body = factories.body()
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="Get e-mail alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Get e-mail alerts")
    assert_accessible(page)
    # Nothing typed: the error summary names the field, and the choices stay.
    page.get_by_role("button", name="Send me a confirmation e-mail").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter your e-mail address.")
    expect(page.get_by_role("checkbox", name="New agendas")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("Your e-mail address").fill("resident@example.org")
    page.get_by_role("radio", name="A daily summary").check()
    page.get_by_role("radio", name="As soon as it is published").check()
    page.get_by_role("button", name="Send me a confirmation e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(page)
    assert not Subscriber.objects.exists()

    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    page.goto(_path(link))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail alerts")
    expect(page.get_by_role("status")).to_contain_text("Your alert is confirmed.")
    assert_accessible(page)

    meeting = factories.coming_meeting(20, body)
    factories.item(factories.section(meeting), "Kent Community Safety Agreement")
    services.agenda_publish(meeting=meeting)
    assert alerts_send().sent == 1
    alert = smtp_server.messages[-1]
    manage = [x for x in links_in(alert) if "/alerts/manage/" in x]
    page.goto(_path(manage[0]))
    expect(page.get_by_role("heading", level=2, name=body.name)).to_be_visible()
    page.get_by_role("button", name="Delete my address and all alerts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alerts are stopped")
    assert_accessible(page)
    assert not Subscriber.objects.exists()
    # The link of the old e-mail now says what happened.
    page.goto(_path(str(alert["List-Unsubscribe"]).strip("<>")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This address has no alerts"
    )
    assert_accessible(page)
