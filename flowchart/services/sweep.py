"""The reminder sweep: today's reminders and escalations, recorded once each."""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cases.calendar import Calendar
from cases.models import (
    Case,
    CaseStatus,
)
from cases.notifications import NotificationKind, Outgoing, notifications_send_many

from .. import notify, selectors
from ..models import (
    Episode,
    FlowchartSettings,
    SweepDay,
)
from ..schedule import Status
from .reviews import _review_reminders


def _step_lines(due_steps, worded: dict[tuple, str]) -> tuple[tuple, ...]:
    """Per step due or overdue: (step, overdue, what the lead's digest says after the family).

    `worded` keeps each line once per sweep: thousands of families share a step and a due date,
    and formatting the date is most of the cost of a line.
    """
    lines = []
    for step in due_steps:
        overdue = step.status == Status.OVERDUE
        line = worded.get((id(step.step), overdue, step.due_on))
        if line is None:
            line = worded[(id(step.step), overdue, step.due_on)] = notify.step_line(
                title=step.step.title, overdue=overdue, due_on=step.due_on
            )
        lines.append((step, overdue, line))
    return tuple(lines)


def _case_urls():
    """The case flow-chart URL for a case id, reversed once per sweep rather than once per case.

    reverse() costs more than the rest of building a reminder, and a morning has thousands.
    """
    marker = 2_147_483_647
    head, tail = reverse("flowchart:case_flowchart", kwargs={"case_pk": marker}).split(str(marker))
    return lambda case_id: f"{head}{case_id}{tail}"


@dataclass(frozen=True, slots=True)
class SweepGate:
    """What a sweep found when it was let through: the day, the admin's settings and calendar, the
    closure days, and the day's earlier complete pass (None for the first)."""

    today: dt.date
    settings: FlowchartSettings
    calendar: Calendar
    closures: frozenset[dt.date]
    done: SweepDay | None

    @property
    def changed_since(self) -> dt.datetime | None:
        """Later passes of a day read only the episodes whose records changed since the first."""
        return self.done.completed_at if self.done else None


@dataclass(frozen=True, slots=True)
class SweepPlan:
    """What a sweep is to write: the notifications to record (each once, by its key), and the
    episodes whose stored end or next due date is out of date."""

    outgoing: tuple[Outgoing, ...]
    put_right: tuple[selectors.DueEpisode, ...]


def reminders_gate(*, now: dt.datetime) -> SweepGate | None:
    """Let a sweep through only from the admin's morning time on working days (None otherwise).

    One sweep at a time: a beat that arrives while a slow sweep runs, or a message the broker
    hands out again, waits here on the settings row, then reads only what changed since.
    """
    today = timezone.localdate(now)
    flow_settings = FlowchartSettings.objects.select_for_update().filter(pk=1).first()
    if flow_settings is None:
        flow_settings = selectors.settings_in_force()
    closures = selectors.closure_days()
    calendar = Calendar(
        working_days=flow_settings.working_days, nation=flow_settings.nation, closures=closures
    )
    if (
        not calendar.is_working_day(today)
        or timezone.localtime(now).time() < flow_settings.morning_reminder_time
    ):
        return None
    done = SweepDay.objects.filter(day=today).first()
    return SweepGate(today, flow_settings, calendar, closures, done)


# The keys of a step's reminders to the line manager: once a day it is due, and one escalation
# once it is overdue. Each names the run and the step, so the reminders of a step the records
# have met are marked done (`reminded_step`, services/episodes.py).


def step_reminder_key(episode_id: int, step_id: int, due_on: dt.date, manager_id: int) -> str:
    return f"step:{episode_id}:{step_id}:{due_on}:{manager_id}"


def step_escalation_key(episode_id: int, step_id: int, manager_id: int) -> str:
    return f"escalate:{episode_id}:{step_id}:{manager_id}"


def reminded_step(key: str) -> tuple[int, int] | None:
    """The run and the step (their ids) a step's reminder or escalation is about, from its key;
    None for any other notification's key."""
    kind, _, rest = key.partition(":")
    if kind not in ("step", "escalate"):
        return None
    episode_id, step_id = rest.split(":")[:2]
    return int(episode_id), int(step_id)


def reminders_plan(
    *,
    episodes: Sequence[selectors.DueEpisode],
    escalated: frozenset[str],
    today: dt.date,
    settings: FlowchartSettings,
    calendar: Calendar,
) -> SweepPlan:
    """What today's sweep sends for the due episodes, worded, without reading or writing the
    database: to the line manager, each step of theirs due today and each overdue step once it has
    been overdue long enough (unless already `escalated`, by key); to each lead practitioner, one
    digest of their families' steps due or overdue. Episodes the schedule ended, or whose next due
    date moved, are to be put right; an ended one is reminded of nothing."""
    case_url = _case_urls()
    escalate: dict[dt.date, bool] = {}  # by due date: whether an overdue step goes to the manager
    stale: list[selectors.DueEpisode] = []
    outgoing: list[Outgoing] = []
    digests: dict[int, list[str]] = defaultdict(list)
    # Episodes with the same records share one evaluation, and so the wording of their lines.
    worded: dict[int, tuple[tuple, ...]] = {}
    lines_worded: dict[tuple, str] = {}
    for episode in episodes:
        result = episode.schedule
        if result.ended_on or result.next_due_on != episode.next_due_on:
            stale.append(episode)  # records changed outside the services: put it right
            if result.ended_on:
                continue
        manager_id = episode.manager_id
        lines = worded.get(id(result))
        if lines is None:
            lines = worded[id(result)] = _step_lines(result.due, lines_worded)
        for step, overdue, line in lines:
            if overdue or step.step.responsible == "lead_practitioner":
                digests[episode.lead_id].append(notify.digest_line(reference=episode.reference, line=line))
            if manager_id is None:
                continue
            if not overdue and step.step.responsible == "line_manager":
                message = notify.step_due(reference=episode.reference, step=step.step)
                outgoing.append(
                    Outgoing(
                        recipient_id=manager_id,
                        key=step_reminder_key(episode.id, step.step.id, step.due_on, manager_id),
                        subject=message.subject,
                        body=message.body,
                        kind=NotificationKind.STEP_DUE,
                        case_id=episode.case_id,
                        url=case_url(episode.case_id),
                    )
                )
            if not overdue:
                continue
            if step.due_on not in escalate:
                escalate[step.due_on] = selectors.step_escalation_due(
                    due_on=step.due_on, today=today, settings=settings, calendar=calendar
                )
            key = step_escalation_key(episode.id, step.step.id, manager_id)
            if escalate[step.due_on] and key not in escalated:
                message = notify.step_overdue(
                    reference=episode.reference,
                    step=step.step,
                    due_on=step.due_on,
                    lead_name=episode.lead_name,
                )
                outgoing.append(
                    Outgoing(
                        recipient_id=manager_id,
                        key=key,
                        subject=message.subject,
                        body=message.body,
                        kind=NotificationKind.STEP_OVERDUE,
                        case_id=episode.case_id,
                        url=case_url(episode.case_id),
                        is_escalation=True,
                    )
                )
    my_cases = reverse("cases:my_cases")
    for lead_id, lines in digests.items():
        message = notify.digest(lines)
        outgoing.append(
            Outgoing(
                recipient_id=lead_id,
                key=f"digest:{today}:{lead_id}",
                subject=message.subject,
                body=message.body,
                kind=NotificationKind.DIGEST,
                url=my_cases,
            )
        )
    return SweepPlan(outgoing=tuple(outgoing), put_right=tuple(stale))


@transaction.atomic
def reminders_sweep(*, now: dt.datetime | None = None) -> int:
    """Record today's reminders and escalations once each, from the episodes due in the database.

    Runs every few minutes; only from the admin's morning time on working days. The first
    complete pass of a day reads every due episode; later passes read only the episodes whose
    records changed since. Returns how many notifications were recorded.

    Gate (`reminders_gate`), read, plan (`reminders_plan`, which neither reads nor writes), write.
    Set-based: the due episodes, their steps, attempts and milestones are read in a fixed number
    of queries (`selectors.due_episodes`), the notifications are written in one insert, and
    delivery goes to the workers in chunks after commit; the query count does not grow with the
    number of episodes.
    """
    now = now or timezone.now()
    gate = reminders_gate(now=now)
    if gate is None:
        return 0
    today = gate.today
    # A case closed by other means stops its reminders even if its episode never ended.
    episodes = selectors.due_episodes(today=today, changed_since=gate.changed_since, closures=gate.closures)
    escalated = selectors.escalations_recorded(today=today, changed_since=gate.changed_since)
    plan = reminders_plan(
        episodes=episodes, escalated=escalated, today=today, settings=gate.settings, calendar=gate.calendar
    )
    _episodes_put_right(plan.put_right)
    _summaries_store(episodes, put_right=plan.put_right)
    recorded = len(notifications_send_many([*plan.outgoing, *_review_reminders(today)]))
    _sweep_day_record(gate, now=now, recorded=recorded)
    return recorded


def _sweep_day_record(gate: SweepGate, *, now: dt.datetime, recorded: int) -> None:
    """The day's first complete pass is recorded with when it read; later ones add their count."""
    if gate.done is None:
        SweepDay.objects.create(day=gate.today, completed_at=now, recorded=recorded)
    elif recorded:
        SweepDay.objects.filter(pk=gate.done.pk).update(recorded=gate.done.recorded + recorded)


def _summaries_store(
    episodes: Sequence[selectors.DueEpisode], *, put_right: Sequence[selectors.DueEpisode]
) -> None:
    """Store the summary the sweep worked out from the records, with the mark of those records,
    on each episode it worked out (not those put right, whose summary the sweep task stores):
    the next sweep reads it instead of working the flow chart out again while the mark holds.

    Derived, so without a history row (as `_store_summary`). One statement however many, none
    included, so the sweep's queries stay the same in number whatever it found.
    """
    field = Episode._meta.get_field("summary")
    left = {episode.id for episode in put_right}
    rows = [
        (field.get_db_prep_save(episode.checked, connection), episode.id, episode.read)
        for episode in episodes
        if episode.checked is not None and episode.id not in left
    ]
    quote = connection.ops.quote_name
    summary = quote(field.column)
    with connection.cursor() as cursor:
        # Only over the summary the sweep read: one the services stored meanwhile (an attempt
        # recorded while the sweep ran) is newer than what the sweep worked out, and stays.
        cursor.executemany(
            f"UPDATE {quote(Episode._meta.db_table)} SET {summary} = %s "  # nosec B608
            f"WHERE {quote(Episode._meta.pk.column)} = %s AND CAST({summary} AS TEXT) = %s",
            rows,
        )


# Rows per UPDATE when the sweep puts episodes right: inside SQLite's limit on parameters.
PUT_RIGHT_BATCH = 500


def _episodes_put_right(episodes: Sequence[selectors.DueEpisode]) -> None:
    """Store the end and next due date the sweep found on episodes whose records changed
    outside the services, as `episode_refresh` would, with history; in bulk, since a change to
    the calendar can leave thousands of episodes to put right at once."""
    found = {e.id: e.schedule for e in episodes}
    ids = list(found)
    for start in range(0, len(ids), PUT_RIGHT_BATCH):
        rows = list(
            Episode.objects.filter(pk__in=ids[start : start + PUT_RIGHT_BATCH]).select_related("case")
        )
        for row in rows:
            result = found[row.pk]
            row.ended_on, row.end_reason, row.next_due_on = (
                result.ended_on,
                result.end_reason,
                result.next_due_on,
            )
            row.changed_at = timezone.now()
            row.summary = {}  # stored from other records: the lists derive it until the next refresh
        bulk_update_with_history(
            rows, Episode, ["ended_on", "end_reason", "next_due_on", "changed_at", "summary"]
        )
        engaged = [
            row.case for row in rows if row.end_reason == "engaged" and row.case.status == CaseStatus.OPEN
        ]
        for case in engaged:
            case.status = CaseStatus.ENGAGED
            case.updated_at = timezone.now()
        if engaged:
            bulk_update_with_history(engaged, Case, ["status", "updated_at"])
