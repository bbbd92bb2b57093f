import datetime as dt
from decimal import Decimal

import pytest

from agreement import services as agreement_services
from kcsp.models import Action
from priorities.models import Measure
from priorities.selectors import exception_report
from tests.agreement import factories as csa

pytestmark = pytest.mark.django_db

TODAY = dt.date(2022, 3, 24)


def test_exception_report_lists_exactly_the_exceptions() -> None:
    agreement = csa.agreement()
    p = {x.slug: x for x in csa.with_priorities(agreement)}
    L, H, N = (
        Measure.Direction.LOWER,
        Measure.Direction.HIGHER,
        Measure.Direction.NEITHER,
    )

    def m(name: str, values: list[int], direction: str, target: int | None) -> Measure:
        return csa.measure(
            p["road-safety"],
            name,
            values=[(str(2018 + i), v) for i, v in enumerate(values)],
            direction=direction,
            target=Decimal(target) if target is not None else None,
        )

    off_target = m("Killed or seriously injured", [500, 480], L, 450)
    worsening = m("Theft offences", [28011, 29811], L, 30000)
    higher_off = m("Victims supported", [90, 95], H, 100)
    m("On target and improving", [600, 540], L, 550)
    m("Monitored only", [21545, 25000], N, None)
    m("No figures yet", [], L, 10)
    m("Level, on target", [100, 100], L, 120)
    m("Only one figure, on target", [40], L, 50)

    def a(
        title: str, due: str | None, rag: str = "", status: str = "in_progress"
    ) -> Action:
        return csa.plan_action(
            p["domestic-abuse"], title, due=due, rag=rag, status=status
        )

    overdue = a("Overdue action", "2022-01-31")
    red = a("Red action", "2023-01-31", rag="red")
    private_red = csa.plan_action(
        p["violent-crime"], "Private red action", is_public=False, rag="red"
    )
    not_started_overdue = a("Not started, overdue", "2021-12-31", status="not_started")
    a("Amber, due later", "2023-01-31", rag="amber")
    a("Red but closed", "2021-01-31", rag="red", status="closed")
    a("Overdue but complete", "2021-01-31", status="complete")
    a("Due today", "2022-03-24")
    a("No due date", None)

    report = exception_report(agreement=agreement, today=TODAY)

    assert [s.measure for s in report.measures] == [off_target, worsening, higher_off]
    assert [s.measure for s in report.off_target] == [off_target, higher_off]
    assert [s.measure for s in report.worsening] == [worsening]
    assert {e.action for e in report.actions} == {
        overdue,
        red,
        private_red,
        not_started_overdue,
    }
    by_action = {e.action: e for e in report.actions}
    assert by_action[overdue].overdue and not by_action[overdue].red
    assert by_action[red].red and not by_action[red].overdue


def test_carried_actions_are_reported_once_per_version() -> None:
    agreement = csa.agreement()
    road = csa.with_priorities(agreement)[5]
    action = csa.plan_action(road, "Vision Zero update", due="2012-01-31")
    draft = agreement_services.agreement_refresh(
        agreement=agreement,
        slug="2012-13",
        period_start=dt.date(2012, 4, 1),
        period_end=dt.date(2013, 3, 31),
    )
    for version in (agreement, draft):
        report = exception_report(agreement=version, today=TODAY)
        assert [e.action for e in report.actions] == [action]
