"""Where a review has got to, what is due next and what is overdue.

Pure arithmetic over a case's stage dates and the coordinator's targets, so
a list of cases costs no query per case (prefetch `agencies`, load the
targets once with `StageTarget.objects.by_stage()`).
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from dhr.models import STAGES_WITHOUT_REVIEW, Case, Stage, StageTarget


@dataclass(frozen=True)
class StageStatus:
    stage: Stage
    done_on: dt.date | None
    due_on: dt.date | None
    applies: bool
    today: dt.date

    @property
    def label(self) -> str:
        return self.stage.label

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    @property
    def is_overdue(self) -> bool:
        return (
            self.applies
            and not self.is_done
            and self.due_on is not None
            and self.due_on < self.today
        )

    @property
    def done_late(self) -> bool:
        return (
            self.done_on is not None
            and self.due_on is not None
            and self.done_on > self.due_on
        )

    @property
    def state(self) -> str:
        """A short plain-English word for the table's last column."""
        if not self.applies:
            return "Not applicable"
        if self.is_done:
            return "Done after the target date" if self.done_late else "Done"
        if self.is_overdue:
            return "Overdue"
        return "Due" if self.due_on else "To do"


@dataclass(frozen=True)
class Timeline:
    stages: list[StageStatus]

    @property
    def reached(self) -> StageStatus:
        """The latest stage done (notification, at least)."""
        done = [s for s in self.stages if s.applies and s.is_done]
        return done[-1] if done else self.stages[0]

    @property
    def next(self) -> StageStatus | None:
        """The first stage still to do after the stage reached."""
        order = [s.stage for s in self.stages]
        start = order.index(self.reached.stage) + 1
        return next(
            (s for s in self.stages[start:] if s.applies and not s.is_done), None
        )

    @property
    def overdue(self) -> list[StageStatus]:
        return [s for s in self.stages if s.is_overdue]


def timeline(
    case: Case, targets: Mapping[str, StageTarget], today: dt.date
) -> Timeline:
    """Each stage of `case` with the date it was done, its due date (from an
    active target whose starting stage is done) and whether it applies."""
    dates = case.stage_dates(today)
    held = case.decision != Case.Decision.NOT_HELD
    stages = []
    for stage in Stage:
        target = targets.get(stage.value)
        start = dates.get(target.after) if target else None
        applies = held or stage in STAGES_WITHOUT_REVIEW
        stages.append(
            StageStatus(
                stage=stage,
                done_on=dates[stage],
                due_on=target.due_from(start) if target and start else None,
                applies=applies,
                today=today,
            )
        )
    return Timeline(stages)
