"""Reads of the agreement for its pages, its PDF and the home page.

Every selector applies the one visibility rule (drafts are for staff only)
and loads what the templates show with its joins made, so a page costs the
same number of queries however many sections, priorities or strategies a
version has.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from agreement import registry
from agreement.changes import (
    Change,
    ChangeGroup,
    ChangeKind,
    set_changes,
    text_change,
)
from agreement.charts import horizontal_bars
from agreement.models import (
    Agreement,
    AgreementSection,
    AssessmentIssue,
    AssessmentRound,
    ChangeNote,
    StrategicAssessment,
)
from kcsp.charts import BarChart
from kcsp.formatting import letter_label
from kcsp.models import Partnership
from kcsp.visibility import Audience, Content
from meetings.models import Meeting, MinuteItem, Resolution

# The blocks the agreement app draws itself; other apps add theirs through
# the registry.
OWN_BLOCKS: dict[str, str] = {
    AgreementSection.Kind.STRATEGIES: "agreement/includes/strategies.html",
    AgreementSection.Kind.SIGNATORIES: "agreement/includes/signatories.html",
    AgreementSection.Kind.MATRIX: "agreement/includes/matrix.html",
}


# Versions -----------------------------------------------------------------------


VERSION_JOINS = ("responsible_body", "approved_at_meeting__body", "previous")


def _versions(audience: Audience) -> QuerySet[Agreement]:
    return Agreement.objects.for_audience(audience).select_related(*VERSION_JOINS)


def current_agreement(*, audience: Audience) -> Agreement | None:
    """The approved agreement in force, if there is one."""
    return (
        Agreement.objects.current()
        .for_audience(audience)
        .select_related(*VERSION_JOINS)
        .first()
    )


def agreement_for_page(*, slug: str, audience: Audience) -> Agreement:
    return get_object_or_404(_versions(audience), slug=slug)


def agreement_versions(*, audience: Audience) -> list[Agreement]:
    """Every version this audience may read, newest period first."""
    return list(
        Agreement.objects.for_audience(audience).order_by("-period_start", "-pk")
    )


# The document -----------------------------------------------------------------


@dataclass
class SectionView:
    section: AgreementSection
    number: str
    block_template: str

    @property
    def title(self) -> str:
        """'1. Introduction', 'Appendix A: ...' or 'Foreword'."""
        heading = self.section.heading
        if not self.number:
            return heading
        if self.section.is_appendix:
            return f"Appendix {self.number}: {heading}"
        return f"{self.number}. {heading}"

    @property
    def anchor(self) -> str:
        return f"section-{self.section.pk}"


@dataclass(frozen=True)
class MatrixColumn:
    """One district partnership and its assessment for the round's year."""

    partnership: Partnership
    assessment: StrategicAssessment | None


@dataclass(frozen=True)
class MatrixCell:
    """Whether a district named an issue: its rank, or not named, or no
    assessment for the year at all (missing, which is not "no")."""

    rank: int | None
    missing: bool

    @property
    def named(self) -> bool:
        return self.rank is not None


@dataclass
class MatrixRow:
    issue: AssessmentIssue
    cells: list[MatrixCell]

    @property
    def count(self) -> int:
        return sum(1 for cell in self.cells if cell.named)


@dataclass
class MatrixView:
    round: AssessmentRound
    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    workshop: list[AssessmentIssue]
    chart: BarChart

    @property
    def year(self) -> int | None:
        return self.round.year

    @property
    def assessed(self) -> list[MatrixColumn]:
        return [c for c in self.columns if c.assessment is not None]

    @property
    def missing(self) -> list[MatrixColumn]:
        return [c for c in self.columns if c.assessment is None]

    def counts(self) -> dict[str, int]:
        """Each issue's name and how many districts named it."""
        return {row.issue.name: row.count for row in self.rows}


@dataclass
class Approval:
    agreement: Agreement
    meeting: Meeting | None
    minute_item: MinuteItem | None

    @property
    def body_name(self) -> str:
        if self.meeting is not None:
            return self.meeting.body.name
        body = self.agreement.responsible_body
        return body.name if body else ""


@dataclass
class AgreementDocument:
    agreement: Agreement
    audience: Audience
    sections: list[SectionView]
    signatories: list[Any]
    strategies: list[Any]
    matrices: list[MatrixView]
    approval: Approval | None
    parts: dict[str, Any] = field(default_factory=dict)

    @property
    def is_staff_view(self) -> bool:
        return self.audience.sees_all(Content.AGREEMENT)


def _numbered(sections: list[AgreementSection]) -> list[SectionView]:
    blocks: dict[str, str] = {**OWN_BLOCKS, **registry.block_templates()}
    views, number, letter = [], 0, 0
    for section in sections:
        if section.kind == AgreementSection.Kind.FOREWORD:
            label = ""
        elif section.is_appendix:
            label = letter_label(letter)
            letter += 1
        else:
            number += 1
            label = str(number)
        views.append(SectionView(section, label, blocks.get(section.kind, "")))
    return views


def assessment_matrix(*, round_: AssessmentRound, audience: Audience) -> MatrixView:
    """The districts x issues matrix of one round, computed from the
    district partnerships' strategic assessments for the round's year."""
    districts = list(
        Partnership.objects.filter(kind=Partnership.Kind.DISTRICT).order_by("name")
    )
    by_partnership: dict[int, StrategicAssessment] = {}
    if round_.year is not None:
        by_partnership = {
            a.partnership_id: a
            for a in StrategicAssessment.objects.for_audience(audience).filter(
                year=round_.year, partnership__in=districts
            )
        }
    columns = [MatrixColumn(p, by_partnership.get(p.pk)) for p in districts]
    issues = list(round_.issues.all())
    rows = [
        MatrixRow(
            issue=issue,
            cells=[
                MatrixCell(
                    rank=c.assessment.rank_of(issue.name) if c.assessment else None,
                    missing=c.assessment is None,
                )
                for c in columns
            ],
        )
        for issue in issues
        if issue.source == AssessmentIssue.Source.ASSESSMENT
    ]
    rows.sort(key=lambda r: (-r.count, r.issue.order, r.issue.pk))
    assessed = sum(1 for c in columns if c.assessment is not None)
    return MatrixView(
        round=round_,
        columns=columns,
        rows=rows,
        workshop=[i for i in issues if i.source == AssessmentIssue.Source.WORKSHOP],
        chart=horizontal_bars(
            title="Number of district partnerships naming each priority in their "
            f"strategic assessments, {round_.year or round_.label}",
            rows=[(r.issue.name, r.count, r.issue.highlighted) for r in rows],
            unit=f"of {assessed} assessed",
        ),
    )


def _matrices(agreement: Agreement, audience: Audience) -> list[MatrixView]:
    rounds = AssessmentRound.objects.filter(agreement=agreement).prefetch_related(
        "issues"
    )
    return [assessment_matrix(round_=r, audience=audience) for r in rounds]


def approval_of(*, agreement: Agreement, audience: Audience) -> Approval | None:
    """The meeting and minute that approved the version, where this audience
    may see them."""
    if agreement.approved_on is None:
        return None
    meeting = _seen(Meeting, agreement.approved_at_meeting_id, audience, "body")
    resolution = _seen(
        Resolution,
        agreement.approved_by_resolution_id,
        audience,
        "minute_item__minutes__meeting__body",
    )
    minute_item = resolution.minute_item if resolution else None
    return Approval(agreement=agreement, meeting=meeting, minute_item=minute_item)


def _seen(model: Any, pk: int | None, audience: Audience, joins: str) -> Any:
    """Row `pk` of `model`, with `joins` made, if this audience may see it."""
    if not pk:
        return None
    return (
        model.objects.for_audience(audience).select_related(joins).filter(pk=pk).first()
    )


def agreement_document(
    *, agreement: Agreement, audience: Audience
) -> AgreementDocument:
    """Everything the document shows, for the page and the PDF alike."""
    sections = list(
        AgreementSection.objects.filter(agreement=agreement).order_by(
            "is_appendix", "order", "pk"
        )
    )
    return AgreementDocument(
        agreement=agreement,
        audience=audience,
        sections=_numbered(sections),
        signatories=list(agreement.signatories.select_related("organisation")),
        strategies=list(agreement.strategies.select_related("owner")),
        matrices=_matrices(agreement, audience),
        approval=approval_of(agreement=agreement, audience=audience),
        parts=registry.part_documents(agreement=agreement, audience=audience),
    )


# What changed ------------------------------------------------------------------


@dataclass
class ChangeReport:
    agreement: Agreement
    earlier: Agreement | None
    notes: list[ChangeNote]
    groups: list[ChangeGroup]

    @property
    def nothing_changed(self) -> bool:
        return all(g.empty for g in self.groups)


def _section_group(earlier: Agreement, later: Agreement) -> ChangeGroup:
    old = {s.pk: s for s in AgreementSection.objects.filter(agreement=earlier)}
    new = list(
        AgreementSection.objects.filter(agreement=later).order_by(
            "is_appendix", "order", "pk"
        )
    )
    group = ChangeGroup(title="Sections", noun="section", order=10)
    carried = set()
    for section in new:
        before = old.get(section.carried_from_id or 0)
        if before is None:
            group.changes.append(Change(ChangeKind.ADDED, after=(section.heading,)))
            continue
        carried.add(before.pk)
        if before.heading != section.heading:
            group.changes.append(
                Change(
                    ChangeKind.RENAMED,
                    before=(before.heading,),
                    after=(section.heading,),
                )
            )
        for label, a, b in [
            (section.heading, before.body, section.body),
            (f"{section.heading}: signed by", before.signature, section.signature),
        ]:
            change = text_change(label, a, b)
            if change:
                group.texts.append(change)
    group.changes += [
        Change(ChangeKind.REMOVED, before=(s.heading,))
        for pk, s in old.items()
        if pk not in carried
    ]
    return group


def _lists_groups(earlier: Agreement, later: Agreement) -> list[ChangeGroup]:
    def strategies(a: Agreement) -> list[str]:
        return [str(s) for s in a.strategies.all()]

    def signatories(a: Agreement) -> list[str]:
        return [s.label for s in a.signatories.select_related("organisation")]

    groups = [
        ChangeGroup(
            title="Links to strategies and plans",
            noun="strategy or plan",
            changes=set_changes(earlier=strategies(earlier), later=strategies(later)),
            order=60,
        ),
        ChangeGroup(
            title="Signatories",
            noun="signatory",
            changes=set_changes(earlier=signatories(earlier), later=signatories(later)),
            order=70,
        ),
    ]
    contact = ChangeGroup(title="Title and contact", noun="detail", order=80)
    for label, attr in [
        ("Title", "title"),
        ("Contact", "contact_name"),
        ("Contact address", "contact_address"),
        ("Contact e-mail", "contact_email"),
        ("Telephone for other formats", "contact_phone"),
    ]:
        change = text_change(label, getattr(earlier, attr), getattr(later, attr))
        if change:
            contact.texts.append(change)
    return [*groups, contact]


def agreement_changes(*, agreement: Agreement, audience: Audience) -> ChangeReport:
    """What changed from the version this one was refreshed from."""
    notes = list(agreement.change_notes.all())
    earlier = agreement.previous
    if earlier is not None and not (
        audience.sees_all(Content.AGREEMENT) or earlier.is_published
    ):
        earlier = None
    if earlier is None:
        return ChangeReport(agreement, None, notes, [])
    groups = [_section_group(earlier, agreement), *_lists_groups(earlier, agreement)]
    for part in registry.parts():
        groups += part.changes(earlier=earlier, later=agreement)
    groups.sort(key=lambda g: g.order)
    return ChangeReport(agreement, earlier, notes, groups)


def assessment_for_page(
    *, partnership: str, year: int, audience: Audience
) -> StrategicAssessment:
    """A district partnership's strategic assessment for a year, as the
    reader may see it; 404 if there is none."""
    return get_object_or_404(
        StrategicAssessment.objects.for_audience(audience).select_related(
            "partnership"
        ),
        partnership__slug=partnership,
        year=year,
    )


def agreements_informed_by(
    *, assessment: StrategicAssessment, audience: Audience
) -> list[Agreement]:
    """The versions of the agreement whose matrix reads this assessment (a
    round of its year), newest first."""
    return list(
        Agreement.objects.for_audience(audience)
        .filter(assessment_rounds__year=assessment.year)
        .distinct()
        .order_by("-period_start")
    )


def partnership_assessments(
    *, partnership: Partnership, audience: Audience
) -> list[StrategicAssessment]:
    """A partnership's strategic assessments the reader may see, newest
    first, for its page (one query however many there are)."""
    return list(
        StrategicAssessment.objects.for_audience(audience)
        .filter(partnership=partnership)
        .select_related("partnership")
        .order_by("-year")
    )
