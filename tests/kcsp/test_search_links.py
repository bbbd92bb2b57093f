"""The links of search results: read in one query for a page holding every
kind of content, and the same as each row's own link."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreement.models import Agreement
from kcsp.models import SearchEntry
from kcsp.registry import search_sources
from kcsp.search.links import result_links
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from priorities import services as priority_services
from tests import factories
from tests.agreement import factories as agreement_factories
from tests.dhr import factories as dhr_factories
from tests.helpers import queries_for, text
from tests.kcsp.test_search import _summary, minutes_with, paper
from tests.meetings.minutes_factories import write

pytestmark = pytest.mark.django_db

SEARCH = reverse("kcsp:search")
WORD = "lantern"


@pytest.fixture
def every_kind() -> None:
    """Rows of every source holding WORD, in each state that changes a link:
    minutes published as a draft and unpublished, an exempt agenda item, a
    paper with and without an item, priorities of the current, a superseded
    and a draft agreement, and a published review with its summary. The
    meeting starts half an hour after midnight in summer, so a timestamp read
    in the wrong zone would show the day before."""
    published = minutes_with(
        "2022-07-14T00:30",
        f"Street {WORD}s",
        f"Members heard that the {WORD} scheme lit three parks.",
    )
    write(
        published.items.get(),
        [f"Members heard that the {WORD} scheme lit three parks."],
        f"RESOLVED that {WORD}s stay lit.",
    )
    minutes_with(
        "2022-09-08T10:00",
        "Town centres",
        f"The {WORD} patrols would be reviewed.",
        publish=False,
    )
    meeting = factories.meeting(start="2023-01-19T10:00")
    section = factories.section(meeting)
    item = factories.item(section, f"Winter {WORD} festival")
    factories.item(
        section,
        f"{WORD.title()} case review",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.INDIVIDUAL,
    )
    paper(meeting, item, "Festival report", f"The {WORD} parade passed safely.")
    paper(meeting, None, "Chair's note", f"A note on the {WORD} parade.")
    services.agenda_publish(meeting=meeting)

    for status, slug, start, end in [
        (Agreement.Status.SUPERSEDED, "2011-14", "2011-04-01", "2014-03-31"),
        (Agreement.Status.APPROVED, "2014-17", "2014-04-01", "2017-03-31"),
        (Agreement.Status.DRAFT, "2017-20", "2017-04-01", "2020-03-31"),
    ]:
        version = agreement_factories.agreement(
            slug=slug,
            start=start,
            end=end,
            status=Agreement.Status.DRAFT
            if status == Agreement.Status.DRAFT
            else Agreement.Status.APPROVED,
        )
        priority_services.priority_add(
            agreement=version,
            name=f"Safer streets {slug}",
            description=f"Better {WORD} lighting.",
        )
        # A superseded version's priorities are kept as they were agreed.
        if status == Agreement.Status.SUPERSEDED:
            Agreement.objects.filter(pk=version.pk).update(
                status=status, superseded_on=version.approved_on
            )

    case = dhr_factories.published_case(WORD.title(), 2025)
    _summary(case, f"The {WORD} of learning.")


def _every_entry() -> list[tuple[Any, list[int]]]:
    """Each registered source with the ids of its indexed rows."""
    entries = list(SearchEntry.objects.values_list("source", "object_id"))
    return [
        (source, [pk for key, pk in entries if key == source.key])
        for source in search_sources()
    ]


def test_every_source_links_as_its_own_row_would(every_kind: None) -> None:
    wanted = _every_entry()
    assert all(ids for _, ids in wanted)
    with CaptureQueriesContext(connection) as read:
        links = result_links(wanted)
    assert len(read.captured_queries) == 1
    assert len(links) == sum(len(ids) for _, ids in wanted)
    for source, ids in wanted:
        for row in source.rows().filter(pk__in=ids):
            assert links[source.key, row.pk] == source.link(row), (source.key, row)


def test_links_show_each_state(every_kind: None) -> None:
    links = result_links(_every_entry()).values()
    contexts = " | ".join(link.context for link in links)
    assert "14 July 2022 (draft minutes, subject to approval)" in contexts
    assert "8 September 2022 (draft minutes, not published)" in contexts
    assert "Exempt: paragraph 1" in contexts
    assert "19 January 2023, item B1: Winter lantern festival" in contexts
    assert "(superseded)" in contexts
    assert "(draft, not published)" in contexts
    urls = {link.url for link in links}
    assert (
        reverse("priorities:detail", args=["safer-streets-2011-14"])
        + ("?version=2011-14")
        in urls
    )


def _kinds(page: str) -> set[str]:
    return set(re.findall(r'class="search-result__meta">([^:<]*)', page))


@pytest.mark.parametrize("who", ["anonymous", "clerk"])
def test_a_page_of_every_kind_costs_what_a_page_of_one_kind_does(
    client: Client, every_kind: None, clerk: Any, who: str
) -> None:
    if who == "clerk":
        client.force_login(clerk)
    one_kind = f"{SEARCH}?q=parks"
    every = f"{SEARCH}?q={WORD}"
    assert len(_kinds(text(client.get(one_kind)))) == 1
    assert _kinds(text(client.get(every))) == {
        "Minutes",
        "Decisions",
        "Agenda items",
        "Papers",
        "Agreement priorities",
        "Domestic Homicide Reviews",
    }
    assert queries_for(client, every) == queries_for(client, one_kind)
