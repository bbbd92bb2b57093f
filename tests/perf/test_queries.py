"""Queries per page stay the same when the data grows a hundredfold.

Each public list and detail page, and a partner officer's My actions, is
read once with a small partnership and again after a hundred times as many
meetings (and, for the meeting page, a hundred times as many items) have been
added. A page whose query count grows with the data (a query per row from a
template or a property) fails here. The page cache is off for these
readings, so the pages are rendered each time.
"""

import datetime as dt
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from meetings.models import Minutes
from tests.helpers import queries_for, text
from tests.perf import builders

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("no_page_cache"),
]


@pytest.fixture
def no_page_cache() -> Any:
    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0):
        yield


def _public_urls(body: Any, meeting: Any) -> dict[str, str]:
    return {
        "home": reverse("kcsp:home"),
        "meetings": reverse("meetings:list"),
        "meetings (a year)": reverse("meetings:list") + "?year=2024",
        "committees": reverse("meetings:body_list"),
        "committee": reverse("meetings:body", args=[body.slug]),
        "forward plan": reverse("meetings:forward_plan", args=[body.slug]),
        "meeting and minutes": meeting.get_absolute_url(),
        "decisions": reverse("meetings:decisions"),
        "decisions (filtered)": reverse("meetings:decisions")
        + f"?body={body.slug}&q=update",
        "decisions (words)": reverse("meetings:decisions") + "?q=update",
        "agreement": reverse("agreement:current"),
        "priorities": reverse("priorities:list"),
        "reviews": reverse("dhr:list"),
        "search": reverse("kcsp:search") + "?q=update",
        "partnerships": reverse("kcsp:partnerships"),
        "partnership": reverse("kcsp:partnership", args=[body.partnership.slug]),
        "meetings (a partnership)": reverse("meetings:list")
        + f"?partnership={body.partnership.slug}",
        "decisions (a partnership)": reverse("meetings:decisions")
        + f"?partnership={body.partnership.slug}",
        "search (a partnership)": reverse("kcsp:search")
        + f"?q=update&partnership={body.partnership.slug}",
        "minutes feed (a partnership)": reverse("feeds:minutes_rss")
        + f"?partnership={body.partnership.slug}",
        "decisions feed (a partnership)": reverse("feeds:decisions_atom")
        + f"?partnership={body.partnership.slug}",
        "agendas feed (a partnership)": reverse("feeds:agendas_rss")
        + f"?partnership={body.partnership.slug}",
        "partnerships (open data)": "/api/v1/partnerships/",
    }


def _counts(client: Client, urls: dict[str, str]) -> dict[str, int]:
    return {name: queries_for(client, url) for name, url in urls.items()}


def test_public_pages_cost_the_same_queries_at_100_times_the_data(
    client: Client,
) -> None:
    small = builders.body_with_meetings("Small Partnership", meetings=1, items=4)
    small_meeting = builders.latest_meeting(small)
    assert small_meeting.minutes.status == Minutes.Status.PUBLISHED_DRAFT
    one = _counts(client, _public_urls(small, small_meeting))

    big = builders.body_with_meetings(
        "Big Partnership", meetings=100, items=4, years=10
    )
    long_agenda = builders.body_with_meetings(
        "Long Agenda Partnership", meetings=1, items=400
    )
    long_meeting = builders.latest_meeting(long_agenda)
    assert long_meeting.items.count() == 400
    urls = _public_urls(big, builders.latest_meeting(big))
    urls["meeting and minutes"] = long_meeting.get_absolute_url()
    hundred = _counts(client, urls)

    assert hundred == one


def test_my_actions_costs_the_same_queries_at_100_times_the_actions(
    client: Client, partner: Any
) -> None:
    from kcsp import services
    from kcsp.models import Action, Partnership

    client.force_login(partner)
    organisation = partner.person.organisation
    builders.body_with_meetings(
        "Small Partnership", meetings=1, items=6, owners=[organisation]
    )
    services.action_create(
        title="Open at the start",
        owner_organisation=organisation,
        reports_to="Small Partnership",
        due_date=dt.date(2030, 1, 1),
    )
    url = reverse("kcsp:actions")
    every = f"{url}?status=any"
    one, one_every = queries_for(client, url), queries_for(client, every)
    of_one = f"{every}&partnership={Partnership.objects.host().slug}"
    one_of_one = queries_for(client, of_one)

    builders.body_with_meetings(
        "Big Partnership", meetings=100, items=6, years=10, owners=[organisation]
    )
    assert Action.objects.filter(owner_organisation=organisation).count() > 50
    assert queries_for(client, url) == one
    assert queries_for(client, every) == one_every
    assert queries_for(client, every + "&page=2") == one_every
    assert queries_for(client, of_one) == one_of_one


@pytest.mark.parametrize("reader", ["partner", "clerk"])
def test_signed_in_pages_cost_the_same_queries_at_100_times_the_data(
    client: Client, reader: str, request: Any
) -> None:
    """Signed-in readers never get the page cache: the meeting page and the
    decisions register are read with the fragment caches off too."""
    client.force_login(request.getfixturevalue(reader))
    small = builders.body_with_meetings("Small Partnership", meetings=1, items=4)

    def urls(body: Any, meeting: Any) -> dict[str, str]:
        decisions = reverse("meetings:decisions")
        return {
            "meeting and minutes": meeting.get_absolute_url() if meeting else "",
            "decisions": f"{decisions}?body={body.slug}",
            "words": f"{decisions}?q=update",
        }

    with override_settings(FRAGMENT_CACHE_SECONDS=0):
        one = _counts(client, urls(small, builders.latest_meeting(small)))
        assert 'class="decision"' in text(client.get(urls(small, None)["words"]))
        big = builders.body_with_meetings(
            "Big Partnership", meetings=100, items=4, years=10
        )
        long_agenda = builders.body_with_meetings(
            "Long Agenda Partnership", meetings=1, items=400
        )
        hundred = _counts(client, urls(big, builders.latest_meeting(long_agenda)))
    assert hundred == one
