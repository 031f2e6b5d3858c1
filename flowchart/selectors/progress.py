"""Each episode's records and progress, derived or read from its stored summary, in a constant
number of queries however many episodes."""

import datetime as dt
import json
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from django.db.models import QuerySet, Value
from django.utils import timezone

from cases.calendar import Calendar
from engagement.documents.models import Letter, LetterStatus
from engagement.models import ContactAttempt, Delivery, EngagementAgreement
from riskassessment.selectors import assessment_milestones

from ..models import (
    Decision,
    Episode,
    ManagerInformed,
    Oversight,
    SafeguardingEscalation,
    StepNotPossible,
)
from ..schedule import (
    ENGAGED,
    ESCALATED,
    AttemptRecord,
    Progress,
    Records,
    Requirement,
    StepSpec,
    Summary,
    progress,
    summary_from_record,
    summary_of,
)
from .calendar import closure_days, episode_calendar
from .pathways import steps_for


def fera_milestones(case_ids: list[int]) -> dict[int, dt.date]:
    """The date each case's FERA was completed (submitted to the manager, or signed if earlier)."""
    completed = {}
    for case_id, milestones in assessment_milestones(case_ids).items():
        dates = [on for name, on in milestones if name in ("submitted", "signed")]
        if dates:
            completed[case_id] = min(dates)
    return completed


def _first_dates(rows: Iterable[tuple[int, dt.datetime]]) -> dict[int, dt.date]:
    first: dict[int, dt.date] = {}
    for episode_id, at in rows:
        on = timezone.localdate(at)
        if episode_id not in first or on < first[episode_id]:
            first[episode_id] = on
    return first


# Each milestone recorded on an episode: its model, the requirement it meets, and its time.
MILESTONE_MODELS = (
    (ManagerInformed, Requirement.MANAGER_INFORMED, "informed_at"),
    (Oversight, Requirement.OVERSIGHT_RECORDED, "recorded_at"),
    (Decision, Requirement.DECISION_MADE, "decided_at"),
    (SafeguardingEscalation, ESCALATED, "escalated_at"),
)


def records_for(
    episodes: Sequence[Episode], *, milestones_read: dict[str, dict[int, dt.date]] | None = None
) -> dict[int, Records]:
    """Each episode's records: the case's attempts since Day 1 and the dates of its milestones.

    `milestones_read`: the first date of each milestone per episode, when the caller has read the
    milestones already (as the case page does, to show them).
    """
    if not episodes:
        return {}
    ids = [e.pk for e in episodes]
    case_ids = list({e.case_id for e in episodes})
    earliest = min(e.day1 for e in episodes)
    attempts_by_case: dict[int, list[AttemptRecord]] = defaultdict(list)
    # Read the time zone once: timezone.localdate() looks it up again for each of thousands of rows.
    tz = timezone.get_current_timezone()
    # Unordered: progress() sorts each case's attempts itself, so the database need not.
    for pk, case_id, occurred_at, kind, outcome in (
        # A text, email or letter Notify could not deliver counts towards no step: it stays owed.
        ContactAttempt.objects.exclude(delivery=Delivery.FAILED)
        .filter(
            case_id__in=case_ids,
            occurred_at__gte=timezone.make_aware(
                dt.datetime.combine(earliest - dt.timedelta(days=1), dt.time())
            ),
        )
        .order_by()
        .values_list("pk", "case_id", "occurred_at", "counts_as", "outcome")
    ):
        attempts_by_case[case_id].append(
            AttemptRecord(id=pk, on=occurred_at.astimezone(tz).date(), kind=kind, outcome=outcome)
        )
    if milestones_read is None:
        milestones_read = {
            name: _first_dates(model.objects.filter(episode_id__in=ids).values_list("episode_id", field))
            for model, name, field in MILESTONE_MODELS
        }
    informed = milestones_read[Requirement.MANAGER_INFORMED]
    oversight = milestones_read[Requirement.OVERSIGHT_RECORDED]
    decided = milestones_read[Requirement.DECISION_MADE]
    escalated = milestones_read[ESCALATED]
    fera = fera_milestones(case_ids)
    agreed = agreement_dates(EngagementAgreement.objects.filter(case_id__in=case_ids))
    not_possible, not_sent = steps_closed(
        StepNotPossible.objects.filter(episode_id__in=ids), Letter.objects.filter(episode_id__in=ids)
    )
    records = {}
    for episode in episodes:
        milestones = {
            Requirement.MANAGER_INFORMED: informed.get(episode.pk),
            Requirement.OVERSIGHT_RECORDED: oversight.get(episode.pk),
            Requirement.DECISION_MADE: decided.get(episode.pk),
            ESCALATED: escalated.get(episode.pk),
            ENGAGED: first_on_or_after(agreed.get(episode.case_id, ()), episode.day1),
        }
        fera_on = fera.get(episode.case_id)
        if fera_on is not None and fera_on >= episode.day1:
            milestones[Requirement.FERA_COMPLETED] = fera_on
        records[episode.pk] = Records(
            attempts=tuple(a for a in attempts_by_case[episode.case_id] if a.on >= episode.day1),
            milestones={k: v for k, v in milestones.items() if v is not None},
            not_possible=not_possible.get(episode.pk, _NONE_RECORDED),
            not_sent_unsafe=not_sent.get(episode.pk, _NONE_RECORDED),
        )
    return records


def agreement_dates(agreements: QuerySet[EngagementAgreement]) -> dict[int, tuple[dt.date, ...]]:
    """Per case, the local dates on which a parent or carer agreed to work with us, earliest first.

    Case-wide, not per episode: an agreement ends the episode whose Day 1 it follows
    (`first_on_or_after`), so one made before the flow chart started again counts for the
    earlier run only.
    """
    dates: dict[int, set[dt.date]] = defaultdict(set)
    for case_id, at in agreements.order_by().values_list("case_id", "agreed_at"):
        dates[case_id].add(timezone.localdate(at))
    return {case_id: tuple(sorted(found)) for case_id, found in dates.items()}


def first_on_or_after(dates: Sequence[dt.date], day1: dt.date) -> dt.date | None:
    index = bisect_left(dates, day1)
    return dates[index] if index < len(dates) else None


def steps_not_possible(rows: QuerySet[StepNotPossible]) -> dict[int, dict[int, dt.date]]:
    """Per episode, the date each "if possible" step was recorded as not possible (by step id)."""
    found: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for episode_id, step_id, at in rows.order_by().values_list("episode_id", "step_id", "recorded_at"):
        found[episode_id][step_id] = timezone.localdate(at)
    return found


_NOT_POSSIBLE, _NOT_SENT = "not_possible", "not_sent_unsafe"


def steps_closed(
    not_possible: QuerySet[StepNotPossible], letters: QuerySet[Letter]
) -> tuple[dict[int, dict[int, dt.date]], dict[int, dict[int, dt.date]]]:
    """Per episode, the steps closed without being done, by step id: the date each "if possible"
    step was recorded as not possible, and the date the manager refused, as unsafe, the letter a
    letter step asked for (the first refusal). One query for both, so a page or the sweep reads
    them in as many queries as it read the steps not possible alone.
    """
    rows = (
        not_possible.order_by()
        .annotate(closed=Value(_NOT_POSSIBLE))
        .values_list("closed", "episode_id", "step_id", "recorded_at")
        .union(
            letters.filter(status=LetterStatus.REFUSED, flow_step__isnull=False, episode__isnull=False)
            .order_by()
            .annotate(closed=Value(_NOT_SENT))
            .values_list("closed", "episode_id", "flow_step_id", "decided_at"),
            all=True,
        )
        .order_by()
    )
    found: dict[str, dict[int, dict[int, dt.date]]] = {
        _NOT_POSSIBLE: defaultdict(dict),
        _NOT_SENT: defaultdict(dict),
    }
    for closed, episode_id, step_id, at in rows:
        on = timezone.localdate(at)
        known = found[closed][episode_id].get(step_id)
        if known is None or on < known:
            found[closed][episode_id][step_id] = on
    return found[_NOT_POSSIBLE], found[_NOT_SENT]


def episodes_progress(
    episodes: Sequence[Episode],
    today: dt.date | None = None,
    *,
    steps: dict[int, list[StepSpec]] | None = None,
    closures: frozenset[dt.date] | None = None,
) -> dict[int, Progress]:
    """Each episode's progress on `today`, in a constant number of queries.

    `steps` and `closures`: the versions' steps and the closure days, when the caller has them.
    """
    today = today or timezone.localdate()
    if not episodes:
        return {}
    if steps is None:
        steps = steps_for(e.version_id for e in episodes)
    records = records_for(episodes)
    if closures is None:
        closures = closure_days()
    return {
        e.pk: progress(steps[e.version_id], e.day1, episode_calendar(e, closures), records[e.pk], today)
        for e in episodes
    }


@lru_cache(maxsize=8192)
def stored_summary(text: str | None) -> dict:
    """An episode's stored summary from its text (`Cast("summary", TextField())`), decoded once per
    distinct text: it changes only when the episode's records do, so the same few hundred come
    back on every view of a manager's lists, and decoding each was a fifth of a page's time.
    Read only, never changed: the dict is shared by every caller."""
    return json.loads(text) if text else {}


# What a list needs of each episode to show its summary, read as plain rows
# (`values_list(*SUMMARY_VALUES, named=True)`): lists read hundreds.
SUMMARY_VALUES = ("pk", "case_id", "version_id", "day1", "working_days", "nation", "summary")


def episodes_summaries(
    episodes: Sequence[Episode],
    today: dt.date | None = None,
    *,
    closures: frozenset[dt.date] | None = None,
    steps: dict[int, list[StepSpec]] | None = None,
) -> dict[int, Summary]:
    """Each episode's summary on `today` (day number, open steps), for lists of many families.

    Read from the summary the services store on each episode after every change to its
    records; an episode without a usable one (never refreshed since the summaries were added,
    or its records changed outside the services) has its flow chart derived here, the same
    arithmetic the case page uses. Two queries, plus those of `episodes_progress` when any
    episode needs deriving. `episodes`: Episode instances, or rows with the same attribute
    names (pk, case_id, version_id, day1, working_days, nation, summary). `steps` and
    `closures`: the versions' steps and the closure days, when the caller has them.
    """
    today = today or timezone.localdate()
    if not episodes:
        return {}
    if steps is None:
        steps = steps_for(e.version_id for e in episodes)
    by_id = {version: {step.id: step for step in specs} for version, specs in steps.items()}
    if closures is None:
        closures = closure_days()
    summaries: dict[int, Summary] = {}
    underived = []
    calendars: dict[tuple[bool, str], Calendar] = {}
    for e in episodes:
        calendar = calendars.get((e.working_days, e.nation))
        if calendar is None:
            calendar = calendars[(e.working_days, e.nation)] = episode_calendar(e, closures)
        summary = summary_from_record(e.summary, by_id.get(e.version_id, {}), e.day1, calendar, today)
        if summary is None:
            underived.append(e)
        else:
            summaries[e.pk] = summary
    for pk, result in episodes_progress(underived, today, steps=steps, closures=closures).items():
        summaries[pk] = summary_of(result)
    return summaries


def episode_progress(episode: Episode, today: dt.date | None = None) -> Progress:
    return episodes_progress([episode], today)[episode.pk]


_NONE_RECORDED: dict[str, dt.date] = {}
