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

from kcsp.models import SearchEntry
from kcsp.roles import Role
from kcsp.search.query import MatchesNewestFirst, dated_matches, matching
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Resolution
from meetings.search import RESOLUTIONS
from meetings.selectors import decisions_for_list
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


def refuge_decisions() -> None:
    """Sixteen decisions sharing a word over twelve weeks: the three newest
    of one committee in draft minutes not yet published (matches a reader
    does not see), and four weeks with another committee's meeting on the
    same day."""
    medway = factories.body("Medway Community Safety Partnership")
    for week in range(12):
        day = dt.date(2022, 1, 4) + dt.timedelta(weeks=week)
        minuted(
            f"{day}T10:00",
            f"Refuge {week}",
            "RESOLVED that the refuge report be noted.",
            publish=week < 9,
        )
        if week % 3 == 1:
            minuted(
                f"{day}T14:00",
                f"Refuge {week} (Medway)",
                "RESOLVED that the refuge report be noted.",
                body=medway,
            )


def ids_sent(sql: str) -> list[int]:
    """The resolution ids a query looks up (an array on PostgreSQL, an IN
    list on SQLite)."""
    listed = re.search(
        r"\"meetings_resolution\"\.\"id\" (?:= ANY\(\('\{([\d,]*)\}'|IN \(([\d, ]*)\))",
        sql,
    )
    assert listed, sql
    return [int(i) for i in re.findall(r"\d+", listed.group(1) or listed.group(2))]


def looked_up(queries: CaptureQueriesContext) -> list[set[str]]:
    """The minutes' titles of the resolutions each lookup of resolutions
    (not of their parts) looked among."""
    found = []
    for query in queries:
        if query["sql"].startswith('SELECT "meetings_resolution"."id"'):
            ids = ids_sent(query["sql"])
            titles = Resolution.objects.filter(pk__in=ids).values_list(
                "minute_item__title", flat=True
            )
            found.append(set(titles))
    return found


def test_a_slice_read_among_the_newest_matches_is_the_whole_lists_slice() -> None:
    refuge_decisions()
    rows = decisions_for_list(user=None)
    entries = SearchEntry.objects.filter(source=RESOLUTIONS)
    matches = dated_matches(matching(entries, "refuge"))
    assert len(matches) == 16
    whole = list(rows.filter(pk__in=[pk for pk, _ in matches]))
    assert [r.minute_item.title for r in whole][:4] == [
        "Refuge 10 (Medway)",
        "Refuge 8",
        "Refuge 7 (Medway)",
        "Refuge 7",
    ]
    assert len(whole) == 13

    paged = MatchesNewestFirst(rows, matches)
    assert paged[0:0] == []
    for size in (1, 2, 3, 5, 25):
        for start in range(len(whole) + 1):
            assert paged[start : start + size] == whole[start : start + size]

    # The first two are looked up among the newest four matches; three of
    # those are drafts, so then among the newest eight; never among all.
    newest = ["Refuge 11", "Refuge 10 (Medway)", "Refuge 10", "Refuge 9"]
    newest_8 = [*newest, "Refuge 8", "Refuge 7 (Medway)", "Refuge 7", "Refuge 6"]
    with CaptureQueriesContext(connection) as queries:
        assert paged[0:2] == whole[:2]
    assert looked_up(queries) == [set(newest), set(newest_8)]
    # Three: among the newest six, and the other match of the sixth's day.
    with CaptureQueriesContext(connection) as queries:
        assert paged[0:3] == whole[:3]
    assert looked_up(queries) == [set(newest_8[:7])]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="On SQLite the words are matched in a subquery of the same query",
)
@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, FRAGMENT_CACHE_SECONDS=0)
def test_the_register_reads_a_page_of_words_among_the_newest_matches(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetings.views import public

    refuge_decisions()
    monkeypatch.setattr(public, "MEETINGS_PER_PAGE", 2)
    with CaptureQueriesContext(connection) as queries:
        first = titles(client, q="refuge")
    assert first == ["Refuge 10 (Medway)", "Refuge 8"]
    by_id = '"meetings_resolution"."id" = ANY'
    looking_up = [q["sql"] for q in queries if by_id in q["sql"]]
    # Counted among every match, the page read among the newest four, then
    # (three being drafts) the newest eight.
    assert [len(ids_sent(sql)) for sql in looking_up] == [16, 4, 8]
    # Past drafts a reader does not see, pages still follow on.
    assert titles(client, q="refuge", page=2) == ["Refuge 7 (Medway)", "Refuge 7"]
    assert titles(client, q="refuge", page=3) == ["Refuge 6", "Refuge 5"]
    assert titles(client, q="refuge", page=7) == ["Refuge 0"]
    assert "13 decisions" in text(client.get(DECISIONS, {"q": "refuge"}))

    # With another filter, which leaves most of the newest matches out, the
    # page is read among every match, as the count is.
    medway = "medway-community-safety-partnership"
    with CaptureQueriesContext(connection) as queries:
        found = titles(client, q="refuge", body=medway)
    assert found == ["Refuge 10 (Medway)", "Refuge 7 (Medway)"]
    looking_up = [q["sql"] for q in queries if by_id in q["sql"]]
    assert [len(ids_sent(sql)) for sql in looking_up] == [16, 16]
    assert titles(client, q="refuge", body=medway, page=2) == [
        "Refuge 4 (Medway)",
        "Refuge 1 (Medway)",
    ]
