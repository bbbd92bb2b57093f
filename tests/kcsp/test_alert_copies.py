"""A body's agenda e-mailed to its members on publication, and a partnership
followed by e-mail: sent through a real SMTP server (tests/mailserver.py)
and read back."""

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.alerts.sending import alerts_queue, alerts_send, deliveries_send
from kcsp.models import Delivery
from kcsp.visibility import Visibility
from meetings import services
from meetings.models import Membership
from tests import factories
from tests.kcsp.test_alerts import _meeting, _subscribe
from tests.mailserver import html_of, links_in, text_of

pytestmark = pytest.mark.django_db

CHAIR = "chair@example.org"
MEMBER = "member@example.org"


def _body_with_members(**kw: Any) -> Any:
    """A body that e-mails its agendas to members: two members with an
    address, one with none, and one who has left."""
    kw.setdefault("agenda_to_members", True)
    body = factories.body(clerk_email="clerk@example.org", **kw)
    today = timezone.localdate()
    for surname, email, end in [
        ("Hill", CHAIR.upper(), None),
        ("Rivers", MEMBER, None),
        ("Noaddress", "", None),
        ("Gone", "former@example.org", today - dt.timedelta(days=30)),
    ]:
        Membership.objects.create(
            body=body,
            person=factories.person(surname, email=email),
            start=today - dt.timedelta(days=400),
            end=end,
        )
    return body


def test_members_get_the_agenda_at_its_publication_time_not_before(
    smtp_server: Any,
) -> None:
    body = _body_with_members()
    meeting = _meeting(body, "Kent Community Safety Agreement refresh")
    now = timezone.now()
    services.agenda_publish(meeting=meeting, at=now + dt.timedelta(hours=2))
    assert alerts_send(now=now).sent == 0
    assert smtp_server.messages == []

    later = now + dt.timedelta(hours=2, minutes=1)
    assert alerts_send(now=later).sent == 2
    assert sorted(str(m["To"]) for m in smtp_server.messages) == [CHAIR, MEMBER]
    message = smtp_server.to(MEMBER)[0]
    assert str(message["Subject"]).startswith(f"Agenda: {body.name}")
    text, html = text_of(message), html_of(message)
    for part in (text, html):
        assert f"as a member of the {body.name}" in part
        assert "Kent Community Safety Agreement refresh" in part
        # How to stop it: the clerk, since nobody subscribed.
        assert "ask the clerk (Denise Fitch, clerk@example.org)" in part
    found = links_in(message)
    assert any(link.endswith(meeting.get_absolute_url()) for link in found)
    pdf = reverse("meetings:agenda_pdf", args=[body.slug, meeting.url_key])
    assert any(link.endswith(pdf) for link in found)
    assert any(link.endswith(reverse("login")) for link in found)
    assert "List-Unsubscribe" not in message
    assert not [link for link in found if "/alerts/" in link]
    # Recorded like any e-mail, with the address and no subscriber.
    copies = Delivery.objects.filter(kind=Delivery.Kind.COPY)
    assert sorted(copies.values_list("email", "subscriber", "status")) == [
        (CHAIR, None, "sent"),
        (MEMBER, None, "sent"),
    ]
    # A second run sends nothing again.
    assert alerts_send(now=later + dt.timedelta(minutes=5)).sent == 0


def test_a_body_that_does_not_e_mail_its_agendas_sends_members_nothing(
    smtp_server: Any,
) -> None:
    body = _body_with_members(agenda_to_members=False)
    services.agenda_publish(meeting=_meeting(body))
    assert alerts_send().sent == 0
    assert smtp_server.messages == []
    # Once it does, the agenda of the coming meeting is sent, but not that of
    # a meeting already held.
    body.agenda_to_members = True
    body.save()
    held = factories.meeting(body)
    factories.item(factories.section(held), "Held item")
    services.agenda_publish(meeting=held)
    assert alerts_send().sent == 2
    assert {str(m["To"]) for m in smtp_server.messages} == {CHAIR, MEMBER}
    assert all("Held item" not in text_of(m) for m in smtp_server.messages)


def test_a_member_who_also_follows_the_body_gets_one_e_mail(
    smtp_server: Any,
) -> None:
    body = _body_with_members()
    client = Client()
    for target, value in [("body", body.slug), ("keyword", "Zanzibar")]:
        _subscribe(
            client,
            smtp_server,
            email=MEMBER,
            target=target,
            value=value,
            kinds="agendas",
        )
    smtp_server.clear()
    services.agenda_publish(meeting=_meeting(body, "Zanzibar item"))
    assert alerts_send().sent == 2
    [copy] = smtp_server.to(MEMBER)
    assert "as a member of" in text_of(copy)
    assert Delivery.objects.filter(email=MEMBER).count() == 1


def test_a_member_copy_holds_nothing_the_public_may_not_see(
    smtp_server: Any,
) -> None:
    body = _body_with_members()
    meeting = _meeting(body, "Zanzibar public item")
    public_item = meeting.items.get()
    factories.item(
        factories.section(meeting, "C", "Exempt items"),
        "Quokka exempt item",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=3,
        description="Quokka exempt details",
    )
    factories.document(
        meeting,
        public_item,
        "Quokka partners' paper",
        visibility=Visibility.RESTRICTED,
    )
    services.agenda_publish(meeting=meeting)
    alerts_send()
    assert len(smtp_server.messages) == 2
    for message in smtp_server.messages:
        mail = text_of(message) + html_of(message)
        assert "Zanzibar public item" in mail
        assert "Quokka" not in mail


def test_a_member_who_leaves_before_it_is_sent_is_sent_nothing(
    smtp_server: Any,
) -> None:
    body = _body_with_members()
    services.agenda_publish(meeting=_meeting(body))
    now = timezone.now()
    assert alerts_queue(now=now) == 2
    Membership.objects.filter(person__email=MEMBER).update(
        end=timezone.localdate() - dt.timedelta(days=1)
    )
    assert deliveries_send(now=now).sent == 1
    assert [str(m["To"]) for m in smtp_server.messages] == [CHAIR]
    dropped = Delivery.objects.get(email=MEMBER)
    assert dropped.status == Delivery.Status.DROPPED


def test_a_refused_member_copy_is_retried(smtp_server: Any) -> None:
    body = _body_with_members()
    services.agenda_publish(meeting=_meeting(body))
    now = timezone.now()
    smtp_server.refuse_next(1)
    report = alerts_send(now=now)
    assert (report.sent, report.retrying) == (1, 1)
    later = alerts_send(now=now + dt.timedelta(minutes=5))
    assert later.sent == 1
    assert {str(m["To"]) for m in smtp_server.messages} == {CHAIR, MEMBER}


def test_following_a_partnership_matches_only_its_own_content(
    smtp_server: Any,
) -> None:
    dover = factories.partnership("Dover")
    dover_board = factories.body("Dover CSP Board", partnership=dover)
    county_board = factories.body()
    client = Client()
    page = client.get(reverse("kcsp:partnership", args=[dover.slug]))
    [link] = [
        line
        for line in page.content.decode().splitlines()
        if "Get e-mail alerts" in line
    ]
    assert f"/alerts/?partnership={dover.slug}" in link
    form = client.get(reverse("kcsp:alerts"), {"partnership": dover.slug})
    assert dover.name in form.content.decode()
    assert dover.name in client.get(reverse("kcsp:alerts")).content.decode()
    _subscribe(
        client,
        smtp_server,
        target="partnership",
        value=dover.slug,
        kinds=["agendas", "minutes", "decisions"],
    )
    smtp_server.clear()
    services.agenda_publish(meeting=_meeting(dover_board, "Dover harbour item"))
    services.agenda_publish(meeting=_meeting(county_board, "County item"))
    assert alerts_send().sent == 1
    [alert] = smtp_server.messages
    assert str(alert["Subject"]).startswith("Agenda: Dover CSP Board")
    assert "Dover harbour item" in text_of(alert)
    assert "County item" not in text_of(alert) + html_of(alert)
    # Its e-mail links to the agenda's PDF too, and can be unsubscribed.
    assert any(link.endswith("agenda.pdf") for link in links_in(alert))
    assert "List-Unsubscribe" in alert


def test_a_partnership_that_does_not_exist_cannot_be_followed() -> None:
    response = Client().get(reverse("kcsp:alerts"), {"partnership": "nowhere"})
    assert response.status_code == 404
    assert "Nothing to follow here" in response.content.decode()


def test_the_body_setting_is_on_the_back_office_body_screen(
    administrator: Any, clerk: Any
) -> None:
    url = reverse("admin:meetings_body_change", args=[factories.body().pk])
    for user in (administrator, clerk):
        client = Client()
        client.force_login(user)
        text = client.get(url).content.decode()
        assert "E-mail the agenda to members" in text, user
        assert 'name="agenda_to_members"' in text, user


def test_the_clerk_sees_which_members_are_sent_the_agenda(clerk: Any) -> None:
    body = _body_with_members()
    client = Client()
    client.force_login(clerk)
    url = reverse("manage:members", args=[body.slug])
    text = client.get(url).content.decode()
    assert "Each agenda is e-mailed to the members below" in text
    assert "Mr Noaddress (no e-mail address)" in text
    assert "Mr Rivers (no e-mail address)" not in text
    body.agenda_to_members = False
    body.save()
    text = client.get(url).content.decode()
    assert "Agendas are not e-mailed to the members" in text
    assert "(no e-mail address)" not in text


@pytest.mark.django_db(transaction=True)
def test_migrating_gives_each_recorded_e_mail_its_address() -> None:
    before = [("kcsp", "0015_email_alerts")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    at = timezone.now()
    subscriber = old.get_model("kcsp", "Subscriber").objects.create(
        email=MEMBER, consented_at=at
    )
    old.get_model("kcsp", "Delivery").objects.create(
        subscriber=subscriber, key="agenda-1", next_attempt_at=at, created_at=at
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    delivery = Delivery.objects.get()
    assert (delivery.email, delivery.kind) == (MEMBER, Delivery.Kind.ALERT)
    assert delivery.subscriber_id == subscriber.pk
