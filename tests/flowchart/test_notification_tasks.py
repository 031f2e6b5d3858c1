"""Notifications that ask for a task are marked done when the task is done, by whoever does it;
they are never deleted, and the notifications page shows them as done, not "New" (issue 20:
"Notifications mark themselves done when the task they ask for is done").

The flow chart's tasks: the manager told of the non-engagement decides the next steps; a request
to close is answered; a decision not yet shared with the multi-agency meeting is shared.
"""

import datetime as dt

from django.urls import reverse

from cases.notifications import Notification, NotificationKind, NotificationTask
from flowchart import services
from flowchart.services import Considered
from tests.factories import AgencyMemberFactory, CaseMembershipFactory

from .conftest import at

ANSWERED = Considered(mash_referral="no", multi_agency_meeting="yes", level_two="yes")


def _of_kind(case, kind):
    return Notification.objects.filter(case=case, kind=kind)


def test_told_of_the_non_engagement_the_managers_notification_is_done_when_they_decide(family, walk, client):
    walk.to(at(walk.day(1), 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(12), 10))
    services.manager_inform(
        case=family.case,
        by=family.lead,
        strategies_tried="Calls, letters",
        fera_outcome="",
        risk_increased="no",
    )
    [told] = _of_kind(family.case, NotificationKind.MANAGER_INFORMED).filter(recipient=family.manager)
    assert (told.task, told.done_at) == (NotificationTask.DECIDE_NEXT_STEPS, None)
    client.force_login(family.manager)
    assert (
        '<strong class="govuk-tag govuk-tag--blue">New</strong>'
        in client.get(reverse("flowchart:notifications")).content.decode()
    )

    walk.to(at(walk.day(15), 10))
    services.decision_record(
        case=family.case, by=family.manager, outcome="step_down", reasons="Level 2.", considered=ANSWERED
    )
    told.refresh_from_db()
    assert told.done_at is not None
    client.force_login(family.manager)  # days later: signed in again
    html = client.get(reverse("flowchart:notifications")).content.decode()
    assert '<strong class="govuk-tag govuk-tag--green">Done</strong>' in html
    assert "govuk-tag--blue" not in html  # the only notification is no longer "New"
    assert "nothing more is needed from you" in html


def test_a_request_to_close_is_done_once_the_manager_answers_it(family, walk):
    walk.to(at(walk.day(1), 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 11))
    request = services.closure_request_make(case=family.case, by=family.lead, reason="No answer at all.")
    [asked] = _of_kind(family.case, NotificationKind.CLOSURE_REQUEST)
    assert (asked.task, asked.task_object_id, asked.done_at) == (
        NotificationTask.DECIDE_CLOSURE,
        request.pk,
        None,
    )
    services.closure_request_decide(request=request, by=family.manager, agree=False, reason="Too soon.")
    asked.refresh_from_db()
    assert asked.done_at is not None and asked.read_at is None  # done, though never opened
    assert _of_kind(family.case, NotificationKind.CLOSURE_REQUEST).count() == 1  # kept, not deleted


def test_the_chase_to_share_a_decision_is_done_when_it_is_shared_late(family, walk):
    member = AgencyMemberFactory(email="dsl@school.example")
    CaseMembershipFactory(case=family.case, user=member)
    walk.to(at(walk.day(1), 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(15), 10))
    decision = services.decision_record(
        case=family.case, by=family.manager, outcome="step_down", reasons="Level 2.", considered=ANSWERED
    )
    for day in (dt.date(2026, 11, 26), dt.date(2026, 11, 30)):  # reminded, then late
        walk.to(at(day, 9))
        walk.sweep()
    chased = Notification.objects.filter(
        case=family.case,
        kind__in=[NotificationKind.DECISION_SHARE_REMINDER, NotificationKind.DECISION_SHARE_OVERDUE],
    )
    assert chased.count() == 3 and not chased.filter(done_at__isnull=False).exists()
    assert {n.task for n in chased} == {NotificationTask.SHARE_DECISION}

    services.decision_share(decision=decision, by=family.lead)
    assert chased.count() == 3 and not chased.filter(done_at__isnull=True).exists()
    # What the share told the member asks nothing of them: it is not a task.
    [told] = _of_kind(family.case, NotificationKind.DECISION_SHARED)
    assert (told.task, told.done_at) == ("", None)


def test_a_steps_escalation_is_done_once_an_attempt_meets_the_step_and_leaves_needs_you(family, walk, client):
    """Knowsley's flow chart (seed 000): "Day 5 Carry out 1st unannounced home visit, leave a
    letter informing them of the date & time of your next visit". On day 6 that step is overdue;
    the sweep escalates a step overdue long enough to the line manager, whose "Needs you" lists it.
    When the records meet the step, its escalation is done (kept, shown as done) and leaves the
    queue; a step still owed keeps its escalation."""
    from insight.needs_you import selectors as needs_you
    from tests.factories import EpisodeFactory

    walk.to(at(walk.day(1), 8))
    EpisodeFactory(case=family.case)
    walk.to(at(walk.day(6), 9))
    walk.sweep()
    escalations = _of_kind(family.case, NotificationKind.STEP_OVERDUE).filter(recipient=family.manager)
    assert escalations.count() >= 2 and not escalations.filter(done_at__isnull=False).exists()

    def waiting():
        return {
            item.what
            for item in needs_you.needs_you(family.manager, walk.day(6))
            if item.kind == needs_you.ESCALATION
        }

    before = waiting()
    walk.to(at(walk.day(6), 11))
    walk.attempt("unannounced_visit", "not_at_home")  # meets the day-5 visit, late
    visit = [n for n in escalations.all() if "unannounced" in n.subject.lower()]
    assert visit and all(n.done_at is not None for n in visit)
    owed = [n for n in escalations.all() if n.done_at is None]
    assert owed, "a step still owed keeps its escalation"
    after = waiting()
    assert after == before - {n.subject for n in visit} and after
    assert Notification.objects.filter(pk__in=[n.pk for n in visit]).count() == len(visit)  # kept


def test_the_managers_oversight_reminders_are_done_once_they_record_it(family, walk):
    """Knowsley's flow chart (seed 000), day 13: "Inform Manager of non-engagement ... - Manager to
    record the discussion as Manager Oversight on child's record". The seeded pathway gives the
    manager's step its own day, "by day 14", after the practitioner's day-13 steps. The morning
    sweep tells the line manager the day it is due, and escalates it once overdue;
    recording the oversight marks both done, and leaves the other steps' escalations as they are."""
    from tests.factories import EpisodeFactory

    walk.to(at(walk.day(1), 8))
    EpisodeFactory(case=family.case)
    for day in range(10, 16):
        walk.to(at(walk.day(day), 9))
        walk.sweep()
    to_manager = Notification.objects.filter(case=family.case, recipient=family.manager)
    oversight = [n for n in to_manager if "management oversight" in n.subject]
    assert {n.kind for n in oversight} == {NotificationKind.STEP_DUE, NotificationKind.STEP_OVERDUE}
    assert all(n.done_at is None for n in to_manager)
    walk.to(at(walk.day(15), 10))
    services.oversight_record(
        case=family.case,
        by=family.manager,
        discussion="We agreed a joint visit with the school nurse.",
        risk_raised="no",
        actions=[
            {
                "what": "Joint visit with the school nurse",
                "who": "Priya Patel",
                "by_when": walk.day(15),
                "review_on": walk.day(15) + dt.timedelta(days=7),
            }
        ],
    )
    done = {n.pk for n in to_manager.filter(done_at__isnull=False)}
    assert done == {n.pk for n in oversight}
