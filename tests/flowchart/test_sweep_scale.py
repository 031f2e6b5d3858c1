"""The sweep at scale: a fixed number of queries however many episodes are due, the same
reminders as working each episode out on its own, delivery handed over in chunks, once each."""

import datetime as dt
import random
from unittest import mock

from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import notifications
from cases.models import CaseStatus
from cases.notifications import Notification, NotificationKind
from cases.notifications import tasks as notification_tasks
from flowchart import selectors, services, tasks
from flowchart.models import Episode, SweepDay
from tests.factories import CaseFactory, ContactAttemptFactory, EngagementAgreementFactory, EpisodeFactory

from .conftest import LONDON, WORKING, at

KINDS = [
    "phone_call",
    "liaison",
    "unannounced_visit",
    "announced_visit",
    "letter",
    "joint_visit",
    "text_message",
]
OUTCOMES = ["no_answer", "not_at_home", "message_left", "letter_sent", "discussed"]


def _due_families(family, count: int, rng: random.Random, today: dt.date) -> list[Episode]:
    """Families at different days of the chart with attempts here and there: most have a step
    due or overdue on `today`, a few were reached by someone who spoke to them."""
    episodes = []
    for _ in range(count):
        day1 = WORKING.add(today, -rng.randint(0, 13))
        case = CaseFactory(lead_practitioner=family.lead, referral_date=day1)
        for _ in range(rng.randint(0, 9)):
            on = WORKING.add(day1, rng.randint(-1, max(0, WORKING.day_number(day1, today) - 1)))
            outcome = "spoke" if rng.random() < 0.02 else rng.choice(OUTCOMES)
            ContactAttemptFactory(
                case=case,
                kind=rng.choice(KINDS),
                outcome=outcome,
                occurred_at=dt.datetime.combine(
                    on, dt.time(rng.randint(7, 19), rng.randrange(60)), tzinfo=LONDON
                ),
            )
        episodes.append(EpisodeFactory(case=case))
    return episodes


def test_the_whole_sweep_makes_as_many_queries_for_200_due_episodes_as_for_one(
    family, walk, django_capture_on_commit_callbacks
):
    """The beat's task end to end: reading what is due, recording the reminders, and handing
    delivery to the workers after commit."""
    rng = random.Random(10)
    walk.to(at(walk.day(6), 7))  # families recorded before the morning's reminders
    EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    walk.to(at(walk.day(6), 9))
    with django_capture_on_commit_callbacks() as handed_over, CaptureQueriesContext(connection) as one:
        tasks.sweep()
    assert Notification.objects.filter(is_escalation=True).exists() and len(handed_over) == 1

    Notification.objects.all().delete()
    SweepDay.objects.all().delete()  # the day starts again: a full pass
    walk.to(at(walk.day(6), 7))
    _due_families(family, 199, rng, walk.day(6))
    walk.to(at(walk.day(6), 9))
    due = Episode.objects.filter(ended_on__isnull=True, next_due_on__lte=walk.day(6)).count()
    assert due >= 150
    # Varied schedules, as in life: started on many days, attempts here and there, so most
    # families' progress is worked out on its own rather than shared.
    schedules = {id(d.schedule) for d in selectors.due_episodes(today=walk.day(6))}
    assert len(schedules) > due // 2
    # However low the database's limit on parameters, the notifications go in one statement.
    with (
        mock.patch.object(type(connection.features), "max_query_params", 90),
        django_capture_on_commit_callbacks() as handed_over,
        CaptureQueriesContext(connection) as many,
    ):
        tasks.sweep()
    assert len(many.captured_queries) == len(one.captured_queries), "\n".join(
        q["sql"][:120] for q in many.captured_queries
    )
    assert sum('INSERT INTO "flowchart_notification"' in q["sql"] for q in many.captured_queries) == 1
    recorded = Notification.objects.count()
    assert recorded > due and len(handed_over) == 1
    with mock.patch.object(notification_tasks.deliver_notifications, "delay") as deliver:
        handed_over[0]()  # the commit: delivery goes to the workers in chunks, not one task each
    chunks = [call.args[0] for call in deliver.call_args_list]
    assert len(chunks) == -(-recorded // notifications.DELIVERY_CHUNK)
    assert sorted(pk for chunk in chunks for pk in chunk) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )

    # A later sweep the same day reads only what changed, in a fixed number of queries too.
    walk.to(at(walk.day(6), 9, 5))
    with CaptureQueriesContext(connection) as later:
        assert services.reminders_sweep() == 0
    assert len(later.captured_queries) < len(one.captured_queries)

    # The next morning: yesterday's escalations are recorded already and are not worded again,
    # today's digests and newly overdue steps are, in the same number of queries.
    escalated = set(
        Notification.objects.filter(kind=NotificationKind.STEP_OVERDUE).values_list("key", flat=True)
    )
    Notification.objects.update(emailed_at=timezone.now())  # yesterday's went out
    walk.to(at(walk.day(7), 9))
    with (
        django_capture_on_commit_callbacks(),
        CaptureQueriesContext(connection) as morning,
        mock.patch.object(
            services.sweep, "notifications_send_many", wraps=services.sweep.notifications_send_many
        ) as send,
    ):
        tasks.sweep()
    assert len(morning.captured_queries) == len(one.captured_queries)
    offered = {o.key for o in send.call_args.args[0]}
    assert escalated and not offered & escalated
    assert any(key.startswith("escalate:") for key in offered)


def test_due_episodes_read_together_match_each_episode_worked_out_alone(family, walk):
    """The sweep reads every due episode's records in bulk and shares the work between episodes
    with the same records; what it finds must be what each episode's own progress says."""
    rng = random.Random(11)
    walk.to(at(walk.day(8), 7))
    episodes = _due_families(family, 60, rng, walk.day(8))
    # Attempts on one day recorded out of time order: on a day, they count in the order recorded.
    twin = EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1)).case
    for kind, hour in (("joint_visit", 17), ("liaison", 9), ("joint_visit", 12)):
        ContactAttemptFactory(
            case=twin,
            kind=kind,
            occurred_at=dt.datetime.combine(walk.day(7), dt.time(hour), tzinfo=LONDON),
        )
    services.case_flowchart_refresh(case=twin)
    assert len(episodes) == 60
    today = walk.day(8)
    due = {d.id: d for d in selectors.due_episodes(today=today)}
    live = list(Episode.objects.filter(ended_on__isnull=True, next_due_on__lte=today))
    assert len(due) == len(live) > 30
    alone = selectors.episodes_progress(live, today)
    for episode in live:
        found, expected = due[episode.pk].schedule, alone[episode.pk]
        assert (found.ended_on, found.end_reason, found.next_due_on) == (
            expected.ended_on,
            expected.end_reason,
            expected.next_due_on,
        )
        assert [(s.step.id, s.status, s.due_on, s.counts_from, s.done_on, s.made) for s in found.due] == [
            (s.step.id, s.status, s.due_on, s.counts_from, s.done_on, s.made)
            for s in expected.due_today + expected.overdue
        ]


def test_episodes_whose_records_changed_outside_the_services_are_put_right_in_bulk(family, walk):
    walk.to(at(walk.day(1), 10))
    episodes = [
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
        for _ in range(3)
    ]
    # Recorded without telling the flow chart (an import, a fix in the database): one family's
    # mother agreed to work with us on day 2, another's day-2 call was made.
    walk.to(at(walk.day(2), 10))
    EngagementAgreementFactory(case=episodes[0].case)
    ContactAttemptFactory(case=episodes[1].case, kind="phone_call")
    walk.to(at(walk.day(3), 9))
    with walk.committed():
        services.reminders_sweep()
    ended = Episode.objects.get(pk=episodes[0].pk)
    assert ended.ended_on == walk.day(2) and ended.end_reason == "engaged"
    assert ended.case.status == CaseStatus.ENGAGED
    assert ended.history.first().ended_on == walk.day(2)  # kept in the history, as a refresh would
    assert not Notification.objects.filter(key__startswith=f"escalate:{episodes[0].pk}:").exists()
    moved = Episode.objects.get(pk=episodes[1].pk)
    assert moved.next_due_on == selectors.episode_progress(moved, walk.day(3)).next_due_on
    assert Notification.objects.filter(key__startswith=f"escalate:{episodes[2].pk}:").exists()


def test_a_reminder_recorded_by_a_sweep_running_alongside_is_neither_recorded_nor_sent_again(family, walk):
    walk.to(at(walk.day(1), 10))
    episode = EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    walk.to(at(walk.day(3), 9))
    step = selectors.episode_progress(episode, walk.day(3)).overdue[0].step
    already = Notification.objects.create(
        recipient=family.manager,
        key=f"escalate:{episode.pk}:{step.id}:{family.manager.pk}",
        subject="Recorded by the other sweep",
        body="",
        kind=NotificationKind.STEP_OVERDUE,
        emailed_at=timezone.now(),
    )
    with walk.committed():
        recorded = services.reminders_sweep()
    assert recorded == Notification.objects.exclude(pk=already.pk).count() > 0
    assert Notification.objects.get(pk=already.pk).subject == "Recorded by the other sweep"
    assert len(mail.outbox) == recorded
    assert all(m.subject != "Recorded by the other sweep" for m in mail.outbox)


class LoggedBackend(EmailBackend):
    """A transport that can be asked whether it already took a message, as GOV.UK Notify can."""

    taken: set = set()

    def send_messages(self, messages):
        LoggedBackend.taken.update(m.extra_headers["Message-ID"] for m in messages)
        return super().send_messages(messages)

    def already_sent(self, message_id):
        return message_id in LoggedBackend.taken


def test_a_mail_sent_by_a_worker_that_died_before_recording_it_is_not_sent_again(family, walk, settings):
    """The one gap no transaction closes: the mail went, the worker died before the commit."""
    settings.MAILERS = {"default": {"BACKEND": "tests.flowchart.test_sweep_scale.LoggedBackend"}}
    walk.to(at(walk.day(1), 10))
    EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    walk.to(at(walk.day(3), 9))
    services.reminders_sweep()  # recorded; delivery not run yet
    notification = Notification.objects.filter(is_escalation=True).first()
    # What the dead worker handed over before it could record it:
    LoggedBackend.taken = {notifications.notification_message_id(notification)}
    with walk.committed():
        delivered = notifications.notifications_deliver(
            notification_ids=list(Notification.objects.values_list("pk", flat=True))
        )
    assert delivered == ([], None)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert notification.subject not in [m.subject for m in mail.outbox]
    assert len(mail.outbox) == Notification.objects.count() - 1
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(set(ids)) == len(ids)


def test_every_send_of_a_notification_carries_the_same_message_id(family, walk, settings):
    walk.to(at(walk.day(3), 9))
    notification = notifications.notification_send(
        recipient=family.lead, key="test:message-id", subject="Hello", body="Body", kind="test"
    )
    first = notifications.notification_message_id(notification)
    assert first == notifications.notification_message_id(Notification.objects.get(pk=notification.pk))
    assert first.startswith("<notification.") and first.endswith(">")
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)  # as after a crash
    notifications.notification_deliver(notification_id=notification.pk)
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [first]
