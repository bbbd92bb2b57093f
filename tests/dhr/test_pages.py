"""The public review pages and the coordinator's pages: what they show,
their forms, and query counts that stay flat as the data grows."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dhr import services
from dhr.models import (
    Case,
    CaseAgency,
    CaseCost,
    FundingContribution,
    PublishedDocument,
    Recommendation,
)
from kcsp.models import Action
from tests import factories
from tests.dhr import factories as dhr
from tests.helpers import queries_for, text

pytestmark = pytest.mark.django_db


# Public ---------------------------------------------------------------------------


def test_public_list_shows_only_what_a_published_listing_shows(client: Client) -> None:
    case = dhr.published_case("Juniper", 2025, published_on=dt.date(2026, 3, 24))
    dhr.case("TEST 555", pseudonym="Hazel", year=2026)
    body = text(client.get(reverse("dhr:list")))
    assert "Published Domestic Homicide Reviews" in body
    assert "Juniper 2025" in body and "Kent and Medway" in body
    assert "24 March 2026" in body
    assert case.reference not in body and dhr.NARRATIVE not in body
    assert "Hazel" not in body and "TEST 555" not in body
    filtered = text(client.get(reverse("dhr:list"), {"year": "2026", "q": "jun"}))
    assert "Juniper 2025" in filtered
    assert "0 reviews" in text(client.get(reverse("dhr:list"), {"q": "zzz"}))
    assert (
        client.get(reverse("dhr:list"), {"year": "x", "page": "y"}).status_code == 200
    )


def test_review_page_documents_and_action_plan(client: Client, kfrs) -> None:
    case = dhr.approved_case("TEST 42")
    recommendation = dhr.recommendation(case)
    dhr.agency_action(recommendation, kfrs, "Fire safety visit checklist")
    document = dhr.document(case)
    case = _publish(case)
    body = text(client.get(case.get_absolute_url()))
    assert "Juniper 2025" in body and "Executive summary" in body
    assert "Fire safety visit checklist" in body
    assert "Agencies review how they share information" in body
    assert "TEST 42" not in body and dhr.NARRATIVE not in body
    assert "Aged 41" not in body
    document.refresh_from_db()
    response = client.get(document.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    wrong_name = reverse("dhr:document", args=[case.slug, document.pk, "x.pdf"])
    assert client.get(wrong_name)["Location"] == document.get_absolute_url()


def _publish(case: Case, **kw) -> Case:
    return services.case_publish(
        case=case,
        by=dhr._coordinator(),
        published_on=kw.pop("published_on", timezone.localdate()),
        pseudonym=kw.pop("pseudonym", "Juniper"),
        year=kw.pop("year", 2025),
        action_plan_public=kw.pop("action_plan_public", True),
    )


def test_takedown_hides_the_documents_but_keeps_the_review_listed(
    client: Client, kfrs
) -> None:
    case = dhr.approved_case()
    dhr.agency_action(dhr.recommendation(case), kfrs, "Fire safety visit checklist")
    document = dhr.document(case)
    year_ago = timezone.localdate() - dt.timedelta(days=366)
    case = _publish(case, published_on=year_ago)
    document = PublishedDocument.objects.select_related("case").get(pk=document.pk)
    assert case.takedown_on <= timezone.localdate()  # the 12 months have passed
    body = text(client.get(case.get_absolute_url()))
    assert "were taken down on" in body
    assert "Executive summary" not in body
    assert "Fire safety visit checklist" not in body
    assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get(reverse("dhr:review_pdf", args=[case.slug])).status_code == 404
    assert "Juniper 2025" in text(client.get(reverse("dhr:list")))
    assert not PublishedDocument.objects.public().exists()
    # The coordinator extends the period: the documents are back.
    case.takedown_on = timezone.localdate() + dt.timedelta(days=30)
    services.case_save(case=case)
    assert client.get(document.get_absolute_url()).status_code == 200


def test_the_label_is_a_setting(client: Client, settings) -> None:
    settings.DHR_LABEL = "Domestic Abuse Related Death Review"
    case = dhr.published_case("Juniper", 2025)
    listing = text(client.get(reverse("dhr:list")))
    assert "Published Domestic Abuse Related Death Reviews" in listing
    assert "Domestic Homicide" not in listing
    page = text(client.get(case.get_absolute_url()))
    assert "Domestic Abuse Related Death Review" in page
    assert "Domestic Homicide" not in page
    privacy = text(client.get(reverse("kcsp:privacy")))
    assert "<h2>Domestic Abuse Related Death Reviews</h2>" in privacy
    assert "Domestic Homicide" not in privacy


def test_unknown_reviews_and_documents_are_404(client: Client) -> None:
    assert client.get("/dhr/nobody-2020/").status_code == 404
    assert client.get("/dhr/nobody-2020/documents/1/x.pdf").status_code == 404
    assert client.get("/dhr/nobody-2020/action-plan.pdf").status_code == 404


# Coordinator ----------------------------------------------------------------------


def test_a_review_action_is_signed_off_only_where_the_board_records_it(
    client: Client, dhr_coordinator, partner, kfrs
) -> None:
    """The action's own page sends the coordinator to the review's sign-off
    screen, which records the board's date and minute; signing off on the
    action's page, complete or not, is refused and the action stays open."""
    link = dhr.agency_action(dhr.recommendation(dhr.case("TEST 310")), kfrs)
    action = link.action
    client.force_login(dhr_coordinator)
    page = action.get_absolute_url()
    board = reverse("dhr:sign_off", args=[link.recommendation.case_id, action.pk])
    in_progress = text(client.get(page))
    assert "The owner has not marked it complete yet." in in_progress
    assert "Sign off and close" not in in_progress
    client.post(page, {"form": "sign-off", "note": "Closed early"})
    action.refresh_from_db()
    assert action.status == Action.Status.NOT_STARTED
    dhr.complete(action, partner)
    complete = text(client.get(page))
    assert f'<a href="{board}">Record the board\'s sign-off</a>' in complete
    refused = text(client.post(page, {"form": "sign-off", "note": "x"}, follow=True))
    assert "signed off where its source records the board" in refused
    action.refresh_from_db()
    assert action.status == Action.Status.COMPLETE and action.signed_off_at is None
    assert "Record the board&#x27;s sign-off" in text(client.get(board))


def test_dashboard_shows_cases_by_stage_actions_by_agency_and_sign_offs(
    client: Client, dhr_coordinator, partner, kfrs, kent_police
) -> None:
    late = dhr.case(
        "TEST 301",
        notified_on=dt.date(2026, 1, 5),
        decision=Case.Decision.PENDING,
        decision_on=None,
    )
    reviewing = dhr.case("TEST 302")
    recommendation = dhr.recommendation(reviewing)
    red = dhr.agency_action(recommendation, kfrs, "Red one").action
    Action.objects.filter(pk=red.pk).update(rag="red")
    signed = dhr.agency_action(recommendation, kfrs, "Signed one")
    dhr.complete(signed.action, partner)
    services.agency_action_sign_off(
        link=signed, by=dhr_coordinator, signed_off_on=timezone.localdate()
    )
    waiting = dhr.agency_action(recommendation, kent_police, "Waiting one").action
    Action.objects.filter(pk=waiting.pk).update(status=Action.Status.COMPLETE)
    dhr.case("TEST 303", closed_on=dt.date(2026, 5, 1))
    CaseAgency.objects.create(
        case=reviewing,
        organisation=kent_police,
        imr_requested_on=dt.date(2026, 6, 8),
        imr_due_on=dt.date(2026, 7, 31),
    )
    client.force_login(dhr_coordinator)
    body = text(client.get(reverse("dhr:dashboard")))
    assert "Notified by the police (1)" in body
    assert "Individual management reviews requested (1)" in body
    assert late.reference in body and "due 5 February 2026" in body
    assert "<strong>1</strong> closed case" in body
    assert "IMR from Kent Police (due 31 July 2026)" in body
    assert "<strong>2</strong> cases with an overdue stage" in body
    kfrs_row = body.split('<th scope="row">Kent Fire and Rescue Service</th>')[1]
    # Red, amber, green, not rated, open, overdue, awaiting, signed off, total.
    cells = [c.split("</td>")[0] for c in kfrs_row.split("<td>")[1:10]]
    assert cells == ["1", "0", "0", "0", "1", "0", "0", "1", "2"]
    police_row = body.split('<th scope="row">Kent Police</th>')[1]
    assert [c.split("</td>")[0] for c in police_row.split("<td>")[1:10]][6] == "1"


def test_case_page_shows_everything_the_coordinator_needs(
    client: Client, dhr_coordinator, kfrs
) -> None:
    case = dhr.approved_case("TEST 77")
    CaseAgency.objects.create(
        case=case,
        organisation=kfrs,
        imr_requested_on=dt.date(2026, 6, 8),
        imr_due_on=dt.date(2026, 7, 31),
    )
    recommendation = dhr.recommendation(case, themes=(dhr.theme(),))
    dhr.agency_action(recommendation, kfrs, "Fire safety visit checklist")
    CaseCost.objects.create(
        case=case, financial_year=2026, kind="chair", amount=Decimal("6000")
    )
    client.force_login(dhr_coordinator)
    body = text(client.get(case.get_staff_url()))
    assert dhr.NARRATIVE in body and "Aged 41" in body
    assert "Recommendation 1" in body and "Information sharing between agencies" in body
    assert "Fire safety visit checklist" in body
    assert "Overdue" in body  # the IMR due 31 July 2026
    assert "£6,000.00" in body
    assert "Publish this review" in body


def test_coordinator_adds_a_recommendation_and_an_action_through_the_forms(
    client: Client, dhr_coordinator, kfrs
) -> None:
    case = dhr.case()
    theme = dhr.theme()
    client.force_login(dhr_coordinator)
    url = reverse("dhr:recommendation_add", args=[case.pk])
    response = client.post(
        url, {"text": "", "level": "single_agency", "addressed_to_other": "Home Office"}
    )
    assert response.status_code == 400
    body = text(response)
    assert "There is a problem" in body and 'value="Home Office"' in body
    response = client.post(
        url,
        {
            "text": "Agencies share risk information.",
            "level": "multi_agency",
            "addressed_to": kfrs.pk,
            "themes": [theme.pk],
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    assert (recommendation.number, list(recommendation.themes.all())) == (1, [theme])
    action_url = reverse("dhr:action_add", args=[case.pk, 1])
    assert f'value="{kfrs.pk}" selected' in text(client.get(action_url))
    officer = factories.person("Adams", initials="M", organisation=None)
    response = client.post(
        action_url,
        {
            "owner_organisation": kfrs.pk,
            "owner_person": officer.pk,
            "title": "Fire safety visit checklist",
            "due_date": "2027-01-29",
        },
    )
    assert response.status_code == 400
    assert 'value="Fire safety visit checklist"' in text(response)
    response = client.post(
        action_url,
        {
            "owner_organisation": kfrs.pk,
            "title": "Fire safety visit checklist",
            "due_date": "2027-01-29",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.due_date) == (
        "Fire safety visit checklist",
        dt.date(2027, 1, 29),
    )
    assert client.get(reverse("dhr:action_add", args=[case.pk, 9])).status_code == 404


def test_coordinator_records_a_sign_off_and_publishes(
    client: Client, dhr_coordinator, partner, kfrs
) -> None:
    case = dhr.approved_case()
    link = dhr.agency_action(dhr.recommendation(case), kfrs)
    client.force_login(dhr_coordinator)
    url = reverse("dhr:sign_off", args=[case.pk, link.action_id])
    assert "has not marked this action complete" in text(client.get(url))
    dhr.complete(link.action, partner)
    response = client.post(url, {"signed_off_on": "2999-01-01", "note": "Seen"})
    assert response.status_code == 400 and 'value="Seen"' in text(response)
    today = timezone.localdate().isoformat()
    response = client.post(url, {"signed_off_on": today, "minute_reference": "12"})
    assert response.status_code == 302
    assert Action.objects.get().status == Action.Status.CLOSED
    assert "already signed off" in text(client.get(url))

    publish = reverse("dhr:publish", args=[case.pk])
    response = client.post(publish, {"pseudonym": "", "year": "2025"})
    assert response.status_code == 400
    response = client.post(
        publish,
        {
            "pseudonym": "Juniper",
            "year": "2025",
            "published_on": today,
            "action_plan_public": "on",
        },
    )
    assert response.status_code == 302
    assert Case.objects.public().get() == case
    assert client.get(publish).status_code == 302  # already published


def test_coordinator_uploads_a_document(client: Client, dhr_coordinator) -> None:
    case = dhr.approved_case()
    client.force_login(dhr_coordinator)
    url = reverse("dhr:document_add", args=[case.pk])
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "summary.pdf"
    response = client.post(url, {"kind": "executive_summary", "file": fake})
    assert response.status_code == 400 and "not a PDF" in text(response)
    real = io.BytesIO(factories.pdf_bytes())
    real.name = "summary.pdf"
    response = client.post(url, {"kind": "executive_summary", "file": real})
    assert response.status_code == 302
    document = PublishedDocument.objects.get()
    assert client.get(document.get_staff_url()).status_code == 200


def test_learning_counts_reviews_and_recommendations_per_theme(
    client: Client, dhr_coordinator
) -> None:
    sharing = dhr.theme("Information sharing between agencies")
    gps = dhr.theme("GP involvement")
    unused = dhr.theme("Training and awareness")
    first, second, third = dhr.case(), dhr.case(), dhr.case()
    dhr.recommendation(first, themes=(sharing, gps))
    dhr.recommendation(first, themes=(sharing,))
    dhr.recommendation(second, themes=(sharing,))
    dhr.recommendation(third)
    client.force_login(dhr_coordinator)
    response = client.get(reverse("dhr:learning"))
    learning = response.context["learning"]
    counts = {
        row.theme.name: (row.reviews, row.recommendations) for row in learning.themes
    }
    assert counts == {
        "Information sharing between agencies": (2, 3),
        "GP involvement": (1, 1),
        "Training and awareness": (0, 0),
    }
    assert [row.theme for row in learning.themes] == [sharing, gps, unused]
    assert learning.reviews_with_recommendations == 3
    body = text(response)
    assert "Information sharing between agencies: 2 reviews." in body
    assert 'role="img"' in body and "<title" in body and "<desc" in body
    assert "style=" not in body


def test_funding_shows_the_shortfall_by_year(client: Client, dhr_coordinator) -> None:
    police = factories.organisation("Kent Police", short_name="Kent Police")
    probation = factories.organisation("Probation Service", short_name="Probation")
    case = dhr.case("TEST 900")
    for year, org, amount in [
        (2021, police, "5000"),
        (2021, probation, "2000"),
        (2022, police, "5000"),
    ]:
        FundingContribution.objects.create(
            organisation=org, financial_year=year, amount=Decimal(amount)
        )
    CaseCost.objects.create(case=case, financial_year=2021, amount=Decimal("6500"))
    CaseCost.objects.create(case=case, financial_year=2022, amount=Decimal("6500"))
    client.force_login(dhr_coordinator)
    response = client.get(reverse("dhr:funding"))
    years = {y.label: y for y in response.context["funding"].years}
    assert years["2021/22"].shortfall == 0
    assert years["2022/23"].shortfall == Decimal("1500")
    body = text(response)
    assert "£1,500.00" in body and "TEST 900" in body and "£13,000.00" in body


# Query counts ---------------------------------------------------------------------


def _grow(n: int, kfrs, partner) -> Case:
    """`n` published reviews and `n` open cases, each with agencies, themed
    recommendations, actions (some signed off), a document and costs."""
    theme = dhr.theme()
    case = None
    for i in range(n):
        officer = factories.person(f"Officer{i}", organisation=kfrs)
        case = dhr.approved_case(f"GROW {i:03d}-{n}")
        CaseAgency.objects.create(
            case=case, organisation=factories.organisation(f"Agency {i} of {n}")
        )
        recommendation = dhr.recommendation(case, themes=(theme,))
        link = dhr.agency_action(recommendation, kfrs, owner_person=officer)
        dhr.complete(link.action, partner)
        services.agency_action_sign_off(
            link=link, by=dhr._coordinator(), signed_off_on=timezone.localdate()
        )
        dhr.agency_action(recommendation, kfrs, "Second action")
        CaseCost.objects.create(case=case, financial_year=2026, amount=Decimal(100))
        dhr.document(case)
        case = _publish(case, pseudonym=f"Grow{i}x{n}")
        dhr.case(f"OPEN {i:03d}-{n}")
    assert case is not None
    return case


def _one_big_case(case: Case, n: int, kfrs, partner) -> None:
    theme = dhr.theme("GP involvement")
    for i in range(n):
        recommendation = dhr.recommendation(case, themes=(theme, dhr.theme()))
        for j in range(2):
            officer = factories.person(f"Lead{i}{j}", organisation=kfrs)
            dhr.agency_action(recommendation, kfrs, owner_person=officer)
        CaseAgency.objects.create(
            case=case,
            organisation=factories.organisation(f"Panel agency {i}"),
            imr_requested_on=dt.date(2026, 6, 8),
        )
        CaseCost.objects.create(case=case, financial_year=2026, amount=Decimal(10))


@pytest.mark.parametrize(
    "page", ["list", "review", "dashboard", "case", "learning", "funding"]
)
def test_queries_stay_flat_as_the_data_grows_twentyfold(
    client: Client, dhr_coordinator, partner, kfrs, page: str
) -> None:
    def url(case: Case) -> str:
        return {
            "list": reverse("dhr:list"),
            "review": case.get_absolute_url(),
            "dashboard": reverse("dhr:dashboard"),
            "case": case.get_staff_url(),
            "learning": reverse("dhr:learning"),
            "funding": reverse("dhr:funding"),
        }[page]

    if page in {"dashboard", "case", "learning", "funding"}:
        client.force_login(dhr_coordinator)
    small = _grow(1, kfrs, partner)
    one = queries_for(client, url(small))
    big = _grow(20, kfrs, partner)
    _one_big_case(big, 20, kfrs, partner)
    assert queries_for(client, url(big)) == one
