"""Chasing what must reach the multi-agency meeting by a working day: the lead practitioner is
reminded before it is due and, once it is late, told it is late with the line manager (when the
admin's sharing settings escalate to them).

Both the assessment's shares (riskassessment) and the decisions the meeting is told (flowchart)
are chased so; each app finds what is due, words its own messages and keeps its own stamps, and
the rule of when to remind and whom to escalate to is here, once.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models, transaction

from .calendar import Calendar
from .history import save_with_history
from .models import Case, User
from .notifications import Task, notification_send


@dataclass(frozen=True)
class ChaseWindow:
    """Remind of what is due by `horizon`; escalate what was due on or before `late_by`."""

    today: dt.date
    horizon: dt.date
    late_by: dt.date


def chase_window(
    *, today: dt.date, calendar: Calendar, reminder_days_before: int, escalate_after_days: int
) -> ChaseWindow:
    """The days the chase looks at, in the calendar's (working) days."""
    return ChaseWindow(
        today=today,
        horizon=calendar.add(today, reminder_days_before),
        late_by=calendar.add(today, -escalate_after_days),
    )


@dataclass(frozen=True)
class ChaseMessage:
    """One message of a chase, in the owning app's words (kind: a NotificationKind)."""

    key: str
    subject: str
    body: str
    kind: str
    url: str
    is_escalation: bool = False
    task: Task | None = None  # what the chase asks to be done: marked done when it is


def chase_one(
    *,
    record: models.Model,
    stamps: tuple[str, str],
    now: dt.datetime,
    case: Case,
    due_on: dt.date,
    today: dt.date,
    lead: User,
    manager: User | None,
    late: Callable[[User], ChaseMessage],
    reminder: ChaseMessage,
) -> int:
    """Chase one record: late (due before today), tell `manager` (None: not escalated) and `lead`
    `late(recipient)`; otherwise remind `lead`. Then stamp the record `now`, in the same
    transaction: `stamps` names its fields (escalated, reminded). Returns how many messages went
    (each key goes once)."""
    sent = 0
    with transaction.atomic():
        is_late = due_on < today
        for recipient in filter(None, [manager, lead]) if is_late else [lead]:
            message = late(recipient) if is_late else reminder
            sent += (
                notification_send(
                    recipient=recipient,
                    key=message.key,
                    subject=message.subject,
                    body=message.body,
                    kind=message.kind,
                    case=case,
                    url=message.url,
                    is_escalation=message.is_escalation,
                    task=message.task,
                )
                is not None
            )
        stamp = stamps[0] if is_late else stamps[1]
        setattr(record, stamp, now)
        save_with_history(record, by=None, update_fields=[stamp])  # the sweep
    return sent
