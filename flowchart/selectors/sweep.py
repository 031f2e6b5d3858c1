"""The reminder sweep's reads: every due episode at once, as plain values."""

import datetime as dt
import hashlib
import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter

from django.db import connection
from django.db.models import CharField, Count, F, Q, StringAgg, Sum, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Concat, TruncDate
from django.utils import timezone

from cases.calendar import Calendar
from cases.models import LIVE_STATUSES, Case
from cases.notifications import Notification, NotificationKind
from engagement.documents.models import Letter, LetterStatus
from engagement.models import ContactAttempt, Delivery, EngagementAgreement
from riskassessment.models import Assessment

from ..models import (
    Episode,
    StepNotPossible,
)
from ..schedule import (
    ENGAGED,
    DueNow,
    Records,
    Requirement,
    due_now,
    due_now_from_record,
    due_now_record,
    numbered_attempts,
)
from .calendar import closure_days
from .pathways import steps_for
from .progress import (
    _NONE_RECORDED,
    MILESTONE_MODELS,
    agreement_dates,
    fera_milestones,
    first_on_or_after,
    steps_closed,
)


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to build, and there are thousands
class DueEpisode:
    """A live episode with a step due or overdue, with what its reminders need to say."""

    id: int
    case_id: int
    reference: str
    lead_id: int
    lead_name: str
    manager_id: int | None
    next_due_on: dt.date | None
    # Its end, next due date and steps due today then overdue, shared by the episodes whose
    # records are the same (schedule.due_now: progress() as the sweep reads it).
    schedule: DueNow
    # The summary to store when the sweep worked the episode out from its records, marked with
    # what those records were (`records_mark`); None when its stored summary still held.
    checked: dict | None = None
    # The summary as it was read, as text: the sweep stores `checked` only over that, never over
    # one the services wrote while it ran.
    read: str | None = None


def _due_filter(
    today: dt.date,
    changed_since: dt.datetime | None,
    *,
    episode: str,
    case: str,
    only: RawSQL | None = None,
) -> Q:
    """Live episodes of live cases due on or before `today`, as seen from another model.

    `episode` and `case` are the paths from that model to the episode and to its case. Each read
    of the sweep joins to the due episodes through this filter rather than taking their ids as
    parameters, which would grow with the episodes (and meet SQLite's limit on parameters).
    `only`: of those, the episodes in this list of ids (`_id_list`).
    """
    due = Q(
        **{
            f"{episode}ended_on__isnull": True,
            f"{episode}next_due_on__lte": today,
            f"{case}status__in": LIVE_STATUSES,
        }
    )
    if changed_since is not None:
        due &= Q(**{f"{episode}changed_at__gte": changed_since})
    if only is not None:
        due &= Q(**{f"{episode}pk__in": only})
    return due


def _id_list(ids: list[int]) -> RawSQL:
    """The ids as a subquery of one parameter however many they are: a JSON array that SQLite
    unpacks with json_each, an array on PostgreSQL (as `notifications_send_many` sends rows)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))


def _records_tallies(today: dt.date, changed_since: dt.datetime | None) -> list[dict[int, str]]:
    """What the sweep compares with the mark on a stored summary: for each kind of record a due
    episode's flow chart is worked out from (the case's attempts, agreements and completed
    assessments; the episode's milestones, steps recorded as not possible and letters refused as
    unsafe), per case or episode, how many rows and the sum of their ids, as text. It changes
    when a row is added or removed, or one replaced by another. One query for all of them.
    """
    by_case = {"episode": "case__episodes__", "case": "case__"}
    by_episode = {"episode": "episode__", "case": "episode__case__"}
    kinds = [
        (ContactAttempt.objects.all(), "case_id", by_case),
        (EngagementAgreement.objects.all(), "case_id", by_case),
        (
            Assessment.objects.filter(Q(submitted_at__isnull=False) | Q(signed_at__isnull=False)),
            "case_id",
            by_case,
        ),
        *((model.objects.all(), "episode_id", by_episode) for model, _, _ in MILESTONE_MODELS),
        (StepNotPossible.objects.all(), "episode_id", by_episode),
        (
            Letter.objects.filter(status=LetterStatus.REFUSED, flow_step__isnull=False),
            "episode_id",
            by_episode,
        ),
    ]
    parts = [
        queryset.filter(_due_filter(today, changed_since, **paths))
        .order_by()
        .values(owner)
        .annotate(kind=Value(number), rows=Count("pk", distinct=True), total=Sum("pk", distinct=True))
        .values_list("kind", owner, "rows", "total")
        for number, (queryset, owner, paths) in enumerate(kinds)
    ]
    found: list[dict[int, str]] = [{} for _ in kinds]
    for kind, owner_id, rows, total in parts[0].union(*parts[1:], all=True).order_by():
        found[kind][owner_id] = f"{rows}:{total}"
    return found


# Which of the tallies are per case (the rest are per episode).
_BY_CASE = 3


def records_mark(
    tallies: Sequence[str | None],
    *,
    version_id: int,
    day1: dt.date,
    working_days: bool,
    nation: str,
    closures: str,
) -> str:
    """What an episode's flow chart was worked out from, in a few characters: its records'
    tallies, the pathway version, Day 1 and the calendar (`closures_mark`). The sweep stores it
    with the summary it works out; while it matches, the summary holds and the flow chart need
    not be worked out again. A record changed or added outside the services changes it, so the
    sweep works that episode out from its records and puts it right."""
    text = f"{'|'.join(map(str, tallies))}/{version_id}/{day1.isoformat()}/{working_days}/{nation}/{closures}"
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def closures_mark(closures: frozenset[dt.date]) -> str:
    """The service's closure days in a few characters: a day added or taken away moves due dates."""
    text = ",".join(sorted(day.isoformat() for day in closures))
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


def due_episodes(
    *, today: dt.date, changed_since: dt.datetime | None = None, closures: frozenset[dt.date] | None = None
) -> list[DueEpisode]:
    """Every live episode due on or before `today` with what is due, in a constant number of queries.

    One query each for the episodes (through the index on next_due_on), their pathways' steps,
    their cases' attempts, their milestones, the cases' FERA dates and the closure days, however
    many episodes are due; rows come back as values, never as model instances.

    An episode whose summary the sweep stored with a mark of its records (`records_mark`), and
    whose records still match that mark, is read from the summary: its records are not read and
    its flow chart is not worked out again. The rest are worked out from their records. Episodes
    with the same pathway version, Day 1, calendar, attempts and milestones have the same progress
    (the schedule is a pure function of those), so each such combination is worked out once.
    `changed_since`: only the episodes the services changed since then (later sweeps of a day);
    `closures`: the service's closure days, when the caller has read them already.
    """
    if closures is None:
        closures = closure_days()
    calendar_mark = closures_mark(closures)
    rows = list(
        Episode.objects.filter(_due_filter(today, changed_since, episode="", case="case__"))
        .order_by("-started_at", "-id")
        .values_list(
            "pk",
            "case_id",
            "version_id",
            "day1",
            "working_days",
            "nation",
            "next_due_on",
            "case__reference",
            "case__lead_practitioner_id",
            "case__lead_practitioner__full_name",
            "case__lead_practitioner__email",
            "case__team__manager_id",
            # The parts of the stored summary the sweep reads, as text: the list of open steps
            # is decoded once per distinct list, not once per episode.
            *(KeyTextTransform(part, "summary") for part in ("records", "next", "on", "ended_on", "open")),
            Cast("summary", TextField()),
        )
    )
    if not rows:
        return []
    steps = steps_for({row[2] for row in rows})
    steps_by_id = {version_id: {step.id: step for step in found} for version_id, found in steps.items()}
    tallied = _records_tallies(today, changed_since)

    # First the episodes whose stored summary still holds; the rest are worked out below.
    due: list[DueEpisode | None] = []
    stale: list[tuple[int, tuple, str]] = []
    kept: dict[tuple, DueNow] = {}
    for row in rows:
        pk, _, version_id, day1, working_days, nation, next_due_on = row[:7]
        marked, next_due, stored_on, ended_on, opened, _ = row[SUMMARY:]
        case_id = row[1]
        tallies = [found.get(case_id) for found in tallied[:_BY_CASE]]
        tallies += [found.get(pk) for found in tallied[_BY_CASE:]]
        mark = records_mark(
            tallies,
            version_id=version_id,
            day1=day1,
            working_days=working_days,
            nation=nation,
            closures=calendar_mark,
        )
        schedule = None
        # A JSON null reads as SQL NULL on PostgreSQL and as "null" on SQLite; a due episode
        # always has a next due date.
        if marked == mark and ended_on in (None, "null") and next_due == next_due_on.isoformat():
            key = (version_id, stored_on, opened)
            schedule = kept.get(key)
            if schedule is None:
                record = {"on": stored_on, "ended_on": None, "open": json.loads(opened)}
                schedule = due_now_from_record(record, steps_by_id[version_id], today)
                if schedule is not None:
                    kept[key] = schedule
        if schedule is None:
            stale.append((len(due), row, mark))
            due.append(None)
        else:
            due.append(_due_episode(row, schedule))
    if stale:
        _worked_out(due, stale, today=today, changed_since=changed_since, closures=closures, steps=steps)
    else:
        # The reads run all the same, over no episodes, so the sweep's queries stay as many.
        _records_read(today, changed_since, only=[], since=today, steps=steps)
    return due


# Where the stored summary's parts are in a row of `due_episodes`.
SUMMARY = 12


def _due_episode(row: tuple, schedule: DueNow, checked: dict | None = None) -> DueEpisode:
    (
        pk,
        case_id,
        _version_id,
        _day1,
        _working_days,
        _nation,
        next_due_on,
        reference,
        lead_id,
        lead_full_name,
        lead_email,
        manager_id,
        *_summary,
    ) = row
    return DueEpisode(
        id=pk,
        case_id=case_id,
        reference=reference,
        lead_id=lead_id,
        lead_name=lead_full_name or lead_email,
        manager_id=manager_id,
        next_due_on=next_due_on,
        schedule=schedule,
        checked=checked,
        read=row[-1] if checked is not None else None,
    )


def _records_read(today, changed_since, *, only: list[int], since: dt.date, steps: dict):
    """The records of the episodes `only`, in a fixed number of queries however many they are."""
    ids = _id_list(only)
    counted = [
        step for version in steps.values() for step in version if step.requirement == Requirement.ATTEMPTS
    ]
    attempts, attempts_from = _due_attempts(
        today,
        changed_since,
        ids,
        since=since,
        kinds=frozenset(kind for step in counted for kind in step.attempt_kinds),
        outcomes=any(step.attempt_outcomes for step in counted),
    )
    milestones = _due_milestones(today, changed_since, ids)
    fera = fera_milestones(
        Case.objects.filter(
            _due_filter(today, changed_since, episode="episodes__", case="", only=ids)
        ).values("pk")
    )
    agreed = agreement_dates(
        EngagementAgreement.objects.filter(
            _due_filter(today, changed_since, episode="case__episodes__", case="case__", only=ids)
        )
    )
    due_here = _due_filter(today, changed_since, episode="episode__", case="episode__case__", only=ids)
    not_possible, not_sent = steps_closed(
        StepNotPossible.objects.filter(due_here), Letter.objects.filter(due_here)
    )
    return attempts, attempts_from, milestones, fera, agreed, not_possible, not_sent


def _worked_out(
    due: list, stale: list[tuple[int, tuple, str]], *, today, changed_since, closures, steps
) -> None:
    """Work out the `stale` episodes' flow charts from their records, in their places in `due`."""
    attempts, attempts_from, milestones, fera, agreed, not_possible, not_sent = _records_read(
        today,
        changed_since,
        only=[row[0] for _, row, _ in stale],
        since=min(row[3] for _, row, _ in stale),
        steps=steps,
    )
    calendars: dict[tuple[bool, str], Calendar] = {}
    evaluated: dict[tuple, DueNow] = {}
    stored: dict[int, dict] = {}
    for place, row, mark in stale:
        pk, case_id, version_id, day1, working_days, nation = row[:6]
        calendar = calendars.get((working_days, nation))
        if calendar is None:
            calendar = Calendar(working_days=working_days, nation=nation, closures=closures)
            calendars[(working_days, nation)] = calendar
        made = attempts.get(case_id, ())
        recorded = milestones.get(pk, _NONE_RECORDED)
        fera_on = fera.get(case_id)
        if fera_on is not None and fera_on >= day1:
            recorded = {**recorded, Requirement.FERA_COMPLETED: fera_on}
        agreed_on = first_on_or_after(agreed.get(case_id, ()), day1)
        if agreed_on is not None:
            recorded = {**recorded, ENGAGED: agreed_on}
        not_done = not_possible.get(pk, _NONE_RECORDED)
        unsafe = not_sent.get(pk, _NONE_RECORDED)
        key = (
            version_id,
            day1,
            working_days,
            nation,
            made,
            tuple(sorted(recorded.items())) if recorded else (),
            tuple(sorted(not_done.items())) if not_done else (),
            tuple(sorted(unsafe.items())) if unsafe else (),
        )
        schedule = evaluated.get(key)
        if schedule is None:
            records = Records(
                # Numbered in the order the schedule reads them (by day, then as recorded).
                attempts=numbered_attempts(attempts_from(made, day1)),
                milestones=recorded,
                not_possible=not_done,
                not_sent_unsafe=unsafe,
            )
            schedule = evaluated[key] = due_now(steps[version_id], day1, calendar, records, today)
        record = stored.get(id(schedule))
        if record is None:
            record = stored[id(schedule)] = due_now_record(schedule, today)
        due[place] = _due_episode(row, schedule, {**record, "records": mark})


def escalations_recorded(*, today: dt.date, changed_since: dt.datetime | None = None) -> frozenset[str]:
    """The keys of the overdue-step escalations already recorded for the due episodes, in one query.

    An escalation is recorded once ever (its key names no day), so every morning after the first
    finds most of them recorded already; the sweep leaves those out rather than wording each
    again for the unique key to turn away.
    """
    return frozenset(
        Notification.objects.filter(
            _due_filter(today, changed_since, episode="case__episodes__", case="case__"),
            kind=NotificationKind.STEP_OVERDUE,
        ).values_list("key", flat=True)
    )


def _due_attempts(
    today: dt.date,
    changed_since: dt.datetime | None,
    only: RawSQL,
    *,
    since: dt.date,
    kinds: frozenset[str],
    outcomes: bool,
):
    """Per case, its attempts from `since` as one value, and how to read them from it.

    Only what the due episodes' steps can count: attempts of the `kinds` some step counts, and
    their outcomes only if some step asks for particular `outcomes` (otherwise read as ""). The
    schedule never looks at the rest, and leaving it out lets families whose attempts differ only
    in what no step counts share one evaluation.

    Returns ({case id: attempts}, read) where read(attempts, day1) gives (local date, kind,
    outcome) for each attempt from Day 1, by date and then in the order recorded (by id), as the
    schedule reads them. Equal values mean equal attempts, so they key the shared evaluations in
    `due_episodes` and are read only once per distinct combination.

    Where the database can order inside an aggregate (PostgreSQL; SQLite from 3.44) it returns
    one row per case: the attempts as text, in that order, local dates worked out by the
    database. Otherwise one row per attempt, whose timestamps are read as text and turned into
    local dates once per distinct minute: attempts cluster in the working hours of a few weeks,
    and making each an aware datetime to find its local date cost more than all the rest.
    """
    attempts = ContactAttempt.objects.exclude(delivery=Delivery.FAILED).filter(
        _due_filter(today, changed_since, episode="case__episodes__", case="case__", only=only),
        occurred_at__gte=timezone.make_aware(dt.datetime.combine(since - dt.timedelta(days=1), dt.time())),
        counts_as__in=sorted(kinds),
    )
    outcome = F("outcome") if outcomes else Value("")
    if connection.features.supports_aggregate_order_by_clause:
        day = TruncDate("occurred_at")  # in the current time zone, as timezone.localdate()
        item = Concat(
            Cast(day, CharField()), Value(","), "counts_as", Value(","), outcome, output_field=CharField()
        )
        rows = (
            attempts.order_by()
            .values("case_id")
            .annotate(made=StringAgg(item, delimiter=Value(";"), order_by=(day, "pk")))
            .values_list("case_id", "made")
        )
        return dict(rows), _attempts_from_text

    source, local = connection.timezone, timezone.get_current_timezone()
    dates: dict[str, dt.date] = {}
    by_case: dict[int, list[tuple[dt.date, str, str]]] = defaultdict(list)
    rows = attempts.order_by("pk").values_list(
        "case_id", Cast("occurred_at", CharField()), "counts_as", outcome
    )
    for case_id, at, kind, outcome in rows:
        minute = at[:16]  # "YYYY-MM-DD HH:MM" in the connection's time zone, on both databases
        on = dates.get(minute)
        if on is None:
            on = dt.datetime.fromisoformat(minute).replace(tzinfo=source).astimezone(local).date()
            dates[minute] = on
        by_case[case_id].append((on, kind, outcome))
    made = {}
    for case_id, found in by_case.items():
        found.sort(key=_by_date)  # stable: the same day stays in the order recorded (by id)
        made[case_id] = tuple(found)
    return made, _attempts_from_rows


_by_date = itemgetter(0)


def _attempts_from_rows(made: tuple, day1: dt.date) -> tuple:
    return made[bisect_left(made, day1, key=_by_date) :] if made and made[0][0] < day1 else made


def _attempts_from_text(made: str | tuple, day1: dt.date) -> list[tuple[dt.date, str, str]]:
    found = []
    for item in made.split(";") if made else ():
        on, kind, outcome = item.split(",")
        on = dt.date.fromisoformat(on)
        if on >= day1:
            found.append((on, kind, outcome))
    return found


def _due_milestones(
    today: dt.date, changed_since: dt.datetime | None, only: RawSQL
) -> dict[int, dict[str, dt.date]]:
    """Per due episode, the first local date of each milestone recorded on it, in one query."""
    due = _due_filter(today, changed_since, episode="episode__", case="episode__case__", only=only)
    parts = [
        model.objects.filter(due)
        .order_by()
        .annotate(milestone=Value(name))
        .values_list("milestone", "episode_id", field)
        for model, name, field in MILESTONE_MODELS
    ]
    milestones: dict[int, dict[str, dt.date]] = defaultdict(dict)
    for name, episode_id, at in parts[0].union(*parts[1:], all=True):
        on = timezone.localdate(at)
        known = milestones[episode_id].get(name)
        if known is None or on < known:
            milestones[episode_id][name] = on
    return milestones
