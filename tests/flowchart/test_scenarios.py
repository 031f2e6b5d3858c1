"""Cases walked day by day through the whole flow chart, with the sweep running as the beat runs it."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from cases.models import CaseStatus
from cases.notifications import Notification
from flowchart import services
from flowchart.schedule import Status
from flowchart.services import Considered
from tests.factories import CaseFactory, parent_of
from tests.factories.riskassessment import AssessmentFactory

from .conftest import at

# What a diligent practitioner does on each flow-chart day when nobody answers.
DILIGENT = {
    1: ["phone_call"],
    2: ["phone_call", "liaison"],
    3: ["phone_call"],
    4: ["phone_call"],
    5: ["unannounced_visit"],
    6: ["phone_call"],
    7: ["announced_visit"],
    8: ["liaison"],
    10: ["unannounced_visit", "letter"],
    12: ["liaison"],
}
NO_ANSWER = {"phone_call": "no_answer", "liaison": "discussed", "letter": "letter_sent"}


def fera_submitted(case, by):
    return AssessmentFactory(
        case=case, status="submitted", submitted_at=timezone.now(), submitted_by=by, elevated_risk=False
    )


def statuses(episode):
    from flowchart.selectors import episode_progress

    return {s.step.order: s.status for s in episode_progress(episode).steps}


def test_a_family_never_reached_walks_the_whole_chart_to_a_decision(family, walk):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    digests_by_day = {}
    for n in range(1, 16):
        today = walk.day(n)
        walk.to(at(today, 9))
        walk.sweep()
        walk.to(at(today, 11))
        for kind in DILIGENT.get(n, []):
            walk.attempt(kind, NO_ANSWER.get(kind, "not_at_home"))
        if n == 12:
            fera_submitted(family.case, family.lead)
            services.case_flowchart_refresh(case=family.case)
        if n == 13:
            services.manager_inform(
                case=family.case,
                by=family.lead,
                strategies_tried="Calls at different times, three visits, two letters, the school.",
                fera_outcome="Risks outweigh protective factors while we cannot see the children.",
                risk_increased="yes",
            )
            walk.to(at(today, 15))
            services.oversight_record(
                case=family.case,
                by=family.manager,
                discussion="Discussed in supervision. Non-engagement raises the risk.",
                risk_raised="yes",
                actions=[
                    {"what": "Ring the MASH", "who": "Morgan", "by_when": today, "review_on": today},
                ],
            )
        if n == 15:
            services.decision_record(
                case=family.case,
                by=family.manager,
                outcome="step_up",
                reasons="Children not seen for three weeks; risk raised.",
                considered=Considered(mash_referral="yes", multi_agency_meeting="yes", level_two="no"),
            )
        walk.to(at(today, 17))
        walk.sweep()  # a second run the same day sends nothing new
        digests_by_day[n] = len([m for m in walk.mail_to(family.lead) if "due or overdue" in m.subject])
        if n < 15:
            episode.refresh_from_db()
            assert all(s != Status.OVERDUE for s in statuses(episode).values()), f"overdue on day {n}"

    episode.refresh_from_db()
    family.case.refresh_from_db()
    assert (episode.end_reason, episode.ended_on) == ("decided", walk.day(15))
    assert family.case.status == CaseStatus.STEPPED_UP and family.case.closed_on == walk.day(15)
    assert set(statuses(episode).values()) == {Status.DONE}
    # Nothing was missed, so nothing escalated to the manager.
    assert walk.mail_to(family.manager, escalations_only=True) == []
    # One digest a day at most, and only on days with something due.
    counts = list(digests_by_day.values())
    assert all(b - a in (0, 1) for a, b in zip([0, *counts], counts, strict=False))
    assert counts[-1] >= 5
    # The manager was reminded of the decision on the morning of day 15.
    assert any("due today" in m.subject for m in walk.mail_to(family.manager))


def test_a_family_reached_on_day_6_ends_the_chart_when_the_mother_agrees(family, walk):
    """Knowsley 000, Appendix 4: the flow chart lists "the minimum attempts to engage the parent";
    it ends when a parent agrees to work with us, not when someone answers the phone."""
    mother = parent_of(family.case)
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    for n in range(1, 6):
        walk.to(at(walk.day(n), 11))
        for kind in DILIGENT.get(n, []):
            walk.attempt(kind, NO_ANSWER.get(kind, "not_at_home"))
    walk.to(at(walk.day(6), 11))
    walk.attempt("phone_call", "spoke")
    episode.refresh_from_db()
    assert episode.ended_on is None  # contact alone: still running
    walk.agree(mother)

    episode.refresh_from_db()
    family.case.refresh_from_db()
    assert (episode.end_reason, episode.ended_on, episode.next_due_on) == ("engaged", walk.day(6), None)
    assert family.case.status == CaseStatus.ENGAGED
    by_order = statuses(episode)
    assert by_order[6] == Status.DONE  # the day-6 call that reached them
    assert {by_order[n] for n in range(7, 16)} == {Status.NOT_NEEDED}

    mail.outbox.clear()
    for n in range(7, 17):
        walk.to(at(walk.day(n), 9))
        walk.sweep()
    assert mail.outbox == []


def test_a_case_starting_on_17_december_counts_working_days_over_christmas(pathways, walk, family):
    case = CaseFactory(lead_practitioner=family.lead, referral_date=dt.date(2026, 12, 17))
    walk.to(at(dt.date(2026, 12, 17), 9))
    episode = services.episode_start(case=case, by=family.lead)
    from flowchart.selectors import episode_progress

    due = {s.step.order: s.due_on for s in episode_progress(episode).steps}
    assert due[2] == dt.date(2026, 12, 18)  # before day 3
    assert due[5] == dt.date(2026, 12, 23)  # day 5 visit
    assert due[6] == dt.date(2026, 12, 24)  # day 6 call
    assert due[7] == dt.date(2026, 12, 29)  # day 7: Christmas and the Boxing Day substitute skipped
    assert due[9] == dt.date(2027, 1, 4)  # day 10: New Year's Day skipped
    assert due[15] == dt.date(2027, 1, 11)  # day 15 decision

    # The practitioner does nothing: nobody is emailed on the bank holidays or the weekend.
    sent_on = {}
    day = dt.date(2026, 12, 17)
    while day <= dt.date(2027, 1, 12):
        walk.to(at(day, 9, 5))
        before = len(mail.outbox)
        walk.sweep()
        sent_on[day] = len(mail.outbox) - before
        day += dt.timedelta(days=1)
    for holiday in (dt.date(2026, 12, 25), dt.date(2026, 12, 26), dt.date(2026, 12, 28), dt.date(2027, 1, 1)):
        assert sent_on[holiday] == 0
    assert sent_on[dt.date(2026, 12, 19)] == 0  # Saturday
    assert sent_on[dt.date(2026, 12, 29)] > 0  # back at work: day 7 is due, day 6 escalates
    # Every overdue step reached the manager exactly once.
    escalations = [n.key for n in Notification.objects.filter(recipient=family.manager, is_escalation=True)]
    assert (
        len(escalations)
        == len(set(escalations))
        == len(
            [s for s in episode_progress(episode, dt.date(2027, 1, 12)).steps if s.status == Status.OVERDUE]
        )
    )
    assert len(walk.mail_to(family.manager, escalations_only=True)) == len(escalations)


def test_an_immediate_safeguarding_concern_on_day_4_ends_the_chart_now(family, walk):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    for n in range(1, 4):
        walk.to(at(walk.day(n), 11))
        for kind in DILIGENT.get(n, []):
            walk.attempt(kind, NO_ANSWER.get(kind, "not_at_home"))
    walk.to(at(walk.day(4), 10))
    mail.outbox.clear()
    with walk.committed():
        services.safeguarding_escalate(
            case=family.case,
            by=family.lead,
            concern="A neighbour heard a child screaming and a man shouting last night.",
            mash_contact="Rang the MASH at 09:50 and spoke to the duty social worker.",
            mash_reference="MASH-2026-1142",
        )
    episode.refresh_from_db()
    assert (episode.end_reason, episode.ended_on, episode.next_due_on) == ("escalated", walk.day(4), None)
    # The manager hears at once, not on day 15.
    told = walk.mail_to(family.manager)
    assert len(told) == 1 and "MASH" in told[0].subject
    assert {statuses(episode)[n] for n in [3, *range(5, 16)]} == {Status.NOT_NEEDED}
    for n in range(5, 17):
        walk.to(at(walk.day(n), 9))
        walk.sweep()
    assert len(mail.outbox) == 1


def test_a_missed_day_5_visit_escalates_to_the_manager_once_however_often_the_sweep_runs(family, walk):
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    for n in range(1, 5):
        walk.to(at(walk.day(n), 11))
        for kind in DILIGENT.get(n, []):
            walk.attempt(kind, NO_ANSWER.get(kind, "not_at_home"))
    walk.to(at(walk.day(5), 9))
    walk.sweep()
    digest = walk.mail_to(family.lead)[-1]
    assert "First unannounced home visit" in digest.body and "due" in digest.body
    # Day 5 passes with no visit. On day 6 the beat runs every 5 minutes, all day.
    start = at(walk.day(6), 0)
    for tick in range(24 * 12):
        walk.to(start + dt.timedelta(minutes=5 * tick))
        walk.sweep()
        if tick == 12 * 11:  # 11:00: the practitioner makes the day-6 call
            walk.attempt("phone_call")
    escalations = walk.mail_to(family.manager, escalations_only=True)
    assert len(escalations) == 1
    assert "First unannounced home visit" in escalations[0].subject
    assert len([m for m in walk.mail_to(family.lead) if m.subject.startswith("Flow chart")]) == 2  # days 5, 6
    # Still overdue the next morning: the manager is not told again.
    walk.to(at(walk.day(7), 9))
    walk.sweep()
    assert len(walk.mail_to(family.manager, escalations_only=True)) == 1
