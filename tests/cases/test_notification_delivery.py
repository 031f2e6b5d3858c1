"""Security finding 11: "A CR/LF in a family name makes its notifications undeliverable and the
re-send task fail every 5 minutes (and possibly starve the rest of its batch)." Build: "mail that
cannot be built recorded as failed without stopping the rest of the batch"."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from cases.notifications import (
    Notification,
    NotificationKind,
    Outgoing,
    notification_send,
    notifications_requeue_undelivered,
    notifications_send_many,
    notifications_undelivered_ids,
)
from cases.notifications.tasks import deliver_notifications
from tests.factories import PractitionerFactory
from tests.factories.flowchart import NotificationFactory

BROKEN = "EF2026-00001: Smith\r\nBcc: everyone@example.test family\u2028today"


@pytest.mark.django_db
def test_a_subject_is_kept_on_one_line_however_it_is_sent(django_capture_on_commit_callbacks):
    lead = PractitionerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        one = notification_send(
            recipient=lead,
            key="one",
            subject=BROKEN,
            body="Line one.\nLine two.",
            kind=NotificationKind.DIGEST,
        )
        notifications_send_many(
            [
                Outgoing(
                    recipient_id=lead.pk, key="many", subject=BROKEN, body="b", kind=NotificationKind.DIGEST
                )
            ]
        )

    subjects = list(Notification.objects.order_by("key").values_list("subject", flat=True))
    assert subjects == ["EF2026-00001: Smith Bcc: everyone@example.test family today"] * 2
    assert one.body == "Line one.\nLine two."  # a body keeps its lines
    assert sorted(m.subject for m in mail.outbox) == subjects
    assert all(m.recipients() == [lead.email] for m in mail.outbox)


@pytest.mark.django_db
def test_mail_that_cannot_be_built_is_recorded_as_failed_and_the_rest_of_its_batch_goes():
    # Recorded before subjects were kept on one line, or addressed to an address with a line break.
    before = NotificationFactory(key="before")
    broken = NotificationFactory(key="broken", subject=BROKEN)
    bad_address = NotificationFactory(
        key="address", recipient=PractitionerFactory(email="a@example.test\nBcc: x")
    )
    after = NotificationFactory(key="after")

    deliver_notifications.apply(args=[[before.pk, broken.pk, bad_address.pk, after.pk]]).get()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([before.recipient.email, after.recipient.email])
    for notification in (broken, bad_address):
        notification.refresh_from_db()
        assert notification.emailed_at is None
        assert notification.failed_at is not None
        assert notification.failure.startswith("The mail could not be built")


@pytest.mark.django_db
def test_mail_that_cannot_be_built_is_not_queued_again(time_machine):
    broken = NotificationFactory(subject=BROKEN)
    unsent = NotificationFactory()
    deliver_notifications.apply(args=[[broken.pk]]).get()
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=5))

    assert notifications_undelivered_ids() == [unsent.pk]
    assert notifications_requeue_undelivered() == 1
    assert [m.to[0] for m in mail.outbox] == [unsent.recipient.email]
    # Run again, it finds nothing to send and does not try the broken one again.
    assert notifications_requeue_undelivered() == 0
    broken.refresh_from_db()
    assert broken.emailed_at is None and broken.failed_at is not None
