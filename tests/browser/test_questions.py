"""Public questions in the browser: ask one without an account, confirm it
from the e-mail received by the test SMTP server, and the clerk accepts,
rejects with a reason and answers it in the queue; axe on every page."""

from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import expect

from kcsp.roles import Role
from meetings.models import PublicQuestion, StandardItem
from tests import factories
from tests.browser.helpers import assert_accessible, sign_in
from tests.mailserver import links_in


def _path(url: str) -> str:
    return urlsplit(url).path


def _ask(page: Any, name: str, question: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your e-mail address").fill(email)
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send me a confirmation e-mail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")


def test_ask_confirm_and_the_clerks_queue(
    page: Any, smtp_server: Any, settings: Any, live_server: Any
) -> None:
    settings.PORTAL_BASE_URL = live_server.url
    body = factories.body(accepts_questions=True, question_word_limit=20)
    meeting = factories.coming_meeting(21, body)
    factories.item(
        factories.section(meeting, "A", "Committee business"),
        "Public questions",
        standard=StandardItem.PUBLIC_QUESTIONS,
    )
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="Public questions: ask one").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public questions")
    assert_accessible(page)
    # Too long: the message names the limit, and what was typed stays.
    page.get_by_label("Your name").fill("Mrs Olive Thackeray")
    page.get_by_label("Your question").fill("word " * 25)
    page.get_by_role("button", name="Send me a confirmation e-mail").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 20")
    expect(page.get_by_label("Your name")).to_have_value("Mrs Olive Thackeray")
    assert_accessible(page)
    page.get_by_label("Publish my name with my question").check()
    _ask(
        page,
        "Mrs Olive Thackeray",
        "When will the street lights in Tonbridge be repaired?",
        "olive@example.org",
    )
    assert_accessible(page)
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    page.goto(_path(link))
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("confirmed")
    assert_accessible(page)
    page.goto(f"/committees/{body.slug}/questions/")
    _ask(
        page, "Mr Basil Oddie", "Is the partnership a secret society?", "b@example.org"
    )
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    page.goto(_path(link))
    page.get_by_role("button", name="Confirm").click()

    factories.user("clerk", Role.CLERK)
    sign_in(page, "clerk")
    page.goto(f"/manage/meetings/{body.slug}/{meeting.url_key}/")
    page.get_by_role("link", name="Public questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Public questions")
    assert_accessible(page)
    page.get_by_role("button", name="Accept question from Mrs Olive Thackeray").click()
    expect(page.get_by_role("status")).to_contain_text("accepted")
    page.get_by_label("Reason for rejecting").fill("It is not about community safety.")
    page.get_by_role("button", name="Reject question from Mr Basil Oddie").click()
    expect(page.get_by_role("status")).to_contain_text("rejected")
    assert_accessible(page)
    page.get_by_label("Answer (shown with").fill("By the end of March.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.get_by_role("status")).to_contain_text("Answer saved")
    assert_accessible(page)
    assert PublicQuestion.objects.get(name="Mrs Olive Thackeray").answer == (
        "By the end of March."
    )
    assert "not about community safety" in str(smtp_server.messages[-1])
