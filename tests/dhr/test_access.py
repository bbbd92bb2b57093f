"""Who may see a review, on every surface, and the record of each read."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dhr import services
from dhr.models import AccessLog, Case, PublishedDocument
from kcsp.models import Action
from tests.dhr import factories as dhr
from tests.helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def unpublished(kfrs, kent_police) -> dict[str, Any]:
    """An approved case with its pseudonym chosen (so its public address
    exists), a document and an action plan, not yet published."""
    case = dhr.approved_case("TEST 101", pseudonym="Rowan", year=2026)
    document = dhr.document(case)
    recommendation = dhr.recommendation(case)
    ours = dhr.agency_action(recommendation, kfrs, "Fire safety visit checklist")
    theirs = dhr.agency_action(recommendation, kent_police, "Repeat incident audit")
    return {
        "case": case,
        "document": document,
        "ours": ours.action,
        "theirs": theirs.action,
    }


# One line per public surface that can show a single review. Search, the
# sitemap, the API and feeds add their URL builders here when they exist.
DetailSurface = Callable[[Case, PublishedDocument], str]
DETAIL_SURFACES: list[Any] = [
    pytest.param(lambda c, d: reverse("dhr:review", args=[c.slug]), id="page"),
    pytest.param(lambda c, d: d.get_absolute_url(), id="document"),
    pytest.param(lambda c, d: reverse("dhr:review_pdf", args=[c.slug]), id="pdf"),
]

# Public surfaces that list reviews: an unpublished one must not appear.
LISTING_SURFACES: list[Any] = [
    pytest.param(lambda: reverse("dhr:list"), id="list"),
    pytest.param(lambda: reverse("kcsp:home"), id="home"),
]


@pytest.mark.parametrize("surface", DETAIL_SURFACES)
@pytest.mark.parametrize("who", [None, "partner", "clerk"])
def test_an_unpublished_review_is_404_on_every_public_surface(
    request: pytest.FixtureRequest,
    client: Client,
    unpublished,
    surface: DetailSurface,
    who: str | None,
) -> None:
    if who:
        client.force_login(request.getfixturevalue(who))
    url = surface(unpublished["case"], unpublished["document"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("surface", DETAIL_SURFACES)
def test_the_same_surfaces_answer_once_published(
    client: Client, unpublished, dhr_coordinator, surface: DetailSurface
) -> None:
    case = unpublished["case"]
    services.case_publish(
        case=case,
        by=dhr_coordinator,
        published_on=timezone.localdate(),
        pseudonym="Rowan",
        year=2026,
        action_plan_public=True,
    )
    case.refresh_from_db()
    assert client.get(surface(case, unpublished["document"])).status_code == 200


@pytest.mark.parametrize("surface", LISTING_SURFACES)
def test_an_unpublished_review_is_not_listed(
    client: Client, partner, unpublished, surface: Callable[[], str]
) -> None:
    dhr.published_case("Juniper", 2025)
    for viewer in (client, _signed_in(partner)):
        body = text(viewer.get(surface()))
        assert "Juniper 2025" in body
        assert "Rowan" not in body and "TEST 101" not in body


def _signed_in(user: Any) -> Client:
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in


def _staff_urls(data: dict[str, Any]) -> list[str]:
    case = data["case"]
    return [
        reverse("dhr:dashboard"),
        reverse("dhr:learning"),
        reverse("dhr:funding"),
        case.get_staff_url(),
        reverse("dhr:case_pdf", args=[case.pk]),
        data["document"].get_staff_url(),
        reverse("dhr:recommendation_add", args=[case.pk]),
        reverse("dhr:action_add", args=[case.pk, 1]),
        reverse("dhr:sign_off", args=[case.pk, data["ours"].pk]),
        reverse("dhr:publish", args=[case.pk]),
        reverse("dhr:document_add", args=[case.pk]),
    ]


@pytest.mark.parametrize("who", ["partner", "clerk"])
def test_coordinator_pages_are_404_for_other_roles(
    request: pytest.FixtureRequest, client: Client, unpublished, who: str
) -> None:
    client.force_login(request.getfixturevalue(who))
    for url in _staff_urls(unpublished):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x"}).status_code == 404, url
    assert not AccessLog.objects.exists()


def test_coordinator_pages_ask_the_signed_out_to_sign_in(
    client: Client, unpublished
) -> None:
    for url in _staff_urls(unpublished):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_back_office_of_reviews_is_closed_to_clerks(
    client: Client, clerk, partner, unpublished
) -> None:
    case = unpublished["case"]
    client.force_login(clerk)
    assert client.get(reverse("admin:dhr_case_changelist")).status_code == 403
    assert client.get(reverse("admin:dhr_case_change", args=[case.pk])).status_code in (
        302,
        403,
    )
    client.force_login(partner)
    response = client.get(reverse("admin:dhr_case_change", args=[case.pk]))
    assert response.status_code == 302  # to the back office sign-in
    assert not AccessLog.objects.exists()


def test_agency_lead_sees_only_their_actions_and_never_the_case(
    client: Client, partner, unpublished
) -> None:
    ours, theirs, case = unpublished["ours"], unpublished["theirs"], unpublished["case"]
    client.force_login(partner)
    listing = text(client.get(reverse("kcsp:actions")))
    assert "Fire safety visit checklist" in listing
    assert "Repeat incident audit" not in listing
    assert "Domestic Homicide Review TEST 101, recommendation 1" in listing
    page = client.get(ours.get_absolute_url())
    assert page.status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    body = text(page)
    for restricted in (
        dhr.NARRATIVE,
        "Agencies review how they share information",  # the recommendation
        "Rowan",  # the pseudonym, before publication
        case.get_staff_url(),
    ):
        assert restricted not in listing and restricted not in body
    assert client.get(case.get_staff_url()).status_code == 404


def test_agency_lead_posts_progress_but_cannot_close(
    client: Client, partner, unpublished
) -> None:
    ours = unpublished["ours"]
    client.force_login(partner)
    response = client.post(
        ours.get_absolute_url(),
        {"form": "update", "text": "Checklist drafted.", "status": "complete"},
    )
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == Action.Status.COMPLETE
    response = client.post(ours.get_absolute_url(), {"form": "sign-off", "note": "x"})
    assert response.status_code == 404
    ours.refresh_from_db()
    assert ours.status == Action.Status.COMPLETE


# Access log ---------------------------------------------------------------------


def _case_views(data: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Each way a coordinator can read a case, with what the log calls it."""
    case = data["case"]
    recommendation = case.recommendations.get()
    what = AccessLog.What
    return {
        "page": (case.get_staff_url(), what.CASE_PAGE),
        "pdf": (reverse("dhr:case_pdf", args=[case.pk]), what.CASE_PDF),
        "document": (data["document"].get_staff_url(), what.DOCUMENT),
        "form": (reverse("dhr:recommendation_add", args=[case.pk]), what.CASE_FORM),
        "admin-change": (
            reverse("admin:dhr_case_change", args=[case.pk]),
            what.ADMIN_CHANGE,
        ),
        "admin-history": (
            reverse("admin:dhr_case_history", args=[case.pk]),
            what.ADMIN_HISTORY,
        ),
        "admin-recommendation": (
            reverse("admin:dhr_recommendation_change", args=[recommendation.pk]),
            what.ADMIN_CHANGE,
        ),
    }


@pytest.mark.parametrize(
    "view",
    [
        "page",
        "pdf",
        "document",
        "form",
        "admin-change",
        "admin-history",
        "admin-recommendation",
    ],
)
@pytest.mark.parametrize("who", ["dhr_coordinator", "administrator"])
def test_every_view_of_a_case_writes_one_access_log_row(
    request: pytest.FixtureRequest,
    client: Client,
    unpublished,
    view: str,
    who: str,
) -> None:
    user = request.getfixturevalue(who)
    url, what = _case_views(unpublished)[view]
    client.force_login(user)
    assert client.get(url).status_code == 200
    row = AccessLog.objects.get()
    assert (row.user, row.username, row.what) == (user, user.username, what)
    assert (row.case, row.case_reference, row.path) == (
        unpublished["case"],
        "TEST 101",
        url,
    )
    client.get(url)
    assert AccessLog.objects.count() == 2


def test_public_reading_writes_no_access_log(client: Client) -> None:
    case = dhr.published_case("Juniper", 2025)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert not AccessLog.objects.exists()


def test_a_missing_case_is_404_and_not_logged(client: Client, dhr_coordinator) -> None:
    client.force_login(dhr_coordinator)
    assert client.get(reverse("dhr:case", args=[999])).status_code == 404
    assert not AccessLog.objects.exists()


def test_administrators_read_the_access_log_which_nobody_can_change(
    client: Client, dhr_coordinator, administrator, unpublished
) -> None:
    client.force_login(dhr_coordinator)
    client.get(unpublished["case"].get_staff_url())
    row = AccessLog.objects.get()
    # The coordinator, whose reads it records, cannot see it.
    changelist = reverse("admin:dhr_accesslog_changelist")
    assert client.get(changelist).status_code == 403
    assert "Access log" not in text(client.get(reverse("admin:index")))
    client.force_login(administrator)
    body = text(client.get(changelist))
    assert "TEST 101" in body and "dhr" in body
    change = client.get(reverse("admin:dhr_accesslog_change", args=[row.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in text(change)
    assert client.get(reverse("admin:dhr_accesslog_add")).status_code == 403
    delete = reverse("admin:dhr_accesslog_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    row.path = "/elsewhere/"
    with pytest.raises(ValueError, match="cannot be changed"):
        row.save()
    assert AccessLog.objects.get().path == unpublished["case"].get_staff_url()
