"""The flow chart's arithmetic: which step is done, due today, overdue, upcoming or not needed.

A pure function of (the pathway version's steps, Day 1, the calendar, the case's records, today).
Nothing is ticked by hand: a step is done when the chronology or a record shows it was done, so
the chart can never disagree with the case record.

How attempts are matched to steps: each attempt counts towards one step only. First every step,
in order, takes the attempts made in its own window, earliest first: a step "on day N" counts
attempts on day N (a call on day 2 is not the day-6 reminder call), a step "before day N" or "no
later than day N" counts attempts from Day 1 to its last day. Then steps still short take the
attempts left over that came later, so a late attempt still counts and the step shows as late.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from .calendar import Calendar


class Timing(StrEnum):
    BEFORE = "before"  # before day N: the last day is day N-1
    ON = "on"  # on day N
    BY = "by"  # no later than day N


class Requirement(StrEnum):
    ATTEMPTS = "attempts"  # a number of contact attempts of the given kinds
    REFERRAL_RECEIVED = "referral_received"  # Day 1 itself
    FERA_COMPLETED = "fera_completed"
    MANAGER_INFORMED = "manager_informed"
    OVERSIGHT_RECORDED = "oversight_recorded"
    DECISION_MADE = "decision_made"


class Status(StrEnum):
    DONE = "done"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    NOT_NEEDED = "not_needed"


STATUS_LABELS = {
    Status.DONE: "Done",
    Status.DUE_TODAY: "Due today",
    Status.OVERDUE: "Overdue",
    Status.UPCOMING: "Upcoming",
    Status.NOT_NEEDED: "Not needed",
}


class EndReason(StrEnum):
    ENGAGED = "engaged"
    ESCALATED = "escalated"
    DECIDED = "decided"


# Attempts with these kinds reach professionals, not the family: "spoke" there is not engagement.
PROFESSIONAL_KINDS = frozenset({"liaison", "multi_agency_meeting"})
ENGAGED_OUTCOMES = frozenset({"seen", "spoke"})
# The milestone that records an immediate safeguarding concern escalated to the MASH.
ESCALATED = "escalated"


@dataclass(frozen=True)
class StepSpec:
    """One step of a pathway version, as plain data."""

    order: int
    day: int
    timing: str
    title: str
    requirement: str = Requirement.ATTEMPTS
    attempt_kinds: tuple[str, ...] = ()
    attempt_count: int = 1
    attempt_outcomes: tuple[str, ...] = ()  # empty: any outcome counts
    responsible: str = "lead_practitioner"
    guidance: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AttemptRecord:
    id: int
    on: dt.date
    kind: str
    outcome: str

    @property
    def is_engaged(self) -> bool:
        return self.outcome in ENGAGED_OUTCOMES and self.kind not in PROFESSIONAL_KINDS


@dataclass(frozen=True)
class Records:
    """What the case record shows: attempts, and the first date of each recorded milestone."""

    attempts: tuple[AttemptRecord, ...] = ()
    milestones: Mapping[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True)
class StepProgress:
    step: StepSpec
    due_on: dt.date
    counts_from: dt.date
    status: Status
    done_on: dt.date | None = None
    attempt_ids: tuple[int, ...] = ()
    required: int = 0

    @property
    def made(self) -> int:
        return len(self.attempt_ids)

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.due_on

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_open(self) -> bool:
        return self.status in (Status.DUE_TODAY, Status.OVERDUE, Status.UPCOMING)


@dataclass(frozen=True)
class Progress:
    steps: tuple[StepProgress, ...]
    day_number: int
    ended_on: dt.date | None = None
    end_reason: str = ""
    next_due_on: dt.date | None = None

    @property
    def due_today(self) -> list[StepProgress]:
        return [s for s in self.steps if s.status == Status.DUE_TODAY]

    @property
    def overdue(self) -> list[StepProgress]:
        return [s for s in self.steps if s.status == Status.OVERDUE]

    @property
    def next_step(self) -> StepProgress | None:
        """The first step still to do, overdue ones first."""
        open_steps = [s for s in self.steps if s.is_open]
        return min(open_steps, key=lambda s: (s.due_on, s.step.order)) if open_steps else None


@lru_cache(maxsize=65536)
def _date_of_day(calendar: Calendar, day1: dt.date, day: int) -> dt.date:
    # The sweep asks the same few questions for thousands of episodes that share a Day 1.
    return calendar.date_of_day(day1, day)


@lru_cache(maxsize=4096)
def _day_number(calendar: Calendar, day1: dt.date, today: dt.date) -> int:
    return calendar.day_number(day1, today)


def due_date(step: StepSpec, day1: dt.date, calendar: Calendar) -> dt.date:
    """The last date on which the step is on time."""
    day = step.day - 1 if step.timing == Timing.BEFORE else step.day
    return _date_of_day(calendar, day1, max(day, 1))


def counts_from(step: StepSpec, day1: dt.date, calendar: Calendar) -> dt.date:
    """The first date from which an attempt counts towards the step."""
    return _date_of_day(calendar, day1, step.day) if step.timing == Timing.ON else day1


def ending(day1: dt.date, records: Records, today: dt.date) -> tuple[dt.date | None, str]:
    """When and why the episode ended: the family engaged, a concern was escalated, or a decision."""
    candidates = []
    engaged = [a.on for a in records.attempts if a.is_engaged and day1 <= a.on <= today]
    if engaged:
        candidates.append((min(engaged), 0, EndReason.ENGAGED))
    for order, (milestone, reason) in enumerate(
        ((ESCALATED, EndReason.ESCALATED), (Requirement.DECISION_MADE, EndReason.DECIDED)), start=1
    ):
        on = records.milestones.get(milestone)
        if on is not None and on <= today:
            candidates.append((on, order, reason))
    if not candidates:
        return None, ""
    on, _, reason = min(candidates)
    return on, str(reason)


def progress(
    steps: Sequence[StepSpec],
    day1: dt.date,
    calendar: Calendar,
    records: Records,
    today: dt.date,
) -> Progress:
    """Each step's status on `today`, derived from the records alone."""
    ended_on, end_reason = ending(day1, records, today)
    cap = min(today, ended_on) if ended_on else today
    attempts = sorted((a for a in records.attempts if day1 <= a.on <= cap), key=lambda a: (a.on, a.id))
    ordered = sorted(steps, key=lambda s: (s.order, s.day))
    windows = {
        id(step): (counts_from(step, day1, calendar), due_date(step, day1, calendar)) for step in ordered
    }
    matched = _match_attempts(ordered, windows, attempts)
    result = []
    for step in ordered:
        start, due_on = windows[id(step)]
        ids = tuple(a.id for a in matched.get(id(step), []))
        done_on = _done_on(step, day1, matched.get(id(step), []), records.milestones, cap)
        if done_on is not None:
            status = Status.DONE
        elif ended_on is not None:
            status = Status.NOT_NEEDED
        elif due_on < today:
            status = Status.OVERDUE
        elif due_on == today:
            status = Status.DUE_TODAY
        else:
            status = Status.UPCOMING
        result.append(
            StepProgress(
                step=step,
                due_on=due_on,
                counts_from=start,
                status=status,
                done_on=done_on,
                attempt_ids=ids,
                required=step.attempt_count if step.requirement == Requirement.ATTEMPTS else 0,
            )
        )
    next_due = None if ended_on else min((s.due_on for s in result if s.is_open), default=None)
    return Progress(
        steps=tuple(result),
        day_number=_day_number(calendar, day1, today),
        ended_on=ended_on,
        end_reason=end_reason,
        next_due_on=next_due,
    )


def _counts_for(step: StepSpec, attempt: AttemptRecord) -> bool:
    return attempt.kind in step.attempt_kinds and (
        not step.attempt_outcomes or attempt.outcome in step.attempt_outcomes
    )


def _match_attempts(
    steps: Sequence[StepSpec],
    windows: Mapping[int, tuple[dt.date, dt.date]],
    attempts: Sequence[AttemptRecord],
) -> dict[int, list[AttemptRecord]]:
    """Which attempts count for which step: on time first, then late ones for steps still short."""
    attempt_steps = [s for s in steps if s.requirement == Requirement.ATTEMPTS]
    used: set[int] = set()
    matched: dict[int, list[AttemptRecord]] = {id(s): [] for s in attempt_steps}
    for on_time in (True, False):
        for step in attempt_steps:
            start, due_on = windows[id(step)]
            for attempt in attempts:
                if len(matched[id(step)]) >= step.attempt_count:
                    break
                if attempt.id in used or attempt.on < start or not _counts_for(step, attempt):
                    continue
                if on_time and attempt.on > due_on:
                    continue
                matched[id(step)].append(attempt)
                used.add(attempt.id)
    for found in matched.values():
        found.sort(key=lambda a: (a.on, a.id))
    return matched


def _done_on(
    step: StepSpec,
    day1: dt.date,
    matched: Sequence[AttemptRecord],
    milestones: Mapping[str, dt.date],
    cap: dt.date,
) -> dt.date | None:
    if step.requirement == Requirement.REFERRAL_RECEIVED:
        return day1
    if step.requirement != Requirement.ATTEMPTS:
        on = milestones.get(step.requirement)
        return on if on is not None and on <= cap else None
    return matched[-1].on if len(matched) >= step.attempt_count else None
