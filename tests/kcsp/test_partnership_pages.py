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
