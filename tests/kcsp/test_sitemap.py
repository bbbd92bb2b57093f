"""sitemap.xml lists public pages only; robots.txt points crawlers at it."""

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from agreement.models import Agreement
from dhr import services as dhr_services
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from priorities import services as priority_services
from tests import factories
from tests.agreement import factories as agreement_factories
from tests.dhr import factories as dhr_factories
from tests.helpers import queries_for
from tests.meetings.minutes_factories import write

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def addresses(client: Client, url: str = "/sitemap.xml") -> set[str]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - the portal's own output
    return {
        loc.text.removeprefix("http://testserver")
        for loc in root.findall("s:url/s:loc", NS)
        if loc.text
    }


@pytest.fixture
def portal() -> dict[str, Any]:
    """Public and private content of every app."""
    board = factories.body()
    meeting = factories.meeting(board)
    section = factories.section(meeting)
    public_item = factories.item(section, "Community Safety Agreement refresh")
    exempt_item = factories.item(
        section,
        "Case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    public_paper = factories.document(meeting, public_item, title="Refresh report")
    restricted = factories.document(
        meeting, public_item, title="Dashboard", visibility=Visibility.RESTRICTED
    )
    exempt_paper = factories.document(meeting, exempt_item, title="Chronology")
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(minutes.items.get(title="Case review"), ["Private words."])

    private_body = factories.body("Tasking Group", is_public=False)
    private_meeting = factories.meeting(private_body, start="2022-05-05T10:00")

    approved = agreement_factories.agreement()
    priority_services.priority_add(agreement=approved, name="Road Safety")
    draft = agreement_factories.agreement(
        slug="2014-15",
        start="2014-04-01",
        end="2015-03-31",
        status=Agreement.Status.DRAFT,
    )
    priority_services.priority_add(agreement=draft, name="Modern Slavery")

    published = dhr_factories.published_case("Juniper", 2025)
    unpublished = dhr_factories.approved_case(pseudonym="Willow", year=2024)
    unpublished.full_clean()
    unpublished.save()
    taken_down = dhr_factories.published_case(
        "Hazel", 2019, published_on=dt.date(2020, 1, 6)
    )
    taken_down.takedown_on = dt.date(2021, 1, 6)
    dhr_services.case_save(case=taken_down)
    return {
        "board": board,
        "meeting": meeting,
        "public_paper": public_paper,
        "restricted": restricted,
        "exempt_paper": exempt_paper,
        "private_body": private_body,
        "private_meeting": private_meeting,
        "approved": approved,
        "draft": draft,
        "published": published,
        "unpublished": unpublished,
        "taken_down": taken_down,
    }


def test_sitemap_lists_public_pages(client: Client, portal: dict[str, Any]) -> None:
    listed = addresses(client)
    for name in [
        "kcsp:home",
        "kcsp:accessibility",
        "meetings:body_list",
        "meetings:list",
        "meetings:decisions",
        "priorities:list",
        "dhr:list",
    ]:
        assert reverse(name) in listed, name
    assert portal["board"].get_absolute_url() in listed
    assert portal["meeting"].get_absolute_url() in listed
    assert portal["approved"].get_absolute_url() in listed
    assert reverse("priorities:detail", args=["road-safety"]) in listed
    assert portal["published"].get_absolute_url() in listed


def test_sitemap_never_lists_private_pages(
    client: Client, portal: dict[str, Any]
) -> None:
    listed = addresses(client)
    never = [
        portal["private_body"].get_absolute_url(),
        portal["private_meeting"].get_absolute_url(),
        portal["draft"].get_absolute_url(),
        reverse("priorities:detail", args=["modern-slavery"]),
        portal["unpublished"].get_staff_url(),
        portal["taken_down"].get_absolute_url(),
        portal["restricted"].get_absolute_url(),
        portal["exempt_paper"].get_absolute_url(),
        reverse("kcsp:search"),
        reverse("kcsp:actions"),
        reverse("dhr:dashboard"),
    ]
    for url in never:
        assert url not in listed, url
    joined = " ".join(sorted(listed))
    for word in ["willow", "hazel", "tasking-group", "2014-15", "minutes/"]:
        assert word not in joined, word


def test_sitemap_is_the_same_for_anyone(
    client: Client, portal: dict[str, Any], clerk: Any
) -> None:
    anonymous = addresses(client)
    client.force_login(clerk)
    assert addresses(client) == anonymous


def test_sitemap_query_count_does_not_grow(client: Client) -> None:
    board = factories.body()
    factories.meeting(board, start="2022-01-06T10:00")
    few = queries_for(client, "/sitemap.xml")
    for week in range(1, 12):
        day = dt.date(2022, 1, 6) + dt.timedelta(weeks=week)
        factories.meeting(board, start=f"{day.isoformat()}T10:00")
    assert queries_for(client, "/sitemap.xml") == few


def test_robots_points_at_the_sitemap(client: Client) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /search/" in body
    assert "Disallow: /admin/" in body


def test_a_partnerships_sitemap_lists_its_own_pages_only(
    client: Client, portal: dict[str, Any]
) -> None:
    """/partnerships/<slug>/sitemap.xml narrows every sitemap that belongs to
    a partnership; /sitemap.xml keeps everything."""
    county = factories.partnership()
    dover = factories.partnership("Dover")
    board = factories.body(
        "Dover Community Safety Partnership Board", partnership=dover
    )
    meeting = factories.meeting(board, start="2024-02-01T14:00")
    factories.item(factories.section(meeting), "Anti-social behaviour in Deal")
    services.agenda_publish(meeting=meeting)
    private = factories.body("Dover Tasking Group", partnership=dover, is_public=False)

    own = addresses(client, reverse("kcsp:partnership_sitemap", args=["dover"]))
    assert own == {
        reverse("kcsp:partnership", args=["dover"]),
        board.get_absolute_url(),
        meeting.get_absolute_url(),
        f"{reverse('meetings:list')}?partnership=dover",
        f"{reverse('meetings:decisions')}?partnership=dover",
        f"{reverse('meetings:calls')}?partnership=dover",
        f"{reverse('meetings:petitions')}?partnership=dover",
        f"{reverse('priorities:list')}?partnership=dover",
    }
    assert private.get_absolute_url() not in own

    counties = addresses(
        client, reverse("kcsp:partnership_sitemap", args=[county.slug])
    )
    assert portal["board"].get_absolute_url() in counties
    assert portal["meeting"].get_absolute_url() in counties
    assert portal["approved"].get_absolute_url() in counties
    assert reverse("priorities:detail", args=["road-safety"]) in counties
    assert board.get_absolute_url() not in counties
    assert portal["draft"].get_absolute_url() not in counties
    # Pages no partnership owns are in the whole portal's sitemap only.
    assert reverse("kcsp:home") not in counties
    assert portal["published"].get_absolute_url() not in counties

    everything = addresses(client)
    assert {board.get_absolute_url(), portal["board"].get_absolute_url()} <= everything
    assert reverse("meetings:list") in everything
    assert client.get("/partnerships/atlantis/sitemap.xml").status_code == 404


def test_robots_points_at_each_partnerships_sitemap(client: Client) -> None:
    factories.partnership()
    factories.partnership("Dover")
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/partnerships/dover/sitemap.xml" in body
