"""A clerk's whole year in the workspace, by keyboard, checked by the public.

One test walks the cycle the workspace exists for: plan the year's
meetings, build and publish an agenda with an exempt item and a paper, add a
late paper as a supplementary agenda, record attendance, a declaration and
the annual election, draft a lettered resolution, publish the draft minutes
and approve them at the next meeting. Every step is taken from the
workspace's own links and forms with the keyboard (an address typed into the
browser is the only other way in), axe checks every screen, and the public
meeting page and its PDFs are read back as a member of the public gets them.
"""

import datetime as dt
import io
import re
from typing import Any

import pdfplumber
from playwright.sync_api import expect

from kcsp.roles import Role
from meetings.models import Meeting, Membership
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in


def _press(page: Any, role: str, name: str | re.Pattern[str]) -> None:
    page.get_by_role(role, name=name).first.focus()
    page.keyboard.press("Enter")


def _press_and_load(page: Any, role: str, name: str | re.Pattern[str]) -> None:
    with page.expect_navigation():
        _press(page, role, name)


def _pdf_text(page: Any, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200, url
    assert response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.body())) as document:
        return " ".join(
            " ".join((p.extract_text() or "").split()) for p in document.pages
        )


def test_a_clerks_year_from_the_workspace_by_keyboard(
    page: Any, browser: Any, live_server: Any, tmp_path: Any
) -> None:
    factories.user("clerk", Role.CLERK)
    body = factories.body()
    for surname in ("Hill", "Brinson"):
        Membership.objects.create(
            body=body,
            person=factories.person(surname),
            role="member",
            start=dt.date(2024, 5, 1),
        )
    report = tmp_path / "hate-crime-update.pdf"
    report.write_bytes(factories.pdf_bytes(2))
    late = tmp_path / "hate-crime-figures.pdf"
    late.write_bytes(factories.pdf_bytes(1))

    # The year's meetings, from the dashboard.
    sign_in(page, "clerk")
    _press_and_load(page, "link", f"Plan a year of meetings of {body.name}")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("March").check()
    page.get_by_label("July").check()
    page.get_by_label("Which week").select_option("Second")
    page.get_by_label("Day").select_option("Thursday")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Venue").fill("Darent Room, Sessions House")
    _press_and_load(page, "button", "Show the dates")
    expect(page.get_by_text("Thursday, 13 March 2025, 10.00 am")).to_be_visible()
    expect(page.get_by_text("Thursday, 10 July 2025, 10.00 am")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Create these meetings")
    expect(page.get_by_text(f"2 meetings of {body.name}")).to_be_visible()
    march, july = body.meetings.order_by("start")
    assert (march.start.date(), july.start.date()) == (
        dt.date(2025, 3, 13),
        dt.date(2025, 7, 10),
    )

    # The annual meeting's agenda: two sections, an exempt item, a paper.
    page.goto(f"/manage/meetings/{body.slug}/{march.url_key}/")
    assert_accessible(page)
    _press_and_load(page, "link", "The agenda: sections, items and papers")
    for letter, title in (("A", "Formal business"), ("B", "Exempt items")):
        page.get_by_label("Letter").fill(letter)
        page.get_by_label("Section title").fill(title)
        _press_and_load(page, "button", "Add the section")
        expect(page.get_by_text(f"Section {letter}")).to_be_visible()
    for section, title in (
        ("A. Formal business", "Election of Chairman and Vice-Chairman"),
        ("A. Formal business", "Hate crime update"),
    ):
        page.get_by_label(re.compile("^Section:")).select_option(label=section)
        page.get_by_label(re.compile("^Title:")).fill(title)
        _press_and_load(page, "button", "Add the item")
    page.get_by_label(re.compile("^Section:")).select_option(label="B. Exempt items")
    page.get_by_label(re.compile("^Title:")).fill("Domestic Homicide Review: Case K")
    page.get_by_label("Open to the public or exempt").select_option(
        label="Exempt (not for publication)"
    )
    page.get_by_label("Paragraph of Schedule 12A").select_option(index=1)
    page.get_by_label("Public interest test").fill(
        "The review names a family who have not agreed to publication."
    )
    _press_and_load(page, "button", "Add the item")
    expect(
        page.get_by_role("heading", name="B1 Domestic Homicide Review: Case K")
    ).to_be_visible()
    page.get_by_label("Add a paper to A2").set_input_files(str(report))
    _press_and_load(page, "button", "Upload the paper for A2")
    expect(page.get_by_text("added to A2")).to_be_visible()
    assert_accessible(page)

    # Publish the agenda, with its summary first.
    page.goto(f"/manage/meetings/{body.slug}/{march.url_key}/")
    _press_and_load(page, "link", "Publish the agenda")
    expect(page.get_by_text("Exempt items: title and paragraph only")).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Publish the agenda and its papers")
    expect(page.get_by_text("The agenda and its papers are published.")).to_be_visible()

    # A late paper, published as supplementary agenda 1.
    _press_and_load(page, "link", "The agenda: sections, items and papers")
    page.get_by_label("Add a paper to A2").set_input_files(str(late))
    _press_and_load(page, "button", "Upload the paper for A2")
    page.goto(f"/manage/meetings/{body.slug}/{march.url_key}/")
    _press_and_load(page, "link", "Publish them as supplementary agenda 1")
    assert_accessible(page)
    _press_and_load(page, "button", "Publish supplementary agenda 1")
    expect(page.get_by_text("Supplementary agenda 1 is published.")).to_be_visible()

    # The minutes, begun after the meeting, with attendance.
    _press_and_load(page, "link", "The minutes and attendance")
    page.get_by_label("First minute number").fill("1")
    _press_and_load(page, "button", "Start minutes from the agenda")
    assert_accessible(page)
    _press_and_load(page, "button", re.compile("^Record the 2 not yet recorded"))
    expect(page.get_by_text(re.compile("recorded as present"))).to_be_visible()

    # A declaration, for someone recorded at the meeting.
    page.goto(f"/manage/meetings/{body.slug}/{march.url_key}/")
    _press_and_load(page, "link", "Declarations of interest")
    page.get_by_label("Who declared it").select_option(label="Mr Hill")
    page.get_by_label("The nature of the interest").fill(
        "A trustee of a charity supporting victims of hate crime"
    )
    _press_and_load(page, "button", "Record the declaration")
    expect(page.get_by_text("Declaration by Mr Hill recorded.")).to_be_visible()
    assert_accessible(page)

    # The annual election: Brinson is elected Chairman.
    page.goto(f"/manage/meetings/{body.slug}/{march.url_key}/")
    _press_and_load(page, "link", re.compile("election of the chair"))
    page.get_by_label("Elected Chairman").select_option(label="Mr Brinson")
    _press_and_load(page, "button", "Continue")
    expect(
        page.get_by_text("Mr Brinson is Chairman from 13 March 2025.")
    ).to_be_visible()
    assert_accessible(page)
    _press_and_load(page, "button", "Confirm: record the election")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Minute 1"))

    # A lettered resolution on the hate crime update.
    _press_and_load(page, "link", "All minute items and attendance")
    _press_and_load(page, "link", "Hate crime update")
    _press(page, "button", "Add a paragraph")
    page.keyboard.type("The Partnership considered the quarterly hate crime figures.")
    _press(page, "button", "Add a resolution")
    expect(page.locator("#resolution-0")).to_be_focused()
    page.keyboard.type(
        "the Partnership\n"
        "a) Note the rise in reported incidents.\n"
        "b) Ask for an action plan at its next meeting."
    )
    _press_and_load(page, "button", "Save")
    expect(page.get_by_text(re.compile(r"^Minute \d+ saved\."))).to_be_visible()
    assert_accessible(page)

    # Draft minutes published.
    _press_and_load(page, "link", "All minute items and attendance")
    _press_and_load(page, "button", "Publish as draft minutes")
    expect(page.get_by_text("Published as draft minutes")).to_be_visible()

    # The next meeting approves them.
    page.goto(f"/manage/meetings/{body.slug}/{july.url_key}/")
    _press_and_load(page, "link", "The agenda: sections, items and papers")
    page.get_by_label("Letter").fill("A")
    page.get_by_label("Section title").fill("Formal business")
    _press_and_load(page, "button", "Add the section")
    page.get_by_label(re.compile("^Title:")).fill(
        "Minutes of the meeting of 13 March 2025"
    )
    _press_and_load(page, "button", "Add the item")
    page.goto(f"/manage/meetings/{body.slug}/{july.url_key}/")
    _press_and_load(page, "link", "The minutes and attendance")
    _press_and_load(page, "button", "Start minutes from the agenda")
    _press_and_load(page, "button", re.compile("^Record the 2 not yet recorded"))
    _press_and_load(page, "link", "Minutes of the meeting of 13 March 2025")
    _press(page, "button", "Add a resolution")
    page.keyboard.type(
        "that the minutes of the meeting held on 13 March 2025 are a correct record."
    )
    _press_and_load(page, "button", "Save")
    page.goto(f"/meetings/{body.slug}/{march.url_key}/minutes/draft/")
    page.get_by_label("Approved by").select_option(index=0)
    _press_and_load(page, "button", "Mark approved")
    expect(
        page.get_by_text(re.compile("approved", re.IGNORECASE)).first
    ).to_be_visible()
    assert_accessible(page)

    march = Meeting.objects.get(pk=march.pk)
    assert march.minutes.status == "approved"
    chair = Membership.objects.get(body=body, role="chair")
    assert (chair.person.surname, chair.start) == ("Brinson", dt.date(2025, 3, 13))

    # What the public sees of each step.
    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(march.get_absolute_url())
    text = " ".join(public.locator("main").inner_text().split())
    assert "Supplementary agenda 1 was published" in text
    assert "Domestic Homicide Review: Case K" in text
    assert "Hate crime update" in text and "Exempt" in text
    assert "Draft minutes" not in text and "approved" in text.lower()
    assert "RESOLVED that the Partnership" in text
    assert "a) Note the rise in reported incidents." in text
    assert "Mr Brinson" in text
    assert "A trustee of a charity supporting victims of hate crime" in text
    assert_accessible(public)
    agenda = _pdf_text(public, f"/meetings/{body.slug}/{march.url_key}/agenda.pdf")
    assert (
        "Hate crime update" in agenda and "Domestic Homicide Review: Case K" in agenda
    )
    assert "The review names a family" not in agenda
    minutes = _pdf_text(public, f"/meetings/{body.slug}/{march.url_key}/minutes.pdf")
    assert "a) Note the rise in reported incidents." in minutes
    assert "b) Ask for an action plan at its next meeting." in minutes
    assert "Brinson" in minutes
    public.context.close()
