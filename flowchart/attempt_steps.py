"""The flow chart's side of recording an attempt for one step: which step, what it asks, where it stands.

The practitioner's day's work ("My work today") links each step to the attempt form with the step's
order; engagement asks this through `engagement.workflow`, which the flow chart fills in its ready().
"""

import datetime as dt
from dataclasses import dataclass

from cases.models import Case

from .choices import StepRequirement
from .schedule import CLOSED_STATUSES, STATUS_LABELS, Status
from .selectors import case_flowchart


@dataclass(frozen=True)
class AttemptStep:
    """A step of the case's running flow chart that asks for contact attempts, as it stands today."""

    order: int
    day: int
    title: str
    due_on: dt.date
    attempt_kinds: tuple[str, ...]
    status: Status

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def attempt_step(*, case: Case, order: int) -> AttemptStep | None:
    """Step `order` of the case's running flow chart, or None if the chart is not running, has no
    such step, or the step is met by a record (a decision, oversight) rather than an attempt."""
    chart = case_flowchart(case)
    if chart.episode is None or not chart.episode.is_live:
        return None
    found = next((s for s in chart.steps if s.step.order == order), None)
    if found is None or found.step.requirement != StepRequirement.ATTEMPTS:
        return None
    return AttemptStep(
        order=found.step.order,
        day=found.step.day,
        title=found.step.title,
        due_on=found.due_on,
        attempt_kinds=tuple(found.step.attempt_kinds),
        status=found.status,
    )
