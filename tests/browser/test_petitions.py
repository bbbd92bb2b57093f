"""Petitions in the browser, by keyboard: sign one without an account,
confirm from the e-mail received by the test SMTP server and see the count
rise; the clerk checks a new petition in the queue, sees one past its
threshold on the dashboard, puts it on an agenda and publishes the
response. Axe checks every page."""

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone
from playwright.sync_api import expect

from kcsp.roles import Role
from meetings.models import Petition
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.mailserver import links_in


def _path(url: str) -> str:
    return urlsplit(url).path


def _press(page: Any, role: str, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.focus()
        page.keyboard.press("Enter")


def _type(page: Any, label: str, text: str) -> None:
    page.get_by_label(label).focus()
    page.keyboard.type(text)


def test_sign_a_petition_and_the_clerks_queue_by_keyboard(
    page: Any, smtp_server: Any, settings: Any, live_server: Any
) -> None:
    settings.PORTAL_BASE_URL = live_server.url
    body = factories.body(accepts_petitions=True, petition_threshold=1)
    today = timezone.localdate()
    petition = Petition.objects.create(
        body=body,
        title="A safe route to Sandling school",
        request="We ask for a footpath along Sandling Lane.",
        name="Mrs Ivy Coldharbour",
        email="coldharbour@example.org",
        status=Petition.Status.OPEN,
        opens_on=today,
        closes_on=today + dt.timedelta(days=30),
    )
    to_check = Petition.objects.create(
        body=body,
        title="Benches in Mote Park",
        request="We ask for more benches.",
        name="Mr Ned Loose",
        email="loose@example.org",
        status=Petition.Status.CHECKING,
    )
    meeting = factories.coming_meeting(21, body)
    factories.section(meeting, "B", "Items for consideration")

    page.goto("/petitions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Petitions")
    assert_accessible(page)
    _press(page, "link", petition.title)
    expect(page.get_by_role("heading", level=1)).to_have_text(petition.title)
    assert_accessible(page)
    _press(page, "link", "Sign this petition")
    assert_accessible(page)
    # A bad postcode: the message, and what was typed stays.
    _type(page, "Your name", "Mr Lazarus Pemble")
    _type(page, "Your postcode", "nowhere")
    _type(page, "Your e-mail address", "pemble@example.org")
    _press(page, "button", "Send me a confirmation e-mail")
    expect(page.get_by_role("alert")).to_contain_text("Enter a UK postcode")
    expect(page.get_by_label("Your name")).to_have_value("Mr Lazarus Pemble")
    assert_accessible(page)
    page.get_by_label("Your postcode").fill("")
    _type(page, "Your postcode", "me15 6ld")
    _press(page, "button", "Send me a confirmation e-mail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(page)
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    page.goto(_path(link))
    assert_accessible(page)
    _press(page, "button", "Confirm")
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmed")
    assert_accessible(page)
    page.goto(petition.get_absolute_url())
    expect(page.get_by_text("1 signature", exact=True)).to_be_visible()
    expect(page.get_by_text("Pemble")).to_have_count(0)

    factories.user("clerk", Role.CLERK)
    sign_in(page, "clerk")
    page.goto("/manage/")
    expect(page.get_by_role("heading", name="Petitions that reached")).to_be_visible()
    assert_accessible(page)
    _press(page, "link", "Petitions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Petitions")
    assert_accessible(page)
    # Check the new one: publish it.
    _press(page, "link", to_check.title)
    assert_accessible(page)
    _press(page, "button", "Publish the petition")
    expect(page.get_by_role("status")).to_contain_text("published")
    assert_accessible(page)
    # The one past its threshold: on the agenda, then the response.
    page.goto(f"/manage/petitions/{petition.pk}/")
    expect(page.get_by_role("cell", name="Mr Lazarus Pemble")).to_be_visible()
    page.get_by_label("Meeting").focus()
    _press(page, "button", "Put on the agenda")
    expect(page.get_by_role("status")).to_contain_text("on the meeting's agenda")
    assert_accessible(page)
    _type(page, "Response (published with the petition)", "A footpath is planned.")
    _press(page, "button", "Publish the response")
    expect(page.get_by_role("status")).to_contain_text("response is published")
    assert_accessible(page)
    page.goto(petition.get_absolute_url())
    expect(page.get_by_text("A footpath is planned.")).to_be_visible()
    expect(page.get_by_text(meeting.when, exact=False).first).to_be_visible()
