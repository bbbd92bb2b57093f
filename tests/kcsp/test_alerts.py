"""E-mail alerts, sent through a real SMTP server (tests/mailserver.py) and
read back: double opt-in, immediate alerts and digests, what is never
alerted, retries, and the links of every e-mail."""

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kcsp.alerts.sending import BACKOFF, alerts_send
from kcsp.models import Delivery, Subscriber, Subscription
from kcsp.visibility import Visibility
from meetings import services
from tests import factories
from tests.helpers import assert_link_problem, links_read_later, words
from tests.mailserver import html_of, links_in, text_of

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
EMAIL = "resident@example.org"


def _path(url: str) -> str:
    return urlsplit(url).path


def _meeting(body: Any, title: str = "Kent Community Safety Agreement", **kw: Any):
    meeting = factories.coming_meeting(20, body)
    factories.item(factories.section(meeting), title, **kw)
    return meeting


def _ask(client: Client, body: Any, **data: Any) -> Any:
    """Ask for immediate agenda alerts of `body` (`data` changes the form)."""
    fields = {
        "email": EMAIL,
        "target": "body",
        "value": body.slug,
        "kinds": ["agendas"],
        "frequency": "immediate",
        **data,
    }
    return client.post(reverse("kcsp:alerts"), fields)


def _subscribe(client: Client, smtp_server: Any, **data: str) -> Any:
    """Ask for an alert and confirm it from the e-mail; returns the manage page."""
    fields = {"email": EMAIL, "frequency": "immediate", **data}
    response = client.post(reverse("kcsp:alerts"), fields)
    assert response.status_code == 200, response.content.decode()
    assert "Check your e-mail" in response.content.decode()
    confirm = [
        link for link in links_in(smtp_server.messages[-1]) if "/confirm/" in link
    ]
    page = client.get(_path(confirm[0]))
    assert "Confirm your e-mail alert" in page.content.decode()
    return client.post(_path(confirm[0]), follow=True)


def test_double_opt_in_then_one_alert_per_agenda(smtp_server: Any) -> None:
    body = factories.body()
    client = Client()
    response = _ask(client, body)
    assert "Check your e-mail" in response.content.decode()
    # Nothing is stored before the owner of the address confirms it.
    assert not Subscriber.objects.exists()
    [request] = smtp_server.messages
    assert str(request["Subject"]) == f"Confirm your e-mail alert: {body.name}"
    assert "List-Unsubscribe" not in request
    assert "confirm" in html_of(request).lower()
    [link] = [x for x in links_in(request) if "/confirm/" in x]
    # Following the link shows a button: a mail scanner's visit confirms nothing.
    assert client.get(_path(link)).status_code == 200
    assert not Subscriber.objects.exists()
    page = client.post(_path(link), follow=True)
    assert "Your alert is confirmed." in page.content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.email == EMAIL
    assert subscriber.consented_at is not None

    meeting = _meeting(body)
    services.agenda_publish(meeting=meeting)
    report = alerts_send()
    assert (report.queued, report.sent) == (1, 1)
    [alert] = smtp_server.to(EMAIL)[1:]
    assert str(alert["Subject"]).startswith(f"Agenda: {body.name}")
    assert meeting.get_absolute_url() in text_of(alert)
    assert "Kent Community Safety Agreement" in text_of(alert)
    assert "Kent Community Safety Agreement" in html_of(alert)
    # RFC 8058 one-click unsubscribe, and the manage link.
    unsubscribe = str(alert["List-Unsubscribe"]).strip("<>")
    assert str(alert["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert unsubscribe in text_of(alert)
    manage = [x for x in links_in(alert) if "/alerts/manage/" in x]
    assert body.name in client.get(_path(manage[0])).content.decode()
    # A second run sends nothing again.
    assert alerts_send().sent == 0
    assert len(smtp_server.messages) == 2


def test_one_click_unsubscribe_deletes_the_address(smtp_server: Any) -> None:
    body = factories.body()
    _subscribe(Client(), smtp_server, target="body", value=body.slug, kinds="agendas")
    services.agenda_publish(meeting=_meeting(body))
    alerts_send()
    alert = smtp_server.messages[-1]
    url = _path(str(alert["List-Unsubscribe"]).strip("<>"))
    # A mail program posts without a form or a CSRF token.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Your alerts are stopped" in response.content.decode()
    assert not Subscriber.objects.exists()
    assert not Subscription.objects.exists()
    assert not Delivery.objects.exists()
    # The links of old e-mails now say so, and a repeat is harmless.
    assert strict.post(url).status_code == 200
    gone = strict.get(url)
    assert gone.status_code == 410
    assert "This address has no alerts" in gone.content.decode()


def test_unsubscribe_by_link_and_stop_one_alert(smtp_server: Any) -> None:
    body, other = factories.body(), factories.body("Community Safety Working Group")
    client = Client()
    _subscribe(client, smtp_server, target="body", value=body.slug, kinds="agendas")
    page = _subscribe(
        client, smtp_server, target="body", value=other.slug, kinds="minutes"
    )
    text = page.content.decode()
    assert body.name in text and other.name in text
    subscription = Subscription.objects.get(value=other.slug)
    url = page.redirect_chain[-1][0]
    # Change one alert, keeping the other.
    client.post(
        url,
        {
            "subscription": subscription.pk,
            "do": "save",
            f"alert-{subscription.pk}-kinds": ["minutes", "decisions"],
            f"alert-{subscription.pk}-frequency": "weekly",
        },
    )
    subscription.refresh_from_db()
    assert (subscription.kinds, subscription.frequency) == (
        ["minutes", "decisions"],
        "weekly",
    )
    client.post(url, {"subscription": subscription.pk, "do": "stop"})
    assert list(Subscription.objects.values_list("value", flat=True)) == [body.slug]
    unsubscribe = re.search(
        r'action="(/alerts/unsubscribe/[^"]+)"', client.get(url).content.decode()
    )
    assert unsubscribe
    assert "Delete my address" in client.get(unsubscribe.group(1)).content.decode()
    client.post(unsubscribe.group(1))
    assert not Subscriber.objects.exists()


def test_nothing_not_public_is_alerted(smtp_server: Any) -> None:
    body = factories.body()
    hidden = factories.body("Tasking Group", is_public=False)
    client = Client()
    _subscribe(
        client,
        smtp_server,
        target="keyword",
        value="Zanzibar",
        kinds=["agendas", "supplements", "minutes", "decisions"],
    )
    smtp_server.clear()
    meeting = _meeting(body, "Zanzibar public item")
    factories.item(
        factories.section(meeting, "C", "Exempt items"),
        "Zanzibar secret item",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=3,
    )
    services.agenda_publish(meeting=meeting)
    services.agenda_publish(meeting=_meeting(hidden, "Zanzibar closed body item"))
    assert alerts_send().sent == 1
    [alert] = smtp_server.messages
    mail = text_of(alert) + html_of(alert)
    assert "Zanzibar public item" in mail
    assert "secret" not in mail and "closed body" not in mail


def test_no_alert_before_a_scheduled_publication(smtp_server: Any) -> None:
    body = factories.body()
    _subscribe(Client(), smtp_server, target="body", value=body.slug, kinds="agendas")
    smtp_server.clear()
    now = timezone.now()
    services.agenda_publish(meeting=_meeting(body), at=now + dt.timedelta(hours=2))
    assert alerts_send(now=now).sent == 0
    assert smtp_server.messages == []
    assert alerts_send(now=now + dt.timedelta(hours=2, minutes=1)).sent == 1


def test_a_refused_message_is_retried_with_back_off(smtp_server: Any) -> None:
    body = factories.body()
    _subscribe(Client(), smtp_server, target="body", value=body.slug, kinds="agendas")
    smtp_server.clear()
    services.agenda_publish(meeting=_meeting(body))
    now = timezone.now()
    smtp_server.refuse_next(1)
    report = alerts_send(now=now)
    assert (report.sent, report.retrying) == (0, 1)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert "451" in delivery.last_error
    # Not before the back-off is over.
    assert alerts_send(now=now + BACKOFF / 2).sent == 0
    assert alerts_send(now=now + BACKOFF).sent == 1
    assert len(smtp_server.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_daily_digest_once_a_day_and_one_mail_per_event(smtp_server: Any) -> None:
    body = factories.body()
    client = Client()
    _subscribe(
        client,
        smtp_server,
        target="body",
        value=body.slug,
        kinds=["agendas"],
        frequency="daily",
    )
    # The same address also follows words the agenda holds, at once: it gets
    # the agenda once, not again in its digest.
    _subscribe(
        client, smtp_server, target="keyword", value="Zanzibar", kinds=["agendas"]
    )
    smtp_server.clear()
    services.agenda_publish(meeting=_meeting(body, "Zanzibar item"))
    services.agenda_publish(meeting=_later(body))
    morning = timezone.localtime().replace(hour=6, minute=0) + dt.timedelta(days=1)
    alerts_send(now=morning)
    subjects = [str(m["Subject"]) for m in smtp_server.messages]
    assert len(subjects) == 1 and subjects[0].startswith("Agenda:")
    report = alerts_send(now=morning.replace(hour=8))
    assert report.sent == 1
    digest = smtp_server.messages[-1]
    assert str(digest["Subject"]) == "KCSP daily alerts: 1 new item"
    assert "Other item" in text_of(digest) and "Zanzibar" not in text_of(digest)
    assert alerts_send(now=morning.replace(hour=9)).sent == 0


def _later(body: Any) -> Any:
    meeting = factories.coming_meeting(40, body)
    factories.item(factories.section(meeting), "Other item")
    return meeting


@pytest.mark.parametrize(
    ("token", "status", "says"),
    [("nonsense", 404, "This link does not work")],
)
def test_a_bad_link_gets_a_clear_page(token: str, status: int, says: str) -> None:
    client = Client()
    for name in ("kcsp:alert_confirm", "kcsp:alert_manage", "kcsp:alert_unsubscribe"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == status
        assert says in response.content.decode()


def test_an_expired_confirmation_link(smtp_server: Any, settings: Any) -> None:
    body = factories.body()
    client = Client()
    _ask(client, body)
    [link] = [x for x in links_in(smtp_server.messages[0]) if "/confirm/" in x]
    settings.ALERTS_CONFIRM_HOURS = 0
    response = client.post(_path(link))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_pages_of_a_confirmation_link_say_how_long_it_lasts(
    smtp_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.ALERTS_CONFIRM_HOURS = 12
    body = factories.body()
    client = Client()
    onward = reverse("kcsp:alerts")
    sent = _ask(client, body)
    assert "Follow it within 12 hours and press Confirm" in words(sent)
    assert f'href="{onward}"' in sent.content.decode()
    [mail] = smtp_server.messages
    assert "within 12 hours" in text_of(mail)
    [link] = [x for x in links_in(mail) if "/confirm/" in x]
    assert_link_problem(
        client.get(_path(link)[:-6] + "/"),
        status=404,
        says="copy the whole link from the e-mail",
        onward=onward,
    )
    links_read_later(monkeypatch, hours=13)
    for response in (client.get(_path(link)), client.post(_path(link))):
        assert_link_problem(
            response,
            status=410,
            says="This link has expired Confirmation links last 12 hours",
            onward=onward,
        )
    assert not Subscriber.objects.exists()


def test_form_errors_keep_what_was_typed_and_robots_are_ignored(
    smtp_server: Any, settings: Any
) -> None:
    body = factories.body()
    client = Client()
    page = client.get(reverse("kcsp:alerts"), {"body": body.slug})
    assert body.name in page.content.decode()
    response = _ask(client, body, email="not an address", kinds=[])
    text = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in text
    assert 'value="not an address"' in text
    assert "Choose at least one thing" in text
    # A robot fills in the field people never see: nothing is sent.
    _ask(client, body, website="http://spam.example")
    assert smtp_server.messages == []
    # Requests are limited per connection.
    settings.ALERTS_REQUESTS_PER_HOUR = 2
    for n in range(2):
        _ask(client, body, email=f"a{n}@example.org")
    refused = _ask(client, body, email="a3@example.org")
    assert refused.status_code == 429
    assert "Too many" in refused.content.decode()
    assert 'value="a3@example.org"' in refused.content.decode()
    assert len(smtp_server.messages) == 2
    # Something not public cannot be followed.
    hidden = factories.body("Tasking Group", is_public=False)
    assert client.get(reverse("kcsp:alerts"), {"body": hidden.slug}).status_code == 404


def test_action_updates_carry_no_private_words(
    smtp_server: Any, kfrs: Any, clerk: Any
) -> None:
    action = factories.resolution_action(kfrs)
    _subscribe(
        Client(),
        smtp_server,
        target="action",
        value=str(action.pk),
        kinds="action_updates",
    )
    smtp_server.clear()
    from kcsp import services as kcsp_services

    kcsp_services.action_post_update(
        action=action, by=clerk, text="Quokka private words", status="complete"
    )
    kcsp_services.action_post_update(
        action=action, by=clerk, text="Only words, nothing public changed"
    )
    assert alerts_send().sent == 1
    [alert] = smtp_server.messages
    assert "Status: Complete" in text_of(alert)
    assert "Quokka" not in text_of(alert) + html_of(alert)


def test_digests_are_due_from_the_digest_hour_weekly_on_mondays() -> None:
    from kcsp.alerts.sending import digest_key

    monday = dt.datetime(2026, 12, 7, 6, 59, tzinfo=LONDON)
    assert digest_key("daily", monday) is None
    assert digest_key("weekly", monday) is None
    at_seven = monday.replace(hour=7, minute=0)
    assert digest_key("daily", at_seven) == "daily-2026-12-07"
    assert digest_key("weekly", at_seven) == "weekly-2026-W50"
    tuesday = at_seven + dt.timedelta(days=1)
    assert digest_key("daily", tuesday) == "daily-2026-12-08"
    assert digest_key("weekly", tuesday) is None


def test_old_records_of_e_mails_are_forgotten(smtp_server: Any) -> None:
    body = factories.body()
    _subscribe(Client(), smtp_server, target="body", value=body.slug, kinds="agendas")
    services.agenda_publish(meeting=_meeting(body))
    alerts_send()
    assert Delivery.objects.filter(status=Delivery.Status.SENT).count() == 1
    alerts_send(now=timezone.now() + dt.timedelta(days=91))
    assert not Delivery.objects.exists()


def test_one_address_gets_at_most_so_many_e_mails_an_hour(
    smtp_server: Any, settings: Any
) -> None:
    settings.ALERTS_PER_ADDRESS_PER_HOUR = 1
    body = factories.body()
    _subscribe(Client(), smtp_server, target="body", value=body.slug, kinds="agendas")
    smtp_server.clear()
    services.agenda_publish(meeting=_meeting(body))
    services.agenda_publish(meeting=_later(body))
    now = timezone.now()
    report = alerts_send(now=now)
    assert (report.sent, report.waiting) == (1, 1)
    assert alerts_send(now=now + dt.timedelta(minutes=30)).sent == 0
    assert alerts_send(now=now + dt.timedelta(minutes=61)).sent == 1
    assert len(smtp_server.messages) == 2


def _followers(
    body: Any, count: int, start: int = 0, at: dt.datetime | None = None
) -> list[str]:
    """`count` confirmed addresses following `body`'s agendas at once."""
    at = at or timezone.now() - dt.timedelta(days=1)
    emails = [f"reader{n}@example.org" for n in range(start, start + count)]
    for email in emails:
        subscriber = Subscriber.objects.create(email=email, consented_at=at)
        Subscription.objects.create(
            subscriber=subscriber,
            target="body",
            value=body.slug,
            kinds=["agendas"],
            consented_at=at,
        )
    return emails


def _queries_to_send(body: Any, title: str) -> int:
    services.agenda_publish(meeting=_meeting(body, title))
    with CaptureQueriesContext(connection) as queries:
        alerts_send()
    return len(queries)


def test_the_queries_of_a_run_do_not_grow_with_the_subscribers(
    smtp_server: Any,
) -> None:
    body = factories.body()
    _followers(body, 2)
    few = _queries_to_send(body, "Zanzibar first agenda")
    # Those who confirm after the first agenda are sent the second alone.
    _followers(body, 40, start=2, at=timezone.now())
    many = _queries_to_send(body, "Zanzibar second agenda")
    assert many == few
    assert len(smtp_server.messages) == 2 + 42
    # Each address's own links, though the e-mail was rendered once.
    last = smtp_server.messages[-42:]
    unsubscribe = {str(m["List-Unsubscribe"]) for m in last}
    assert len(unsubscribe) == 42
    for message in last:
        link = str(message["List-Unsubscribe"]).strip("<>")
        assert link in text_of(message)
        assert link in html_of(message)
        assert "@@" not in text_of(message) + html_of(message)


def test_a_refused_address_is_recorded_as_failed_for_an_administrator(
    smtp_server: Any, administrator: Any, clerk: Any
) -> None:
    body = factories.body()
    gone, kept = _followers(body, 2)
    smtp_server.unknown.add(gone)
    services.agenda_publish(meeting=_meeting(body))
    report = alerts_send()
    assert (report.sent, report.failed, report.retrying) == (1, 1, 0)
    assert [str(m["To"]) for m in smtp_server.messages] == [kept]
    failed = Delivery.objects.get(subscriber__email=gone)
    assert failed.status == Delivery.Status.FAILED
    assert "550" in failed.last_error
    # A later run does not try it again.
    assert alerts_send(now=timezone.now() + dt.timedelta(hours=2)).sent == 0

    listing = reverse("admin:kcsp_delivery_changelist") + "?status__exact=failed"
    client = Client()
    client.force_login(administrator)
    page = client.get(listing).content.decode()
    assert gone in page
    assert "No such mailbox" in page
    assert kept not in page
    client.force_login(clerk)
    assert gone not in client.get(listing).content.decode()
