import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from agreement import services
from agreement.models import Agreement
from priorities import services as priority_services
from priorities.models import Priority
from tests import factories
from tests.agreement import factories as csa
from tests.helpers import queries_for, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def current() -> Agreement:
    """The approved 2011-14 agreement with its priorities and matrix."""
    agreement = csa.agreement()
    csa.with_priorities(agreement)
    csa.matrix(agreement)
    return agreement


def test_current_agreement_is_an_accessible_document(client: Client, current) -> None:
    response = client.get(reverse("agreement:current"))
    body = text(response)
    assert "<h1>Kent Community Safety Agreement</h1>" in body
    assert "April 2011 to March 2014" in body
    assert "This is the current agreement, approved by" not in body  # no body set
    assert "This is the current agreement" in body
    # Contents, numbered sections and lettered appendices.
    for title in [
        "Foreword",
        "1. Introduction",
        "2. County Priorities",
        "3. Priority Leads",
        "Appendix A: Key Priorities and Cross-Cutting Themes (2011-12)",
        "Appendix B: Current Context",
    ]:
        assert f">{title}</a>" in body and f">{title}</h2>" in body
    assert "Mike Hill OBE" in body
    # Priorities with leads, the TBC flagged; themes across every priority.
    for name in csa.PRIORITIES_2011:
        assert name in body
    assert "1 priority has no confirmed lead (shown as TBC)." in body
    assert '<span class="tag tag--gap">TBC</span>' in body
    assert (
        "Reducing Re-Offending</strong>: to be addressed within every priority" in body
    )
    # Strategies, signatories, contact.
    assert "Vision for Kent" in body and "2011-2021" in body
    assert "Primary Care Trusts" in body and "Kent Police" in body
    assert "ME14 1XX" in body and "01622 696187" in body
    # The matrix as a table and as an accessible chart.
    assert (
        '<th scope="row">Domestic Abuse <span class="tag">Common issue</span>' in body
    )
    assert re.search(r'<svg role="img" aria-labelledby="matrix-\d+-title', body)
    assert "ASB/Environmental: 2 of 2 assessed; Domestic Abuse: 2 of 2 assessed" in body
    assert "Hate Crime" in body  # the workshop's addition
    # The Content Security Policy allows no inline styles or scripts.
    assert "style=" not in body and "<script" not in body
    assert 'href="/static/css/agreement.css"' in body


def test_versions_pages_and_superseded_notice(client: Client, current) -> None:
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    services.agreement_approve(agreement=draft, approved_on=dt.date(2012, 3, 22))
    body = text(client.get(reverse("agreement:current")))
    assert "April 2012 to March 2013" in body
    assert 'href="/agreement/2011-14/"' in body
    older = text(client.get(current.get_absolute_url()))
    assert "This version was superseded on 22 March 2012." in older
    # Its priorities link to their page in that version.
    assert 'href="/priorities/domestic-abuse/?version=2011-14"' in older


def test_no_agreement_yet_is_a_friendly_page(client: Client) -> None:
    response = client.get(reverse("agreement:current"))
    assert response.status_code == 200
    assert "No Community Safety Agreement has been published yet." in text(response)
    assert client.get("/agreement/2099-00/").status_code == 404
    assert client.get("/agreement/2099-00/changes/").status_code == 404
    assert client.get("/agreement/2099-00.pdf").status_code == 404


def _draft_with_secrets(current: Agreement) -> Agreement:
    """A draft refresh, and private actions and figures in the current plan."""
    domestic = current.priorities.get(slug="domestic-abuse")
    csa.plan_action(domestic, "Private county lines referral", is_public=False)
    csa.measure(domestic, "Private county lines dashboard", is_public=False)
    draft = services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    secret = priority_services.priority_add(
        agreement=draft, name="Draft-only priority on county lines"
    )
    priority_services.lead_set(priority=secret, tbc=True)
    services.change_note_record(agreement=draft, text="Draft note about county lines")
    return draft


def test_public_pages_never_show_draft_versions(client: Client, current) -> None:
    draft = _draft_with_secrets(current)
    # Actions added to a draft stay private until it is approved.
    csa.plan_action(draft.priorities.get(slug="road-safety"), "Draft county lines plan")
    for url in [
        reverse("agreement:detail", args=[draft.slug]),
        reverse("agreement:changes", args=[draft.slug]),
        reverse("agreement:pdf", args=[draft.slug]),
        reverse("priorities:detail", args=["draft-only-priority-on-county-lines"]),
        reverse("priorities:detail", args=["domestic-abuse"]) + "?version=2012-13",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("agreement:current"),
        reverse("agreement:detail", args=[current.slug]),
        reverse("agreement:changes", args=[current.slug]),
        reverse("priorities:list"),
        reverse("priorities:detail", args=["domestic-abuse"]),
        reverse("priorities:detail", args=["road-safety"]),
        reverse("kcsp:home"),
    ]:
        body = text(client.get(url))
        assert "county lines" not in body, url
        assert "2012-13" not in body and "April 2012 to March 2013" not in body, url


def test_staff_see_drafts_marked_as_drafts(client: Client, clerk, current) -> None:
    draft = _draft_with_secrets(current)
    client.force_login(clerk)
    body = text(client.get(draft.get_absolute_url()))
    assert "Draft:</strong> not approved. Only staff can see this version." in body
    assert "Draft-only priority on county lines" in body
    changes = text(client.get(reverse("agreement:changes", args=[draft.slug])))
    assert "Added</span> “Draft-only priority on county lines”" in changes
    listing = text(client.get(reverse("agreement:current")))
    assert '<span class="tag tag--draft">Draft</span>' in listing
    page = text(client.get(reverse("priorities:detail", args=["domestic-abuse"])))
    assert "a draft refresh includes this priority" in page


def test_home_page_links_the_current_agreement_and_its_priorities(
    client: Client, current
) -> None:
    body = text(client.get(reverse("kcsp:home")))
    assert "Community Safety Agreement</h2>" in body
    assert 'href="/agreement/2011-14/"' in body
    assert 'href="/priorities/road-safety/">Road Safety</a>' in body
    assert '<a href="/agreement/"' in body  # the main navigation


def test_pages_cost_the_same_queries_at_twenty_times_the_data(
    client: Client, clerk, current
) -> None:
    domestic = current.priorities.get(slug="domestic-abuse")
    csa.plan_action(domestic)
    csa.measure(domestic, values=[("2009", 28011), ("2010", 29811)])
    meeting = factories.meeting(start="2022-03-24T10:00")
    item = factories.item(factories.section(meeting))
    from meetings.services import agenda_publish

    agenda_publish(meeting=meeting)
    priority_services.discussion_link(priority=domestic, agenda_item=item)
    earlier = csa.agreement(
        slug="2008-11", start="2008-04-01", end="2011-03-31", status="superseded"
    )
    Priority.objects.create(
        agreement=earlier, name="Domestic Abuse", slug="domestic-abuse"
    )
    services.agreement_refresh(
        agreement=current,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    public = [
        reverse("agreement:current"),
        reverse("agreement:detail", args=[current.slug]),
        reverse("agreement:changes", args=["2012-13"]),
        reverse("priorities:list"),
        reverse("priorities:detail", args=["domestic-abuse"]),
        reverse("kcsp:home"),
    ]
    staff = [
        *public,
        reverse("agreement:detail", args=["2012-13"]),
        reverse("priorities:exception_report"),
    ]
    clerk_client = Client()
    clerk_client.force_login(clerk)

    def counts() -> tuple[list[int], list[int]]:
        return (
            [queries_for(client, url) for url in public if "2012-13" not in url],
            [queries_for(clerk_client, url) for url in staff],
        )

    small = counts()
    csa.grow(current, domestic, 19)
    draft = Agreement.objects.get(slug="2012-13")
    csa.grow(draft, draft.priorities.get(slug="domestic-abuse"), 3)
    assert counts() == small
