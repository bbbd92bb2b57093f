"""Demo reviews: two published reviews named as the seeds name them, and a
handful of invented cases at different stages.

"Sylvie 2018" and "Tamana 2018" are the reviews the partnership's meeting of
24 March 2022 (minute 58) reported as the most recently published, on the
county council's website. Nothing else about them is known here, so they are
recorded from their publication only: pseudonym, year, area ("Kent and
Medway") and the address of the published reports. Their publication date
is that meeting's date, the latest they can have been published by.

Every other case is fictional: references start "DEMO", none has a
pseudonym, and none is published. Their recommendations are of the kinds
reviews commonly make (minute 102 of 19 March 2015: the most common issue is
agencies failing to share information; GPs' involvement). Funding figures
are illustrative, showing a year whose costs outrun the contributions, as
minute 58 reported after a partner stopped contributing.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from demo.directory import organisations_by_short_name
from demo.records import post_update, progress
from dhr import services
from dhr.models import (
    AgencyAction,
    Case,
    CaseAgency,
    CaseCost,
    Configuration,
    FundingContribution,
    LearningTheme,
    Recommendation,
)
from kcsp.formatting import long_date
from kcsp.models import Action
from kcsp.workdays import local_datetime
from meetings.models import Body

PUBLISHED_LISTING = (
    "https://www.kent.gov.uk/about-the-council/partnerships/"
    "kent-community-safety-partnership/domestic-homicide-reviews"
)

THEMES = [
    (
        "Information sharing between agencies",
        "Agencies held information about risk that others needed and did not share it.",
    ),
    (
        "GP involvement",
        "GP practices were not asked for, or did not share, what they knew.",
    ),
    (
        "Risk assessment",
        "Risk was not assessed, or not assessed again when circumstances changed.",
    ),
    (
        "Referral pathways",
        "Staff did not know where to refer someone, or referrals were not followed up.",
    ),
    (
        "Training and awareness",
        "Staff needed training to recognise domestic abuse and respond to it.",
    ),
]


def d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


@dataclass
class DemoAction:
    org: str
    title: str
    due: str
    status: str = Action.Status.NOT_STARTED
    rag: str = ""
    updates: list[str] = field(default_factory=list)
    signed_off_on: str = ""


@dataclass
class DemoRecommendation:
    text: str
    level: str
    themes: list[str]
    org: str = ""
    other: str = ""
    actions: list[DemoAction] = field(default_factory=list)


@dataclass
class DemoCase:
    reference: str
    fields: dict[str, object]
    agencies: list[tuple[str, str, str, str]] = field(default_factory=list)
    recommendations: list[DemoRecommendation] = field(default_factory=list)
    costs: list[tuple[int, str, str, str]] = field(default_factory=list)


S = Action.Status
L = Recommendation.Level

CASES = [
    DemoCase(
        "DEMO 2026/04",
        {
            "notified_on": d("2026-10-20"),
            "kind": Case.Kind.HOMICIDE,
            "victim_sex": Case.Sex.FEMALE,
            "perpetrator_relationship": Case.Relationship.FORMER_PARTNER,
        },
    ),
    DemoCase(
        "DEMO 2026/02",
        {
            "notified_on": d("2026-03-02"),
            "kind": Case.Kind.HOMICIDE,
            "victim_age": 52,
            "victim_sex": Case.Sex.MALE,
            "perpetrator_relationship": Case.Relationship.RELATIVE,
            "decision": Case.Decision.HOLD,
            "decision_on": d("2026-03-25"),
            "decision_reason": "The death appears to have resulted from abuse by "
            "a relative: the criteria for a review are met.",
            "home_office_notified_on": d("2026-03-27"),
            "panel_appointed_on": d("2026-05-05"),
            "terms_of_reference_agreed_on": d("2026-06-01"),
        },
        agencies=[
            ("Kent Police", "2026-06-08", "2026-07-31", "2026-07-24"),
            ("KCC", "2026-06-08", "2026-07-31", "2026-07-30"),
            ("ICB", "2026-06-08", "2026-07-31", "2026-08-14"),
            ("KFRS", "2026-06-08", "2026-07-31", ""),
        ],
        costs=[(2026, CaseCost.Kind.CHAIR, "6000", "Independent chair, first stage")],
    ),
    DemoCase(
        "DEMO 2025/07",
        {
            "notified_on": d("2025-09-01"),
            "kind": Case.Kind.SUICIDE,
            "victim_sex": Case.Sex.FEMALE,
            "perpetrator_relationship": Case.Relationship.PARTNER,
            "decision": Case.Decision.HOLD,
            "decision_on": d("2025-09-22"),
            "decision_reason": "The death followed abuse by a partner: the "
            "criteria for a review are met.",
            "home_office_notified_on": d("2025-09-24"),
            "panel_appointed_on": d("2025-10-20"),
            "terms_of_reference_agreed_on": d("2025-11-03"),
            "overview_report_drafted_on": d("2026-02-16"),
            "executive_summary_drafted_on": d("2026-02-16"),
            "submitted_to_qa_on": d("2026-03-10"),
            "qa_outcome": Case.QaOutcome.RESUBMIT,
            "qa_outcome_on": d("2026-06-12"),
        },
        agencies=[
            ("KCC", "2025-11-10", "2025-12-19", "2025-12-15"),
            ("ICB", "2025-11-10", "2025-12-19", "2026-01-09"),
            ("KFRS", "2025-11-10", "2025-12-19", "2025-12-12"),
        ],
        recommendations=[
            DemoRecommendation(
                "Agencies make sure their staff know how to refer someone to the "
                "local specialist domestic abuse service.",
                L.MULTI_AGENCY,
                ["Referral pathways", "Training and awareness"],
                other="All panel agencies",
                actions=[
                    DemoAction(
                        "KCC",
                        "Publish the referral pathway to specialist services on "
                        "partners' staff intranets",
                        "2027-03-31",
                        S.IN_PROGRESS,
                        "green",
                        ["Draft pathway agreed by the domestic abuse leads."],
                    ),
                    DemoAction(
                        "KFRS",
                        "Brief station managers on the referral pathway",
                        "2027-02-26",
                    ),
                ],
            ),
            DemoRecommendation(
                "Health services record who else is present when a patient is "
                "asked about domestic abuse.",
                L.SINGLE_AGENCY,
                ["GP involvement", "Risk assessment"],
                org="ICB",
                actions=[
                    DemoAction(
                        "ICB",
                        "Update the routine enquiry template in GP record systems",
                        "2026-12-31",
                        S.IN_PROGRESS,
                        "red",
                        ["The system supplier cannot make the change before spring."],
                    )
                ],
            ),
            DemoRecommendation(
                "Agencies referring someone to the specialist domestic abuse "
                "service share what they know of the risk with it.",
                L.MULTI_AGENCY,
                ["Information sharing between agencies", "Referral pathways"],
                other="All panel agencies",
            ),
        ],
        costs=[
            (2025, CaseCost.Kind.CHAIR, "7000", "Independent chair"),
            (2026, CaseCost.Kind.LEGAL, "1500", "Advice on disclosure"),
        ],
    ),
    DemoCase(
        "DEMO 2025/05",
        {
            "notified_on": d("2025-06-10"),
            "kind": Case.Kind.HOMICIDE,
            "victim_age": 34,
            "victim_sex": Case.Sex.FEMALE,
            "perpetrator_relationship": Case.Relationship.PARTNER,
            "perpetrator_sex": Case.Sex.MALE,
            "decision": Case.Decision.HOLD,
            "decision_on": d("2025-07-01"),
            "decision_reason": "The death appears to have resulted from abuse by "
            "a partner: the criteria for a review are met.",
            "home_office_notified_on": d("2025-07-03"),
            "panel_appointed_on": d("2025-08-04"),
            "terms_of_reference_agreed_on": d("2025-08-29"),
            "overview_report_drafted_on": d("2025-11-28"),
            "executive_summary_drafted_on": d("2025-12-05"),
            "submitted_to_qa_on": d("2025-12-15"),
            "qa_outcome": Case.QaOutcome.APPROVED_SUBJECT,
            "qa_outcome_on": d("2026-04-20"),
        },
        agencies=[
            ("Kent Police", "2025-09-01", "2025-10-10", "2025-10-08"),
            ("ICB", "2025-09-01", "2025-10-10", "2025-10-10"),
            ("KCC", "2025-09-01", "2025-10-10", "2025-10-03"),
            ("KFRS", "2025-09-01", "2025-10-10", "2025-10-09"),
        ],
        recommendations=[
            DemoRecommendation(
                "Agencies review how they share information about domestic abuse "
                "risk with each other, including with GP practices.",
                L.MULTI_AGENCY,
                ["Information sharing between agencies", "GP involvement"],
                other="All panel agencies",
                actions=[
                    DemoAction(
                        "ICB",
                        "Issue guidance to GP practices on recording and sharing "
                        "disclosures of domestic abuse",
                        "2026-08-31",
                        S.COMPLETE,
                        "green",
                        ["Guidance issued to all practices in Kent and Medway."],
                        signed_off_on="2026-09-15",
                    ),
                    DemoAction(
                        "KCC",
                        "Add information sharing to the multi-agency domestic abuse "
                        "training programme",
                        "2026-10-30",
                    ),
                ],
            ),
            DemoRecommendation(
                "Kent Fire and Rescue Service asks about domestic abuse during "
                "home fire safety visits and refers concerns on.",
                L.SINGLE_AGENCY,
                ["Risk assessment", "Referral pathways"],
                org="KFRS",
                actions=[
                    DemoAction(
                        "KFRS",
                        "Add domestic abuse questions and a referral route to home "
                        "fire safety visits",
                        "2027-01-29",
                        S.IN_PROGRESS,
                        "amber",
                        ["Questions drafted; staff briefings planned."],
                    )
                ],
            ),
            DemoRecommendation(
                "Kent Police reviews how the domestic abuse risk assessment is "
                "used when officers attend repeat incidents.",
                L.SINGLE_AGENCY,
                ["Risk assessment", "Information sharing between agencies"],
                org="Kent Police",
                actions=[
                    DemoAction(
                        "Kent Police",
                        "Audit use of the risk assessment at repeat incidents and "
                        "report the findings",
                        "2026-09-30",
                        S.COMPLETE,
                        "green",
                        ["Audit complete; findings reported to the force lead."],
                    )
                ],
            ),
            DemoRecommendation(
                "The Home Office considers guidance on telling GPs when police "
                "attend a domestic abuse incident.",
                L.NATIONAL,
                ["Information sharing between agencies", "GP involvement"],
                other="Home Office",
            ),
        ],
        costs=[
            (2025, CaseCost.Kind.CHAIR, "7500", "Independent chair"),
            (2025, CaseCost.Kind.ADMINISTRATION, "1200", "Panel administration"),
            (2026, CaseCost.Kind.PUBLICATION, "800", "Proofreading and formatting"),
        ],
    ),
    DemoCase(
        "DEMO 2025/02",
        {
            "notified_on": d("2025-02-03"),
            "kind": Case.Kind.OTHER,
            "decision": Case.Decision.NOT_HELD,
            "decision_on": d("2025-02-26"),
            "decision_reason": "The death did not appear to result from violence, "
            "abuse or neglect by a relative, partner or household member.",
            "home_office_notified_on": d("2025-03-03"),
            "closed_on": d("2025-03-10"),
        },
    ),
]

PUBLISHED = [("Sylvie", 2018), ("Tamana", 2018)]

# Progress updates are dated no later than this, so none is in the future.
UPDATES_BY = d("2026-11-02")

# Illustrative pooled funding (financial year, partner, amount).
CONTRIBUTIONS = [
    (2025, "KCC", "5000"),
    (2025, "Kent Police", "5000"),
    (2025, "ICB", "3000"),
    (2025, "KFRS", "2000"),
    (2025, "Probation", "2000"),
    (2025, "Medway", "2000"),
    (2026, "KCC", "3000"),
    (2026, "Kent Police", "3000"),
    (2026, "KFRS", "1000"),
]


def _themes() -> dict[str, LearningTheme]:
    themes = {}
    for name, description in THEMES:
        theme, _ = LearningTheme.objects.update_or_create(
            slug=slugify(name), defaults={"name": name, "description": description}
        )
        themes[name] = theme
    return themes


def _published() -> None:
    for pseudonym, year in PUBLISHED:
        reference = f"{pseudonym} {year}"
        case = Case.objects.filter(reference=reference).first() or Case(
            reference=reference
        )
        case.pseudonym = pseudonym
        case.year = year
        case.area = "Kent and Medway"
        case.recorded_from_publication = True
        case.published_on = d("2022-03-24")
        case.published_url = PUBLISHED_LISTING
        case.decision = Case.Decision.HOLD
        services.case_save(case=case)


def _action(link_to: Recommendation, spec: DemoAction, orgs: dict) -> None:
    existing = AgencyAction.objects.filter(
        recommendation=link_to, action__title=spec.title
    ).first()
    if existing:
        return
    link = services.agency_action_create(
        recommendation=link_to,
        owner_organisation=orgs[spec.org],
        title=spec.title,
        due_date=d(spec.due),
    )
    action = link.action
    for text in spec.updates:
        post_update(
            action,
            text,
            status=spec.status,
            rag=spec.rag,
            posted_at=local_datetime(
                min(d(spec.due) - dt.timedelta(days=45), UPDATES_BY), dt.time(9)
            ),
        )
    if spec.signed_off_on:
        # Signed off at a board meeting before the portal had its accounts:
        # recorded as the board's decision, with no user.
        signed = local_datetime(d(spec.signed_off_on), dt.time(12))
        link.signed_off_on = d(spec.signed_off_on)
        link.save()
        progress(
            action,
            S.CLOSED,
            spec.rag,
            on=signed,
            note=f"Signed off by the {Configuration.current().board_name} on "
            f"{long_date(signed)}",
        )
    else:
        action.status = spec.status
        action.rag = spec.rag
        action.save()


def _case(spec: DemoCase, orgs: dict, themes: dict) -> Case:
    case = Case.objects.filter(reference=spec.reference).first() or Case(
        reference=spec.reference
    )
    case.area = "Kent and Medway"
    for name, value in spec.fields.items():
        setattr(case, name, value)
    services.case_save(case=case)
    for org, requested, due, received in spec.agencies:
        CaseAgency.objects.update_or_create(
            case=case,
            organisation=orgs[org],
            defaults={
                "on_panel": True,
                "imr_requested_on": d(requested),
                "imr_due_on": d(due),
                "imr_received_on": d(received) if received else None,
            },
        )
    for number, rec in enumerate(spec.recommendations, start=1):
        recommendation = case.recommendations.filter(number=number).first()
        if recommendation is None:
            recommendation = services.recommendation_add(
                case=case,
                text=rec.text,
                level=rec.level,
                addressed_to=orgs[rec.org] if rec.org else None,
                addressed_to_other=rec.other,
                themes=[themes[t] for t in rec.themes],
            )
        for action in rec.actions:
            _action(recommendation, action, orgs)
    for year, kind, amount, description in spec.costs:
        CaseCost.objects.update_or_create(
            case=case,
            financial_year=year,
            kind=kind,
            defaults={"amount": Decimal(amount), "description": description},
        )
    return case


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    configuration = Configuration.current()
    board = Body.objects.filter(slug="kent-and-medway-dhr-board").first()
    if board and configuration.board_id != board.pk:
        configuration.board = board
        configuration.save()
    orgs = organisations_by_short_name()
    themes = _themes()
    _published()
    for spec in CASES:
        _case(spec, orgs, themes)
    for year, org, amount in CONTRIBUTIONS:
        FundingContribution.objects.update_or_create(
            organisation=orgs[org],
            financial_year=year,
            defaults={"amount": Decimal(amount), "received_on": d(f"{year}-06-30")},
        )
    log(
        f"Reviews: {Case.objects.public().count()} published, "
        f"{Case.objects.open().count()} open cases."
    )
