"""Reads of reviews for pages and PDFs.

Public selectors start from `.public()` and load public fields only.
Coordinator selectors return everything with its joins made, so that no
page costs a query per case, recommendation or action: the number of
queries per page does not grow with the data.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import timezone

from dhr.models import (
    PUBLIC_FIELDS,
    AgencyAction,
    Case,
    CaseAgency,
    CaseCost,
    Configuration,
    FundingContribution,
    LearningTheme,
    PublishedDocument,
    Recommendation,
    Stage,
    StageTarget,
    financial_year_label,
)
from dhr.timeline import Timeline, timeline
from kcsp.charts import BarChart, BarRows
from kcsp.models import Action, ActionUpdate
from kcsp.models.actions import OPEN_STATUSES
from kcsp.selectors import RAG_COLUMNS, rag_key
from meetings.models import MinuteItem

# Public ------------------------------------------------------------------------


def reviews_for_list() -> QuerySet[Case]:
    """Published reviews, newest first, public fields only."""
    return Case.objects.public_listing()


def review_for_page(*, slug: str) -> Case:
    return get_object_or_404(Case.objects.public().only(*PUBLIC_FIELDS), slug=slug)


@dataclass
class PlanAction:
    """One row of an action plan, as the audience of the plan may see it."""

    action: Action
    link: AgencyAction
    latest_update: ActionUpdate | None = None


@dataclass
class PlanRecommendation:
    recommendation: Recommendation
    actions: list[PlanAction]


def _plan_links(*, public: bool, with_updates: bool) -> QuerySet[AgencyAction]:
    links = AgencyAction.objects.select_related(
        "action__owner_organisation",
        "action__owner_person",
        "action__signed_off_by",
        "minute_item__minutes__meeting",
    ).order_by("action__due_date", "pk")
    if public:
        links = links.filter(action__in=Action.objects.public())
    if with_updates:
        links = links.prefetch_related(
            Prefetch(
                "action__updates",
                queryset=ActionUpdate.objects.order_by("-posted_at", "-pk"),
            )
        )
    return links


def action_plan(
    *, case: Case, public: bool, with_updates: bool = False
) -> list[PlanRecommendation]:
    """The recommendations of a review with their agency actions.

    For the public (`public=True`) only actions made public with the plan are
    included; the board's plan has all of them, and with `with_updates` the
    latest progress update of each.
    """
    recommendations = (
        Recommendation.objects.filter(case=case)
        .select_related("addressed_to")
        .prefetch_related(
            "themes",
            Prefetch(
                "agency_actions",
                queryset=_plan_links(public=public, with_updates=with_updates),
            ),
        )
        .order_by("number")
    )
    plan = []
    for recommendation in recommendations:
        rows = []
        for link in recommendation.agency_actions.all():
            updates = list(link.action.updates.all()) if with_updates else []
            rows.append(PlanAction(link.action, link, updates[0] if updates else None))
        plan.append(PlanRecommendation(recommendation, rows))
    return plan


@dataclass
class ReviewPage:
    case: Case
    documents: list[PublishedDocument]
    plan: list[PlanRecommendation] | None
    taken_down: bool


def review_page(*, case: Case, today: dt.date | None = None) -> ReviewPage:
    """What the public sees of a published review: its documents and action
    plan until they are taken down."""
    today = today or timezone.localdate()
    taken_down = case.documents_taken_down(today)
    documents = list(
        PublishedDocument.objects.public()
        .filter(case=case)
        .only("id", "case_id", "kind", "filename", "file_kind", "size_bytes")
        .order_by("kind")
    )
    for document in documents:
        document.case = case  # for its URL, without a query per document
    plan = (
        action_plan(case=case, public=True) if case.shows_action_plan(today) else None
    )
    return ReviewPage(case=case, documents=documents, plan=plan, taken_down=taken_down)


def document_for_public(*, slug: str, pk: int) -> PublishedDocument:
    return get_object_or_404(
        PublishedDocument.objects.public().select_related("case"),
        pk=pk,
        case__slug=slug,
    )


def latest_reviews(*, limit: int = 3) -> list[Case]:
    return list(Case.objects.public_listing()[:limit])


# Coordinator -------------------------------------------------------------------


def _with_agencies(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.prefetch_related(
        Prefetch(
            "agencies",
            queryset=CaseAgency.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        )
    )


def case_for_staff(*, pk: int) -> Case:
    return get_object_or_404(
        _with_agencies(Case.objects.select_related("chair", "local_csp")), pk=pk
    )


@dataclass
class CaseRow:
    case: Case
    timeline: Timeline
    overdue_imrs: list[CaseAgency] = field(default_factory=list)

    @property
    def has_overdue(self) -> bool:
        return bool(self.timeline.overdue or self.overdue_imrs)


@dataclass
class StageGroup:
    stage: Stage
    rows: list[CaseRow]

    @property
    def label(self) -> str:
        return self.stage.label


@dataclass
class AgencyTally:
    name: str
    by_rag: Counter[str] = field(default_factory=Counter)
    open: int = 0
    overdue: int = 0
    awaiting_sign_off: int = 0
    signed_off: int = 0
    total: int = 0


@dataclass
class Dashboard:
    groups: list[StageGroup]
    open_cases: int
    overdue_cases: int
    closed_cases: int
    agencies: list[AgencyTally]
    totals: AgencyTally
    rags: list[tuple[str, str]]


def dhr_actions() -> QuerySet[Action]:
    return Action.objects.filter(
        source_kind=AgencyAction.ACTION_KIND, dhr_link__isnull=False
    )


def _agency_tallies(today: dt.date) -> tuple[list[AgencyTally], AgencyTally]:
    rows = (
        dhr_actions()
        .values("owner_organisation__name", "status", "rag", "due_date")
        .annotate(n=Count("pk"))
    )
    tallies: dict[str, AgencyTally] = {}
    totals = AgencyTally("All agencies")
    for row in rows:
        tally = tallies.setdefault(
            row["owner_organisation__name"],
            AgencyTally(row["owner_organisation__name"]),
        )
        for t in (tally, totals):
            t.total += row["n"]
            if row["status"] in OPEN_STATUSES:
                t.open += row["n"]
                t.by_rag[rag_key(row["rag"])] += row["n"]
                if row["due_date"] and row["due_date"] < today:
                    t.overdue += row["n"]
            elif row["status"] == Action.Status.COMPLETE:
                t.awaiting_sign_off += row["n"]
            elif row["status"] == Action.Status.CLOSED:
                t.signed_off += row["n"]
    return sorted(tallies.values(), key=lambda t: t.name), totals


def dashboard(*, today: dt.date | None = None) -> Dashboard:
    """Open cases grouped by the stage reached, with what is due and overdue;
    agency actions by agency and RAG rating; sign-off counts."""
    today = today or timezone.localdate()
    targets = StageTarget.objects.by_stage()
    cases = _with_agencies(Case.objects.open()).order_by("notified_on", "reference")
    by_stage: dict[str, list[CaseRow]] = defaultdict(list)
    overdue = count = 0
    for case in cases:
        count += 1
        row = CaseRow(
            case,
            timeline(case, targets, today),
            [a for a in case.agencies.all() if a.imr_overdue(today)],
        )
        by_stage[row.timeline.reached.stage].append(row)
        overdue += row.has_overdue
    groups = [StageGroup(stage, by_stage[stage]) for stage in Stage if by_stage[stage]]
    agencies, totals = _agency_tallies(today)
    return Dashboard(
        groups=groups,
        open_cases=count,
        overdue_cases=overdue,
        closed_cases=Case.objects.filter(closed_on__isnull=False).count(),
        agencies=agencies,
        totals=totals,
        rags=list(RAG_COLUMNS),
    )


@dataclass
class CasePage:
    case: Case
    timeline: Timeline
    plan: list[PlanRecommendation]
    documents: list[PublishedDocument]
    costs: list[CaseCost]
    total_cost: Decimal
    today: dt.date

    @property
    def can_publish(self) -> bool:
        return self.case.published_on is None and self.case.is_approved


def case_page(*, case: Case, today: dt.date | None = None) -> CasePage:
    """Everything the coordinator sees of one case."""
    today = today or timezone.localdate()
    costs = list(case.costs.order_by("financial_year", "kind", "pk"))
    documents = list(case.documents.select_related("uploaded_by").order_by("kind"))
    for document in documents:
        document.case = case
    return CasePage(
        case=case,
        timeline=timeline(case, StageTarget.objects.by_stage(), today),
        plan=action_plan(case=case, public=False),
        documents=documents,
        costs=costs,
        total_cost=sum((c.amount for c in costs), Decimal(0)),
        today=today,
    )


def recommendation_for_staff(*, case: Case, number: int) -> Recommendation:
    return get_object_or_404(case.recommendations, number=number)


def agency_action_for_staff(*, case: Case, action_pk: int) -> AgencyAction:
    return get_object_or_404(
        AgencyAction.objects.select_related(
            "action__owner_organisation", "recommendation"
        ),
        action_id=action_pk,
        recommendation__case=case,
    )


def document_for_staff(*, case: Case, pk: int) -> PublishedDocument:
    return get_object_or_404(PublishedDocument, pk=pk, case=case)


def board_minutes() -> QuerySet[MinuteItem]:
    """Minute items of the board that signs off actions, newest first."""
    board = Configuration.current().board
    if board is None:
        return MinuteItem.objects.none()
    return (
        MinuteItem.objects.filter(minutes__meeting__body=board)
        .select_related("minutes__meeting")
        .order_by("-minutes__meeting__start", "-number")
    )


# Learning ----------------------------------------------------------------------


@dataclass
class ThemeCount:
    theme: LearningTheme
    reviews: int
    recommendations: int


@dataclass
class Learning:
    themes: list[ThemeCount]
    reviews_with_recommendations: int
    chart: BarChart


# The chart of reviews by learning theme.
THEME_CHART = BarRows(left=330, length=300, right=70, top=10, step=36, bottom=10)


def learning() -> Learning:
    """Each learning theme with the number of reviews (and recommendations)
    it was found in, most frequent first, and a bar chart of the reviews."""
    themes = [
        ThemeCount(t, t.review_count, t.recommendation_count)
        for t in LearningTheme.objects.annotate(
            review_count=Count("recommendations__case", distinct=True),
            recommendation_count=Count("recommendations", distinct=True),
        ).order_by("-review_count", "name")
    ]
    return Learning(
        themes=themes,
        reviews_with_recommendations=Case.objects.filter(recommendations__isnull=False)
        .distinct()
        .count(),
        chart=THEME_CHART.chart([(t.theme.name, t.reviews, "theme") for t in themes]),
    )


# Funding -----------------------------------------------------------------------


@dataclass
class YearSummary:
    year: int
    contributions: Decimal
    costs: Decimal

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def shortfall(self) -> Decimal:
        return max(self.costs - self.contributions, Decimal(0))

    @property
    def balance(self) -> Decimal:
        return self.contributions - self.costs


@dataclass
class PartnerRow:
    name: str
    amounts: list[Decimal | None]


@dataclass
class CaseCostRow:
    case_id: int
    reference: str
    total: Decimal


@dataclass
class Funding:
    years: list[YearSummary]
    partners: list[PartnerRow]
    cases: list[CaseCostRow]


def funding() -> Funding:
    """Contributions per partner per financial year against the costs of
    reviews in that year, with the shortfall; and each review's costs."""
    contributions = list(
        FundingContribution.objects.select_related("organisation").order_by(
            "organisation__name", "financial_year"
        )
    )
    costs = {
        row["financial_year"]: row["total"]
        for row in CaseCost.objects.values("financial_year").annotate(
            total=Sum("amount")
        )
    }
    years = sorted({c.financial_year for c in contributions} | set(costs), reverse=True)
    paid: dict[int, Decimal] = defaultdict(Decimal)
    by_partner: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for c in contributions:
        paid[c.financial_year] += c.amount
        by_partner[c.organisation.name][c.financial_year] = c.amount
    per_case = (
        Case.objects.annotate(total=Sum("costs__amount"))
        .filter(total__gt=0)
        .order_by("reference")
        .values("pk", "reference", "total")
    )
    return Funding(
        years=[YearSummary(y, paid[y], costs.get(y, Decimal(0))) for y in years],
        partners=[
            PartnerRow(name, [amounts.get(y) for y in years])
            for name, amounts in sorted(by_partner.items())
        ],
        cases=[CaseCostRow(r["pk"], r["reference"], r["total"]) for r in per_case],
    )
