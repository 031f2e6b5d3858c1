"""The sweep reads the summary it checked on an earlier morning while the episode's records still
match it, and works out again every episode whose records changed, however they changed."""

import datetime as dt
import random

from flowchart import selectors, services
from flowchart.models import ClosureDay, Episode
from tests.factories import CaseFactory, ContactAttemptFactory, EngagementAgreementFactory, EpisodeFactory

from .conftest import at
from .test_sweep_scale import _due_families


def _found(due) -> dict:
    return {
        d.id: (
            d.schedule.ended_on,
            d.schedule.next_due_on,
            [(s.step.id, s.status, s.due_on) for s in d.schedule.due],
        )
        for d in due
    }


def test_the_next_morning_reads_the_checked_summaries_and_finds_what_working_out_finds(family, walk):
    rng = random.Random(12)
    walk.to(at(walk.day(6), 7))
    _due_families(family, 40, rng, walk.day(6))  # no attempt dated after today
    walk.to(at(walk.day(6), 9))
    with walk.committed():
        services.reminders_sweep()
    walk.to(at(walk.day(7), 9))
    checked = {pk for pk, summary in Episode.objects.values_list("pk", "summary") if summary.get("records")}
    read = selectors.due_episodes(today=walk.day(7))
    assert len(read) > 20 and len(checked) > len(read) // 2
    # Every one the sweep checked yesterday is read from its summary; those not due then, or put
    # right, are worked out.
    assert {d.id for d in read if d.checked is None} == checked
    Episode.objects.update(summary={})  # nothing stored: every one worked out from its records
    worked_out = selectors.due_episodes(today=walk.day(7))
    assert all(d.checked is not None for d in worked_out)
    assert _found(read) == _found(worked_out)


def test_records_changed_outside_the_services_after_a_sweep_are_worked_out_again(family, walk):
    walk.to(at(walk.day(1), 10))
    episodes = [
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
        for _ in range(3)
    ]
    walk.to(at(walk.day(2), 9))
    with walk.committed():
        services.reminders_sweep()
    assert all(Episode.objects.get(pk=e.pk).summary.get("records") for e in episodes)
    # Recorded without telling the flow chart, after the sweep checked each summary: one family's
    # mother agreed to work with us, another family's day-2 call was made.
    walk.to(at(walk.day(2), 10))
    EngagementAgreementFactory(case=episodes[0].case)
    ContactAttemptFactory(case=episodes[1].case, kind="phone_call")
    walk.to(at(walk.day(3), 9))
    due = {d.id: d for d in selectors.due_episodes(today=walk.day(3))}
    assert due[episodes[0].pk].checked is not None and due[episodes[1].pk].checked is not None
    assert due[episodes[2].pk].checked is None  # nothing changed: read from its summary
    with walk.committed():
        services.reminders_sweep()
    ended = Episode.objects.get(pk=episodes[0].pk)
    assert ended.ended_on == walk.day(2) and ended.end_reason == "engaged"
    moved = Episode.objects.get(pk=episodes[1].pk)
    assert moved.next_due_on == selectors.episode_progress(moved, walk.day(3)).next_due_on

    # A closure day added moves due dates for every family: each is worked out again.
    ClosureDay.objects.create(date=walk.day(6), reason="Council closure day")
    walk.to(at(walk.day(4), 9))
    due = selectors.due_episodes(today=walk.day(4))
    assert due and all(d.checked is not None for d in due)
    for d in due:
        episode = Episode.objects.get(pk=d.id)
        assert d.schedule.next_due_on == selectors.episode_progress(episode, walk.day(4)).next_due_on


def test_a_summary_checked_on_a_later_day_is_not_read_for_an_earlier_one(family, walk):
    walk.to(at(walk.day(1), 10))
    episode = EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    walk.to(at(walk.day(4), 9))
    with walk.committed():
        services.reminders_sweep()
    assert Episode.objects.get(pk=episode.pk).summary["on"] == walk.day(4).isoformat()
    due = {d.id: d for d in selectors.due_episodes(today=walk.day(3))}
    assert due[episode.pk].checked is not None
    assert due[episode.pk].schedule.due[0].due_on <= walk.day(3) < dt.date(2026, 12, 31)


def test_a_summary_the_services_stored_while_the_sweep_ran_is_not_overwritten(family, walk):
    walk.to(at(walk.day(1), 10))
    episode = EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    walk.to(at(walk.day(2), 9))
    due = selectors.due_episodes(today=walk.day(2))
    assert [d.id for d in due if d.checked is not None] == [episode.pk]
    # While the sweep works: the day-2 call is recorded through the services, which store the
    # summary it leads to.
    walk.attempt("phone_call", case=episode.case)
    by_the_services = Episode.objects.get(pk=episode.pk).summary
    services.sweep._summaries_store(due, put_right=())
    assert Episode.objects.get(pk=episode.pk).summary == by_the_services
