"""Agreements for tests: the 2011-14 agreement's own priorities and leads."""

import datetime as dt
from decimal import Decimal
from typing import Any

from agreement import services as agreement_services
from agreement.models import (
    Agreement,
    AgreementSection,
    AssessmentIssue,
    AssessmentRound,
    LinkedStrategy,
    Signatory,
)
from kcsp.models import Action
from priorities import services
from priorities.models import Measure, Priority
from tests import factories

PRIORITIES_2011 = [
    "Anti-social behaviour including environmental",
    "Domestic Abuse",
    "Substance Misuse",
    "Acquisitive crime",
    "Violent Crime",
    "Road Safety",
]
THEMES_2011 = [
    "Early Intervention, Prevention & Education",
    "Priority Neighbourhoods / Geographic Focus",
    "Vulnerable Households & Individuals",
    "Safeguarding Children & Young People",
    "Reducing Re-Offending",
]


def agreement(
    slug: str = "2011-14",
    start: str = "2011-04-01",
    end: str = "2014-03-31",
    status: str = Agreement.Status.APPROVED,
    **kw: Any,
) -> Agreement:
    """A version with the narrative sections and blocks of the 2011 document."""
    approved_on = kw.pop(
        "approved_on", dt.date.fromisoformat(start) + dt.timedelta(days=49)
    )
    obj = Agreement(
        slug=slug,
        period_start=dt.date.fromisoformat(start),
        period_end=dt.date.fromisoformat(end),
        status=status,
        approved_on=None if status == Agreement.Status.DRAFT else approved_on,
        superseded_on=approved_on if status == Agreement.Status.SUPERSEDED else None,
        contact_name="KCC Community Safety Unit",
        contact_address="1st Floor\nInvicta House\nMaidstone\nKent\nME14 1XX",
        contact_email="communitysafetyunit@kent.gov.uk",
        contact_phone="01622 696187",
        **kw,
    )
    obj.full_clean()
    obj.save()
    K = AgreementSection.Kind
    for order, (kind, heading, body, appendix) in enumerate(
        [
            (
                K.FOREWORD,
                "Foreword",
                "As Chair I am pleased to present the agreement.",
                False,
            ),
            (
                K.TEXT,
                "Introduction",
                "The Crime and Disorder Act 1998 gave duties.",
                False,
            ),
            (
                K.PRIORITIES,
                "County Priorities",
                "The following priorities were identified.",
                False,
            ),
            (
                K.LEADS,
                "Priority Leads",
                "Lead officers develop the action plans.",
                False,
            ),
            (K.STRATEGIES, "Links to Strategies and Plans", "", False),
            (
                K.SIGNATORIES,
                "Signatories",
                "Drawn up on behalf of the partners.",
                False,
            ),
            (K.MATRIX, "Key Priorities and Cross-Cutting Themes (2011-12)", "", True),
            (K.CONTEXT, "Current Context", "", True),
        ]
    ):
        AgreementSection.objects.create(
            agreement=obj,
            kind=kind,
            heading=heading,
            body=body,
            is_appendix=appendix,
            order=order,
            signature="Mike Hill OBE\nChair Kent Community Safety Partnership"
            if kind == K.FOREWORD
            else "",
        )
    Signatory.objects.create(
        agreement=obj, organisation=factories.organisation("Kent Police"), order=1
    )
    Signatory.objects.create(agreement=obj, name="Primary Care Trusts", order=2)
    LinkedStrategy.objects.create(
        agreement=obj,
        title="Vision for Kent",
        period="2011-2021",
        owner_name="Kent County Council",
    )
    return obj


def with_priorities(obj: Agreement, names: list[str] | None = None) -> list[Priority]:
    """The six 2011 priorities (or `names`), each with a lead, and the themes."""
    made = [
        services.priority_add(agreement=obj, name=n) for n in names or PRIORITIES_2011
    ]
    police = factories.organisation("Kent Police", short_name="Kent Police")
    for i, priority in enumerate(made):
        if i == 0:
            services.lead_set(priority=priority, tbc=True)
        else:
            services.lead_set(
                priority=priority,
                organisation=police,
                label=f"Head of Partnership and Communities Command ({priority.name})",
            )
    for theme in THEMES_2011:
        services.theme_add(agreement=obj, name=theme, priorities=made)
    return made


# Three district partnerships' 2010 assessments, priorities highest first;
# Swale has none for 2010.
ASSESSMENTS_2010: dict[str, list[str] | None] = {
    "Ashford": ["Domestic Abuse", "ASB/Environmental", "Substance Misuse"],
    "Dover": ["ASB/Environmental", "Domestic Abuse"],
    "Swale": None,
}


def matrix(obj: Agreement) -> AssessmentRound:
    """The 2010/11 round: three county issues, computed from Ashford's and
    Dover's 2010 assessments; Swale's is missing."""
    round_ = AssessmentRound.objects.create(
        agreement=obj, label="2010/11", conducted="late 2010 - early 2011", year=2010
    )
    for order, name in enumerate(
        ["ASB/Environmental", "Domestic Abuse", "Substance Misuse"]
    ):
        AssessmentIssue.objects.create(
            round=round_, name=name, order=order, highlighted=True
        )
    for district, priorities in ASSESSMENTS_2010.items():
        place = factories.partnership(district)
        if priorities is not None:
            agreement_services.strategic_assessment_record(
                partnership=place, year=2010, priorities=priorities
            )
    AssessmentIssue.objects.create(
        round=round_, name="Hate Crime", source=AssessmentIssue.Source.WORKSHOP
    )
    return round_


def plan_action(
    priority: Priority,
    title: str = "Complete a geographic analytical product with Kent Police",
    *,
    is_public: bool = True,
    due: str | None = "2030-03-31",
    status: str = Action.Status.IN_PROGRESS,
    rag: str = "",
) -> Action:
    entry = services.priority_action_add(
        priority=priority,
        title=title,
        owner_organisation=factories.organisation("Kent Police"),
        due_date=dt.date.fromisoformat(due) if due else None,
        is_public=is_public,
    )
    action = entry.action
    action.status = status
    action.rag = rag
    if status == Action.Status.CLOSED:
        from django.utils import timezone

        action.signed_off_at = timezone.now()
    action.save()
    return action


def measure(
    priority: Priority,
    name: str = "Theft and handling offences",
    values: list[tuple[str, int]] | None = None,
    **kw: Any,
) -> Measure:
    made = services.measure_add(priority=priority, name=name, unit="offences", **kw)
    for year, value in values or []:
        services.measure_value_record(
            measure=made,
            period_end=dt.date(int(year[:4]), 12, 31),
            period_label=year,
            value=Decimal(value),
        )
    return made


def approved_with_refresh(**kw: Any) -> tuple[Agreement, Agreement]:
    """An approved 2011-14 version with priorities, and a draft refresh of it."""
    first = agreement()
    with_priorities(first)
    draft = agreement_services.agreement_refresh(
        agreement=first,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
        **kw,
    )
    return first, draft


def grow(agreement_obj: Agreement, priority: Priority, times: int) -> None:
    """`times` more of everything a version's pages and a priority's page
    show: priorities, leads, themes, strategies, signatories, sections,
    matrix issues, actions, measures, discussions and earlier versions."""
    from meetings.services import agenda_publish

    round_ = agreement_obj.assessment_rounds.first() or matrix(agreement_obj)
    for i in range(times):
        extra = services.priority_add(
            agreement=agreement_obj, name=f"Extra priority {i}"
        )
        services.lead_set(priority=extra, label=f"Extra lead {i}")
        services.secondary_lead_add(priority=priority, label=f"Secondary lead {i}")
        services.theme_add(
            agreement=agreement_obj,
            name=f"Extra theme {i}",
            priorities=[extra, priority],
        )
        LinkedStrategy.objects.create(agreement=agreement_obj, title=f"Plan {i}")
        Signatory.objects.create(agreement=agreement_obj, name=f"Partnership {i}")
        AgreementSection.objects.create(
            agreement=agreement_obj,
            heading=f"Annex {i}",
            body=f"Text {i}",
            order=50 + i,
        )
        AssessmentIssue.objects.create(round=round_, name=f"Issue {i}", order=10 + i)
        plan_action(priority, f"Extra action {i}", is_public=i % 2 == 0, rag="red")
        measure(
            priority,
            f"Extra measure {i}",
            values=[("2019", 10 + i), ("2020", 12 + i)],
            target=Decimal(11),
        )
        meeting = factories.meeting(
            start=f"2021-{1 + i % 12:02d}-{1 + i // 12:02d}T10:00"
        )
        item = factories.item(factories.section(meeting), f"Update {i}")
        agenda_publish(meeting=meeting)
        services.discussion_link(priority=priority, agenda_item=item)
        earlier = agreement(
            slug=f"older-{agreement_obj.pk}-{i}",
            start=f"{1990 + i}-04-01",
            end=f"{1991 + i}-03-31",
            status=Agreement.Status.SUPERSEDED,
        )
        # Superseded versions take no changes through the services.
        Priority.objects.create(
            agreement=earlier, name=priority.name, slug=priority.slug
        )
