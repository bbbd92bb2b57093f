"""Councillor Calls for Action in the browser: the clerk records a call,
is told what is missing without losing what was typed, puts it on a
meeting's agenda and records the outcome; the public page then shows its
stages. Axe on every page."""

import datetime as dt
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kcsp.roles import Role
from meetings import services
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in

TITLE = "Speeding on Quarry Hill Road"


def test_the_clerk_records_a_call_and_the_public_read_it(page: Any) -> None:
    committee = factories.body(
        "Crime and Disorder Committee", kind="scrutiny_committee"
    )
    factories.person("Quennell", title="Councillor", initials="A B")
    meeting = factories.coming_meeting(-3, committee)
    factories.item(factories.section(meeting, "A", "Committee business"), "Apologies")
    received = timezone.localdate() - dt.timedelta(weeks=5)

    factories.user("clerk", Role.CLERK)
    sign_in(page, "clerk")
    page.goto("/manage/")
    page.get_by_role("main").get_by_role(
        "link", name="Councillor Calls for Action"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Councillor Calls for Action"
    )
    assert_accessible(page)
    page.get_by_role("link", name="Record a call received").click()
    page.get_by_label("Member making the call").select_option(
        label="Councillor A B Quennell"
    )
    page.get_by_label("Ward, division or area").fill("Tonbridge North division")
    page.get_by_label("Short name of the matter").fill(TITLE)
    page.get_by_label("The crime and disorder matter").fill(
        "Cars race along the road at night."
    )
    page.get_by_role("button", name="Record the call as received").click()
    # Missing: what was tried and the date; what was typed stays.
    expect(page.get_by_role("alert")).to_contain_text("What the member has tried")
    expect(page.get_by_label("Short name of the matter")).to_have_value(TITLE)
    assert_accessible(page)
    page.get_by_label("What the member has tried already").fill(
        "Asked for a speed survey in the spring."
    )
    page.get_by_label("Date received").fill(received.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Record the call as received").click()
    expect(page.get_by_role("status")).to_contain_text("recorded as received")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("The public cannot read this call yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Or add an item to the agenda of").select_option(
        label=meeting.when
    )
    page.get_by_role("button", name="Put the call on the agenda").click()
    expect(page.get_by_role("status")).to_contain_text("updated")
    assert_accessible(page)
    services.agenda_publish(meeting=meeting)
    page.get_by_label("Recommendations made").check()
    page.get_by_label("What the committee decided").fill(
        "Recommended that the county council install a speed camera."
    )
    page.get_by_label("Date of the decision").fill(
        meeting.start.date().strftime("%d/%m/%Y")
    )
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_role("status")).to_contain_text("updated")
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto("/calls-for-action/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Councillor Calls for Action"
    )
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Outcome: Recommendations made")).to_be_visible()
    expect(page.get_by_text("install a speed camera")).to_be_visible()
    assert_accessible(page)
