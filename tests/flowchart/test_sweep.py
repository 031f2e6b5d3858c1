"""The sweep: exactly once, whatever fails in between; reads only due rows, through the index."""

import datetime as dt
import os
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from cases.notifications import Notification
from cases.notifications import tasks as notification_tasks
from flowchart import services, tasks
from flowchart.models import Episode, SweepDay
from flowchart.services import Considered
from tests.factories import CaseFactory, EpisodeFactory

from .conftest import at


def _overdue_cases(family, count: int):
    """Cases whose day-5 visit was missed: on day 6 each owes a digest line and an escalation."""
    return [
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
        for _ in range(count)
    ]


def test_the_sweep_run_twice_sends_each_reminder_once(family, walk):
    walk.to(at(walk.day(6), 9))
    _overdue_cases(family, 3)
    walk.sweep()
    first = len(mail.outbox)
    walk.sweep()
    assert first > 0 and len(mail.outbox) == first
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == first
    digests = walk.mail_to(family.lead)
    assert len(digests) == 1  # one digest, however many cases
    assert digests[0].body.count(family.case.reference[:6]) >= 3


def test_nothing_is_sent_before_the_morning_time_or_at_the_weekend(family, walk):
    _overdue_cases(family, 1)
    walk.to(at(walk.day(6), 7, 55))
    walk.sweep()
    assert mail.outbox == []
    walk.to(at(dt.date(2026, 11, 14), 10))  # a Saturday
    walk.sweep()
    assert mail.outbox == []


class FlakyBackend(EmailBackend):
    """The mail server fails for the first `failures` messages, then recovers."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_delivery_killed_mid_way_is_caught_up_by_the_next_sweep_exactly_once(family, walk, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.flowchart.test_sweep.FlakyBackend"}}
    settings.CELERY_TASK_EAGER_PROPAGATES = False  # a failed delivery must not break the sweep
    _overdue_cases(family, 2)
    walk.to(at(walk.day(6), 9))
    FlakyBackend.failures = 100  # the first deliveries all fail, retries too
    walk.sweep()
    recorded = Notification.objects.count()
    assert recorded > 0 and mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == recorded

    FlakyBackend.failures = 0
    walk.to(at(walk.day(6), 9, 5))  # the next beat: re-queues what never went
    walk.sweep()
    walk.to(at(walk.day(6), 9, 10))
    walk.sweep()
    assert len(mail.outbox) == recorded
    assert sorted(m.subject for m in mail.outbox) == sorted(
        Notification.objects.values_list("subject", flat=True)
    )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_the_sweep_reads_due_episodes_through_the_index_in_constant_queries(
    family, walk, django_assert_num_queries, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walk.to(at(walk.day(6), 9))
    # An episode not yet due is never read.
    EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=walk.day(6)))
    _overdue_cases(family, 1)
    with CaptureQueriesContext(connection) as one:
        services.reminders_sweep()
    Notification.objects.all().delete()
    SweepDay.objects.all().delete()  # start the day again: a full pass
    _overdue_cases(family, 49)
    with django_assert_num_queries(len(one.captured_queries)) as fifty:
        services.reminders_sweep()
    assert Notification.objects.filter(is_escalation=True).count() >= 50

    due = [q["sql"] for q in fifty.captured_queries if 'FROM "flowchart_episode"' in q["sql"]]
    assert len(due) == 1 and "next_due_on" in due[0] and "ended_on" in due[0]
    with connection.cursor() as cursor:
        sql, params = Episode.objects.filter(
            ended_on__isnull=True, next_due_on__lte=walk.day(6)
        ).query.sql_with_params()
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{explain} {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    if connection.vendor == "sqlite":
        assert "episode_live_next_due" in plan


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_exactly_once_with_a_real_worker_when_a_broker_is_configured(family, walk, settings):
    """With CELERY_BROKER_URL=redis://..., a real worker thread delivers; otherwise tasks run eagerly."""
    broker = os.environ.get("CELERY_BROKER_URL", "")
    settings.MAILERS = {"default": {"BACKEND": "tests.flowchart.test_sweep.FlakyBackend"}}
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    _overdue_cases(family, 2)
    walk.to(at(walk.day(6), 9))
    FlakyBackend.failures = 1  # the very first delivery hits a dropped SMTP connection

    if broker.startswith("redis://"):
        from celery.contrib.testing.worker import start_worker

        from config.celery import app

        app.conf.task_always_eager = False
        settings.CELERY_TASK_ALWAYS_EAGER = False
        try:
            with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
                tasks.sweep.delay()
                _wait_for(
                    lambda: (
                        Notification.objects.exists()
                        and not Notification.objects.filter(emailed_at__isnull=True).exists()
                    ),
                    walk,
                )
        finally:
            app.conf.task_always_eager = True
    else:
        tasks.sweep.delay()
        walk.to(at(walk.day(6), 9, 5))
        tasks.sweep.delay()
        notification_tasks.requeue_undelivered.delay()
    recorded = Notification.objects.count()
    assert recorded > 0
    assert len(mail.outbox) == recorded
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def _wait_for(condition, walk, timeout: float = 60):
    import time

    deadline = time.monotonic() + timeout
    minute = 5
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("Notifications were not all delivered in time")
        time.sleep(1)
        walk.to(at(walk.day(6), 9, minute))
        tasks.sweep.delay()
        notification_tasks.requeue_undelivered.delay()  # the next beat re-queues what failed
        minute += 5


def test_later_sweeps_of_a_day_read_only_the_episodes_that_changed(family, walk, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walk.to(at(walk.day(6), 9))
    episodes = _overdue_cases(family, 3)
    walk.sweep()
    assert SweepDay.objects.get().recorded == Notification.objects.count()
    walk.to(at(walk.day(6), 11))
    walk.attempt("unannounced_visit", case=episodes[0].case)  # the missed visit, made late
    with CaptureQueriesContext(connection) as later:
        recorded = services.reminders_sweep()
    assert recorded == 0
    due = next(q["sql"] for q in later.captured_queries if 'FROM "flowchart_episode"' in q["sql"])
    assert "changed_at" in due


def test_review_dates_of_oversight_actions_and_decisions_are_reminded_once(family, walk):
    walk.to(at(walk.day(13), 10))
    services.episode_start(case=family.case, by=family.lead)
    with walk.committed():
        services.oversight_record(
            case=family.case,
            by=family.manager,
            discussion="Agreed a joint visit.",
            risk_raised="no",
            actions=[
                {"what": "Joint visit", "who": "Priya", "by_when": walk.day(14), "review_on": walk.day(16)}
            ],
        )
        services.decision_record(
            case=family.case,
            by=family.manager,
            outcome="continue",
            reasons="Family replied to the letter.",
            review_on=walk.day(16),
            considered=Considered(mash_referral="no", multi_agency_meeting="yes", level_two="yes"),
        )
    mail.outbox.clear()
    walk.to(at(walk.day(15), 9))
    walk.sweep()
    assert mail.outbox == []  # not yet
    for hour in (9, 12, 16):
        walk.to(at(walk.day(16), hour))
        walk.sweep()
    for person in (family.lead, family.manager):
        subjects = sorted(m.subject for m in walk.mail_to(person))
        assert len(subjects) == 2 and all("review" in s for s in subjects)
