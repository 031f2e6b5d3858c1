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
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from cases.calendar import Calendar

from .choices import EpisodeEndReason as EndReason
from .choices import StepRequirement as Requirement
from .choices import StepTiming as Timing


class Status(StrEnum):
    DONE = "done"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    NOT_NEEDED = "not_needed"  # not yet due when the episode ended
    NOT_POSSIBLE = "not_possible"  # an "if possible" step recorded as not possible, with the reason
    MISSED = "missed"  # overdue when the episode ended: kept as evidence, never rewritten
    # A letter step whose letter the manager refused as unsafe (Knowsley 000, Appendix 4, day 10:
    # "if DV ensure your letter would not increase risk"): closed, with the reason, not overdue.
    NOT_SENT_UNSAFE = "not_sent_unsafe"


# What a step's status is called on the page; `status_label` gives it as text, so it may go into
# JSON (the practitioner's day offline).
STATUS_LABELS = {
    Status.DONE: _("Done"),
    Status.DUE_TODAY: _("Due today"),
    Status.OVERDUE: _("Overdue"),
    Status.UPCOMING: _("Upcoming"),
    Status.NOT_NEEDED: _("Not needed"),
    Status.NOT_POSSIBLE: _("Not possible"),
    Status.MISSED: _("Missed"),
    Status.NOT_SENT_UNSAFE: _("Not sent: unsafe (manager's decision)"),
}
# Statuses of a step nobody need act on any more.
CLOSED_STATUSES = frozenset(
    {Status.DONE, Status.NOT_NEEDED, Status.NOT_POSSIBLE, Status.MISSED, Status.NOT_SENT_UNSAFE}
)


# The milestone that records an immediate safeguarding concern escalated to the MASH.
ESCALATED = "escalated"
# The milestone that records a parent or carer agreeing to work with the service: the only
# thing that ends the episode as engaged (engagement.rules; contact alone never does).
ENGAGED = "engaged"


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
    if_possible: bool = False


@dataclass(frozen=True)
class AttemptRecord:
    """An attempt as the flow chart counts it: `kind` is the kind it counts as (a text to someone
    who prefers texts counts as a telephone call)."""

    id: int
    on: dt.date
    kind: str
    outcome: str


def numbered_attempts(made: Iterable[tuple[dt.date, str, str]]) -> tuple[AttemptRecord, ...]:
    """(date, kind, outcome) in the order they were recorded, as AttemptRecords numbered in that order.

    Made without the frozen dataclass's __init__, as _step_progress: the sweep makes one for
    every attempt of every family whose records no other family shares.
    """
    records = []
    for number, (on, kind, outcome) in enumerate(made):
        record = object.__new__(AttemptRecord)
        record.__dict__.update(id=number, on=on, kind=kind, outcome=outcome)
        records.append(record)
    return tuple(records)


@dataclass(frozen=True)
class Records:
    """What the case record shows: attempts, the first date of each recorded milestone, the
    date each "if possible" step was recorded as not possible, and the date the manager refused
    a letter as unsafe for each letter step (both by step id)."""

    attempts: tuple[AttemptRecord, ...] = ()
    milestones: Mapping[str, dt.date] = field(default_factory=dict)
    not_possible: Mapping[int, dt.date] = field(default_factory=dict)
    not_sent_unsafe: Mapping[int, dt.date] = field(default_factory=dict)


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
        return str(STATUS_LABELS[self.status])

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


class OpenStep:
    """A step still open, as the lists show it: the step, its due date, its status on the day."""

    __slots__ = ("step", "due_on", "status")
    is_open = True

    def __init__(self, step: StepSpec, due_on: dt.date, status: Status):
        self.step, self.due_on, self.status = step, due_on, status

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class Summary:
    """What the lists show of an episode on one day: its day number and the steps still open.

    The case list, the oversight queue and the team dashboard read it for hundreds of families at
    once, from the record the services keep on the episode (`summary_record`), instead of
    deriving every flow chart from its records on every view.
    """

    day_number: int
    open_steps: tuple[OpenStep | StepProgress, ...]
    ended_on: dt.date | None = None
    end_reason: str = ""

    @property
    def overdue(self) -> list[OpenStep | StepProgress]:
        return [s for s in self.open_steps if s.status == Status.OVERDUE]

    @property
    def next_step(self) -> OpenStep | StepProgress | None:
        """The first step still to do, overdue ones first (as Progress.next_step)."""
        steps = self.open_steps
        return min(steps, key=lambda s: (s.due_on, s.step.order)) if steps else None


def summary_of(result: Progress) -> Summary:
    return Summary(
        day_number=result.day_number,
        open_steps=tuple(s for s in result.steps if s.is_open),
        ended_on=result.ended_on,
        end_reason=result.end_reason,
    )


def summary_record(result: Progress, today: dt.date) -> dict:
    """What the services store on an episode after each change to its records, as JSON.

    A step is done only by records, and no record is dated after the day it is made (attempts
    cannot be in the future; milestones are stamped when recorded), so which steps are open,
    and when each is due, hold from `today` until the records change and the services store a
    new record. Only each open step's status and the day number move with the date:
    `summary_from_record` works those out for the day asked, as `_evaluate` does.
    """
    open_steps = [s for s in result.steps if s.is_open]
    first_due = min((s.due_on for s in open_steps), default=None)

    def due(requirement: str) -> list[str]:
        return [s.due_on.isoformat() for s in open_steps if s.step.requirement == requirement]

    return {
        "on": today.isoformat(),
        "ended_on": result.ended_on.isoformat() if result.ended_on else None,
        "end_reason": result.end_reason,
        "open": [[s.step.id, s.due_on.isoformat()] for s in open_steps],
        # What the team dashboard counts, so its figures need not go through every step:
        # the first due date still open, and the due dates of the manager's oversight and of
        # the decision while they are open.
        "next": first_due.isoformat() if first_due else None,
        "oversight": due(Requirement.OVERSIGHT_RECORDED),
        "decision": due(Requirement.DECISION_MADE),
    }


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def open_steps_from_record(
    record: dict | None,
    steps_by_id: Mapping[int, StepSpec],
    today: dt.date,
    requirements: Collection[str] | None = None,
) -> list[OpenStep] | None:
    """The steps open on `today` by a stored record, each with its status that day: only those of
    `requirements` if given, none once the episode has ended. None if the record cannot tell
    (none stored, stored on a later day than asked, or naming a step the version lacks)."""
    if not record or record.get("on", "9999") > today.isoformat():  # ISO dates sort as text
        return None
    if record["ended_on"]:
        return []
    open_steps = []
    for step_id, due in record["open"]:
        step = steps_by_id.get(step_id)
        if step is None:
            return None
        if requirements is not None and step.requirement not in requirements:
            continue
        due_on = _iso_date(due)
        status = (
            Status.OVERDUE if due_on < today else Status.DUE_TODAY if due_on == today else Status.UPCOMING
        )
        open_steps.append(OpenStep(step, due_on, status))
    return open_steps


def summary_from_record(
    record: dict | None,
    steps_by_id: Mapping[int, StepSpec],
    day1: dt.date,
    calendar: Calendar,
    today: dt.date,
) -> Summary | None:
    """The summary on `today` from a stored record, or None if the record cannot tell it
    (see `open_steps_from_record`)."""
    open_steps = open_steps_from_record(record, steps_by_id, today)
    if open_steps is None:
        return None
    return Summary(
        day_number=day_number(calendar, day1, today),
        open_steps=tuple(open_steps),
        ended_on=(record["ended_on"] and dt.date.fromisoformat(record["ended_on"])) or None,
        end_reason=record.get("end_reason", ""),
    )


@lru_cache(maxsize=65536)
def _date_of_day(calendar: Calendar, day1: dt.date, day: int) -> dt.date:
    # The sweep asks the same few questions for thousands of episodes that share a Day 1.
    return calendar.date_of_day(day1, day)


@lru_cache(maxsize=4096)
def day_number(calendar: Calendar, day1: dt.date, today: dt.date) -> int:
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
    for order, (milestone, reason) in enumerate(
        (
            (ENGAGED, EndReason.ENGAGED),
            (ESCALATED, EndReason.ESCALATED),
            (Requirement.DECISION_MADE, EndReason.DECIDED),
        )
    ):
        on = records.milestones.get(milestone)
        if on is not None and day1 <= on <= today:
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
    ended_on, end_reason, states = _evaluate(steps, day1, calendar, records, today)
    result = []
    next_due = None
    for step, start, due_on, required, found, done_on, status in states:
        is_open = status not in CLOSED_STATUSES
        if is_open and (next_due is None or due_on < next_due):
            next_due = due_on  # the first date a step still open is due
        result.append(_step_progress(step, due_on, start, status, done_on, found, required))
    return Progress(
        steps=tuple(result),
        day_number=day_number(calendar, day1, today),
        ended_on=ended_on,
        end_reason=end_reason,
        next_due_on=next_due,
    )


@dataclass(frozen=True)
class DueNow:
    """What the reminder sweep needs of an episode's progress, and no more."""

    ended_on: dt.date | None
    end_reason: str
    next_due_on: dt.date | None
    due: tuple[StepProgress | OpenStep, ...]  # the steps due today, then the overdue ones, each in order
    # Every step still open, in order, with its due date: what `summary_record` stores of them.
    open: tuple[tuple[StepSpec, dt.date], ...] = ()


def due_now(
    steps: Sequence[StepSpec],
    day1: dt.date,
    calendar: Calendar,
    records: Records,
    today: dt.date,
) -> DueNow:
    """progress() as the sweep reads it: the end, the next due date, the steps due and overdue.

    The same evaluation as progress(), so they cannot disagree; it makes a StepProgress only for
    the steps due today or overdue, which the sweep does for thousands of episodes.
    """
    ended_on, end_reason, states = _evaluate(steps, day1, calendar, records, today)
    next_due = None
    due_today, overdue, still_open = [], [], []
    for step, start, due_on, required, found, done_on, status in states:
        if status in CLOSED_STATUSES:
            continue
        still_open.append((step, due_on))
        if next_due is None or due_on < next_due:
            next_due = due_on
        if status is Status.DUE_TODAY:
            due_today.append(_step_progress(step, due_on, start, status, done_on, found, required))
        elif status is Status.OVERDUE:
            overdue.append(_step_progress(step, due_on, start, status, done_on, found, required))
    return DueNow(ended_on, end_reason, next_due, (*due_today, *overdue), tuple(still_open))


def due_now_record(result: DueNow, today: dt.date) -> dict:
    """`summary_record` of the same episode, from what due_now() found: the sweep stores it."""
    opened = result.open

    def due(requirement: str) -> list[str]:
        return [due_on.isoformat() for step, due_on in opened if step.requirement == requirement]

    return {
        "on": today.isoformat(),
        "ended_on": result.ended_on.isoformat() if result.ended_on else None,
        "end_reason": result.end_reason,
        "open": [[step.id, due_on.isoformat()] for step, due_on in opened],
        "next": result.next_due_on.isoformat() if result.next_due_on else None,
        "oversight": due(Requirement.OVERSIGHT_RECORDED),
        "decision": due(Requirement.DECISION_MADE),
    }


def due_now_from_record(record: dict, steps_by_id: Mapping[int, StepSpec], today: dt.date) -> DueNow | None:
    """due_now() on `today` from a stored summary of a live episode, or None if the record cannot
    tell it (stored on a later day than asked, ended, or naming a step the version lacks).

    Which steps are open and when each is due hold until the records change (`summary_record`),
    so only whether each is due today or overdue is worked out here."""
    if record.get("on", "9999") > today.isoformat() or record.get("ended_on"):
        return None
    due_today, overdue, still_open = [], [], []
    for step_id, due in record["open"]:
        step = steps_by_id.get(step_id)
        if step is None:
            return None
        due_on = _iso_date(due)
        still_open.append((step, due_on))
        if due_on == today:
            due_today.append(OpenStep(step, due_on, Status.DUE_TODAY))
        elif due_on < today:
            overdue.append(OpenStep(step, due_on, Status.OVERDUE))
    next_due = min((due_on for _, due_on in still_open), default=None)
    return DueNow(None, "", next_due, (*due_today, *overdue), tuple(still_open))


def _evaluate(steps, day1, calendar, records, today):
    """The end of the episode and, per step in order, its window, attempts, date done, status."""
    ended_on, end_reason = ending(day1, records, today)
    cap = min(today, ended_on) if ended_on else today
    attempts = sorted((a for a in records.attempts if day1 <= a.on <= cap), key=_by_day_then_id)
    plan = _plan(steps, day1, calendar)
    matched = _match_attempts(plan, attempts)
    milestones = records.milestones
    not_possible = records.not_possible
    not_sent = records.not_sent_unsafe
    states = []
    for step, start, due_on, required, found in zip(
        plan.ordered, plan.starts, plan.due_dates, plan.required, matched, strict=True
    ):
        if step.requirement == Requirement.ATTEMPTS:
            done_on = found[-1].on if len(found) >= step.attempt_count else None
        else:
            done_on = _done_on(step, day1, found, milestones, cap)
        recorded_not_possible = not_possible.get(step.id) if step.if_possible else None
        refused_on = not_sent.get(step.id) if not_sent else None
        if done_on is not None:
            status = Status.DONE
        elif recorded_not_possible is not None and recorded_not_possible <= cap:
            status = Status.NOT_POSSIBLE
        elif refused_on is not None and refused_on <= cap:
            status = Status.NOT_SENT_UNSAFE
        elif ended_on is not None:
            # What was overdue when the episode ended stays missed: a decision does not rewrite it.
            status = Status.MISSED if due_on < ended_on else Status.NOT_NEEDED
        else:
            status = (
                Status.OVERDUE if due_on < today else Status.DUE_TODAY if due_on == today else Status.UPCOMING
            )
        states.append((step, start, due_on, required, found, done_on, status))
    return ended_on, end_reason, states


_by_day_then_id = operator.attrgetter("on", "id")
_attempt_id = operator.attrgetter("id")


def _step_progress(step, due_on, counts_from, status, done_on, found, required) -> StepProgress:
    """A StepProgress made without the frozen dataclass's __init__, which sets each field
    through object.__setattr__: a third of progress() when the sweep makes thousands."""
    made = object.__new__(StepProgress)
    made.__dict__.update(
        step=step,
        due_on=due_on,
        counts_from=counts_from,
        status=status,
        done_on=done_on,
        attempt_ids=tuple(map(_attempt_id, found)),
        required=required,
    )
    return made


class _Plan:
    """A pathway's steps laid out from one Day 1 on one calendar: their order and windows.

    The same for every episode sharing a version, Day 1 and calendar, so worked out once for
    them (the sweep evaluates thousands of episodes that start on a few dozen days).
    """

    __slots__ = ("snapshot", "ordered", "starts", "due_dates", "required", "matching")

    def __init__(self, steps: Sequence[StepSpec], day1: dt.date, calendar: Calendar):
        self.snapshot = tuple(steps)
        self.ordered = sorted(steps, key=lambda s: (s.order, s.day))
        self.starts = [counts_from(step, day1, calendar) for step in self.ordered]
        self.due_dates = [due_date(step, day1, calendar) for step in self.ordered]
        self.required = [
            step.attempt_count if step.requirement == Requirement.ATTEMPTS else 0 for step in self.ordered
        ]
        # For each step done by attempts, in order: (position, kinds, outcomes or None, count, window).
        self.matching = [
            (
                position,
                frozenset(step.attempt_kinds),
                frozenset(step.attempt_outcomes) or None,
                step.attempt_count,
                self.starts[position],
                self.due_dates[position],
            )
            for position, step in enumerate(self.ordered)
            if step.requirement == Requirement.ATTEMPTS
        ]


_plans: dict[tuple[int, dt.date, Calendar], _Plan] = {}


def _plan(steps: Sequence[StepSpec], day1: dt.date, calendar: Calendar) -> _Plan:
    # Keyed by the steps' identity, checked against a snapshot of them: cheap where hashing
    # the steps' contents would cost more than laying them out again. The plan keeps the
    # snapshot alive, so an id in the key is never reused for other steps meanwhile.
    key = (id(steps), day1, calendar)
    plan = _plans.get(key)
    if plan is not None and len(plan.snapshot) == len(steps) and all(map(operator.is_, plan.snapshot, steps)):
        return plan
    if len(_plans) >= 4096:
        _plans.clear()
    plan = _plans[key] = _Plan(steps, day1, calendar)
    return plan


def _match_attempts(plan: _Plan, attempts: Sequence[AttemptRecord]) -> list[list[AttemptRecord]]:
    """Which attempts count for which step: on time first, then late ones for steps still short.

    Per step in order (an empty list for steps done by a record), the attempts that count.
    """
    used: set[int] = set()
    matched: list[list[AttemptRecord]] = [[] for _ in plan.ordered]
    if not attempts:
        return matched
    for on_time in (True, False):
        for position, kinds, outcomes, count, start, due_on in plan.matching:
            found = matched[position]
            if len(found) >= count:
                continue
            for attempt in attempts:
                if on_time and attempt.on > due_on:
                    break  # by date: every later attempt is late too
                if (
                    attempt.on < start
                    or attempt.kind not in kinds
                    or (outcomes is not None and attempt.outcome not in outcomes)
                    or attempt.id in used
                ):
                    continue
                found.append(attempt)
                used.add(attempt.id)
                if len(found) >= count:
                    break
    for found in matched:
        if len(found) > 1:
            found.sort(key=_by_day_then_id)
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
