"""The decisions register's words filter, read through the site search index."""

import datetime as dt
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kcsp.roles import Role
from kcsp.search.query import matching
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Resolution
from tests import factories
from tests.helpers import queries_for, text
from tests.meetings.minutes_factories import write

pytestmark = pytest.mark.django_db

DECISIONS = reverse("meetings:decisions")


def minuted(
    start: str,
    title: str,
    resolution: str,
    parts: list[str] | None = None,
    *,
    body: Any = None,
    publish: bool = True,
    **item_kw: Any,
) -> Resolution:
    """Published minutes of one item with one resolution."""
    meeting = factories.meeting(body, start=start)
    factories.item(factories.section(meeting), title, **item_kw)
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    write(minutes.items.get(), ["Discussed."], resolution, parts)
    if publish:
        services.minutes_publish_draft(minutes=minutes)
    return Resolution.objects.get(minute_item__minutes=minutes)


def titles(client: Client, **params: Any) -> list[str]:
    response = client.get(DECISIONS, params)
    assert response.status_code == 200
    return re.findall(
        r'<h3 id="decision-\d+"><a href="[^"]*">Minute \d+: ([^<]*)</a>', text(response)
    )


@pytest.fixture
def register() -> None:
    """Three public decisions, a draft one and an exempt one."""
    minuted(
        "2022-03-24T10:00",
        "Vision Zero road safety strategy",
        "RESOLVED that the strategy be adopted.",
    )
    minuted(
        "2022-06-23T10:00",
        "Domestic abuse services",
        "RESOLVED that the Partnership",
        ["commission refuge places for the county;", "report back in March."],
    )
    minuted(
        "2022-09-22T10:00",
        "Serious violence duty",
        "RESOLVED that the refuge funding gap be noted.",
        body=factories.body("Medway Community Safety Partnership"),
    )
    minuted(
        "2022-12-08T10:00",
        "Budget",
        "RESOLVED that the refuge budget be set in draft.",
        publish=False,
    )
    minuted(
        "2023-03-23T10:00",
        "Case review",
        "RESOLVED that the refuge panel's findings be accepted.",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )


@pytest.mark.usefixtures("register")
def test_words_find_decisions_by_their_text_parts_and_minute_title(
    client: Client,
) -> None:
    assert titles(client, q="adopted") == ["Vision Zero road safety strategy"]
    # A lettered part, and the minute's title.
    assert titles(client, q="refuge places") == ["Domestic abuse services"]
    assert titles(client, q="road safety") == ["Vision Zero road safety strategy"]
    # Newest first, as without words; drafts and exempt minutes stay hidden.
    assert titles(client, q="refuge") == [
        "Serious violence duty",
        "Domestic abuse services",
    ]
    # The other filters narrow the same results.
    kent = "kent-community-safety-partnership"
    assert titles(client, q="refuge", body=kent) == ["Domestic abuse services"]
    assert titles(client, q="refuge", date_to="01/07/2022") == [
        "Domestic abuse services"
    ]
    page = text(client.get(DECISIONS, {"q": "refuge"}))
    assert "2 decisions" in page
    assert titles(client, q="crocodile") == []
    assert "No decisions match" in text(client.get(DECISIONS, {"q": "crocodile"}))


@pytest.mark.usefixtures("register")
def test_staff_find_exempt_decisions_by_their_words(client: Client, clerk: Any) -> None:
    client.force_login(clerk)
    found = titles(client, q="refuge")
    assert "Case review" in found
    assert "Domestic abuse services" in found
    assert titles(client, q="panel's findings") == ["Case review"]


@pytest.mark.usefixtures("register")
def test_a_clerk_of_another_partnership_finds_no_exempt_decision(
    client: Client,
) -> None:
    dover = factories.partnership("Dover")
    client.force_login(factories.user("dover", Role.CLERK, clerk_of=[dover]))
    assert "Case review" not in titles(client, q="refuge")
    assert titles(client, q="panel's findings") == []


@pytest.mark.usefixtures("register")
@pytest.mark.parametrize(
    "words",
    [
        '"',
        "'",
        "refuge & | ! ( ) : * <->",
        "-",
        "-refuge",
        "or",
        '"unclosed phrase',
        "\\",
        "%_",
        "refuge\x00",
        "ὀδύσσεια 🚒",
        " ",
    ],
)
def test_odd_words_never_fail(client: Client, words: str) -> None:
    response = client.get(DECISIONS, {"q": words})
    assert response.status_code == 200
    assert "<h1>Decisions</h1>" in text(response)


def test_too_many_words_are_refused_with_a_message(client: Client) -> None:
    response = client.get(DECISIONS, {"q": "refuge " * 40})
    assert response.status_code == 200
    assert "Use 200 characters or fewer" in text(response)


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_words_cost_the_same_queries_at_ten_times_the_decisions(
    client: Client,
) -> None:
    for n in range(2):
        minuted(
            f"202{n + 1}-03-24T10:00", "Refuge", "RESOLVED that the refuge be noted."
        )
    url = f"{DECISIONS}?q=refuge"
    cache.clear()  # The register's count is kept until anything changes.
    few = queries_for(client, url)
    for n in range(20):
        minuted(
            f"{n + 2000}-03-24T10:00", "Refuge", "RESOLVED that the refuge be noted."
        )
    assert len(titles(client, q="refuge")) == 22
    cache.clear()
    assert queries_for(client, url) == few


@pytest.mark.usefixtures("register")
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0)
def test_a_long_register_lists_its_newest_and_says_there_are_more(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetings.views import public

    monkeypatch.setattr(public, "DECISIONS_LISTED", 2)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DECISIONS)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    page = text(response)
    assert "More than 2 decisions" in page
    assert "The newest 2 are listed" in page
    assert titles(client) == ["Serious violence duty", "Domestic abuse services"]
    # Counting stops at the first row past the limit.
    (count,) = counts
    assert "LIMIT 3" in count.upper()
    # One to a page: two pages, the third asked for is the last.
    monkeypatch.setattr(public, "MEETINGS_PER_PAGE", 1)
    first = text(client.get(DECISIONS))
    assert "Page 1 of 2 (the newest 2 listed)" in first
    assert titles(client, page=2) == ["Domestic abuse services"]
    assert titles(client, page=3) == ["Domestic abuse services"]
    monkeypatch.setattr(public, "MEETINGS_PER_PAGE", 25)
    # Narrowed below the limit, the register counts exactly again.
    kent = "kent-community-safety-partnership"
    narrowed = text(client.get(DECISIONS, {"body": kent}))
    assert "2 decisions" in narrowed and "More than" not in narrowed
    assert titles(client, body=kent) == [
        "Domestic abuse services",
        "Vision Zero road safety strategy",
    ]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="The GIN indexes exist on PostgreSQL only"
)
def test_the_registers_words_are_matched_in_the_index_of_resolutions_alone() -> None:
    """Entries of every other kind share the words (as minutes' paragraphs
    share their resolutions' words), and are never read."""
    from kcsp.models import SearchEntry
    from meetings.search import RESOLUTIONS

    common = "Members noted the domestic abuse update and the refuge places. " * 4
    SearchEntry.objects.bulk_create(
        SearchEntry(
            source=RESOLUTIONS if n % 10 == 0 else "meetings.paragraph",
            object_id=n,
            kind="decisions" if n % 10 == 0 else "minutes",
            title=f"Minute {n}",
            text=common if n % 3 else f"Road safety report {n}.",
            date=dt.date(2020, 1, 1) + dt.timedelta(days=n % 900),
        )
        for n in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kcsp_searchentry")
    entries = SearchEntry.objects.filter(source=RESOLUTIONS)
    matches = matching(entries, "domestic abuse")
    plan = matches.explain()
    assert "searchentry_resolution_vector_gin" in plan, plan
    assert matches.count() == len([n for n in range(0, 20_000, 10) if n % 3])
