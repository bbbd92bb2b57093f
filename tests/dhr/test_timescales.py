"""Stage due dates from the coordinator's targets, and overdue flags."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dhr.models import Case, CaseAgency, Stage, StageTarget
from dhr.timeline import timeline
from kcsp.workdays import add_months
from tests.dhr import factories as dhr

pytestmark = pytest.mark.django_db


def _line(case: Case, today: str):
    case = Case.objects.prefetch_related("agencies").get(pk=case.pk)
    return timeline(case, StageTarget.objects.by_stage(), dt.date.fromisoformat(today))


def _stage(line, stage: Stage):
    return next(s for s in line.stages if s.stage == stage)


def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2026, 3, 2), 1) == dt.date(2026, 4, 2)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2026, 9, 25), 6) == dt.date(2027, 3, 25)


def test_the_defaults_from_practice_are_loaded() -> None:
    targets = StageTarget.objects.by_stage()
    decision, review = targets[Stage.DECIDED], targets[Stage.QA_SUBMITTED]
    assert (decision.after, decision.amount, decision.unit) == ("notified", 1, "months")
    assert (review.after, review.amount, review.unit) == ("decided", 6, "months")


def test_decision_is_due_a_month_after_notification_and_then_overdue() -> None:
    case = dhr.case(
        notified_on=dt.date(2026, 3, 2),
        decision=Case.Decision.PENDING,
        decision_on=None,
    )
    decision = _stage(_line(case, "2026-04-02"), Stage.DECIDED)
    assert decision.due_on == dt.date(2026, 4, 2)
    assert not decision.is_overdue and decision.state == "Due"
    line = _line(case, "2026-04-03")
    assert _stage(line, Stage.DECIDED).is_overdue
    assert [s.stage for s in line.overdue] == [Stage.DECIDED]
    assert line.reached.stage == Stage.NOTIFIED
    assert line.next.stage == Stage.DECIDED


def test_review_is_due_six_months_after_the_decision() -> None:
    case = dhr.case(decision_on=dt.date(2026, 3, 25))
    line = _line(case, "2026-09-25")
    submitted = _stage(line, Stage.QA_SUBMITTED)
    assert submitted.due_on == dt.date(2026, 9, 25) and not submitted.is_overdue
    assert _stage(_line(case, "2026-09-26"), Stage.QA_SUBMITTED).is_overdue
    # Stages without a target are never overdue.
    assert _stage(line, Stage.TERMS_AGREED).due_on is None
    assert _stage(line, Stage.DECIDED).state == "Done"


def test_a_stage_done_after_its_target_is_marked_late_not_overdue() -> None:
    case = dhr.case(notified_on=dt.date(2026, 3, 2), decision_on=dt.date(2026, 4, 10))
    decision = _stage(_line(case, "2026-05-01"), Stage.DECIDED)
    assert decision.done_late and not decision.is_overdue
    assert decision.state == "Done after the target date"


def test_the_coordinator_changes_a_target() -> None:
    target = StageTarget.objects.get(stage=Stage.DECIDED)
    target.amount, target.unit = 10, StageTarget.Unit.WORKING_DAYS
    target.save()
    case = dhr.case(
        notified_on=dt.date(2026, 3, 27),  # the Friday before Easter 2026
        decision=Case.Decision.PENDING,
        decision_on=None,
    )
    # Ten working days, skipping Good Friday (3 April) and Easter Monday.
    assert _stage(_line(case, "2026-04-01"), Stage.DECIDED).due_on == dt.date(
        2026, 4, 14
    )
    StageTarget.objects.create(
        stage=Stage.TERMS_AGREED, after=Stage.PANEL_APPOINTED, amount=3, unit="weeks"
    )
    case.panel_appointed_on = dt.date(2026, 5, 5)
    case.decision, case.decision_on = Case.Decision.HOLD, dt.date(2026, 4, 1)
    case.save()
    assert _stage(_line(case, "2026-05-06"), Stage.TERMS_AGREED).due_on == dt.date(
        2026, 5, 26
    )
    target.active = False
    target.save()
    assert _stage(_line(case, "2027-01-01"), Stage.DECIDED).due_on is None


def test_a_target_counts_from_another_stage() -> None:
    target = StageTarget(stage=Stage.DECIDED, after=Stage.DECIDED, amount=1)
    with pytest.raises(ValidationError, match="counted from another stage"):
        target.validate_constraints()


def test_after_a_decision_not_to_review_the_review_stages_do_not_apply() -> None:
    case = dhr.case(decision=Case.Decision.NOT_HELD, decision_on=dt.date(2026, 3, 25))
    line = _line(case, "2027-06-01")
    assert line.overdue == []
    assert not _stage(line, Stage.QA_SUBMITTED).applies
    assert _stage(line, Stage.QA_SUBMITTED).state == "Not applicable"
    assert line.next.stage == Stage.HOME_OFFICE_NOTIFIED


def test_a_resubmission_sends_the_review_back_to_submission() -> None:
    case = dhr.case(
        decision_on=dt.date(2026, 3, 25),
        submitted_to_qa_on=dt.date(2026, 8, 3),
        qa_outcome=Case.QaOutcome.RESUBMIT,
        qa_outcome_on=dt.date(2026, 10, 1),
    )
    line = _line(case, "2026-10-02")
    assert not _stage(line, Stage.QA_SUBMITTED).is_done
    assert _stage(line, Stage.QA_SUBMITTED).is_overdue
    case.submitted_to_qa_on = dt.date(2026, 10, 20)
    case.save()
    assert _stage(_line(case, "2026-10-21"), Stage.QA_SUBMITTED).is_done


def test_imrs_are_received_when_every_requested_one_is(kfrs, kent_police) -> None:
    case = dhr.case()
    police = CaseAgency.objects.create(
        case=case,
        organisation=kent_police,
        imr_requested_on=dt.date(2026, 6, 8),
        imr_due_on=dt.date(2026, 7, 31),
        imr_received_on=dt.date(2026, 7, 24),
    )
    fire = CaseAgency.objects.create(
        case=case,
        organisation=kfrs,
        imr_requested_on=dt.date(2026, 6, 10),
        imr_due_on=dt.date(2026, 7, 31),
    )
    line = _line(case, "2026-08-03")
    assert _stage(line, Stage.IMRS_REQUESTED).done_on == dt.date(2026, 6, 8)
    assert _stage(line, Stage.IMRS_RECEIVED).done_on is None
    assert fire.imr_overdue(dt.date(2026, 8, 3)) and not police.imr_overdue()
    fire.imr_received_on = dt.date(2026, 8, 14)
    fire.save()
    line = _line(case, "2026-08-15")
    assert _stage(line, Stage.IMRS_RECEIVED).done_on == dt.date(2026, 8, 14)
    assert line.reached.stage == Stage.IMRS_RECEIVED
