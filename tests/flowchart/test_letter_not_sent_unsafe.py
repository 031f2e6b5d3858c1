"""A day-10 letter the manager refused as unsafe: its step is closed, never overdue, and the
reminder sweep of the following days neither reminds nor escalates it (issue 17)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import SafeContact
from cases.notifications import Notification, NotificationKind
from engagement.documents import services as letters
from engagement.documents.models import LetterStep
from flowchart import selectors
from flowchart.models import Episode
from flowchart.schedule import Status
from tests.factories import AdultFactory, CaseFactory, EpisodeFactory

from .conftest import at

LETTER_STEP = 10  # "Send a letter asking the family to make contact within 5 days"
LETTER_TITLE = "Send a letter asking the family to make contact within 5 days"


def _refuse_the_day_10_letter(family, walk, case=None):
    case = case or family.case
    mother = AdultFactory(
        case=case,
        full_name="Siobhan Walsh",
        domestic_abuse_concern=True,
        safe_contact=[SafeContact.PHONE_ONLY, SafeContact.NO_LETTERS],
    )
    letter = letters.letter_draft(case=case, by=family.lead, step=LetterStep.DAY_10, recipient=mother)
    letter = letters.letter_update(
        letter=letter, by=family.lead, address="7 Mill Lane", subject=letter.subject, body="Please ring me."
    )
    letter = letters.letter_send(letter=letter, by=family.lead)
    with walk.committed():
        letters.letter_decide(
            letter=letter,
            by=family.manager,
            approve=False,
            notes="Her partner opens the post: ring her own mobile instead.",
        )
    return letter


def test_a_refused_day_10_letter_closes_its_step_and_no_escalation_follows(family, walk):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us within
    5 days if they require support (if DV ensure your letter would not increase risk)".

    Refused on day 10 after the morning sweep; the sweeps of days 11 to 15 say nothing of the letter step: no digest
    line, no overdue reminder to the manager. The step is "not sent: unsafe" every day."""
    episode = EpisodeFactory(case=family.case)
    walk.to(at(walk.day(10), 9))
    walk.sweep()
    walk.to(at(walk.day(10), 10))
    _refuse_the_day_10_letter(family, walk)
    for n in range(11, 16):
        walk.to(at(walk.day(n), 9))
        walk.sweep()
        progress = selectors.episode_progress(episode)
        step = next(s for s in progress.steps if s.step.order == LETTER_STEP)
        assert step.status == Status.NOT_SENT_UNSAFE, n
        assert step.status_label == "Not sent: unsafe (manager's decision)"
        assert step not in progress.overdue
        due = {d.id: d for d in selectors.due_episodes(today=walk.day(n))}
        if episode.pk in due:
            assert LETTER_STEP not in [s.step.order for s in due[episode.pk].schedule.due], n
    after = Notification.objects.filter(created_at__gte=at(walk.day(10), 10))
    told = after.filter(case=family.case) | after.filter(kind=NotificationKind.DIGEST)
    assert told.filter(kind__in=("step_overdue", "digest")).exists()  # the other steps are owed
    # The morning of day 10, before the refusal, the digest said it was due: from then on, nothing.
    assert Notification.objects.filter(kind=NotificationKind.DIGEST, body__contains=LETTER_TITLE).count() == 1
    for notification in told:
        assert LETTER_TITLE not in notification.subject + notification.body, notification.subject
    assert (
        Notification.objects.filter(kind=NotificationKind.LETTER_REFUSED, recipient=family.lead).count() == 1
    )


def test_the_sweep_reads_refused_letters_in_the_queries_it_read_before(family, walk):
    """The refused letters are read with the steps recorded not possible, in one query: the sweep's
    reads stay the same in number with one refused letter or many."""
    walk.to(at(walk.day(10), 8))
    EpisodeFactory(case=family.case)
    walk.to(at(walk.day(11), 9))
    with CaptureQueriesContext(connection) as none:
        selectors.due_episodes(today=walk.day(11))
    walk.to(at(walk.day(10), 10))
    for _ in range(5):
        case = CaseFactory(lead_practitioner=family.lead, referral_date=family.day1)
        EpisodeFactory(case=case)
        _refuse_the_day_10_letter(family, walk, case=case)
    walk.to(at(walk.day(11), 9))
    with CaptureQueriesContext(connection) as many:
        due = selectors.due_episodes(today=walk.day(11))
    assert len(many.captured_queries) == len(none.captured_queries)
    closed = [d for d in due if d.case_id != family.case.pk]
    assert len(closed) == 5
    assert all(LETTER_STEP not in [s.step.order for s in d.schedule.due] for d in closed)
    mine = next(d for d in due if d.case_id == family.case.pk)
    assert LETTER_STEP in [s.step.order for s in mine.schedule.due]  # no letter refused: still owed

    ids = [d.id for d in due]
    episodes = list(Episode.objects.filter(pk__in=ids))
    records = selectors.records_for(episodes)
    refused_on = dt.date(2026, 11, 13)
    assert sum(bool(r.not_sent_unsafe) for r in records.values()) == 5
    assert all(set(r.not_sent_unsafe.values()) <= {refused_on} for r in records.values())
