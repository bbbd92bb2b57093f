"""No lost work: two people editing the same record in the back office.

The second save is refused with both versions in front of its author; what
they typed stays in the form; nothing of the first save is overwritten.
"""

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kcsp.models import Action
from tests import factories
from tests.helpers import text

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The values a browser would post from the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n")


def _form(client: Client, url: str) -> dict[str, Any]:
    reader = _FormReader()
    reader.feed(client.get(url).content.decode())
    reader.data.pop("csrfmiddlewaretoken", None)
    return reader.data


@pytest.fixture
def signed_in(clerk: Any) -> Client:
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def administrator_client(administrator: Any) -> Client:
    """Actions are edited in the back office by administrators; clerks work
    on them through the action pages."""
    client = Client()
    client.force_login(administrator)
    return client


def test_a_second_edit_of_an_action_is_refused_and_keeps_both_texts(
    administrator_client: Client, kfrs: Any
) -> None:
    signed_in = administrator_client
    action = Action.objects.create(
        title="Review refuge provision", owner_organisation=kfrs
    )
    url = reverse("admin:kcsp_action_change", args=[action.pk])
    mine = _form(signed_in, url)
    assert mine["seen_version"] == "1"

    theirs = _form(signed_in, url)
    theirs["description"] = "Refuges in Dover and Thanet counted."
    assert signed_in.post(url, theirs).status_code == 302

    mine["description"] = "Commissioners asked for a county-wide count."
    response = signed_in.post(url, mine)
    assert response.status_code == 200
    page = text(response)
    assert "changed by administrator" in page
    assert "Refuges in Dover and Thanet counted." in page
    assert "Commissioners asked for a county-wide count." in page
    action.refresh_from_db()
    assert action.description == "Refuges in Dover and Thanet counted."
    assert action.version == 2

    # Having read both, they combine the texts and save over the new version.
    mine["seen_version"] = "2"
    mine["description"] = "Refuges in Dover and Thanet counted; county-wide next."
    assert signed_in.post(url, mine).status_code == 302
    action.refresh_from_db()
    assert action.description.endswith("county-wide next.")
    assert action.version == 3


def test_an_agenda_item_edited_twice_keeps_the_first_save(signed_in: Client) -> None:
    item = factories.item(factories.section(factories.meeting()), "Substance misuse")
    url = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    mine = _form(signed_in, url)
    theirs = _form(signed_in, url)
    theirs["title"] = "Substance misuse update"
    assert signed_in.post(url, theirs).status_code == 302

    mine["title"] = "Drugs and alcohol"
    response = signed_in.post(url, mine)
    assert response.status_code == 200
    page = text(response)
    assert "Substance misuse update" in page
    assert 'value="Drugs and alcohol"' in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Substance misuse update"


def test_a_save_that_changes_nothing_is_never_a_conflict(
    administrator_client: Client, kfrs: Any
) -> None:
    signed_in = administrator_client
    action = Action.objects.create(title="Publish the plan", owner_organisation=kfrs)
    url = reverse("admin:kcsp_action_change", args=[action.pk])
    stale = _form(signed_in, url)
    action.title = "Publish the plan by March"
    action.version += 1
    action.save()
    assert signed_in.post(url, {**stale, "title": action.title}).status_code == 302
