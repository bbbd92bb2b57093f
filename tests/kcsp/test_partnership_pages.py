"""Each partnership's public space, and lists narrowed to one partnership."""

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def districts(db: None) -> dict[str, Any]:
    """Dover with a board that has met and will meet again, and a private
    group; Ashford with a board of its own."""
    dover = factories.partnership("Dover")
    ashford = factories.partnership("Ashford")
    board = factories.body("Dover Community Safety Board", partnership=dover)
    factories.body("Dover Tasking Group", partnership=dover, is_public=False)
    held = factories.meeting(board, start="2024-06-13T14:00")
    coming = factories.meeting(board, start="2031-02-06T10:00")
    ashford_board = factories.body(
        "Ashford Community Safety Board", partnership=ashford
    )
    factories.meeting(ashford_board, start="2031-03-06T10:00")
    return {"dover": dover, "ashford": ashford, "held": held, "coming": coming}


def test_the_list_names_every_partnership_the_county_first(
    client: Client, districts: dict[str, Any]
) -> None:
    county = factories.partnership()
    page = client.get(reverse("kcsp:partnerships")).content.decode()
    assert "County partnership" in page
    assert "District or borough partnerships" in page
    assert page.index(county.name) < page.index("Ashford Community Safety Partnership")
    assert page.index("Ashford Community") < page.index("Dover Community")
    assert districts["dover"].get_absolute_url() in page


def test_a_partnerships_page_shows_its_own_bodies_and_meetings_only(
    client: Client, districts: dict[str, Any]
) -> None:
    page = client.get(districts["dover"].get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Dover Community Safety Partnership</h1>" in text
    assert "Dover Community Safety Board" in text
    assert "13 June 2024" in text  # recent
    assert "6 February 2031" in text  # upcoming
    assert "Ashford" not in text
    # A group whose meetings are not published is not named to the public.
    assert "Dover Tasking Group" not in text
    assert "?partnership=dover" in text
    assert client.get("/partnerships/nowhere/").status_code == 404


def test_a_logo_is_shown_with_its_text_and_served_as_the_image_it_is(
    client: Client, districts: dict[str, Any]
) -> None:
    dover = districts["dover"]
    assert (
        client.get(reverse("kcsp:partnership_logo", args=["dover"])).status_code == 404
    )
    dover.logo.save("dover.png", ContentFile(factories.png_bytes()))
    dover.logo_text = "Dover Community Safety Partnership: safer together"
    dover.save()
    text = client.get(dover.get_absolute_url()).content.decode()
    assert (
        f'src="{dover.logo_url}" alt="Dover Community Safety Partnership: safer '
        'together"' in text
    )
    logo = client.get(dover.logo_url)
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == factories.png_bytes()


def test_meetings_and_decisions_lists_narrow_to_one_partnership(
    client: Client, districts: dict[str, Any]
) -> None:
    def results(url: str) -> str:
        return client.get(url).content.decode().split('id="results"')[1]

    text = results(reverse("meetings:list") + "?partnership=dover")
    assert "Dover Community Safety Board" in text
    assert "Ashford Community Safety Board" not in text
    everyone = results(reverse("meetings:list"))
    assert "Ashford Community Safety Board" in everyone
    # A partnership that does not exist is a message, not an error page.
    wrong = client.get(reverse("meetings:list") + "?partnership=atlantis")
    assert wrong.status_code in (200, 400)
    assert "Select a valid choice" in wrong.content.decode()
    decisions = client.get(reverse("meetings:decisions") + "?partnership=dover")
    assert decisions.status_code == 200
    assert 'value="dover" selected' in decisions.content.decode()


def test_the_open_data_api_lists_narrow_to_one_partnership(
    client: Client, districts: dict[str, Any]
) -> None:
    meetings = client.get("/api/v1/meetings/?partnership=dover").json()
    names = {m["body"]["name"] for m in meetings["results"]}
    assert names == {"Dover Community Safety Board"}
    bodies = client.get("/api/v1/bodies/?partnership=ashford").json()
    assert [b["name"] for b in bodies["results"]] == ["Ashford Community Safety Board"]
    wrong = client.get("/api/v1/meetings/?partnership=atlantis")
    assert wrong.status_code == 400
    assert "No partnership has that slug" in wrong.content.decode()


def test_the_calendar_of_one_partnership_holds_its_meetings_only(
    client: Client, districts: dict[str, Any]
) -> None:
    calendar = client.get(reverse("feeds:calendar") + "?partnership=dover")
    assert calendar["Content-Disposition"] == 'inline; filename="dover.ics"'
    text = calendar.content.decode()
    assert "Dover Community Safety Board" in text
    assert "Ashford" not in text
    assert "Ashford" in client.get(reverse("feeds:calendar")).content.decode()
    nowhere = client.get(reverse("feeds:calendar") + "?partnership=atlantis")
    assert nowhere.status_code == 404


def _minutes(body: Any, start: str, paragraph: str) -> None:
    """A meeting of `body` with a published agenda and published minutes
    holding `paragraph` and a decision."""
    from meetings import services
    from tests.meetings.minutes_factories import write

    meeting = factories.meeting(body, start=start)
    factories.item(factories.section(meeting), "Antisocial behaviour")
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(minutes.items.get(), [paragraph], "RESOLVED that the report be noted.")
    services.minutes_publish_draft(minutes=minutes)


@pytest.fixture
def minuted(districts: dict[str, Any]) -> dict[str, Any]:
    """Published agendas and minutes of Dover's board and Ashford's."""
    dover_board = districts["dover"].bodies.get(slug="dover-community-safety-board")
    ashford_board = districts["ashford"].bodies.get()
    _minutes(dover_board, "2024-09-12T10:00", "Antisocial behaviour fell in Deal.")
    _minutes(ashford_board, "2024-09-19T10:00", "Antisocial behaviour rose in Wye.")
    return districts


def test_search_narrows_to_one_partnership(
    client: Client, minuted: dict[str, Any]
) -> None:
    search = reverse("kcsp:search")

    def found(**params: str) -> str:
        response = client.get(search, {"q": "antisocial behaviour", **params})
        assert response.status_code == 200
        return response.content.decode()

    # Each result names its meeting (snippets differ between databases).
    deal = "Dover Community Safety Board, 12 September 2024"
    wye = "Ashford Community Safety Board, 19 September 2024"
    everyone = found()
    assert deal in everyone and wye in everyone
    dover = found(partnership="dover")
    assert deal in dover
    assert wye not in dover
    assert 'value="dover" selected' in dover
    # The form offers every partnership, labelled.
    assert '<label for="id_partnership">Partnership:</label>' in everyone
    assert '<option value="ashford">' in everyone
    # A partnership that does not exist is the form's message, not an error.
    wrong = found(partnership="atlantis")
    assert "There is a problem" in wrong
    assert "Select a valid choice" in wrong
    assert deal not in wrong


def test_feeds_narrow_to_one_partnership(
    client: Client, minuted: dict[str, Any]
) -> None:
    for kind in ("agendas", "minutes", "decisions"):
        for edition in ("rss", "atom"):
            url = reverse(f"feeds:{kind}_{edition}")
            feed = client.get(url, {"partnership": "dover"})
            assert feed.status_code == 200, url
            text = feed.content.decode()
            assert "Dover Community Safety Board" in text, url
            assert "Ashford" not in text, url
            assert "Dover Community Safety Partnership" in text, url
            assert f"{url}?partnership=dover" in text, url
            assert "Ashford" in client.get(url).content.decode(), url
            nowhere = client.get(url, {"partnership": "atlantis"})
            assert nowhere.status_code == 404, url


def test_a_partnerships_page_links_to_its_feeds_and_calendar(
    client: Client, districts: dict[str, Any]
) -> None:
    page = client.get(districts["dover"].get_absolute_url()).content.decode()
    assert "Follow this partnership" in page
    assert f"{reverse('feeds:calendar')}?partnership=dover" in page
    for kind in ("agendas", "minutes", "decisions"):
        for edition in ("rss", "atom"):
            assert f"{reverse(f'feeds:{kind}_{edition}')}?partnership=dover" in page


def test_the_open_data_api_lists_the_partnerships_with_links_to_their_records(
    client: Client, districts: dict[str, Any]
) -> None:
    listed = client.get("/api/v1/partnerships/")
    assert listed.status_code == 200
    by_slug = {p["slug"]: p for p in listed.json()["results"]}
    assert {"dover", "ashford"} <= set(by_slug)
    dover = by_slug["dover"]
    assert dover["name"] == "Dover Community Safety Partnership"
    assert dover["short_name"] == "Dover CSP"
    assert dover["kind"] == "district"
    assert dover["web_url"] == "http://testserver/partnerships/dover/"
    assert dover["links"] == {
        "bodies": "http://testserver/api/v1/bodies/?partnership=dover",
        "meetings": "http://testserver/api/v1/meetings/?partnership=dover",
    }
    # The links lead to the partnership's own records.
    bodies = client.get(dover["links"]["bodies"]).json()["results"]
    assert [b["name"] for b in bodies] == ["Dover Community Safety Board"]
    detail = client.get(dover["url"])
    assert detail.status_code == 200
    assert detail.json()["slug"] == "dover"
    assert client.get("/api/v1/partnerships/999999/").status_code == 404


def test_the_actions_list_narrows_to_one_partnership(
    client: Client, partner: Any, kfrs: Any, districts: dict[str, Any]
) -> None:
    from kcsp import services

    for place in ("dover", "ashford"):
        services.action_create(
            title=f"Survey lighting in {place.title()}",
            owner_organisation=kfrs,
            partnership=districts[place],
        )
    client.force_login(partner)
    url = reverse("kcsp:actions")

    def results(**params: str) -> str:
        response = client.get(url, params)
        assert response.status_code == 200
        return response.content.decode().split('id="results"')[1]

    everything = results()
    assert "Survey lighting in Dover" in everything
    assert "Survey lighting in Ashford" in everything
    dover = results(partnership="dover")
    assert "Survey lighting in Dover" in dover
    assert "Survey lighting in Ashford" not in dover
    wrong = client.get(url, {"partnership": "atlantis"})
    assert wrong.status_code in (200, 400)
    assert "Select a valid choice" in wrong.content.decode()
