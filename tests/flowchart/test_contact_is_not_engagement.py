"""Families walked through the flow chart where contact is made but nobody agrees to work with us.

Knowsley's flow chart (000, Appendix 4) is "the minimum attempts to engage the parent": it ends as
engaged only when a parent or carer agrees to work with the service. Seeing the child at school,
speaking with a professional, or speaking with a parent who declines leave it running.
"""

import pytest
from django.utils import timezone

from cases.notifications import Notification, NotificationKind
from engagement.services import ContactAttemptError, contact_attempt_record
from flowchart import selectors, services
from flowchart.schedule import Status
from flowchart.services import Considered
from tests.factories import parent_of

from .conftest import at

# Knowsley's steps by their order.
TEL_BEFORE_3, THREE_CALLS, DAY_8_REFERRER, DAY_10_VISIT, FERA, INFORM, OVERSIGHT, DECISION = (
    2,
    3,
    8,
    9,
    12,
    13,
    14,
    15,
)


@pytest.fixture
def mother(family):
    return parent_of(family.case, full_name="Siobhan Walsh", preferred_contact_method="phone")


def call(family, person, **kwargs):
    return contact_attempt_record(
        case=family.case,
        by=family.lead,
        kind=kwargs.pop("kind", "phone_call"),
        outcome=kwargs.pop("outcome", "spoke"),
        occurred_at=timezone.now(),
        with_person=person,
        **kwargs,
    )


def by_order(episode, on):
    return {s.step.order: s for s in selectors.episode_progress(episode, on).steps}


def test_a_hostile_refusal_by_phone_on_day_3_leaves_the_flow_chart_running(family, walk, mother):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(3), 11))
    call(family, mother, response="hostile", non_engagement_forms=["refusal", "hostility"])
    episode.refresh_from_db()
    family.case.refresh_from_db()
    assert episode.ended_on is None and family.case.status == "open"
    steps = by_order(episode, walk.day(3))
    for order in (FERA, INFORM, OVERSIGHT, DECISION):
        assert steps[order].status == Status.UPCOMING, steps[order].step.title
    # Still in the manager's oversight queue.
    assert [item.episode for item in selectors.oversight_queue(family.manager, walk.day(3))] == [episode]


def test_a_child_seen_alone_at_school_is_not_engagement(family, walk, mother):
    child = mother.relationships.get().child
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 12))
    call(
        family, child, kind="joint_visit", outcome="seen", child_seen="seen_alone", with_other="School nurse"
    )
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_a_liaison_call_is_not_engagement(family, walk):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 12))
    call(family, None, kind="liaison", with_other="Referrer, Oakfield Primary")
    episode.refresh_from_db()
    assert episode.ended_on is None


def test_a_parents_recorded_agreement_ends_the_chart_on_that_day(family, walk, mother):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(4), 16))
    call(family, mother, response="agreed", what_agreed="A home visit on day 6 at 10am")
    episode.refresh_from_db()
    assert (episode.ended_on, episode.end_reason) == (walk.day(4), "engaged")


def test_three_texts_to_a_parent_who_prefers_texts_meet_three_further_telephone_calls(family, walk):
    """Knowsley 000, section 9: "Telephone contact, including texting if preferred by family"."""
    texter = parent_of(family.case, preferred_contact_method="text")
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    texts = []
    for n in (1, 2, 3, 4):
        walk.to(at(walk.day(n), 10))
        texts.append(call(family, texter, kind="text_message", outcome="message_left"))
    steps = by_order(episode, walk.day(4))
    assert steps[TEL_BEFORE_3].status == Status.DONE
    assert steps[THREE_CALLS].status == Status.DONE
    # The step shows which attempts met it: the texts themselves.
    chart = selectors.case_flowchart(family.case, walk.day(4))
    met = next(s for s in chart.steps if s.step.order == THREE_CALLS)
    assert [a.pk for a in met.attempts] == [t.pk for t in texts[1:]]


def test_texts_to_a_parent_who_prefers_calls_do_not_meet_the_telephone_steps(family, walk, mother):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 10))
    call(family, mother, kind="text_message", outcome="message_left")
    assert by_order(episode, walk.day(2))[TEL_BEFORE_3].status == Status.DUE_TODAY


def test_day_8_recorded_as_not_possible_is_neither_overdue_nor_escalated(family, walk, mother):
    """Knowsley 000, Appendix 4, day 8: "Contact referrer or other practitioner if possible"."""
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(8), 15))
    with walk.committed():
        services.step_not_possible_record(
            case=family.case, by=family.lead, order=DAY_8_REFERRER, reason="The referrer has left the school."
        )
    for n in (9, 10):
        walk.to(at(walk.day(n), 9))
        walk.sweep()
    step = by_order(episode, walk.day(10))[DAY_8_REFERRER]
    assert step.status == Status.NOT_POSSIBLE
    assert not Notification.objects.filter(key__startswith=f"escalate:{episode.pk}:{step.step.id}:").exists()
    # The manager is told, and sees the reason on the case.
    assert (
        Notification.objects.filter(recipient=family.manager, kind=NotificationKind.STEP_NOT_POSSIBLE).count()
        == 1
    )
    chart = selectors.case_flowchart(family.case, walk.day(10))
    shown = next(s for s in chart.steps if s.step.order == DAY_8_REFERRER)
    assert shown.not_possible.reason == "The referrer has left the school."
    (item,) = selectors.oversight_queue(family.manager, walk.day(10))
    assert [r.reason for r in item.not_possible] == ["The referrer has left the school."]


def test_only_if_possible_steps_can_be_recorded_as_not_possible(family, walk):
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    with pytest.raises(services.FlowchartError, match="is not an 'if possible' step"):
        services.step_not_possible_record(
            case=family.case, by=family.lead, order=DAY_10_VISIT, reason="No time"
        )


def test_a_decision_after_a_missed_day_10_visit_leaves_that_step_missed(family, walk):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(15), 15))
    services.decision_record(
        case=family.case,
        by=family.manager,
        outcome="step_up",
        reasons="The children have not been seen for three weeks.",
        considered=Considered(mash_referral="yes", multi_agency_meeting="yes", level_two="no"),
    )
    for on in (walk.day(15), walk.day(30)):
        steps = by_order(episode, on)
        assert steps[DAY_10_VISIT].status == Status.MISSED
        assert steps[DAY_10_VISIT].due_on == walk.day(10)
        # Due on day 15 itself, so not yet overdue when the decision ended it: not needed.
        assert steps[DECISION].status == Status.DONE


def test_starting_again_makes_the_date_given_day_1(family, walk, mother):
    walk.to(at(family.day1, 9))
    first = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(3), 11))
    call(family, mother, response="agreed", what_agreed="Weekly visits on Tuesdays")
    first.refresh_from_db()
    assert first.end_reason == "engaged"
    restart_day = walk.day(20)
    walk.to(at(restart_day, 9))
    with pytest.raises(services.FlowchartError, match="Day 1 must be on or after"):
        services.episode_start(case=family.case, by=family.lead, day1=walk.day(2))
    again = services.episode_start(case=family.case, by=family.lead, day1=walk.day(18))
    assert again.day1 == walk.day(18)
    assert again.ended_on is None  # the agreement on day 3 belongs to the first run
    assert selectors.episode_progress(again, restart_day).day_number == 3
    chart = selectors.case_flowchart(family.case, restart_day)
    assert [e.pk for e in chart.episodes] == [again.pk, first.pk]


def test_starting_again_defaults_day_1_to_today(family, walk, mother):
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(3), 11))
    call(family, mother, response="agreed", what_agreed="Weekly visits on Tuesdays")
    walk.to(at(walk.day(12), 9))
    again = services.episode_start(case=family.case, by=family.lead)
    assert again.day1 == walk.day(12)


def test_every_attempt_shows_on_the_flow_chart_and_saving_says_what_it_counted_towards(family, walk, mother):
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(family.day1, 10))
    first = call(family, mother, outcome="no_answer")
    letter = call(family, mother, kind="letter", outcome="letter_sent")
    assert selectors.attempt_counted(first) == (
        "It counted towards the flow-chart step: Telephone the family to arrange a home visit."
    )
    assert "counted towards none" in selectors.attempt_counted(letter)
    chart = selectors.case_flowchart(family.case, family.day1)
    assert chart.also_recorded == [(family.day1, [letter])]


def test_only_a_parent_or_carer_can_agree_for_the_family(family, walk):
    grandfather = parent_of(family.case, kind="grandparent")
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    with pytest.raises(ContactAttemptError, match="only a parent or carer can agree"):
        call(family, grandfather, response="agreed", what_agreed="A visit")
