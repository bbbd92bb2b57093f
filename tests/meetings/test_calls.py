"""Councillor Calls for Action: recorded by the clerk, put before the crime
and disorder committee under an agenda item, decided, or withdrawn or
refused; public once the agenda carrying the call is published, and on no
public surface (page, list, sitemap, search, feeds) before."""

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kcsp.roles import Role
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import CallForAction
from tests import factories

pytestmark = pytest.mark.django_db

TITLE = "Drug dealing in Tannery Lane underpass"
MATTER = "Residents see dealing in the underpass most afternoons after school."
TRIED = "Raised with the neighbourhood policing team in March; two visits followed."
WEEKS_AGO = timezone.localdate() - dt.timedelta(weeks=6)
OUTCOME = "Recommended that the district council improve lighting in the underpass."


@pytest.fixture
def committee() -> Any:
    return factories.body(
        "Crime and Disorder Committee",
        kind="scrutiny_committee",
    )


@pytest.fixture
def member() -> Any:
    return factories.person("Quennell", title="Councillor", initials="A B")


@pytest.fixture
def clerk() -> Client:
    client = Client()
    client.force_login(factories.user("callsclerk", Role.CLERK))
    return client


def text(response: Any) -> str:
    """A page's words as a reader sees them."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(words)).replace(" .", ".")


def _coming(committee: Any, days: int = 30) -> Any:
    meeting = factories.coming_meeting(days, committee)
    factories.item(factories.section(meeting, "A", "Committee business"), "Apologies")
    return meeting


def _record(clerk: Client, committee: Any, who: Any, **overrides: str) -> Any:
    data = {
        "body": str(committee.pk),
        "member": str(who.pk),
        "area": "Tonbridge North division",
        "title": TITLE,
        "matter": MATTER,
        "tried": TRIED,
        "received_on": WEEKS_AGO.strftime("%d/%m/%Y"),
        **overrides,
    }
    return clerk.post(reverse("manage:call_new"), data)


def _received(committee: Any, member: Any, **fields: Any) -> CallForAction:
    """A call recorded through the service, received today."""
    values = {
        "area": "Dover",
        "title": TITLE,
        "matter": MATTER,
        "tried": TRIED,
        "received_on": timezone.localdate(),
        **fields,
    }
    return services.call_record(body=committee, member=member, **values)


def _public_surfaces(call: CallForAction) -> dict[str, str]:
    """What the public read of the call's list, page, sitemap, search and
    feeds (the page's text, or its status when refused)."""
    client = Client()
    pages = {
        "list": reverse("meetings:calls"),
        "page": reverse("meetings:call", args=[call.pk]),
        "sitemap": "/sitemap.xml",
        "search": f"{reverse('kcsp:search')}?q=Tannery",
        "agendas feed": reverse("feeds:agendas_rss"),
        "decisions feed": reverse("feeds:decisions_rss"),
    }
    read = {}
    for name, url in pages.items():
        response = client.get(url)
        read[name] = text(response) if response.status_code == 200 else ""
        if name == "search":
            # The results, not the words searched for.
            found = re.findall(
                r'<ol class="search-results".*?</ol>', response.content.decode(), re.S
            )
            read[name] = " ".join(found)
        if name == "page":
            read["page status"] = str(response.status_code)
    return read


def _absent(call: CallForAction) -> None:
    read = _public_surfaces(call)
    assert read.pop("page status") == "404"
    leaks = [name for name, page in read.items() if "Tannery" in page]
    assert leaks == []
    assert call.get_absolute_url() not in read["sitemap"]


def test_a_call_moves_to_its_outcome_and_is_public_once_its_agenda_is(
    clerk: Client, committee: Any, member: Any
) -> None:
    response = _record(clerk, committee, member)
    call = CallForAction.objects.get()
    assert call.received_on == WEEKS_AGO
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:call", args=[call.pk])
    assert call.status == CallForAction.Status.RECEIVED
    page = text(clerk.get(response["Location"]))
    assert "Received on" in page and "The public cannot read this call yet" in page
    _absent(call)

    # Put on the agenda of the committee's meeting (held last week): an item
    # is added to it, its agenda still unpublished, so still nothing public.
    meeting = _coming(committee, days=-7)
    response = clerk.post(
        reverse("manage:call", args=[call.pk]),
        {"stage": "consider", "meeting": str(meeting.pk)},
    )
    assert response.status_code == 302
    call.refresh_from_db()
    item = call.agenda_item
    assert item.meeting == meeting and item.reference == "A2"
    assert item.title == f"Councillor Call for Action: {TITLE}"
    assert call.status == CallForAction.Status.CONSIDERED
    _absent(call)

    services.agenda_publish(meeting=meeting)
    read = _public_surfaces(call)
    assert read["page status"] == "200"
    assert TITLE in read["list"] and "Councillor A B Quennell" in read["list"]
    assert call.get_absolute_url() in read["sitemap"]
    for words in (MATTER, TRIED, "Tonbridge North division"):
        assert words in read["page"]
    assert f"item A2: Councillor Call for Action: {TITLE}" in read["page"]
    day = meeting.start.date()
    assert f"at its meeting of {day.day} {day:%B %Y}" in read["page"]
    agenda = Client().get(meeting.get_absolute_url()).content.decode()
    assert f'href="{call.get_absolute_url()}"' in agenda

    # The clerk records the outcome; the public page shows it with its date.
    clerk.post(
        reverse("manage:call", args=[call.pk]),
        {
            "stage": "outcome",
            "outcome": "recommendations",
            "outcome_text": OUTCOME,
            "outcome_on": day.strftime("%d/%m/%Y"),
        },
    )
    with pytest.raises(ValidationError):
        # Not before the meeting, and not in the future.
        services.call_decide(
            call=call, outcome="referred", text="x", on=day - dt.timedelta(days=1)
        )
    call.refresh_from_db()
    assert call.status == CallForAction.Status.DECIDED and call.outcome_on == day
    page = text(Client().get(call.get_absolute_url()))
    assert "Outcome: Recommendations made" in page and OUTCOME in page


def test_the_process_is_explained_on_the_list(committee: Any) -> None:
    page = text(Client().get(reverse("meetings:calls")))
    assert "What a call for action is" in page
    assert "No calls for action have been considered yet." in page


def test_an_existing_item_can_be_chosen_and_a_withdrawal_needs_its_reason(
    clerk: Client, committee: Any, member: Any
) -> None:
    _record(clerk, committee, member)
    call = CallForAction.objects.get()
    meeting = _coming(committee)
    item = factories.item(factories.section(meeting), f"Call for action: {TITLE}")
    url = reverse("manage:call", args=[call.pk])
    page = clerk.get(url).content.decode()
    assert f'<option value="{item.pk}">' in page

    refused = clerk.post(url, {"stage": "consider"})
    assert refused.status_code == 400
    assert "Choose either an item already on an agenda" in text(refused)

    clerk.post(url, {"stage": "consider", "item": str(item.pk)})
    call.refresh_from_db()
    assert call.agenda_item == item and meeting.items.count() == 2

    today = timezone.localdate().strftime("%d/%m/%Y")
    typed = {"stage": "close", "status": "withdrawn", "closed_on": today}
    refused = clerk.post(url, {**typed, "closed_reason": "   "})
    assert refused.status_code == 400
    assert re.search(r'value="withdrawn"[^>]*checked', refused.content.decode())
    clerk.post(url, {**typed, "closed_reason": "Resolved locally in the meantime."})
    call.refresh_from_db()
    assert call.status == CallForAction.Status.WITHDRAWN
    assert call.closed_reason == "Resolved locally in the meantime."
    # A closed call moves no further.
    with pytest.raises(ValidationError, match="withdrawn"):
        services.call_decide(
            call=call, outcome="referred", text="x", on=timezone.localdate()
        )
    # Withdrawn before its agenda was published: never public.
    _absent(call)


def test_a_call_under_an_exempt_item_stays_private(
    clerk: Client, committee: Any, member: Any
) -> None:
    _record(clerk, committee, member)
    call = CallForAction.objects.get()
    meeting = _coming(committee)
    item = factories.item(
        factories.section(meeting),
        "Call for action: an individual's case",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    services.call_consider(call=call, item=item)
    services.agenda_publish(meeting=meeting)
    _absent(call)
    assert clerk.get(call.get_absolute_url()).status_code == 200


def test_a_meeting_of_another_body_or_before_the_call_is_refused(
    committee: Any, member: Any
) -> None:
    call = _received(committee, member)
    other = factories.coming_meeting(10, factories.body("KCSP Working Group"))
    with pytest.raises(ValidationError, match="committee the call is to"):
        services.call_consider(call=call, meeting=other)
    earlier = factories.meeting(committee, start="2022-03-24T10:00")
    with pytest.raises(ValidationError, match="after the call was received"):
        services.call_consider(
            call=call, item=factories.item(factories.section(earlier))
        )
    with pytest.raises(ValidationError, match="agenda before"):
        services.call_decide(
            call=call, outcome="referred", text="x", on=timezone.localdate()
        )
    with pytest.raises(ValidationError, match="later than today"):
        _received(
            committee, member, received_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert call.history.count() == 1


def test_a_clerk_manages_only_their_own_partnerships_calls(
    committee: Any, member: Any
) -> None:
    call = _received(committee, member)
    dover = factories.partnership("Dover")
    district = Client()
    district.force_login(factories.user("dovercallclerk", Role.CLERK, clerk_of=[dover]))
    assert district.get(reverse("manage:call", args=[call.pk])).status_code == 404
    assert TITLE not in text(district.get(reverse("manage:calls")))
    form = district.get(reverse("manage:call_new")).content.decode()
    assert committee.name not in form
    partner = Client()
    partner.force_login(factories.user("callspartner", Role.PARTNER_OFFICER))
    assert partner.get(reverse("manage:calls")).status_code == 404


@pytest.mark.parametrize(
    "field,value",
    [
        ("body", "9223372036854775808"),
        ("member", "\u0663"),
        ("received_on", "31/02/2026"),
        ("received_on", "9999-99-99"),
        ("title", "a\x00b"),
        ("title", "x" * 10_000),
        ("area", ""),
    ],
)
def test_hostile_input_gets_a_message_and_keeps_what_was_typed(
    clerk: Client, committee: Any, member: Any, field: str, value: str
) -> None:
    response = _record(clerk, committee, member, **{field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    if field != "matter":
        assert MATTER in page
    assert not CallForAction.objects.exists()


def test_hostile_stage_posts_are_told_not_errors(
    clerk: Client, committee: Any, member: Any
) -> None:
    _record(clerk, committee, member)
    call = CallForAction.objects.get()
    url = reverse("manage:call", args=[call.pk])
    for data in (
        {"stage": "explode"},
        {"stage": "consider", "item": "\u0663"},
        {"stage": "consider", "meeting": "99999999999999999999"},
        {"stage": "outcome", "outcome": "recommendations", "outcome_text": "x"},
        {
            "stage": "outcome",
            "outcome": "banished",
            "outcome_text": "x",
            "outcome_on": "01/01/2026",
        },
        {"stage": "close", "status": "decided", "closed_reason": "x"},
    ):
        response = clerk.post(url, data)
        assert response.status_code == 400, data
    call.refresh_from_db()
    assert call.status == CallForAction.Status.RECEIVED


def test_the_list_costs_the_same_queries_for_many_calls(
    committee: Any, member: Any, django_assert_max_num_queries: Any
) -> None:
    meeting = _coming(committee)
    for n in range(12):
        call = _received(committee, member, area=f"Division {n}", title=f"{TITLE} {n}")
        services.call_consider(call=call, meeting=meeting)
    services.agenda_publish(meeting=meeting)
    with django_assert_max_num_queries(8):
        page = text(Client().get(reverse("meetings:calls")))
    assert page.count(TITLE) == 12


def test_the_list_narrows_to_one_partnership_or_committee(
    committee: Any, member: Any
) -> None:
    dover = factories.partnership("Dover")
    district = factories.body(
        "Dover Community Safety Committee", kind="scrutiny_committee", partnership=dover
    )
    for body, title in (
        (committee, TITLE),
        (district, "Fires on Aycliffe playing field"),
    ):
        meeting = _coming(body, days=-7)
        call = _received(body, member, title=title, received_on=WEEKS_AGO)
        services.call_consider(call=call, meeting=meeting)
        services.agenda_publish(meeting=meeting)
    url = reverse("meetings:calls")
    everything = text(Client().get(url))
    assert TITLE in everything and "Fires on Aycliffe playing field" in everything

    narrowed = text(Client().get(url, {"partnership": "dover"}))
    assert "Fires on Aycliffe playing field" in narrowed and TITLE not in narrowed
    by_body = text(Client().get(url, {"body": committee.slug}))
    assert TITLE in by_body and "Aycliffe" not in by_body

    unknown = Client().get(url, {"partnership": "nowhere"})
    assert unknown.status_code == 200
    # As on every list: the choice is refused with a message, the rest kept.
    assert "Select a valid choice" in text(unknown)
