import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from agreement import services as agreement_services
from kcsp.models import Action
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services as meeting_services
from priorities import services
from tests import factories
from tests.agreement import factories as csa
from tests.helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def current() -> object:
    agreement = csa.agreement()
    csa.with_priorities(agreement)
    return agreement


def _refresh(current: Any) -> Any:
    """The draft of the next version, 2012-13."""
    return agreement_services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )


def _page(client: Client, slug: str = "domestic-abuse", **params: str) -> str:
    url = reverse("priorities:detail", args=[slug])
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return text(response)


def test_tbc_lead_is_flagged_as_a_gap(client: Client, current) -> None:
    body = _page(client, "anti-social-behaviour-including-environmental")
    assert '<span class="tag tag--gap">TBC</span>' in body
    assert "Lead to be confirmed: a gap" in body
    named = _page(client)
    assert "Head of Partnership and Communities Command (Domestic Abuse)" in named
    assert "Lead to be confirmed" not in named.split('id="history"')[0]
    listing = text(client.get(reverse("priorities:list")))
    assert listing.count("tag tag--gap") == 1


def test_action_plan_shows_public_actions_only(
    client: Client, partner, clerk, kfrs, current
) -> None:
    domestic = current.priorities.get(slug="domestic-abuse")
    csa.plan_action(domestic, "Review refuge provision", rag=Action.Rag.AMBER)
    private = csa.plan_action(domestic, "Share MARAC case data", is_public=False)
    fire = services.priority_action_add(
        priority=domestic,
        title="Home fire safety visits for victims",
        owner_organisation=kfrs,
        is_public=False,
    )
    body = _page(client)
    assert "Review refuge provision" in body
    assert '<span class="rag rag--amber">Amber: at risk</span>' in body
    assert private.title not in body and fire.action.title not in body
    assert "Only actions the partnership has published are shown." in body
    # A partner officer also sees their own organisation's actions.
    client.force_login(partner)
    body = _page(client)
    assert fire.action.title in body and private.title not in body
    client.force_login(clerk)
    body = _page(client)
    assert private.title in body and "Not public" in body


def test_measures_have_an_accessible_chart_and_table(client: Client, current) -> None:
    acquisitive = current.priorities.get(slug="acquisitive-crime")
    measure = csa.measure(
        acquisitive,
        values=[("2009", 28011), ("2010", 29811)],
        target=Decimal(27000),
        target_label="2011/12",
    )
    csa.measure(acquisitive, "Partner-only dashboard figure", is_public=False)
    body = _page(client, "acquisitive-crime")
    assert (
        f'<svg role="img" aria-labelledby="measure-{measure.pk}-title '
        f'measure-{measure.pk}-desc"'
    ) in body
    assert (
        f'<title id="measure-{measure.pk}-title">Theft and handling offences</title>'
        in body
    )
    assert (
        "Values by period: 2009: 28,011 offences; 2010: 29,811 offences. "
        "Target: 27,000 offences (2011/12). Lower is better."
    ) in body
    assert "<caption>Theft and handling offences: values by period</caption>" in body
    assert '<td class="numeric">29,811</td><td>Off target</td>' in body
    assert "Off target, worsening" in body
    assert 'stroke-dasharray="6 4"' in body  # the target line
    assert "Partner-only dashboard figure" not in body


def test_priority_page_shows_where_it_was_discussed(client: Client, current) -> None:
    domestic = current.priorities.get(slug="domestic-abuse")
    published = factories.meeting(start="2022-03-24T10:00")
    section = factories.section(published)
    refresh = factories.item(
        section, "Kent Community Safety Agreement Review and Refresh"
    )
    case = factories.item(
        section,
        "Domestic Homicide Review case progress",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.IDENTITY,
    )
    meeting_services.agenda_publish(meeting=published)
    unpublished = factories.meeting(start="2027-03-18T10:00")
    future = factories.item(factories.section(unpublished), "Future secret item")
    for item in (refresh, case, future):
        services.discussion_link(priority=domestic, agenda_item=item)
    body = _page(client)
    assert (
        "Kent Community Safety Partnership, 24 March 2022: Kent Community Safety"
        in body
    )
    assert refresh.get_absolute_url() in body
    assert "Domestic Homicide Review case progress" in body
    assert "Exempt: paragraph 2 of Part 1 of Schedule 12A" in " ".join(
        re.sub(r"<[^>]+>", " ", body).split()
    )
    assert "Future secret item" not in body


def test_earlier_versions_of_a_priority(client: Client, current) -> None:
    draft = _refresh(current)
    domestic = draft.priorities.get(slug="domestic-abuse")
    services.priority_update(priority=domestic, name="Domestic Abuse and VAWG")
    services.lead_set(priority=domestic, label="Chair of the Domestic Abuse Board")
    agreement_services.agreement_approve(
        agreement=draft, approved_on=dt.date(2012, 3, 22)
    )
    body = _page(client)
    assert "<h1>Domestic Abuse and VAWG</h1>" in body
    older = _page(client, version="2011-14")
    assert "<h1>Domestic Abuse</h1>" in older
    assert "which has been superseded" in older
    assert "See this priority in the current agreement" in older
    # The lead's history across versions.
    assert "Head of Partnership and Communities Command (Domestic Abuse)" in body
    assert "Chair of the Domestic Abuse Board" in body
    url = reverse("priorities:detail", args=["domestic-abuse"])
    assert client.get(url, {"version": "1999-00"}).status_code == 404
    assert client.get(reverse("priorities:detail", args=["no-such"])).status_code == 404


def test_a_draft_priority_is_viewed_on_the_site_in_its_own_version(
    client: Client, clerk, current
) -> None:
    """The back office's "View on site" and the priority page's notice of a
    draft both open the draft, not the version in force."""
    draft = _refresh(current)
    domestic = draft.priorities.get(slug="domestic-abuse")
    services.priority_update(priority=domestic, name="Domestic Abuse and VAWG")
    client.force_login(clerk)
    kind = ContentType.objects.get_for_model(domestic)
    shortcut = client.get(reverse("admin:view_on_site", args=[kind.pk, domestic.pk]))
    assert shortcut.status_code == 302
    assert shortcut["Location"].endswith("/priorities/domestic-abuse/?version=2012-13")
    assert "<h1>Domestic Abuse and VAWG</h1>" in text(client.get(shortcut["Location"]))
    in_force = _page(client)
    assert "<h1>Domestic Abuse</h1>" in in_force
    assert 'href="/priorities/domestic-abuse/?version=2012-13">See the draft' in (
        in_force
    )


def test_merged_priority_points_to_what_it_became(client: Client, current) -> None:
    draft = _refresh(current)
    services.priority_merge(
        keep=draft.priorities.get(slug="violent-crime"),
        absorb=draft.priorities.get(slug="acquisitive-crime"),
    )
    agreement_services.agreement_approve(
        agreement=draft, approved_on=dt.date(2012, 3, 22)
    )
    body = _page(client, "acquisitive-crime")
    assert "It continues in the version for April 2012 to March 2013 as" in body
    assert 'href="/priorities/violent-crime/">Violent Crime</a>' in body


def test_exception_report_is_for_staff(client: Client, partner, clerk, current) -> None:
    url = reverse("priorities:exception_report")
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(partner)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    domestic = current.priorities.get(slug="domestic-abuse")
    csa.plan_action(
        domestic, "Overdue private action", due="2012-01-31", is_public=False
    )
    body = text(client.get(url))
    assert "Performance by exception" in body
    assert "Overdue private action" in body and "Not public" in body
    assert client.get(url, {"version": "nope"}).status_code == 404


def test_the_list_narrows_to_one_partnerships_agreement(
    client: Client, current
) -> None:
    url = reverse("priorities:list")
    county = factories.partnership()
    own = text(client.get(url, {"partnership": county.slug}))
    assert f"Community safety priorities of {county.name}" in own
    assert "Domestic Abuse" in own
    factories.partnership("Dover")
    none = client.get(url, {"partnership": "dover"})
    assert none.status_code == 200
    assert "Dover CSP has no Community Safety Agreement in force" in text(none)
    assert "Domestic Abuse" not in text(none)
    unknown = client.get(url, {"partnership": "atlantis"})
    assert unknown.status_code == 404
    assert "No partnership has that address" in text(unknown)


def test_the_list_shows_the_county_partnerships_by_default(
    client: Client, current
) -> None:
    """Without a choice, the host (county) partnership's priorities, saying
    so, with a form to choose another partnership that works without
    scripts."""
    county = factories.partnership()
    factories.partnership("Dover")
    body = text(client.get(reverse("priorities:list")))
    assert f"Community safety priorities of {county.name}" in body
    assert f"These are the priorities of {county.name}, the county partnership" in body
    assert "county-wide priorities" in body and "Domestic Abuse" in body
    assert '<label for="partnership-choice">Partnership</label>' in body
    assert '<option value="dover">' in body
    assert f'<option value="{county.slug}" selected>' in body
    chosen = text(client.get(reverse("priorities:list"), {"partnership": "dover"}))
    assert "the county partnership" not in chosen
    assert '<option value="dover" selected>' in chosen
