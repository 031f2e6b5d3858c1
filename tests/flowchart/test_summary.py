"""The summary the services store on each episode says what deriving the flow chart would say."""

import datetime as dt

import pytest
from django.db.models import TextField
from django.db.models.functions import Cast

from flowchart import selectors, services
from flowchart.models import Episode
from flowchart.schedule import Requirement, Status, open_steps_from_record, summary_of
from tests.factories import CaseFactory, EpisodeFactory, parent_of

from .conftest import WORKING, at


def shown(summary) -> tuple:
    """What the lists show of a summary."""
    steps = [(s.step.id, s.due_on, s.status) for s in summary.open_steps]
    following = summary.next_step
    return summary.day_number, summary.ended_on, steps, following.step.id if following else None


def stored_and_derived(episode: Episode, today: dt.date) -> tuple[tuple, tuple]:
    episode.refresh_from_db()
    stored = selectors.episodes_summaries([episode], today)[episode.pk]
    derived = summary_of(selectors.episode_progress(episode, today))
    return shown(stored), shown(derived)


def test_a_summary_stored_on_day_1_holds_on_every_later_day(family, walk):
    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)
    assert episode.summary["on"] == "2026-11-02"
    for offset in range(0, 30):
        today = family.day1 + dt.timedelta(days=offset)
        stored, derived = stored_and_derived(episode, today)
        assert stored == derived, today
    # On day 6 the day-5 visit is overdue, and the day-6 call is due.
    day6 = walk.day(6)
    stored, _ = stored_and_derived(episode, day6)
    statuses = {status for _, _, status in stored[2]}
    assert stored[0] == 6 and {Status.OVERDUE, Status.DUE_TODAY, Status.UPCOMING} <= statuses


def test_each_record_made_through_the_services_stores_a_new_summary(family, walk):
    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)
    before = dict(episode.summary)
    for n, kind in ((1, "phone_call"), (2, "phone_call"), (3, "phone_call")):
        walk.to(at(walk.day(n), 11))
        walk.attempt(kind)
        for later in range(n, 16):
            stored, derived = stored_and_derived(episode, walk.day(later))
            assert stored == derived, (n, later)
    assert episode.summary["open"] != before["open"]
    # An attempt that does not change what is open leaves the stored summary as it was.
    unchanged = dict(episode.summary)
    walk.to(at(walk.day(3), 15))
    walk.attempt("letter")  # towards day 10's letter, whose window has not opened
    episode.refresh_from_db()
    assert episode.summary == unchanged


def test_the_family_engaging_ends_the_summary(family, walk):
    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)
    walk.to(at(walk.day(2), 10))
    walk.attempt("unannounced_visit", outcome="seen")
    episode.refresh_from_db()
    assert episode.ended_on is None and episode.summary["open"]  # seen, but nobody agreed yet
    walk.agree(parent_of(family.case))
    episode.refresh_from_db()
    assert episode.ended_on == walk.day(2)
    assert episode.summary["ended_on"] == walk.day(2).isoformat()
    assert episode.summary["open"] == []


def test_the_managers_steps_read_from_a_stored_summary_are_those_working_out_finds(family, walk):
    """Needs you reads only the oversight and decision steps of each stored summary
    (`open_steps_from_record` with `requirements`): the same steps, dates and statuses as
    working out the whole flow chart, on every day; none once the episode has ended; and the
    record is not read at all if it names a step its version lacks."""
    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)
    steps = {step.id: step for step in selectors.steps_for([episode.version_id])[episode.version_id]}
    manager = {Requirement.OVERSIGHT_RECORDED, Requirement.DECISION_MADE}
    seen = set()
    for offset in range(0, 25):
        today = family.day1 + dt.timedelta(days=offset)
        derived = summary_of(selectors.episode_progress(episode, today))
        theirs = [
            (s.step.id, s.due_on, s.status) for s in derived.open_steps if s.step.requirement in manager
        ]
        read = open_steps_from_record(episode.summary, steps, today, manager)
        assert [(s.step.id, s.due_on, s.status) for s in read] == theirs, today
        seen.update(status for _, _, status in theirs)
    assert seen == {Status.UPCOMING, Status.DUE_TODAY, Status.OVERDUE}
    [(first_step, _due), *_rest] = episode.summary["open"]
    lacking = {pk: step for pk, step in steps.items() if pk != first_step}
    assert open_steps_from_record(episode.summary, lacking, family.day1, manager) is None
    assert (
        open_steps_from_record({**episode.summary, "ended_on": "2026-11-03"}, steps, walk.day(5), manager)
        == []
    )


def test_a_summary_stored_later_than_the_day_asked_is_not_used(family, walk):
    walk.to(at(walk.day(8), 9))
    episode = EpisodeFactory(case=family.case)
    stored, derived = stored_and_derived(episode, walk.day(2))
    assert stored == derived
    assert stored[0] == 2


def test_the_lists_derive_episodes_with_no_summary_until_the_sweep_task_stores_one(family, walk):
    walk.to(at(walk.day(6), 9))
    episodes = [
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
        for _ in range(3)
    ]
    Episode.objects.update(summary={})
    today = walk.day(6)
    summaries = selectors.episodes_summaries(list(Episode.objects.all()), today)
    assert {pk: shown(s) for pk, s in summaries.items()} == {
        e.pk: shown(summary_of(selectors.episode_progress(e, today))) for e in episodes
    }
    walk.sweep()
    assert not Episode.objects.filter(summary={}).exists()
    for episode in episodes:
        stored, derived = stored_and_derived(episode, today)
        assert stored == derived


def test_filling_summaries_is_limited_per_run(family, walk):
    walk.to(at(family.day1, 9))
    for _ in range(3):
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    Episode.objects.update(summary={})
    assert services.episode_summaries_fill(limit=2) == 2
    assert Episode.objects.filter(summary={}).count() == 1
    assert services.episode_summaries_fill(limit=2) == 1
    assert services.episode_summaries_fill(limit=2) == 0


@pytest.mark.parametrize("working_days", [True, False])
def test_stored_summaries_agree_with_the_derived_ones_on_either_calendar(family, walk, working_days):
    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case, working_days=working_days)
    walk.to(at(WORKING.date_of_day(family.day1, 4), 10))
    walk.attempt("unannounced_visit")
    for offset in range(0, 25):
        today = family.day1 + dt.timedelta(days=offset)
        stored, derived = stored_and_derived(episode, today)
        assert stored == derived, today


def test_a_summary_left_behind_by_records_changed_outside_the_services_is_put_right(family, walk):
    from tests.factories import ContactAttemptFactory

    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)
    stored_on_day_1 = dict(episode.summary)
    walk.to(at(walk.day(2), 10))
    # Recorded without the refresh the services run: the stored summary still shows the day-1 call due.
    ContactAttemptFactory(case=family.case, kind="phone_call", occurred_at=at(walk.day(2), 10))
    episode.refresh_from_db()
    assert episode.summary == stored_on_day_1
    # The sweep finds the next due date out of date, puts it right and drops the summary; the
    # same task then stores one from the records.
    walk.to(at(walk.day(4), 9))
    walk.sweep()
    episode.refresh_from_db()
    assert episode.summary != stored_on_day_1
    stored, derived = stored_and_derived(episode, walk.day(4))
    assert stored == derived


def test_a_summary_read_as_text_is_decoded_anew_when_the_records_change_it(family, walk):
    """The lists decode each stored summary once per distinct text (`stored_summary`): the text
    read after an attempt is the new summary's, so the next read sees the change."""
    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)

    def read():
        text = Episode.objects.filter(pk=episode.pk).annotate(text=Cast("summary", TextField())).get().text
        return selectors.stored_summary(text)

    first = read()
    assert first == Episode.objects.get(pk=episode.pk).summary
    assert read() is first  # decoded once
    walk.to(at(walk.day(1), 11))
    walk.attempt("phone_call")
    after = read()
    assert after == Episode.objects.get(pk=episode.pk).summary
    assert after["open"] != first["open"]
    assert selectors.stored_summary(None) == {} and selectors.stored_summary("") == {}


def _columns_agree(episode: Episode) -> dict:
    """The episode's generated columns, checked against the summary they are worked out from."""
    row = Episode.objects.values("summary", "oversight_due", "decision_due", "summary_on").get(pk=episode.pk)
    summary = row["summary"]
    assert row["oversight_due"] == (summary.get("oversight") or [None])[0]
    assert row["decision_due"] == (summary.get("decision") or [None])[0]
    assert row["summary_on"] == (summary.get("on") if "decision" in summary else None)
    return row


def test_the_summarys_columns_follow_every_writer_of_the_summary(family, walk):
    """ "Needs you" compares the manager's due dates in columns the database works out from the
    summary: whichever way the summary is written (the services after a record, the fill of
    missing ones, the sweep's own UPDATE when it puts one right, or emptied), they say what it says.
    """
    from tests.factories import ContactAttemptFactory

    walk.to(at(family.day1, 9))
    episode = EpisodeFactory(case=family.case)  # through the services
    row = _columns_agree(episode)
    assert row["oversight_due"] and row["decision_due"] and row["summary_on"] == "2026-11-02"
    walk.to(at(walk.day(2), 10))
    walk.attempt("phone_call")
    _columns_agree(episode)

    Episode.objects.filter(pk=episode.pk).update(summary={})
    row = _columns_agree(episode)
    assert row["oversight_due"] is row["decision_due"] is row["summary_on"] is None
    assert services.episode_summaries_fill(limit=5) == 1
    assert _columns_agree(episode)["summary_on"] == "2026-11-03"

    # A summary from before the manager's due dates were kept says nothing of them.
    without = {key: value for key, value in episode.summary.items() if key != "decision"}
    Episode.objects.filter(pk=episode.pk).update(summary=without)
    assert _columns_agree(episode)["summary_on"] is None

    # Records changed outside the services: the sweep puts the summary right with its own UPDATE.
    walk.to(at(walk.day(3), 10))
    services.episode_summaries_fill(limit=5)
    ContactAttemptFactory(case=family.case, kind="phone_call", occurred_at=at(walk.day(3), 10))
    walk.to(at(walk.day(4), 9))
    before = _columns_agree(episode)
    walk.sweep()
    after = _columns_agree(episode)
    assert after["summary"] != before["summary"] and after["summary_on"] == "2026-11-05"
