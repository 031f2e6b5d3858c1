"""The pure schedule: statuses derived from plain records, no database."""

import datetime as dt

from cases.calendar import Calendar
from flowchart.pathways import KNOWSLEY_STEPS
from flowchart.schedule import AttemptRecord, Records, Requirement, Status, StepSpec, progress

D = dt.date
WORKING = Calendar()
DAY1 = D(2026, 11, 2)  # a Monday: day N is the Nth working day from here
STEPS = [
    StepSpec(
        id=order,
        order=order,
        day=day,
        timing=timing,
        title=title,
        requirement=requirement,
        attempt_kinds=tuple(kinds),
        attempt_count=count,
        responsible=responsible,
    )
    for order, (day, timing, title, requirement, kinds, count, responsible, _) in enumerate(KNOWSLEY_STEPS, 1)
]


def day(n: int) -> dt.date:
    return WORKING.date_of_day(DAY1, n)


def attempts(*items):
    return tuple(
        AttemptRecord(id=i, on=on, kind=kind, outcome=outcome)
        for i, (on, kind, outcome) in enumerate(items, 1)
    )


def by_title(result):
    return {s.step.title: s for s in result.steps}


def test_on_day_one_only_the_referral_is_done_and_the_first_call_is_upcoming():
    result = progress(STEPS, DAY1, WORKING, Records(), DAY1)
    assert result.steps[0].status == Status.DONE
    assert result.steps[1].status == Status.UPCOMING
    assert result.steps[1].due_on == day(2)  # "before day 3" means by the end of day 2
    assert result.day_number == 1
    assert result.next_due_on == day(2)


def test_a_missed_call_is_overdue_the_day_after_its_last_day():
    result = progress(STEPS, DAY1, WORKING, Records(), day(3))
    assert result.steps[1].status == Status.OVERDUE
    assert result.next_due_on == day(2)
    assert result.next_step.step.order == 2


def test_each_attempt_counts_for_one_step_only_and_partial_progress_shows():
    records = Records(
        attempts=attempts(
            (day(1), "phone_call", "no_answer"),
            (day(2), "phone_call", "no_answer"),
            (day(3), "phone_call", "message_left"),
        )
    )
    steps = progress(STEPS, DAY1, WORKING, records, day(3)).steps
    assert steps[1].status == Status.DONE and steps[1].attempt_ids == (1,)
    assert steps[2].status == Status.UPCOMING
    assert (steps[2].made, steps[2].required) == (2, 3)


def test_an_attempt_before_an_on_day_step_does_not_count_for_it():
    records = Records(attempts=attempts((day(2), "unannounced_visit", "not_at_home")))
    visit = progress(STEPS, DAY1, WORKING, records, day(5)).steps[4]
    assert visit.status == Status.DUE_TODAY
    assert visit.made == 0


def test_a_late_attempt_still_counts_and_shows_as_late():
    calls = [(day(n), "phone_call", "no_answer") for n in (3, 3, 4, 6, 6)]
    steps = progress(STEPS, DAY1, WORKING, Records(attempts=attempts(*calls)), day(6)).steps
    # Attempts count on time first: days 3-4 are the three further calls, one day-6 call is the
    # reminder call, and the other day-6 call makes up the first call, late.
    assert steps[2].attempt_ids == (1, 2, 3) and not steps[2].done_late
    assert steps[5].attempt_ids == (4,) and steps[5].status == Status.DONE
    assert steps[1].attempt_ids == (5,) and steps[1].status == Status.DONE and steps[1].done_late


def test_outcomes_can_be_required():
    step = StepSpec(
        order=1,
        day=3,
        timing="by",
        title="Speak to the referrer",
        attempt_kinds=("liaison",),
        attempt_outcomes=("discussed",),
    )
    records = Records(attempts=attempts((DAY1, "liaison", "no_answer"), (day(2), "liaison", "discussed")))
    result = progress([step], DAY1, WORKING, records, day(3)).steps[0]
    assert result.status == Status.DONE and result.attempt_ids == (2,)


def test_a_parent_agreeing_ends_the_episode_what_was_overdue_is_missed_the_rest_not_needed():
    """Knowsley 000, Appendix 4: the steps are "the minimum attempts to engage the parent"; the
    episode ends when a parent or carer agrees to work with us (the "engaged" milestone)."""
    records = Records(
        attempts=attempts((day(1), "phone_call", "no_answer"), (day(6), "phone_call", "spoke")),
        milestones={"engaged": day(6)},
    )
    result = progress(STEPS, DAY1, WORKING, records, day(9))
    assert result.ended_on == day(6)
    assert result.end_reason == "engaged"
    statuses = by_title(result)
    assert statuses["Telephone to remind the family of the next visit"].status == Status.DONE
    assert (
        statuses["Second home visit at the time given in the letter; leave contact details"].status
        == Status.NOT_NEEDED
    )
    # Due before day 5 and not done when the episode ended on day 6: kept as missed.
    assert statuses["Three further telephone calls to arrange a visit"].status == Status.MISSED
    assert result.next_due_on is None


def test_speaking_with_the_family_without_an_agreement_leaves_the_episode_running():
    """Contact is not engagement: a call where a parent spoke but did not agree ends nothing."""
    records = Records(attempts=attempts((day(1), "phone_call", "no_answer"), (day(6), "phone_call", "spoke")))
    result = progress(STEPS, DAY1, WORKING, records, day(9))
    assert result.ended_on is None
    assert by_title(result)["Three further telephone calls to arrange a visit"].status == Status.OVERDUE


def test_speaking_to_the_referrer_is_not_the_family_engaging():
    records = Records(attempts=attempts((day(2), "liaison", "spoke")))
    assert progress(STEPS, DAY1, WORKING, records, day(3)).ended_on is None


def test_record_steps_are_done_by_their_milestones():
    records = Records(
        milestones={
            Requirement.FERA_COMPLETED: day(12),
            Requirement.MANAGER_INFORMED: day(13),
            Requirement.OVERSIGHT_RECORDED: day(13),
        }
    )
    statuses = by_title(progress(STEPS, DAY1, WORKING, records, day(14)))
    assert statuses["Complete the Family Engagement Risk Assessment"].done_on == day(12)
    assert statuses["Inform your manager of the non-engagement"].status == Status.DONE
    assert statuses["Manager records the discussion as management oversight"].status == Status.DONE
    decision = statuses["Agree next steps: step up, step down, close, or continue with a review date"]
    assert decision.status == Status.UPCOMING and decision.due_on == day(15)


def test_an_escalation_to_the_mash_ends_it_on_that_day():
    records = Records(milestones={"escalated": day(4)})
    result = progress(STEPS, DAY1, WORKING, records, day(6))
    assert (result.ended_on, result.end_reason) == (day(4), "escalated")
    # History is kept: what was overdue on day 4 stays missed; only steps not yet due are not needed.
    for step in result.steps[1:]:
        expected = Status.MISSED if step.due_on < day(4) else Status.NOT_NEEDED
        assert step.status == expected, step.step.title
    assert Status.MISSED in {s.status for s in result.steps}


def test_working_days_skip_christmas_and_new_year():
    result = progress(STEPS, D(2026, 12, 17), WORKING, Records(), D(2026, 12, 17))
    due = {s.step.order: s.due_on for s in result.steps}
    assert due[5] == D(2026, 12, 23)  # day 5: first unannounced visit
    assert due[7] == D(2026, 12, 29)  # day 7: after Christmas Day and the Boxing Day substitute
    assert due[9] == D(2027, 1, 4)  # day 10: after New Year's Day
    assert due[15] == D(2027, 1, 11)  # day 15: the decision


def test_calendar_days_count_every_day():
    result = progress(STEPS, D(2026, 12, 17), Calendar(working_days=False), Records(), D(2026, 12, 17))
    assert result.steps[-1].due_on == D(2026, 12, 31)


def test_nothing_recorded_after_today_counts():
    records = Records(attempts=attempts((day(5), "phone_call", "spoke")))
    result = progress(STEPS, DAY1, WORKING, records, day(3))
    assert result.ended_on is None
