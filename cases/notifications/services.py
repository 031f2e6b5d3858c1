"""Recording notifications once and emailing them after commit: every app sends through here.

Each app words its own messages; this module only records them (once per key) and delivers them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification, NotificationTask

if TYPE_CHECKING:  # cases.models imports this package, to register the model
    from ..models import Case, User


class NotificationError(Exception):
    """A change to a notification that cannot be made, with a message the person can act on."""


@dataclass(frozen=True, slots=True)
class Message:
    """What a notification says: each app words its own in its `notify.py`, one function a message."""

    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class Task:
    """The task a notification asks for: its name (a NotificationTask) and the record it is about."""

    name: NotificationTask
    object_id: int


def notifications_task_done(*, task: Task, when: dt.datetime | None = None) -> int:
    """Mark done every notification that asked for this task and is not done yet: the task was
    done (by whoever did it). The notifications stay, as sent; returns how many were marked."""
    return Notification.objects.filter(
        task=task.name, task_object_id=task.object_id, done_at__isnull=True
    ).update(done_at=when or timezone.now())


def notifications_keyed_done(
    *, case_id: int, kinds: Collection[str], done: Callable[[str], bool], when: dt.datetime | None = None
) -> int:
    """Mark done the case's notifications of `kinds` not done yet whose key `done` says is done:
    for reminders whose task is told by their key (the flow chart's, about one step of one run),
    which the app that keys them reads. One read of the case's, and one write if any; returns how
    many were marked."""
    waiting = Notification.objects.filter(case_id=case_id, kind__in=list(kinds), done_at__isnull=True)
    ids = [pk for pk, key in waiting.values_list("pk", "key") if done(key)]
    if not ids:
        return 0
    return Notification.objects.filter(pk__in=ids, done_at__isnull=True).update(
        done_at=when or timezone.now()
    )


def _one_line(subject: str) -> str:
    """A subject on one line, at most 200 characters: a CR or LF (or any line break) typed into a
    name the subject quotes would make the mail impossible to build."""
    return " ".join(subject.split())[:200]


def notification_send(
    *,
    recipient: User,
    key: str,
    subject: str,
    body: str,
    kind: str,
    case: Case | None = None,
    url: str = "",
    is_escalation: bool = False,
    task: Task | None = None,
) -> Notification | None:
    """Record a notification once per key and email it after commit; None if already sent.

    `task`: what the notification asks the recipient to do, if anything (see `Task`); it is
    marked done by `notifications_task_done` when the service records that task done."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key,
                subject=_one_line(subject),
                body=body,
                kind=kind,
                case=case,
                url=url,
                is_escalation=is_escalation,
                task=task.name if task else "",
                task_object_id=task.object_id if task else None,
            )
    except IntegrityError:
        return None
    from .tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


# How many notifications one delivery task carries. The sweep hands a morning's ten thousand to
# the broker as tens of messages, not hundreds (each costs the sweep's commit about half a
# millisecond); a worker lost mid-chunk costs a repeat of that chunk only, where each notification
# already emailed is skipped, and 200 emails are a minute or two of one worker's time.
DELIVERY_CHUNK = 200


def notification_deliver(*, notification_id: int) -> bool:
    """Email one notification unless it was emailed already. Safe to run twice, even at once.

    What makes each reminder go once:
    - the row is locked while it is sent, so a second delivery of the same notification (a copy
      re-queued by the sweep, a message the broker redelivers) waits, then finds `emailed_at`
      set and does nothing;
    - `emailed_at` is written, the mail handed over, and the transaction committed straight
      after: a mail server that refuses the message, or a worker that dies before the hand-over,
      leaves the row unsent, and the next sweep queues it again, so nothing is lost;
    - a worker killed after the hand-over but before the commit leaves the row unsent although
      the mail went. Every send of a notification carries the same Message-ID (made from its
      key), and a mail transport that keeps a log it can be asked (`already_sent(message_id)`,
      as GOV.UK Notify does by reference) is asked first, so the repeat is recorded as sent
      without sending it again: exactly once in that log. Plain SMTP cannot be asked; there the
      repeat is possible in that one gap and carries the same Message-ID, which relays and mail
      clients treat as the same message (at least once, never lost);
    - mail that cannot be built (a header the mail library refuses, such as a line break in a
      subject recorded before subjects were kept on one line) is recorded as failed, with why,
      and returns False: it is never handed to the server nor queued again.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.emailed_at is not None or notification.failed_at is not None:
            return False
        message_id = notification_message_id(notification)
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body + link,
            to=[notification.recipient.email],
            headers={"Message-ID": message_id},
        )
        try:
            message.message()  # built here, so mail that cannot be built never reaches the server
        except ValueError as error:  # BadHeaderError and the encoders' errors are ValueErrors
            notification.failed_at = timezone.now()
            notification.failure = f"The mail could not be built: {error}"[:200]
            notification.save(update_fields=["failed_at", "failure"])
            return False
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        mailer = mailers.default
        already_sent = getattr(mailer, "already_sent", None)
        if already_sent is None or not already_sent(message_id):
            mailer.send_messages([message])
    return True


def notification_message_id(notification: Notification) -> str:
    """The same Message-ID every time a notification is emailed, so a repeat is recognisable."""
    digest = hashlib.sha256(notification.key.encode()).hexdigest()[:20]
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<notification.{notification.pk}.{digest}@{domain}>"


def notifications_deliver(*, notification_ids: Sequence[int]) -> tuple[list[int], OSError | None]:
    """Email each notification not yet emailed; returns the ids the mail server failed on.

    One failure does not hold up the rest of the chunk: the caller retries only those that failed.
    Mail that cannot be built is recorded as failed by `notification_deliver` and is not retried.
    """
    failed: list[int] = []
    error: OSError | None = None
    for notification_id in notification_ids:
        try:
            notification_deliver(notification_id=notification_id)
        except OSError as exc:  # smtplib's errors are OSErrors: the mail server, not the data
            failed.append(notification_id)
            error = error or exc
    return failed, error


def notifications_queue(notification_ids: Sequence[int]) -> None:
    """Hand delivery to the workers, a chunk of notifications per task."""
    from .tasks import deliver_notifications

    for start in range(0, len(notification_ids), DELIVERY_CHUNK):
        deliver_notifications.delay(list(notification_ids[start : start + DELIVERY_CHUNK]))


def notifications_undelivered_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Notifications whose email never went (broker or worker down): the sweep re-queues them.
    Mail that could not be built is recorded as failed and is not queued again."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, failed_at__isnull=True, created_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:500]
    )


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A notification to record once (by its key) and deliver after commit."""

    recipient_id: int
    key: str
    subject: str
    body: str
    kind: str
    case_id: int | None = None
    url: str = ""
    is_escalation: bool = False


# Columns the sweep writes; the rest (emailed_at, read_at) start empty.
_NOTIFICATION_COLUMNS = (
    "recipient",
    "key",
    "subject",
    "body",
    "kind",
    "case",
    "url",
    "is_escalation",
    "created_at",
)


def notifications_send_many(outgoing: Sequence[Outgoing]) -> list[int]:
    """Record each new notification once per key and queue its delivery after commit.

    One INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id for all of them (SQLite 3.35 or
    later): the unique key makes a notification recorded by an
    earlier or a concurrent sweep a no-op, and RETURNING gives exactly the rows this call
    recorded, which are the ones to deliver.
    Written as SQL because the ORM's bulk_create cannot return ids while ignoring conflicts,
    and compiling thousands of rows through it costs more than the rest of the sweep.
    """
    if not outgoing:
        return []
    unique = {o.key: o for o in outgoing}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    meta = Notification._meta
    quote = connection.ops.quote_name
    fields = [meta.get_field(name) for name in _NOTIFICATION_COLUMNS]
    columns = ", ".join(quote(field.column) for field in fields)
    # Only quoted identifiers and column types from the model's own metadata are formatted into
    # the statements below; every value is a query parameter.
    into = f"INSERT INTO {quote(meta.db_table)} ({columns})"
    conflict = (
        f"ON CONFLICT ({quote(meta.get_field('key').column)}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    # As text: the rows go to the database as JSON or arrays, which take no lazily translated words.
    values = [
        (
            o.recipient_id,
            o.key,
            _one_line(o.subject),
            str(o.body),
            o.kind,
            o.case_id,
            o.url,
            o.is_escalation,
            now,
        )
        for o in unique.values()
    ]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: nine parameters however many rows. psycopg binds parameters
            # on the client for Django, parsing every placeholder of a statement; for thousands
            # of rows of VALUES that cost more than the insert itself.
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
            cursor.execute(
                f"{into} SELECT * FROM unnest({arrays}) {conflict}",  # nosec B608
                [list(column) for column in zip(*values, strict=True)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
        else:
            # One parameter however many rows: the rows as a JSON array that SQLite unpacks with
            # json_each. Binding nine parameters a row cost more than the insert, and SQLite's
            # limit on parameters split a morning's rows over a number of statements that grew
            # with the families. "WHERE true" tells SQLite's parser the ON CONFLICT is the upsert's.
            picked = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(fields) - 1))
            cursor.execute(
                f"{into} SELECT {picked}, %s FROM json_each(%s) WHERE true {conflict}",  # nosec B608
                [now, json.dumps([row[:-1] for row in values])],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
    if ids:
        transaction.on_commit(lambda: notifications_queue(ids))
    return ids


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of the user's own notifications as read (reading it twice changes nothing)."""
    if notification.recipient_id != by.pk:
        raise NotificationError(_("You can only mark your own notifications as read"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_requeue_undelivered() -> int:
    """Hand the workers every notification whose email never went; returns how many."""
    ids = notifications_undelivered_ids()
    notifications_queue(ids)
    return len(ids)
