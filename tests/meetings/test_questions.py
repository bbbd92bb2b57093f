"""Public questions: asked without an account, confirmed through the link
e-mailed by the real SMTP server (tests/mailserver.py), decided in the
clerk's queue, listed on the agenda and answered in the minutes; never
public while unconfirmed or rejected, and no e-mail address or unconsented
name anywhere the public reads."""

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.models import RetentionDeletion
from kcsp.roles import Role
from meetings import services
from meetings.models import Meeting, PublicQuestion, StandardItem
from tests import factories
from tests.helpers import assert_link_problem, links_read_later, words
from tests.mailserver import links_in, text_of
from tests.meetings.pdf_helpers import body_of, whole_text

pytestmark = pytest.mark.django_db

EMAIL = "resident@example.org"
CONSENTED = "Mrs Olive Thackeray"
UNCONSENTED = "Mr Basil Fenwick-Oddie"
QUESTION_A = "How many street lights in Tonbridge were repaired after the survey?"
QUESTION_B = "What is the partnership doing about antisocial driving in Sevenoaks?"
QUESTION_C = "Will the partnership publish its knife crime figures by ward?"


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def body() -> Any:
    return factories.body(accepts_questions=True, question_deadline_days=3)


@pytest.fixture
def meeting(body: Any) -> Any:
    found = factories.coming_meeting(21, body)
    factories.item(
        factories.section(found, "A", "Committee business"),
        "Public questions",
        standard=StandardItem.PUBLIC_QUESTIONS,
    )
    return found


def _ask(
    client: Client, meeting: Any, name: str, question: str, consent: bool, **kw: Any
) -> Any:
    data = {
        "name": name,
        "email": kw.pop("email", EMAIL),
        "meeting": str(meeting.pk),
        "question": question,
        **kw,
    }
    if consent:
        data["name_published"] = "on"
    return client.post(reverse("meetings:questions", args=[meeting.body.slug]), data)


def _ask_and_confirm(
    client: Client,
    smtp_server: Any,
    meeting: Any,
    name: str,
    question: str,
    consent: bool,
) -> PublicQuestion:
    response = _ask(client, meeting, name, question, consent)
    assert "Check your e-mail" in response.content.decode(), response.content.decode()
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    client.post(_path(link))
    return PublicQuestion.objects.get(question=question)


def test_asked_confirmed_accepted_listed_and_answered(
    body: Any, meeting: Any, smtp_server: Any
) -> None:
    client = Client()
    page = client.get(reverse("meetings:questions", args=[body.slug]))
    text = page.content.decode()
    assert "How to ask a question" in text
    assert "3 clear working days" in text
    assert meeting.when in text
    deadline = services.question_deadline(meeting)
    # Three clear working days lie between the deadline and the meeting.
    from kcsp.workdays import clear_working_days

    assert clear_working_days(deadline, meeting.date) == 3

    response = _ask(client, meeting, CONSENTED, QUESTION_A, consent=True)
    assert "Check your e-mail" in response.content.decode()
    question = PublicQuestion.objects.get()
    assert question.status == PublicQuestion.Status.UNCONFIRMED
    [mail] = smtp_server.messages
    assert str(mail["Subject"]) == f"Confirm your question to {body.name}"
    assert QUESTION_A in text_of(mail)
    [link] = [x for x in links_in(mail) if "/confirm/" in x]
    # A visit (a mail scanner's) only shows the button.
    assert "Confirm your question" in client.get(_path(link)).content.decode()
    question.refresh_from_db()
    assert question.status == PublicQuestion.Status.UNCONFIRMED
    confirmed = client.post(_path(link))
    assert "your question is confirmed" in confirmed.content.decode()
    question.refresh_from_db()
    assert question.status == PublicQuestion.Status.CONFIRMED
    # Unconsented name, answered together with the first.
    other = _ask_and_confirm(
        client, smtp_server, meeting, UNCONSENTED, QUESTION_B, consent=False
    )

    clerk = factories.user("questionclerk", Role.CLERK)
    staff = Client()
    staff.force_login(clerk)
    queue_url = reverse("manage:questions", args=[body.slug, meeting.url_key])
    queue = staff.get(queue_url).content.decode()
    assert QUESTION_A in queue and QUESTION_B in queue
    for q in (question, other):
        staff.post(
            reverse("manage:question", args=[body.slug, meeting.url_key, q.pk]),
            {"action": "accept"},
        )
    staff.post(
        reverse("manage:question", args=[body.slug, meeting.url_key, other.pk]),
        {"action": "group", "lead": str(question.pk)},
    )
    answer = "Forty-two lights were repaired by March; the rest follow in April."
    staff.post(
        reverse("manage:question", args=[body.slug, meeting.url_key, other.pk]),
        {"action": "answer", "answer": answer},
    )
    question.refresh_from_db()
    assert question.answer == answer
    other.refresh_from_db()
    assert other.grouped_with == question and other.answer_text == answer

    services.agenda_publish(meeting=meeting)
    agenda = Client().get(meeting.get_absolute_url()).content.decode()
    assert QUESTION_A in agenda and QUESTION_B in agenda
    assert CONSENTED in agenda
    assert "A member of the public" in agenda
    assert UNCONSENTED not in agenda and EMAIL not in agenda
    # The answer waits for the minutes.
    assert answer not in agenda
    pdf = whole_text(
        body_of(
            Client().get(
                reverse("meetings:agenda_pdf", args=[body.slug, meeting.url_key])
            )
        )
    )
    assert "Mrs Olive Thackeray" in pdf and "A member of the public" in pdf
    assert "Fenwick-Oddie" not in pdf and EMAIL not in pdf
    listing = Client().get(reverse("meetings:questions", args=[body.slug]))
    assert QUESTION_A in listing.content.decode()
    assert answer not in listing.content.decode()

    # The meeting is held; its minutes, once published, carry the answer.
    Meeting.objects.filter(pk=meeting.pk).update(
        start=timezone.now() - dt.timedelta(days=2)
    )
    meeting.refresh_from_db()
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    services.minutes_publish_draft(minutes=minutes)
    for url in (
        meeting.get_absolute_url(),
        reverse("meetings:questions", args=[body.slug]),
    ):
        text = Client().get(url).content.decode()
        assert answer in text
        assert UNCONSENTED not in text and EMAIL not in text
    pdf = whole_text(
        body_of(
            Client().get(
                reverse("meetings:minutes_pdf", args=[body.slug, meeting.url_key])
            )
        )
    )
    assert "Forty-two lights were repaired" in pdf
    assert "Fenwick-Oddie" not in pdf and EMAIL not in pdf


def test_unconfirmed_and_rejected_are_never_public(
    body: Any, meeting: Any, smtp_server: Any
) -> None:
    client = Client()
    _ask(client, meeting, UNCONSENTED, QUESTION_C, consent=True)
    rejected = _ask_and_confirm(
        client, smtp_server, meeting, CONSENTED, QUESTION_B, consent=True
    )
    services.question_accept(question=rejected)
    clerk = factories.user("questionclerk", Role.CLERK)
    staff = Client()
    staff.force_login(clerk)
    response = staff.post(
        reverse("manage:question", args=[body.slug, meeting.url_key, rejected.pk]),
        {"action": "reject", "reason": ""},
    )
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    staff.post(
        reverse("manage:question", args=[body.slug, meeting.url_key, rejected.pk]),
        {"action": "reject", "reason": "It concerns an individual case."},
    )
    rejected.refresh_from_db()
    assert rejected.status == PublicQuestion.Status.REJECTED
    told = smtp_server.messages[-1]
    assert "It concerns an individual case." in text_of(told)
    assert told["To"] == EMAIL

    services.agenda_publish(meeting=meeting)
    for url in (
        meeting.get_absolute_url(),
        reverse("meetings:questions", args=[body.slug]),
        reverse("meetings:agenda_pdf", args=[body.slug, meeting.url_key]),
        "/search/?q=Sevenoaks",
        "/search/?q=knife",
        "/feeds/agendas.rss",
        "/api/v1/meetings/",
    ):
        response = Client().get(url)
        assert response.status_code == 200, url
        content = b"".join(response) if response.streaming else response.content
        for secret in (QUESTION_B, QUESTION_C, UNCONSENTED, EMAIL):
            assert secret.encode() not in content, (url, secret)
    assert PublicQuestion.objects.public().count() == 0


def test_form_keeps_input_and_refuses_bad_questions(
    body: Any, meeting: Any, smtp_server: Any, settings: Any
) -> None:
    body.question_word_limit = 5
    body.save()
    client = Client()
    response = _ask(client, meeting, CONSENTED, QUESTION_A, consent=True)
    assert response.status_code == 400
    text = response.content.decode()
    assert "it can have at most 5" in text
    assert QUESTION_A in text and CONSENTED in text
    assert not PublicQuestion.objects.exists() and not smtp_server.messages
    # A robot filling the hidden field is told nothing and nothing is kept.
    response = _ask(client, meeting, CONSENTED, "Short one", True, website="spam")
    assert response.status_code == 200
    assert not PublicQuestion.objects.exists()
    # The limit per connection.
    settings.QUESTIONS_PER_HOUR = 1
    assert (
        "Check your e-mail"
        in _ask(client, meeting, "A", "Short one", True).content.decode()
    )
    refused = _ask(client, meeting, "A", "Short two", True, email="b@example.org")
    assert refused.status_code == 429
    assert "Too many questions" in refused.content.decode()


def test_closed_meetings_and_bodies_take_no_questions(
    body: Any, smtp_server: Any
) -> None:
    soon = factories.coming_meeting(1, body)
    page = (
        Client().get(reverse("meetings:questions", args=[body.slug])).content.decode()
    )
    assert "No meeting is taking questions" in page
    response = _ask(Client(), soon, CONSENTED, QUESTION_A, consent=True)
    assert response.status_code == 404
    other = factories.body("Kent Crime and Disorder Committee")
    page = Client().get(reverse("meetings:questions", args=[other.slug]))
    assert "does not take questions" in page.content.decode()


def test_bad_and_expired_links(
    body: Any, meeting: Any, smtp_server: Any, settings: Any
) -> None:
    assert Client().get("/questions/confirm/nonsense/").status_code == 404
    _ask(Client(), meeting, CONSENTED, QUESTION_A, consent=True)
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    settings.QUESTION_CONFIRM_HOURS = 0
    import time

    time.sleep(1)
    assert Client().post(_path(link)).status_code == 410
    assert PublicQuestion.objects.get().status == PublicQuestion.Status.UNCONFIRMED


def test_the_pages_of_a_confirmation_link_say_how_long_it_lasts(
    body: Any,
    meeting: Any,
    smtp_server: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.QUESTION_CONFIRM_HOURS = 12
    questions = reverse("meetings:questions", args=[body.slug])
    sent = _ask(Client(), meeting, CONSENTED, QUESTION_A, consent=True)
    assert "Follow it within 12 hours and press Confirm" in words(sent)
    assert f'href="{questions}"' in sent.content.decode()
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    assert_link_problem(
        Client().get(_path(link)[:-6] + "/"),
        status=404,
        says="copy the whole link from the e-mail",
        onward=reverse("meetings:body_list"),
    )
    links_read_later(monkeypatch, hours=13)
    assert_link_problem(
        Client().post(_path(link)),
        status=410,
        says="This link has expired Confirmation links last 12 hours",
        onward=questions,
    )
    assert PublicQuestion.objects.get().status == PublicQuestion.Status.UNCONFIRMED


def test_clerk_of_another_partnership_gets_no_queue(body: Any, meeting: Any) -> None:
    dover = factories.user(
        "doverclerk", Role.CLERK, clerk_of=[factories.partnership("Dover")]
    )
    client = Client()
    client.force_login(dover)
    question = PublicQuestion.objects.create(
        meeting=meeting,
        name=UNCONSENTED,
        email=EMAIL,
        question=QUESTION_B,
        status=PublicQuestion.Status.CONFIRMED,
    )
    url = reverse("manage:questions", args=[body.slug, meeting.url_key])
    assert client.get(url).status_code == 404
    decide = reverse("manage:question", args=[body.slug, meeting.url_key, question.pk])
    assert client.post(decide, {"action": "accept"}).status_code == 404
    question.refresh_from_db()
    assert question.status == PublicQuestion.Status.CONFIRMED


def test_retention_deletes_addresses_after_the_meeting_and_nothing_else(
    body: Any, settings: Any
) -> None:
    settings.QUESTION_EMAIL_RETENTION_DAYS = 28
    old = factories.meeting(body, start="2026-01-10T10:00")
    edge = factories.meeting(body, start="2026-02-10T10:00")
    due = PublicQuestion.objects.create(
        meeting=old, name="A", email="a@example.org", question=QUESTION_A
    )
    kept = PublicQuestion.objects.create(
        meeting=edge, name="B", email="b@example.org", question=QUESTION_B
    )
    today = dt.date(2026, 3, 10)  # 28 days after 10 February
    assert services.question_emails_expire(today=today) == 1
    due.refresh_from_db()
    kept.refresh_from_db()
    assert due.email == "" and due.question == QUESTION_A
    assert kept.email == "b@example.org"
    entry = RetentionDeletion.objects.get()
    assert entry.record_id == due.pk and entry.kept_until == dt.date(2026, 2, 7)
    assert services.question_emails_expire(today=today) == 0
    # Its confirmation link stops working once the address is gone.
    token = signing.dumps([due.pk, "a@example.org"], salt="meetings.questions.confirm")
    assert Client().post(f"/questions/confirm/{token}/").status_code == 404
    # The daily job runs it.
    from kcsp.registry import daily_jobs

    assert "retention: questioners' e-mail addresses" in dict(daily_jobs())


@pytest.mark.parametrize(
    "field,value",
    [
        ("meeting", "9223372036854775808"),
        ("meeting", "\u0663"),
        ("meeting", ""),
        ("name", "a\x00b"),
        ("question", "x" * 100_000),
        ("email", "not-an-address"),
        ("name_published", "\x00"),
    ],
)
def test_hostile_input_gets_a_message_not_an_error(
    body: Any, meeting: Any, smtp_server: Any, field: str, value: str
) -> None:
    data = {
        "name": CONSENTED,
        "email": EMAIL,
        "meeting": str(meeting.pk),
        "question": QUESTION_A,
        field: value,
    }
    response = Client().post(reverse("meetings:questions", args=[body.slug]), data)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'role="alert"' in response.content.decode() or "error" in (
            response.content.decode().lower()
        )


def test_clerks_bad_posts_are_told_not_errors(body: Any, meeting: Any) -> None:
    question = PublicQuestion.objects.create(
        meeting=meeting,
        name=CONSENTED,
        email=EMAIL,
        question=QUESTION_A,
        status=PublicQuestion.Status.CONFIRMED,
    )
    staff = Client()
    staff.force_login(factories.user("questionclerk", Role.CLERK))
    url = reverse("manage:question", args=[body.slug, meeting.url_key, question.pk])
    for data in (
        {"action": "explode"},
        {"action": "group", "lead": "\u0663"},
        {"action": "group", "lead": "99999999999999999999"},
        {"action": "answer", "answer": "Not yet accepted."},
    ):
        response = staff.post(url, data)
        assert response.status_code == 400, data
    question.refresh_from_db()
    assert question.status == PublicQuestion.Status.CONFIRMED and not question.answer


def test_an_administrator_sets_a_body_to_take_questions(
    body: Any, administrator: Any
) -> None:
    client = Client()
    client.force_login(administrator)
    page = client.get(reverse("admin:meetings_body_change", args=[body.pk]))
    text = page.content.decode()
    assert "Accepts questions from the public" in text
    assert "Question deadline (clear working days)" in text
    assert "Word limit for a question" in text


def test_accepting_gives_an_unpublished_agenda_its_questions_item(body: Any) -> None:
    meeting = factories.coming_meeting(21, body)
    factories.item(factories.section(meeting, "B", "Items"), "Annual report")
    question = PublicQuestion.objects.create(
        meeting=meeting,
        name=CONSENTED,
        email=EMAIL,
        name_published=True,
        question=QUESTION_A,
        status=PublicQuestion.Status.CONFIRMED,
    )
    services.question_accept(question=question)
    services.question_accept(question=question)
    [item] = meeting.items.filter(standard=StandardItem.PUBLIC_QUESTIONS)
    assert item.title == "Public questions"
    services.agenda_publish(meeting=meeting)
    page = Client().get(meeting.get_absolute_url()).content.decode()
    assert QUESTION_A in page and CONSENTED in page
