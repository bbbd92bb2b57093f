"""The leakage matrix: no kind of non-public content on any public surface.

Into the demo partnership, each kind of non-public record gets a marker
phrase (and, where it has one, its own address). Each public surface is then
read as the public reads it, and no marker or address may appear. A control
phrase in published minutes must appear on every surface that shows minutes,
so a surface that silently shows nothing cannot pass.

A new kind of content is one entry in KINDS; a new surface is one entry in
SURFACES.
"""

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from kcsp.models import Action
from kcsp.visibility import Visibility
from meetings.models import AgendaItem, MinuteParagraph
from tests.security.test_url_walk import PUBLIC
from tests.security.world import World, site_patterns, url_for

pytestmark = pytest.mark.django_db

CONTROL = "Quolmington marker of published minutes"


@dataclass
class Planted:
    phrase: str
    addresses: list[str] = field(default_factory=list)
    # Restricted papers are for partner officers too.
    partners_may_see: bool = False


def _draft_minutes(world: World) -> Planted:
    item = world.draft_meeting.minutes.items.first()
    MinuteParagraph.objects.create(
        minute_item=item, order=99, text="Zarquon draft minutes paragraph."
    )
    return Planted("Zarquon")


def _exempt_item(world: World) -> Planted:
    item = AgendaItem.objects.filter(visibility=Visibility.EXEMPT).first()
    item.description = "Vexillium exempt item description."
    item.save()
    return Planted("Vexillium")


def _exempt_document(world: World) -> Planted:
    document = world.exempt_document
    document.title = "Kryptonel exempt paper"
    document.save()
    return Planted("Kryptonel", [document.get_absolute_url()])


def _restricted_document(world: World) -> Planted:
    document = world.restricted_document
    document.title = "Ploughwick restricted paper"
    document.save()
    return Planted("Ploughwick", [document.get_absolute_url()], partners_may_see=True)


def _draft_agreement(world: World) -> Planted:
    draft = world.draft_agreement
    draft.title = "Thrumbleton draft agreement"
    draft.save()
    return Planted("Thrumbleton", [reverse("agreement:detail", args=[draft.slug])])


def _unpublished_case(world: World) -> Planted:
    case = world.unpublished_case
    case.reference = "GLIMMERDALE 2026/09"
    case.decision_reason = "Glimmerdale: the decision's reasons."
    case.save()
    return Planted("Glimmerdale", [case.get_staff_url()])


def _private_action(world: World) -> Planted:
    public = Action.objects.filter(is_public=True).first()
    public.private_notes = "Snorkelbury private note."
    public.save()
    hidden = world.other_action  # made non-public by the walk's world
    hidden.title = "Snorkelbury private action"
    hidden.save()
    return Planted("Snorkelbury", [hidden.get_absolute_url()])


KINDS: dict[str, Callable[[World], Planted]] = {
    "draft minutes": _draft_minutes,
    "exempt agenda item": _exempt_item,
    "exempt paper": _exempt_document,
    "restricted paper": _restricted_document,
    "unpublished agreement version": _draft_agreement,
    "unpublished DHR case": _unpublished_case,
    "private action and notes": _private_action,
}


# Surfaces -------------------------------------------------------------------


def _pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return "\n".join(page.extract_text() or "" for page in pages)


def _public_urls(world: World) -> list[str]:
    """Every public address, with the URL walk's sample records."""
    return [
        url_for(world, name, route)
        for route, name in site_patterns()
        if name in PUBLIC and name not in {"healthz", "login", "kcsp:search"}
    ]


def _read(client: Client, urls: list[str], wanted: Callable[[str], bool]) -> str:
    out = []
    for url in urls:
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not wanted(kind):
            continue
        body = b"".join(response) if response.streaming else response.content
        out.append(_pdf_text(body) if "pdf" in kind else body.decode())
    return "\n".join(out)


Reader = Callable[[Client, World, list[str]], str]


def _every_public_address(wanted: Callable[[str], bool]) -> Reader:
    def read(client: Client, world: World, phrases: list[str]) -> str:
        return _read(client, _public_urls(world), wanted)

    return read


def _search(client: Client, world: World, phrases: list[str]) -> str:
    """The results of searching for each marker (the page repeats the words
    searched for, so only the list of results is read)."""
    out = []
    for phrase in [CONTROL, *phrases]:
        page = client.get(reverse("kcsp:search"), {"q": phrase}).content.decode()
        out += RESULTS.findall(page)
    return "\n".join(out)


def _api(client: Client, world: World, phrases: list[str]) -> str:
    """Every page of every list of the open data API."""
    out = []
    for _, name in site_patterns():
        if not (name.startswith("api:") and name.endswith("-list")):
            continue
        url: str | None = f"{reverse(name)}?page_size=200"
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            out.append(response.content.decode())
            url = response.json().get("next")
    return "\n".join(out)


TAG = re.compile(r"<[^>]+>")
RESULTS = re.compile(r'<ol class="search-results".*?</ol>', re.S)


# surface -> (how the public reads it, whether published minutes show there)
SURFACES: dict[str, tuple[Reader, bool]] = {
    "HTML pages": (_every_public_address(lambda k: k.startswith("text/html")), True),
    "PDFs": (_every_public_address(lambda k: k.startswith("application/pdf")), True),
    "feeds": (_every_public_address(lambda k: "rss" in k or "atom" in k), False),
    "calendars": (_every_public_address(lambda k: "calendar" in k), False),
    "search": (_search, True),
    "open data API": (_api, True),
    "sitemap": (
        _every_public_address(lambda k: k.startswith("application/xml")),
        False,
    ),
}


def _reader(who: str) -> Client:
    client = Client()
    if who == "partner officer":
        # Of Kent Fire and Rescue Service: the hidden action is Kent Police's.
        client.force_login(get_user_model().objects.get(username="partner"))
    return client


@pytest.mark.parametrize("who", ["public", "partner officer"])
@pytest.mark.parametrize("surface", sorted(SURFACES))
def test_no_kind_of_non_public_content_reaches_the_public(
    world: World, surface: str, who: str
) -> None:
    published = world.meeting.minutes.items.first()
    MinuteParagraph.objects.create(minute_item=published, order=99, text=f"{CONTROL}.")
    planted = {kind: plant(world) for kind, plant in KINDS.items()}
    read, shows_minutes = SURFACES[surface]

    raw = read(_reader(who), world, [p.phrase for p in planted.values()])
    # Words, with the markup between them (search highlights) taken out.
    text = " ".join(TAG.sub(" ", raw).split())
    if shows_minutes:
        assert CONTROL in text, f"The {surface} showed no published minutes at all."
    leaks = [
        kind
        for kind, p in planted.items()
        if not (who == "partner officer" and p.partners_may_see)
        and (
            p.phrase.lower() in text.lower()
            or any(address in raw for address in p.addresses)
        )
    ]
    assert leaks == [], f"On the {surface}, to the {who}: {leaks}"


def test_the_matrix_covers_every_kind_on_every_surface() -> None:
    assert len(KINDS) * len(SURFACES) >= 35
    assert set(SURFACES) >= {
        "HTML pages",
        "PDFs",
        "feeds",
        "calendars",
        "search",
        "open data API",
        "sitemap",
    }
