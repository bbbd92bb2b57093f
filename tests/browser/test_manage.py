"""The clerk's workspace in the browser, by keyboard, with axe (WCAG 2.2 AA)."""

import datetime as dt
import re
from typing import Any

from django.utils import timezone
from playwright.sync_api import expect

from kcsp.formatting import meeting_when
from kcsp.roles import Role
from kcsp.visibility import ExemptParagraph, Visibility
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in


def _press_and_load(page: Any, role: str, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=name).first.focus()
        page.keyboard.press("Enter")


def test_clerk_publishes_then_withdraws_an_agenda_from_the_workspace(
    page: Any,
) -> None:
    factories.user("clerk", Role.CLERK)
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
    section = factories.section(meeting)
    report = factories.item(section, "Community Safety Agreement")
    factories.item(
        section,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    factories.document(meeting, report, title="Agreement refresh")

    sign_in(page, "clerk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Clerk's workspace")
    assert_accessible(page)
    _press_and_load(page, "link", "Publish the agenda")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        meeting_when(meeting.start)
    )
    assert_accessible(page)
    _press_and_load(page, "link", "Publish the agenda")
    expect(page.get_by_text("Exempt items: title and paragraph only")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Publish the agenda and its papers")
    expect(page.get_by_text("The agenda and its papers are published.")).to_be_visible()
    assert_accessible(page)

    _press_and_load(page, "link", "Withdraw the agenda")
    assert_accessible(page)
    _press_and_load(page, "button", "Withdraw the agenda")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why the agenda is withdrawn").fill("Published too early.")
    _press_and_load(page, "button", "Withdraw the agenda")
    expect(
        page.get_by_text("The agenda is withdrawn from public view.")
    ).to_be_visible()
    assert_accessible(page)


def test_a_year_of_meetings_by_keyboard(page: Any) -> None:
    factories.user("clerk", Role.CLERK)
    body = factories.body()
    sign_in(page, "clerk")
    _press_and_load(page, "link", f"Plan a year of meetings of {body.name}")
    assert_accessible(page)
    page.get_by_label("Year").fill("2027")
    page.get_by_label("March").check()
    page.get_by_label("Which week").select_option("Second")
    page.get_by_label("Day").select_option("Thursday")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Held online (or also online)").check()
    _press_and_load(page, "button", "Show the dates")
    expect(page.get_by_text("Thursday, 11 March 2027, 10.00 am")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Create these meetings")
    expect(page.get_by_text("1 meeting of Kent Community Safety")).to_be_visible()


def test_declarations_page_is_accessible_with_and_without_errors(page: Any) -> None:
    from meetings.models import Attendance

    factories.user("clerk", Role.CLERK)
    meeting = factories.meeting(start="2022-03-24T10:00")
    factories.item(factories.section(meeting), "Community Safety Agreement")
    hill = factories.person("Hill", initials="P M")
    Attendance.objects.create(meeting=meeting, person=hill, kind="present")
    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/declarations/")
    assert_accessible(page)
    _press_and_load(page, "button", "Record the declaration")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Who declared it").select_option(label=hill.formal_name)
    page.get_by_label("The nature of the interest").fill("A school governor")
    _press_and_load(page, "button", "Record the declaration")
    expect(page.get_by_text("A school governor")).to_be_visible()
    assert_accessible(page)


def test_a_meeting_with_a_four_item_agenda_and_a_paper_in_three_page_loads(
    page: Any, tmp_path: Any
) -> None:
    """From the dashboard: the new meeting's form, then its agenda, then the
    agenda again with the paper attached; axe checks each screen."""
    factories.user("clerk", Role.CLERK)
    body = factories.body()
    paper = tmp_path / "hate-crime-update.pdf"
    paper.write_bytes(factories.pdf_bytes(2))
    sign_in(page, "clerk")
    loads: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: loads.append(frame.url) if frame == page.main_frame else None,
    )

    _press_and_load(page, "link", f"New meeting of {body.name}")
    assert_accessible(page)
    page.get_by_label("Date").fill("14/07/2099")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Venue").fill("Darent Room, Sessions House")
    page.get_by_label("Further items (optional)").fill("Hate crime update")
    _press_and_load(page, "button", "Create the meeting")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    expect(page.get_by_role("heading", name="B1 Hate crime update")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Add a paper to B1").set_input_files(str(paper))
    _press_and_load(page, "button", "Upload the paper for B1")
    expect(page.get_by_text("added to B1")).to_be_visible()
    assert_accessible(page)
    # The form, the agenda after creating, the item's page after uploading.
    assert len(loads) == 3, loads

    meeting = body.meetings.get()
    assert meeting.items.count() == 4
    assert meeting.items.get(reference="B1").documents.get().page_count == 2


def test_the_agenda_screen_is_accessible_with_errors_and_by_keyboard(
    page: Any,
) -> None:
    factories.user("clerk", Role.CLERK)
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
    section = factories.section(meeting)
    factories.item(section, "First")
    factories.item(section, "Second")
    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/agenda/")
    assert_accessible(page)
    _press_and_load(page, "button", re.compile(r"Move down\s*: B1 First"))
    expect(page.get_by_text("First is now B2.")).to_be_visible()
    _press_and_load(page, "button", "Add the item")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "link", re.compile(r"Remove\s*: B1 Second"))
    assert_accessible(page)
    _press_and_load(page, "button", "Remove the item")
    expect(page.get_by_text("Second removed from the agenda.")).to_be_visible()
    assert [i.title for i in meeting.items.order_by("number")] == ["First"]


def test_dragging_an_item_to_the_top_of_its_section(page: Any) -> None:
    """Dragging by the handle submits the item's own move form with its new
    place; the server renumbers the section, as the Move buttons do."""
    factories.user("clerk", Role.CLERK)
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
    section = factories.section(meeting)
    titled = {
        title: factories.item(section, title).pk
        for title in ("First", "Second", "Third")
    }
    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/agenda/")
    expect(page.get_by_text("You can also drag an item")).to_be_visible()
    assert_accessible(page)
    handle = page.locator(f"#item-{titled['Third']} .builder__handle")
    first = page.locator(f"#item-{titled['First']} .builder__title")
    with page.expect_navigation():
        handle.drag_to(first, target_position={"x": 5, "y": 2})
    expect(page.get_by_text("Third is now B1.")).to_be_visible()
    expect(page.locator(".builder__title")).to_have_text(
        ["B1 Third", "B2 First", "B3 Second"]
    )
    assert [i.title for i in meeting.items.order_by("number")] == [
        "Third",
        "First",
        "Second",
    ]


def test_moving_a_meeting_by_keyboard_with_its_summary(page: Any) -> None:
    factories.user("clerk", Role.CLERK)
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/")
    _press_and_load(page, "link", "Move, postpone or cancel the meeting")
    assert_accessible(page)
    _press_and_load(page, "button", "Continue")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("It moves to another date or time").check()
    later = day + dt.timedelta(days=7)
    page.get_by_role("textbox", name="Date:").fill(later.strftime("%d/%m/%Y"))
    page.get_by_label("Start time").fill("14:00")
    page.get_by_label("Why").fill("The room is needed for the count.")
    _press_and_load(page, "button", "Continue")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check what will change")
    assert_accessible(page)
    _press_and_load(page, "button", "Confirm: move the meeting")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"2\.00 pm$"))
    expect(page.get_by_text("The room is needed for the count.")).to_be_visible()
    assert_accessible(page)


def test_members_and_the_election_by_keyboard(page: Any) -> None:
    from meetings import services
    from meetings.models import Membership

    factories.user("clerk", Role.CLERK)
    meeting = factories.meeting(start="2022-07-14T10:00")
    factories.item(factories.section(meeting), "Community Safety Agreement")
    for surname, role in (("Hill", "chair"), ("Brinson", "member")):
        Membership.objects.create(
            body=meeting.body,
            person=factories.person(surname),
            role=role,
            start=dt.date(2020, 5, 1),
        )
    services.minutes_start_from_agenda(meeting=meeting, first_number=10)
    sign_in(page, "clerk")
    _press_and_load(page, "link", re.compile("^Members"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Members of Kent Community Safety Partnership"
    )
    assert_accessible(page)
    _press_and_load(page, "button", "Continue")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/")
    _press_and_load(page, "link", re.compile("election of the chair"))
    assert_accessible(page)
    page.get_by_label("Elected Chairman").select_option(label="Mr Brinson")
    _press_and_load(page, "button", "Continue")
    expect(
        page.get_by_text("Mr Brinson is Chairman from 14 July 2022.")
    ).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Confirm: record the election")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Minute 10"))


def test_a_supplementary_agenda_from_the_dashboard_by_keyboard(page: Any) -> None:
    import io

    from meetings import services

    factories.user("clerk", Role.CLERK)
    day = timezone.localdate() + dt.timedelta(days=30)
    meeting = factories.meeting(start=f"{day.isoformat()}T10:00")
    report = factories.item(factories.section(meeting), "Hate crime update")
    services.agenda_publish(meeting=meeting)
    services.agenda_paper_add(
        item=report, upload=io.BytesIO(factories.pdf_bytes()), name="figures.pdf"
    )
    sign_in(page, "clerk")
    _press_and_load(page, "link", re.compile("^Papers waiting for a supplementary"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Publish supplementary agenda 1"
    )
    assert_accessible(page)
    _press_and_load(page, "button", "Publish supplementary agenda 1")
    expect(page.get_by_text("Supplementary agenda 1 is published.")).to_be_visible()
    assert_accessible(page)
    page.goto(meeting.get_absolute_url())
    expect(
        page.get_by_text(re.compile("^Supplementary agenda 1 was published"))
    ).to_be_visible()
    assert_accessible(page)
    page.goto(
        f"/manage/meetings/{meeting.body.slug}/{meeting.url_key}/agenda/items/{report.pk}/"
    )
    expect(page.get_by_label("New version of Hate crime update")).to_be_visible()
    assert_accessible(page)
