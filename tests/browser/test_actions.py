import datetime as dt
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from kcsp import services as action_services
from kcsp.roles import Role
from meetings import services
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in


def test_partner_updates_their_action_and_clerk_puts_it_on_the_agenda(
    page: Any, browser: Any, live_server: Any, tmp_path: Path
) -> None:
    kfrs = factories.organisation("Kent Fire and Rescue Service", short_name="KFRS")
    police = factories.organisation("Kent Police", short_name="Kent Police")
    factories.user("partner", Role.PARTNER_OFFICER, organisation_obj=kfrs)
    factories.user("clerk", Role.CLERK)
    body = factories.body()
    meeting = factories.meeting(body, start="2022-03-24T10:00")
    section = factories.section(meeting)
    factories.item(section, "Zero Casualty Strategy Update")
    minutes = services.minutes_start_from_agenda(meeting=meeting, first_number=56)
    item = minutes.items.get()
    services.minute_item_save(
        item=item,
        version=item.version,
        title=item.title,
        paragraphs=[],
        resolutions=[
            services.ResolutionInput(
                text="RESOLVED that the KCSP note the update and receive a further "
                "update in March 2023."
            )
        ],
    )
    resolution = item.resolutions.get()
    next_meeting = factories.meeting(body, start="2023-03-16T10:00")
    ours = services.resolution_action_create(
        resolution=resolution,
        owner_organisation=kfrs,
        at_next_meeting=True,
        title="Further update on Vision Zero",
    ).action
    action_services.action_create(
        title="Police-only task",
        owner_organisation=police,
        due_date=dt.date(2023, 1, 1),
    )

    sign_in(page, "partner")
    page.goto("/actions/")
    expect(
        page.get_by_role("link", name="Further update on Vision Zero")
    ).to_be_visible()
    assert page.get_by_text("Police-only task").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Further update on Vision Zero").click()
    evidence = tmp_path / "casualty-figures.pdf"
    evidence.write_bytes(factories.pdf_bytes())
    page.get_by_label("Progress update").fill("Safe System delivery plan agreed.")
    page.get_by_label("Status").select_option("in_progress")
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Post update").click()
    expect(page.get_by_text("Update posted.")).to_be_visible()
    expect(
        page.get_by_role("link", name="Evidence: casualty-figures.pdf")
    ).to_be_visible()
    assert_accessible(page)
    assert ours.updates.get().text == "Safe System delivery plan agreed."

    clerk_page = browser.new_context(base_url=live_server.url).new_page()
    sign_in(clerk_page, "clerk")
    clerk_page.goto(f"/manage/meetings/{body.slug}/{next_meeting.url_key}/agenda/")
    assert_accessible(clerk_page)
    clerk_page.get_by_role(
        "button", name=re.compile(r"Add to agenda\s*: Further update on Vision Zero")
    ).click()
    expect(clerk_page.get_by_text("Added to the agenda as B1.")).to_be_visible()
    assert next_meeting.items.get().action == ours
    clerk_page.goto("/actions/overview/")
    assert_accessible(clerk_page)
    clerk_page.goto(f"/committees/{body.slug}/forward-plan/")
    assert_accessible(clerk_page)
    clerk_page.context.close()
