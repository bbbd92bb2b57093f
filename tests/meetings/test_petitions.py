"""Petitions: started and signed without an account, each confirmed
through the link e-mailed by the real SMTP server (tests/mailserver.py);
checked, put on an agenda and answered in the clerk's workspace; only
confirmed signatures counted, signers' details on no public page, and the
retention job deleting exactly the details due."""

import datetime as dt
import re
import time
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.models import RetentionDeletion
from kcsp.roles import Role
from meetings import services
from meetings.models import AgendaItem, Petition, PetitionSignature
from tests import factories
from tests.helpers import assert_link_problem, links_read_later, words
from tests.mailserver import links_in, text_of

pytestmark = pytest.mark.django_db

PETITIONER = "Mrs Winifred Alderholt"
PETITIONER_EMAIL = "alderholt@example.org"
TITLE = "Safer crossing outside Hextable primary school"
REQUEST = "We ask the partnership to fund a staffed crossing on College Road."
REASONS = "Children cross a busy road at peak times; there have been near misses."
SIGNERS = [
    ("Mr Ptolemy Quarrendon", "ME14 1XQ", "quarrendon@example.org"),
    ("Ms Harriet Bewlay", "tn23 1aa", "bewlay@example.org"),
]


def _path(url: str) -> str:
    return urlsplit(url).path


def _confirm_link(smtp_server: Any) -> str:
    [link] = [x for x in links_in(smtp_server.messages[-1]) if "/confirm/" in x]
    return _path(link)


@pytest.fixture
def body() -> Any:
    return factories.body(accepts_petitions=True, petition_threshold=2)


@pytest.fixture
def clerk_client() -> Client:
    client = Client()
    client.force_login(factories.user("petitionclerk", Role.CLERK))
    return client


def _start(client: Client, to: Any, **kw: Any) -> Any:
    data = {
        "body": str(to.pk),
        "title": TITLE,
        "request": REQUEST,
        "reasons": REASONS,
        "name": PETITIONER,
        "email": PETITIONER_EMAIL,
        **kw,
    }
    return client.post(reverse("meetings:petition_new"), data)


def _sign(client: Client, petition: Any, name: str, postcode: str, email: str) -> Any:
    return client.post(
        reverse("meetings:petition_sign", args=[petition.pk]),
        {"name": name, "postcode": postcode, "email": email},
    )


def _open_petition(body: Any, **kw: Any) -> Petition:
    today = timezone.localdate()
    fields = {
        "title": TITLE,
        "request": REQUEST,
        "name": PETITIONER,
        "email": PETITIONER_EMAIL,
        "status": Petition.Status.OPEN,
        "opens_on": today,
        "closes_on": today + dt.timedelta(days=30),
        **kw,
    }
    return Petition.objects.create(body=body, **fields)


def _signed(client: Client, petition: Petition) -> int:
    """The count the public page shows."""
    page = client.get(petition.get_absolute_url()).content.decode()
    found = re.search(r"(\d+) signatures?</strong> \(confirmed", page)
    assert found, page
    return int(found.group(1))


def _public_text(petition: Petition) -> str:
    client = Client()
    pages = [
        reverse("meetings:petitions"),
        petition.get_absolute_url(),
        reverse("meetings:petition_sign", args=[petition.pk]),
    ]
    return "".join(client.get(p).content.decode() for p in pages)


def test_started_confirmed_published_signed_counted_and_answered(
    body: Any, smtp_server: Any, clerk_client: Client
) -> None:
    public = Client()
    # Started: held until confirmed, on no public page and not in the queue.
    response = _start(public, body)
    assert "Check your e-mail" in response.content.decode()
    petition = Petition.objects.get()
    assert petition.status == Petition.Status.UNCONFIRMED
    [mail] = smtp_server.messages
    assert str(mail["Subject"]) == f"Confirm your petition to {body.name}"
    assert REQUEST in text_of(mail)
    assert TITLE not in public.get(reverse("meetings:petitions")).content.decode()
    assert public.get(petition.get_absolute_url()).status_code == 404
    assert TITLE not in clerk_client.get(reverse("manage:petitions")).content.decode()
    # A visit (a mail scanner's) only shows the button; pressing it confirms.
    link = _confirm_link(smtp_server)
    assert "Confirm your petition" in public.get(link).content.decode()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.UNCONFIRMED
    assert "your petition is confirmed" in public.post(link).content.decode()
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CHECKING
    assert public.get(petition.get_absolute_url()).status_code == 404

    # The clerk publishes it.
    queue = clerk_client.get(reverse("manage:petitions")).content.decode()
    assert TITLE in queue
    assert "Awaiting checking by the clerk" in queue
    manage = reverse("manage:petition", args=[petition.pk])
    response = clerk_client.post(manage, {"action": "publish", "closes_on": ""})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Petition.Status.OPEN
    assert petition.closes_on == timezone.localdate() + dt.timedelta(
        days=body.petition_days
    )
    assert "open for signatures" in text_of(smtp_server.messages[-1])
    page = public.get(petition.get_absolute_url()).content.decode()
    assert REQUEST in page and REASONS in page and PETITIONER in page
    assert _signed(public, petition) == 0

    # Signed: counted only once confirmed.
    name, postcode, email = SIGNERS[0]
    assert (
        "Check your e-mail"
        in _sign(public, petition, name, postcode, email).content.decode()
    )
    signature = PetitionSignature.objects.get()
    assert signature.postcode == "ME14 1XQ"
    assert _signed(public, petition) == 0
    link = _confirm_link(smtp_server)
    assert "your signature is confirmed" in public.post(link).content.decode()
    assert _signed(public, petition) == 1
    # A second visit to the link counts nothing more.
    public.post(link)
    assert _signed(public, petition) == 1
    # The same address is refused, whatever its capitals.
    refused = _sign(public, petition, "Someone Else", "ME14 1XQ", email.upper())
    assert refused.status_code == 400
    assert "already signed" in refused.content.decode()

    # The threshold (2) reached: on the clerk's dashboard.
    name, postcode, email = SIGNERS[1]
    _sign(public, petition, name, postcode, email)
    public.post(_confirm_link(smtp_server))
    page = public.get(petition.get_absolute_url()).content.decode()
    assert _signed(public, petition) == 2 and "has reached 2 signatures" in page
    dashboard = clerk_client.get(reverse("manage:dashboard")).content.decode()
    assert "Petitions that reached the threshold" in dashboard
    assert TITLE in dashboard

    # Put on a coming meeting's agenda, through the agenda services.
    meeting = factories.coming_meeting(21, body)
    factories.section(meeting, "B", "Items for consideration")
    response = clerk_client.post(
        manage, {"action": "agenda", "meeting": str(meeting.pk)}
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    assert item.title == f"Petition: {TITLE}" and item.reference == "B1"
    dashboard = clerk_client.get(reverse("manage:dashboard")).content.decode()
    assert "Petitions that reached the threshold" not in dashboard
    assert meeting.when in public.get(petition.get_absolute_url()).content.decode()

    # The response, published with the petition.
    answer = "The partnership will fund a crossing patrol from April."
    clerk_client.post(manage, {"action": "respond", "response": answer})
    page = public.get(petition.get_absolute_url()).content.decode()
    assert answer in page and "The response" in page
    listed = public.get(reverse("meetings:petitions") + "?state=responded")
    assert TITLE in listed.content.decode()
    # Signers' names, postcodes and addresses, and the petitioner's address,
    # are on no public page.
    text = _public_text(petition)
    for name, _postcode, email in SIGNERS:
        assert name not in text and email not in text
    assert "ME14 1XQ" not in text and "TN23 1AA" not in text
    assert PETITIONER_EMAIL not in text
    # The clerk sees them.
    staff = clerk_client.get(manage).content.decode()
    assert SIGNERS[0][0] in staff and "TN23 1AA" in staff


def test_unconfirmed_signatures_are_never_counted_or_shown(body: Any) -> None:
    petition = _open_petition(body)
    PetitionSignature.objects.create(
        petition=petition,
        name="Mr Unconfirmed Wibberley",
        postcode="CT1 2EH",
        email="wibberley@example.org",
    )
    text = _public_text(petition)
    assert _signed(Client(), petition) == 0
    assert "Wibberley" not in text and "CT1 2EH" not in text


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(
    body: Any, smtp_server: Any
) -> None:
    response = _start(Client(), body, email="not-an-address", title="")
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert REQUEST in text and PETITIONER in text
    petition = _open_petition(body)
    response = _sign(Client(), petition, "Mr Ivo Pellow", "NOT A CODE", "p@example.org")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Enter a UK postcode" in text and "Mr Ivo Pellow" in text
    assert not smtp_server.messages


def test_the_honeypot_and_the_rate_limit(
    body: Any, smtp_server: Any, settings: Any
) -> None:
    response = _start(Client(), body, website="http://spam.example")
    assert "Check your e-mail" in response.content.decode()
    assert not Petition.objects.exists() and not smtp_server.messages
    settings.PETITIONS_PER_HOUR = 1
    petition = _open_petition(body)
    client = Client()
    assert _sign(client, petition, *SIGNERS[0]).status_code == 200
    refused = _sign(client, petition, *SIGNERS[1])
    assert refused.status_code == 429
    assert "Too many" in refused.content.decode()


def test_closed_petitions_and_bodies_take_nothing(body: Any, smtp_server: Any) -> None:
    today = timezone.localdate()
    petition = _open_petition(
        body,
        opens_on=today - dt.timedelta(days=40),
        closes_on=today - dt.timedelta(days=1),
    )
    response = _sign(Client(), petition, *SIGNERS[0])
    assert response.status_code == 400
    assert "takes no more signatures" in response.content.decode()
    assert services.petitions_close(today=today) == 1
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLOSED
    body.accepts_petitions = False
    body.save()
    assert _start(Client(), body).status_code == 404
    assert not smtp_server.messages


def test_bad_and_expired_links(body: Any, smtp_server: Any, settings: Any) -> None:
    assert Client().get("/petitions/confirm/nonsense/").status_code == 404
    assert Client().post("/petitions/signatures/confirm/x/").status_code == 404
    petition = _open_petition(body)
    _sign(Client(), petition, *SIGNERS[0])
    link = _confirm_link(smtp_server)
    settings.PETITION_CONFIRM_HOURS = 0
    time.sleep(1)
    response = Client().post(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert PetitionSignature.objects.get().confirmed_at is None


def test_the_pages_of_a_confirmation_link_say_how_long_it_lasts(
    body: Any, smtp_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.PETITION_CONFIRM_HOURS = 12
    petitions = reverse("meetings:petitions")
    started = _start(Client(), body)
    assert "Follow it within 12 hours and press Confirm" in words(started)
    assert f'href="{petitions}"' in started.content.decode()
    start_link = _confirm_link(smtp_server)
    petition = _open_petition(body)
    signed = _sign(Client(), petition, *SIGNERS[0])
    assert "Follow it within 12 hours and press Confirm" in words(signed)
    assert f'href="{petition.get_absolute_url()}"' in signed.content.decode()
    sign_link = _confirm_link(smtp_server)
    for link in (start_link, sign_link):
        assert_link_problem(
            Client().get(link[:-6] + "/"),
            status=404,
            says="copy the whole link from the e-mail",
            onward=petitions,
        )
    links_read_later(monkeypatch, hours=13)
    for link, onward in (
        (start_link, petitions),
        (sign_link, petition.get_absolute_url()),
    ):
        assert_link_problem(
            Client().post(link),
            status=410,
            says="This link has expired Confirmation links last 12 hours",
            onward=onward,
        )
    started = Petition.objects.exclude(pk=petition.pk).get()
    assert started.status == Petition.Status.UNCONFIRMED
    assert PetitionSignature.objects.get().confirmed_at is None


def test_a_second_link_for_an_address_that_signed_is_refused(
    body: Any, smtp_server: Any
) -> None:
    petition = _open_petition(body)
    _sign(Client(), petition, *SIGNERS[0])
    first = _confirm_link(smtp_server)
    _sign(Client(), petition, *SIGNERS[0])
    second = _confirm_link(smtp_server)
    assert Client().post(first).status_code == 200
    assert_link_problem(
        Client().post(second),
        status=400,
        says="already signed",
        onward=petition.get_absolute_url(),
    )
    assert PetitionSignature.objects.filter(confirmed_at__isnull=False).count() == 1


def test_rejected_with_a_reason_told_to_the_petitioner(
    body: Any, smtp_server: Any, clerk_client: Client
) -> None:
    petition = _open_petition(
        body, status=Petition.Status.CHECKING, opens_on=None, closes_on=None
    )
    manage = reverse("manage:petition", args=[petition.pk])
    # No reason: the clerk is told, nothing changes.
    response = clerk_client.post(manage, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    reason = "It is about a matter the partnership has no power over."
    clerk_client.post(manage, {"action": "reject", "reason": reason})
    petition.refresh_from_db()
    assert petition.status == Petition.Status.REJECTED
    assert reason in text_of(smtp_server.messages[-1])
    assert Client().get(petition.get_absolute_url()).status_code == 404


def test_putting_on_a_published_agenda_asks_for_the_urgency_and_keeps_it(
    body: Any, clerk_client: Client
) -> None:
    petition = _open_petition(body)
    meeting = factories.coming_meeting(14, body)
    meeting.agenda_published_at = timezone.now()
    meeting.save()
    manage = reverse("manage:petition", args=[petition.pk])
    response = clerk_client.post(
        manage, {"action": "agenda", "meeting": str(meeting.pk), "urgency_reason": ""}
    )
    assert response.status_code == 400
    assert "urgent business" in response.content.decode()
    response = clerk_client.post(
        manage,
        {"action": "agenda", "meeting": str(meeting.pk), "urgency_reason": "Deadline."},
    )
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting).is_urgent


def test_a_clerk_of_another_partnership_gets_no_petition(body: Any) -> None:
    petition = _open_petition(body)
    dover = factories.user(
        "doverclerk", Role.CLERK, clerk_of=[factories.partnership("Dover")]
    )
    client = Client()
    client.force_login(dover)
    assert TITLE not in client.get(reverse("manage:petitions")).content.decode()
    manage = reverse("manage:petition", args=[petition.pk])
    assert client.get(manage).status_code == 404
    assert (
        client.post(manage, {"action": "respond", "response": "x"}).status_code == 404
    )


@pytest.mark.parametrize("action", ["", "explode", "agenda", "publish"])
def test_the_clerks_bad_posts_are_told_not_errors(
    body: Any, clerk_client: Client, action: str
) -> None:
    petition = _open_petition(body)
    manage = reverse("manage:petition", args=[petition.pk])
    response = clerk_client.post(
        manage, {"action": action, "meeting": "99999999999999999999", "closes_on": "x"}
    )
    assert response.status_code in (200, 400)


def test_retention_deletes_the_details_due_and_keeps_the_count(
    body: Any, settings: Any
) -> None:
    settings.PETITION_DATA_RETENTION_DAYS = 30
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=200)
    due = _open_petition(
        body,
        title="Closed long ago",
        status=Petition.Status.CLOSED,
        opens_on=long_ago,
        closes_on=today - dt.timedelta(days=31),
    )
    kept = _open_petition(
        body,
        title="Closed lately",
        email="kept@example.org",
        status=Petition.Status.CLOSED,
        opens_on=long_ago,
        closes_on=today - dt.timedelta(days=30),
    )
    still_open = _open_petition(body, title="Still open", email="open@example.org")
    now = timezone.now()
    for petition in (due, kept, still_open):
        for n in range(3):
            PetitionSignature.objects.create(
                petition=petition,
                name=f"Signer {n}",
                postcode="ME14 1XQ",
                email=f"s{n}-{petition.pk}@example.org",
                confirmed_at=now,
            )
        PetitionSignature.objects.create(
            petition=petition, name="Never", postcode="ME1 1AA", email="n@example.org"
        )
    assert services.petition_personal_data_expire(today=today) == 1
    due.refresh_from_db()
    assert due.email == "" and due.personal_data_deleted_at is not None
    signatures = PetitionSignature.objects.filter(petition=due)
    assert signatures.count() == 3
    assert set(signatures.values_list("name", "postcode", "email")) == {("", "", "")}
    assert selectors_count(due) == 3
    for other in (kept, still_open):
        other.refresh_from_db()
        assert other.email
        assert PetitionSignature.objects.filter(petition=other, name="Never").exists()
        assert not PetitionSignature.objects.filter(petition=other, name="").exists()
    log = list(RetentionDeletion.objects.order_by("kind"))
    assert [(e.kind, e.record_id) for e in log] == [
        ("meetings.petition.email", due.pk),
        ("meetings.petitionsignature", due.pk),
    ]
    assert log[1].kept_until == due.closes_on + dt.timedelta(days=30)
    assert "3 signatures" in log[1].description
    # A second run deletes nothing more.
    assert services.petition_personal_data_expire(today=today) == 0
    assert _signed(Client(), due) == 3
    # The daily job runs it, and closes petitions on their closing date.
    from kcsp.registry import daily_jobs

    jobs = dict(daily_jobs())
    job = "retention: petition signatures and petitioners' e-mail addresses"
    assert jobs[job](today) == 0
    assert jobs["petitions: close on the closing date"](today) == 0


def selectors_count(petition: Petition) -> int:
    from meetings import selectors

    return selectors.petition_for_page(pk=petition.pk, user=None).signed


def test_an_unconfirmed_petition_goes_after_the_period(
    body: Any, settings: Any
) -> None:
    settings.PETITION_DATA_RETENTION_DAYS = 30
    old = Petition.objects.create(
        body=body, title="Never confirmed", request="x", name="A", email="a@example.org"
    )
    Petition.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )
    fresh = Petition.objects.create(
        body=body, title="Just started", request="x", name="B", email="b@example.org"
    )
    assert services.petition_personal_data_expire(today=timezone.localdate()) == 1
    assert list(Petition.objects.all()) == [fresh]
    assert RetentionDeletion.objects.get().kind == "meetings.petition.unconfirmed"


def test_the_privacy_notice_says_what_is_kept_and_for_how_long(settings: Any) -> None:
    settings.PETITION_DATA_RETENTION_DAYS = 120
    text = Client().get(reverse("kcsp:privacy")).content.decode()
    assert "name, postcode and e-mail address" in text
    assert "120 days after the petition closes" in text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "\x00"),
        ("email", "x" * 10_000),
        ("postcode", "é𝔘\u202e😀"),
        ("body", "9223372036854775808"),
        ("title", "x" * 10_000),
        ("request", "\x00"),
    ],
)
def test_hostile_input_gets_a_message_not_an_error(
    body: Any, smtp_server: Any, field: str, value: str
) -> None:
    response = _start(Client(), body, **{field: value})
    assert response.status_code in (200, 400)
    petition = _open_petition(body)
    data = dict(zip(("name", "postcode", "email"), SIGNERS[0], strict=True))
    data[field] = value
    response = _sign(Client(), petition, data["name"], data["postcode"], data["email"])
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "There is a problem" in response.content.decode()


def test_the_lists_cost_the_same_queries_however_many_petitions(
    body: Any, clerk_client: Client
) -> None:
    from tests.helpers import queries_for

    def add(n: int) -> None:
        for i in range(n):
            petition = _open_petition(body, title=f"Petition {i}")
            PetitionSignature.objects.create(
                petition=petition,
                name="A",
                postcode="ME14 1XQ",
                email=f"{i}@example.org",
                confirmed_at=timezone.now(),
            )

    add(1)
    urls = [reverse("meetings:petitions"), reverse("manage:petitions")]
    few = [queries_for(clerk_client, url) for url in urls]
    add(12)
    assert [queries_for(clerk_client, url) for url in urls] == few
    dashboard = queries_for(clerk_client, reverse("manage:dashboard"))
    add(5)
    assert queries_for(clerk_client, reverse("manage:dashboard")) == dashboard


def test_the_sitemaps_list_published_petitions_only(body: Any) -> None:
    from tests.kcsp.test_sitemap import addresses

    published = _open_petition(body)
    unchecked = _open_petition(
        body, title="Awaiting checking", status=Petition.Status.CHECKING
    )
    rejected = _open_petition(
        body,
        title="Rejected one",
        status=Petition.Status.REJECTED,
        reject_reason="Not a partnership matter.",
    )
    listed = addresses(Client())
    assert published.get_absolute_url() in listed
    assert reverse("meetings:petitions") in listed
    assert unchecked.get_absolute_url() not in listed
    assert rejected.get_absolute_url() not in listed

    county = body.partnership
    own = addresses(Client(), reverse("kcsp:partnership_sitemap", args=[county.slug]))
    assert published.get_absolute_url() in own
    assert f"{reverse('meetings:petitions')}?partnership={county.slug}" in own
    elsewhere = factories.partnership("Dover")
    theirs = addresses(
        Client(), reverse("kcsp:partnership_sitemap", args=[elsewhere.slug])
    )
    assert published.get_absolute_url() not in theirs
