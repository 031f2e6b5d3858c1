"""The sweep's plan of what to send, worked out from plain values without the database.

No `db` fixture: a query or a write in `reminders_plan` would fail these tests.
"""

import datetime as dt

from cases.calendar import Calendar
from flowchart.models import FlowchartSettings
from flowchart.schedule import DueNow, Status, StepProgress, StepSpec
from flowchart.selectors import DueEpisode
from flowchart.services import SweepPlan, reminders_plan

TODAY = dt.date(2026, 11, 12)  # a Thursday
CALL = StepSpec(id=11, order=2, day=2, timing="on", title="Phone call", attempt_kinds=("phone_call",))
VISIT = StepSpec(id=12, order=5, day=8, timing="on", title="Unannounced visit")
OVERSIGHT = StepSpec(
    id=13,
    order=7,
    day=9,
    timing="on",
    title="Management oversight",
    requirement="oversight_recorded",
    responsible="line_manager",
    guidance="Record the discussion and the actions agreed.",
)


def _step(spec: StepSpec, due_on: dt.date, status: Status) -> StepProgress:
    return StepProgress(step=spec, due_on=due_on, counts_from=due_on, status=status)


def _episode(pk: int, schedule: DueNow, *, next_due_on=None, manager_id: int | None = 50) -> DueEpisode:
    return DueEpisode(
        id=pk,
        case_id=100 + pk,
        reference=f"EH-{pk}",
        lead_id=7,
        lead_name="Priya Patel",
        manager_id=manager_id,
        next_due_on=schedule.next_due_on if next_due_on is None else next_due_on,
        schedule=schedule,
    )


def _plan(episodes, escalated=frozenset(), *, escalate_after_days=1) -> SweepPlan:
    settings = FlowchartSettings(escalate_overdue_steps=True, escalate_after_days=escalate_after_days)
    return reminders_plan(
        episodes=episodes, escalated=escalated, today=TODAY, settings=settings, calendar=Calendar()
    )


def test_the_plan_words_the_managers_step_the_escalation_and_one_digest_per_lead():
    overdue_since = dt.date(2026, 11, 10)
    schedule = DueNow(
        ended_on=None,
        end_reason="",
        next_due_on=overdue_since,
        due=(_step(OVERSIGHT, TODAY, Status.DUE_TODAY), _step(CALL, overdue_since, Status.OVERDUE)),
    )
    plan = _plan([_episode(1, schedule), _episode(2, schedule)])

    by_key = {o.key: o for o in plan.outgoing}
    assert set(by_key) == {
        f"step:1:13:{TODAY}:50",
        f"step:2:13:{TODAY}:50",
        "escalate:1:11:50",
        "escalate:2:11:50",
        f"digest:{TODAY}:7",
    }
    due = by_key[f"step:1:13:{TODAY}:50"]
    assert (due.recipient_id, due.kind, due.case_id) == (50, "step_due", 101)
    assert due.body.endswith("Record the discussion and the actions agreed.")
    escalation = by_key["escalate:1:11:50"]
    assert escalation.is_escalation and escalation.kind == "step_overdue"
    assert "was due on 10 November 2026" in escalation.body and "Responsible: Priya Patel" in escalation.body
    digest = by_key[f"digest:{TODAY}:7"]
    # The lead's digest has their overdue call; the manager's step is theirs, not the lead's.
    assert digest.subject == "Flow chart: 2 steps due or overdue today"
    assert digest.body.splitlines()[2:] == [
        "- EH-1: Phone call (overdue since 10 Nov)",
        "- EH-2: Phone call (overdue since 10 Nov)",
    ]
    assert plan.put_right == ()


def test_an_escalation_already_recorded_or_not_yet_due_is_left_out():
    yesterday = dt.date(2026, 11, 11)
    schedule = DueNow(None, "", yesterday, (_step(CALL, yesterday, Status.OVERDUE),))
    keys = {o.key for o in _plan([_episode(1, schedule)], escalated={"escalate:1:11:50"}).outgoing}
    assert keys == {f"digest:{TODAY}:7"}
    keys = {o.key for o in _plan([_episode(1, schedule)], escalate_after_days=2).outgoing}
    assert keys == {f"digest:{TODAY}:7"}


def test_a_case_without_a_line_manager_still_has_its_digest():
    schedule = DueNow(
        None, "", TODAY, (_step(OVERSIGHT, TODAY, Status.DUE_TODAY), _step(VISIT, TODAY, Status.DUE_TODAY))
    )
    plan = _plan([_episode(1, schedule, manager_id=None)])
    assert [o.key for o in plan.outgoing] == [f"digest:{TODAY}:7"]
    assert plan.outgoing[0].body.endswith("- EH-1: Unannounced visit (due 12 Nov)")


def test_an_episode_out_of_date_is_put_right_and_one_that_ended_is_reminded_of_nothing():
    ended = DueNow(dt.date(2026, 11, 11), "engaged", None, ())
    moved = DueNow(None, "", TODAY, (_step(VISIT, TODAY, Status.DUE_TODAY),))
    current = DueNow(None, "", TODAY, (_step(VISIT, TODAY, Status.DUE_TODAY),))
    episodes = [
        _episode(1, ended, next_due_on=dt.date(2026, 11, 11)),
        _episode(2, moved, next_due_on=dt.date(2026, 11, 11)),
        _episode(3, current),
    ]
    plan = _plan(episodes)
    assert [e.id for e in plan.put_right] == [1, 2]
    (digest,) = plan.outgoing
    assert digest.body.splitlines()[2:] == [
        "- EH-2: Unannounced visit (due 12 Nov)",
        "- EH-3: Unannounced visit (due 12 Nov)",
    ]


def test_nothing_due_plans_nothing():
    assert _plan([]) == SweepPlan(outgoing=(), put_right=())
