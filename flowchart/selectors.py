"""Every read for the flow chart, with a constant number of queries however many episodes."""

import datetime as dt
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connection
from django.db.models import CharField, F, Q, QuerySet, StringAgg, Value
from django.db.models.functions import Cast, Concat, TruncDate
from django.http import Http404
from django.utils import timezone

from cases.access import cases_managed_by
from cases.calendar import Calendar
from cases.models import LIVE_STATUSES, Case, CaseMembership, CaseStatus, MembershipRole, User
from cases.notifications import Notification
from engagement.documents.models import Letter, LetterStatus
from engagement.household import reads_letters_another_way
from engagement.models import ContactAttempt, EngagementAgreement
from riskassessment.selectors import assessment_milestones

from .models import (
    ClosureDay,
    ClosureRequest,
    Decision,
    Episode,
    FlowchartSettings,
    ManagerInformed,
    Oversight,
    Pathway,
    PathwayVersion,
    SafeguardingEscalation,
    Step,
    StepNotPossible,
)
from .schedule import (
    ENGAGED,
    ESCALATED,
    AttemptRecord,
    DueNow,
    EndReason,
    Progress,
    Records,
    Requirement,
    Status,
    StepSpec,
    Summary,
    due_now,
    numbered_attempts,
    progress,
    summary_from_record,
    summary_of,
)


def settings_in_force() -> FlowchartSettings:
    """The admin's settings row (created with the defaults if an admin removed it)."""
    settings, _ = FlowchartSettings.objects.get_or_create(pk=1)
    return settings


def closure_days() -> frozenset[dt.date]:
    """Every day the admin has marked as a service closure day. One query."""
    return frozenset(ClosureDay.objects.values_list("date", flat=True))


def calendar_in_force() -> Calendar:
    """The calendar new deadlines are counted on: working or calendar days, the nation's holidays
    and the service's closure days."""
    settings = settings_in_force()
    return Calendar(working_days=settings.working_days, nation=settings.nation, closures=closure_days())


def episode_calendar(episode: Episode, closures: frozenset[dt.date]) -> Calendar:
    """The episode's own calendar (kept from its start) with today's closure days.

    Closure days reach episodes already running: nobody can visit on a day the service is shut.
    """
    return Calendar(working_days=episode.working_days, nation=episode.nation, closures=closures)


def step_escalation_due(
    *, due_on: dt.date, today: dt.date, settings: FlowchartSettings, calendar: Calendar
) -> bool:
    """Whether an overdue step has been overdue long enough to tell the line manager."""
    return settings.escalate_overdue_steps and calendar.add(due_on, settings.escalate_after_days) <= today


def episodes_for_closure_change(day: dt.date) -> QuerySet[Episode]:
    """Live working-day episodes whose stored next due date a closure on `day` may move."""
    return Episode.objects.filter(
        ended_on__isnull=True, working_days=True, day1__lte=day, next_due_on__gte=day
    ).select_related("case")


def current_version(pathway_code: str | None = None) -> PathwayVersion | None:
    """The latest published version of the pathway (the default pathway when no code is given)."""
    pathways = (
        Pathway.objects.filter(code=pathway_code) if pathway_code else Pathway.objects.filter(is_default=True)
    )
    return (
        PathwayVersion.objects.filter(pathway__in=pathways, published_at__isnull=False)
        .select_related("pathway")
        .order_by("-number")
        .first()
    )


def steps_for(version_ids: Iterable[int]) -> dict[int, list[StepSpec]]:
    steps: dict[int, list[StepSpec]] = defaultdict(list)
    for step in Step.objects.filter(version_id__in=set(version_ids)).order_by("order"):
        steps[step.version_id].append(step.spec())
    return steps


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
        ContactAttempt.objects.filter(
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


# What a list needs of each episode to show its summary, read as plain rows
# (`values_list(*SUMMARY_VALUES, named=True)`): lists read hundreds.
SUMMARY_VALUES = ("pk", "case_id", "version_id", "day1", "working_days", "nation", "summary")


def episodes_summaries(
    episodes: Sequence[Episode], today: dt.date | None = None, *, closures: frozenset[dt.date] | None = None
) -> dict[int, Summary]:
    """Each episode's summary on `today` (day number, open steps), for lists of many families.

    Read from the summary the services store on each episode after every change to its
    records; an episode without a usable one (never refreshed since the summaries were added,
    or its records changed outside the services) has its flow chart derived here, the same
    arithmetic the case page uses. Two queries, plus those of `episodes_progress` when any
    episode needs deriving. `episodes`: Episode instances, or rows with the same attribute
    names (pk, case_id, version_id, day1, working_days, nation, summary).
    """
    today = today or timezone.localdate()
    if not episodes:
        return {}
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


def case_has_run(case: Case) -> bool:
    """Whether the flow chart has run on the case before (starting it again defaults Day 1 to today)."""
    return Episode.objects.filter(case=case).exists()


def live_step(case: Case, order: int, *, if_possible: bool = False) -> Step:
    """A step of the case's live episode by its order; 404 if there is none (or it is not an
    "if possible" step, when asked for one)."""
    steps = Step.objects.filter(
        version__episodes__case=case, version__episodes__ended_on__isnull=True, order=order
    )
    if if_possible:
        steps = steps.filter(if_possible=True)
    step = steps.first()
    if step is None:
        raise Http404("No such step on this case's flow chart")
    return step


def live_episode(case: Case) -> Episode | None:
    return Episode.objects.filter(case=case, ended_on__isnull=True).select_related("version__pathway").first()


@dataclass
class StepView:
    """A step's progress with the attempts that satisfied it, for templates."""

    progress: object
    attempts: list
    not_possible: StepNotPossible | None = None
    not_sent: Letter | None = None  # the letter the manager refused as unsafe, for a letter step
    readers: tuple = ()  # for a letter step: who reads letters best another way, and why

    @property
    def asks_for_letter(self) -> bool:
        return "letter" in (self.progress.step.attempt_kinds or ())

    def __getattr__(self, name):
        return getattr(self.progress, name)


@dataclass
class CaseFlowchart:
    episode: Episode | None
    progress: Progress | None
    steps: list[StepView]
    decision: Decision | None
    informed: list[ManagerInformed]
    oversights: list[Oversight]
    escalations: list[SafeguardingEscalation]
    today: dt.date
    # Attempts in the episode's time that met no step, by the day they were made.
    also_recorded: list[tuple[dt.date, list]] = field(default_factory=list)
    agreement: EngagementAgreement | None = None
    # Every run of the flow chart on the case, newest first, the one shown among them.
    episodes: list[Episode] = field(default_factory=list)
    # The open request to close the case, if any, and whether a decision can be recorded now (on
    # the live run, or on a run that ended with an escalation or engagement and has none yet).
    closure_request: ClosureRequest | None = None
    awaiting_decision: bool = False
    # The requests to close the case already answered, newest first.
    answered_closure_requests: list[ClosureRequest] = field(default_factory=list)
    # The adults a letter may not reach as written: (person, why), for the letter steps.
    letter_readers: list = field(default_factory=list)


def case_flowchart(
    case: Case, today: dt.date | None = None, *, episode_id: int | None = None
) -> CaseFlowchart:
    """Everything the flow-chart panel and page show for one case: its latest run through the
    flow chart, or the run `episode_id` when an earlier one is asked for."""
    today = today or timezone.localdate()
    episodes = list(
        Episode.objects.filter(case=case)
        .select_related("version__pathway", "case")
        .order_by("-started_at", "-id")
    )
    episode = next((e for e in episodes if e.pk == episode_id), None) if episode_id else None
    episode = episode or (episodes[0] if episodes else None)
    closure_requests = list(
        ClosureRequest.objects.filter(case=case)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )
    closure_request = next((r for r in closure_requests if r.is_open), None)
    answered = [r for r in closure_requests if not r.is_open]
    if episode is None:
        return CaseFlowchart(
            None, None, [], None, [], [], [], today, closure_request, answered_closure_requests=answered
        )
    # The milestones are shown as well as counted: read once, their dates taken from them.
    decisions = list(Decision.objects.filter(episode=episode).select_related("decided_by", "shared_by"))
    informed = list(ManagerInformed.objects.filter(episode=episode).select_related("informed_by", "manager"))
    oversights = list(
        Oversight.objects.filter(episode=episode).select_related("manager").prefetch_related("actions")
    )
    escalations = list(SafeguardingEscalation.objects.filter(episode=episode).select_related("escalated_by"))
    read = {
        name: _first_dates((episode.pk, getattr(row, field)) for row in rows)
        for (_, name, field), rows in zip(
            MILESTONE_MODELS, (informed, oversights, decisions, escalations), strict=True
        )
    }
    records = records_for([episode], milestones_read=read)
    closures = closure_days()
    steps_of = steps_for([episode.version_id])[episode.version_id]
    result = progress(steps_of, episode.day1, episode_calendar(episode, closures), records[episode.pk], today)
    end = min(result.ended_on or today, today)
    attempts = [
        a
        for a in ContactAttempt.objects.filter(case=case, occurred_at__gte=_day_start(episode.day1))
        .select_related("made_by", "with_person")
        .order_by("occurred_at", "id")
        if timezone.localdate(a.occurred_at) <= end
    ]
    by_id = {a.pk: a for a in attempts}
    not_possible = {
        row.step_id: row
        for row in StepNotPossible.objects.filter(episode=episode).select_related("recorded_by")
    }
    refused = {}
    for letter in (
        Letter.objects.filter(episode=episode, status=LetterStatus.REFUSED, flow_step__isnull=False)
        .select_related("decided_by", "recipient")
        .order_by("-decided_at", "-id")
    ):
        refused[letter.flow_step_id] = letter  # the first refusal, as the schedule counts it
    readers = _letter_readers(case)
    steps = [
        StepView(
            s,
            [by_id[pk] for pk in s.attempt_ids if pk in by_id],
            not_possible.get(s.step.id) if s.status == Status.NOT_POSSIBLE else None,
            refused.get(s.step.id) if s.status == Status.NOT_SENT_UNSAFE else None,
            tuple(readers) if "letter" in (s.step.attempt_kinds or ()) else (),
        )
        for s in result.steps
    ]
    counted = {pk for s in result.steps for pk in s.attempt_ids}
    also: dict[dt.date, list] = {}
    for attempt in attempts:
        if attempt.pk not in counted:
            also.setdefault(timezone.localdate(attempt.occurred_at), []).append(attempt)
    agreement = None
    if result.end_reason == EndReason.ENGAGED:
        agreement = (
            EngagementAgreement.objects.filter(case=case, agreed_at__gte=_day_start(episode.day1))
            .select_related("person")
            .order_by("agreed_at", "id")
            .first()
        )
    return CaseFlowchart(
        episode=episode,
        progress=result,
        steps=steps,
        decision=decisions[0] if decisions else None,
        informed=informed,
        oversights=oversights,
        escalations=escalations,
        today=today,
        also_recorded=sorted(also.items()),
        agreement=agreement,
        episodes=episodes,
        closure_request=closure_request,
        answered_closure_requests=answered,
        awaiting_decision=case.is_open and not decisions and (episode.is_live or bool(episode.end_reason)),
        letter_readers=readers,
    )


def _letter_readers(case: Case) -> list[tuple]:
    """The case's adults who prefer to talk rather than read letters or need an interpreter, with
    why (Knowsley 000: "some parents/carers are not be able to read letters"). One query."""
    found = []
    for person in case.people.filter(kind="adult").filter(
        Q(prefers_verbal_communication=True) | Q(needs_interpreter=True)
    ):
        found.append((person, reads_letters_another_way(person)))
    return found


def attempt_counted(attempt: ContactAttempt, today: dt.date | None = None) -> str:
    """Which flow-chart step an attempt counted towards, or why it counted towards none, in words
    the practitioner sees when they save it."""
    today = today or timezone.localdate()
    on = timezone.localdate(attempt.occurred_at)
    episode = (
        Episode.objects.filter(case_id=attempt.case_id, day1__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .order_by("-day1", "-id")
        .first()
    )
    if episode is None:
        return "The flow chart was not running on that day, so it counted towards no step."
    chart = case_flowchart(attempt.case, today, episode_id=episode.pk)
    for step in chart.steps:
        if attempt.pk in step.attempt_ids:
            late = " (late)" if step.done_late else ""
            return f"It counted towards the flow-chart step: {step.step.title}{late}."
    takes_kind = [s for s in chart.steps if attempt.counts_as in s.step.attempt_kinds]
    if not takes_kind:
        return (
            "No flow-chart step asks for this kind of attempt, so it counted towards none. It shows on "
            "the flow chart under its day."
        )
    if all(s.status in (Status.DONE, Status.NOT_POSSIBLE, Status.NOT_SENT_UNSAFE) for s in takes_kind):
        return (
            "The flow-chart steps it could count towards were already met, so it counted towards none. "
            "It shows on the flow chart under its day."
        )
    return (
        "It was made outside the days of the steps that ask for it, so it counted towards none. It shows "
        "on the flow chart under its day."
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass
class QueueItem:
    episode: Episode
    progress: Summary
    informed: bool
    awaiting: list  # the manager's open steps, soonest first
    overdue: list  # every overdue step, whoever is responsible
    not_possible: list = field(default_factory=list)  # "if possible" steps recorded as not possible

    @property
    def deadline(self) -> dt.date | None:
        return self.awaiting[0].due_on if self.awaiting else None


def oversight_queue(user: User, today: dt.date | None = None) -> list[QueueItem]:
    """What awaits the manager on their teams' live episodes, soonest deadline first."""
    today = today or timezone.localdate()
    # Live work only: a live episode of a live case. A case closed, stepped up or down, or
    # escalated to the MASH is never shown here as flow-chart work (see `decisions_awaited`).
    episodes = list(
        Episode.objects.filter(
            case__in=cases_managed_by(user), case__status__in=LIVE_STATUSES, ended_on__isnull=True
        ).select_related("case__lead_practitioner")
    )
    progress_by_id = episodes_summaries(episodes, today)
    informed_ids = set(
        ManagerInformed.objects.filter(episode__in=[e.pk for e in episodes]).values_list(
            "episode_id", flat=True
        )
    )
    not_possible = defaultdict(list)
    for row in StepNotPossible.objects.filter(episode__in=[e.pk for e in episodes]).select_related("step"):
        not_possible[row.episode_id].append(row)
    items = []
    for episode in episodes:
        result = progress_by_id[episode.pk]
        awaiting = sorted(
            (s for s in result.open_steps if s.step.responsible == "line_manager"),
            key=lambda s: (s.due_on, s.step.order),
        )
        overdue = result.overdue
        items.append(
            QueueItem(
                episode, result, episode.pk in informed_ids, awaiting, overdue, not_possible[episode.pk]
            )
        )
    far = dt.date.max
    items.sort(key=lambda i: (not i.informed, not i.overdue, i.deadline or far, i.episode.case.reference))
    return items


def closure_requests_awaiting(user: User) -> list[ClosureRequest]:
    """Requests to close a case that await this manager's answer, oldest first. One query."""
    return list(
        ClosureRequest.objects.filter(case__in=cases_managed_by(user), decided_at__isnull=True)
        .select_related("case", "requested_by")
        .order_by("requested_at", "id")
    )


def closure_request_for(case: Case, pk) -> ClosureRequest:
    """One request to close this case (the case already checked for the user), or 404."""
    from django.http import Http404

    try:
        return ClosureRequest.objects.select_related("requested_by", "case").get(case=case, pk=pk)
    except (ClosureRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such request") from None


def decisions_awaited(user: User) -> list[Case]:
    """This manager's cases escalated to the MASH whose decision is still to be recorded. One query."""
    return list(
        cases_managed_by(user)
        .filter(status=CaseStatus.ESCALATED)
        .select_related("lead_practitioner")
        .order_by("updated_at", "id")
    )


def my_cases_flowchart(cases: Iterable[Case], today: dt.date | None = None) -> dict[int, Summary]:
    """Each live case's live-episode summary, keyed by case id, for the case list. A case no
    longer live (closed, stepped up or down, escalated) shows no flow chart, whatever its episode."""
    case_ids = [c.pk for c in cases if c.status in LIVE_STATUSES]
    episodes = list(
        Episode.objects.filter(case_id__in=case_ids, ended_on__isnull=True).values_list(
            *SUMMARY_VALUES, named=True
        )
    )
    by_episode = episodes_summaries(episodes, today)
    return {e.case_id: by_episode[e.pk] for e in episodes}


def episode_attempts(episode: Episode) -> list:
    """Every attempt in the episode's time, oldest first, with who made it."""
    attempts = (
        ContactAttempt.objects.filter(case_id=episode.case_id)
        .select_related("made_by")
        .order_by("occurred_at", "id")
    )
    end = episode.ended_on or dt.date.max
    return [a for a in attempts if episode.day1 <= timezone.localdate(a.occurred_at) <= end]


# ---------------------------------------------------------------------------------------------
# The reminder sweep's reads: every due episode at once, as plain values.


@dataclass(slots=True)  # not frozen: a frozen dataclass is slow to build, and there are thousands
class DueEpisode:
    """A live episode with a step due or overdue, with what its reminders need to say."""

    id: int
    case_id: int
    reference: str
    family_name: str
    lead_id: int
    lead_name: str
    manager_id: int | None
    next_due_on: dt.date | None
    # Its end, next due date and steps due today then overdue, shared by the episodes whose
    # records are the same (schedule.due_now: progress() as the sweep reads it).
    schedule: DueNow


def _due_filter(today: dt.date, changed_since: dt.datetime | None, *, episode: str, case: str) -> Q:
    """Live episodes of live cases due on or before `today`, as seen from another model.

    `episode` and `case` are the paths from that model to the episode and to its case. Each read
    of the sweep joins to the due episodes through this filter rather than taking their ids as
    parameters, which would grow with the episodes (and meet SQLite's limit on parameters).
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
    return due


def due_episodes(
    *, today: dt.date, changed_since: dt.datetime | None = None, closures: frozenset[dt.date] | None = None
) -> list[DueEpisode]:
    """Every live episode due on or before `today` with what is due, in a constant number of queries.

    One query each for the episodes (through the index on next_due_on), their pathways' steps,
    their cases' attempts, their milestones, the cases' FERA dates and the closure days, however
    many episodes are due; rows come back as values, never as model instances. Episodes with the
    same pathway version, Day 1, calendar, attempts and milestones have the same progress (the
    schedule is a pure function of those), so each such combination is worked out once.
    `changed_since`: only the episodes the services changed since then (later sweeps of a day);
    `closures`: the service's closure days, when the caller has read them already.
    """
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
            "case__family_name",
            "case__lead_practitioner_id",
            "case__lead_practitioner__full_name",
            "case__lead_practitioner__email",
            "case__team__manager_id",
        )
    )
    if not rows:
        return []
    steps = steps_for({row[2] for row in rows})
    counted = [
        step for version in steps.values() for step in version if step.requirement == Requirement.ATTEMPTS
    ]
    attempts, attempts_from = _due_attempts(
        today,
        changed_since,
        since=min(row[3] for row in rows),
        kinds=frozenset(kind for step in counted for kind in step.attempt_kinds),
        outcomes=any(step.attempt_outcomes for step in counted),
    )
    milestones = _due_milestones(today, changed_since)
    fera = fera_milestones(
        Case.objects.filter(_due_filter(today, changed_since, episode="episodes__", case="")).values("pk")
    )
    agreed = agreement_dates(
        EngagementAgreement.objects.filter(
            _due_filter(today, changed_since, episode="case__episodes__", case="case__")
        )
    )
    due_here = _due_filter(today, changed_since, episode="episode__", case="episode__case__")
    not_possible, not_sent = steps_closed(
        StepNotPossible.objects.filter(due_here), Letter.objects.filter(due_here)
    )
    if closures is None:
        closures = closure_days()

    calendars: dict[tuple[bool, str], Calendar] = {}
    evaluated: dict[tuple, DueNow] = {}
    due = []
    for (
        pk,
        case_id,
        version_id,
        day1,
        working_days,
        nation,
        next_due_on,
        reference,
        family_name,
        lead_id,
        lead_full_name,
        lead_email,
        manager_id,
    ) in rows:
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
        due.append(
            DueEpisode(
                id=pk,
                case_id=case_id,
                reference=reference,
                family_name=family_name,
                lead_id=lead_id,
                lead_name=lead_full_name or lead_email,
                manager_id=manager_id,
                next_due_on=next_due_on,
                schedule=schedule,
            )
        )
    return due


_NONE_RECORDED: dict[str, dt.date] = {}


def escalations_recorded(*, today: dt.date, changed_since: dt.datetime | None = None) -> frozenset[str]:
    """The keys of the overdue-step escalations already recorded for the due episodes, in one query.

    An escalation is recorded once ever (its key names no day), so every morning after the first
    finds most of them recorded already; the sweep leaves those out rather than wording each
    again for the unique key to turn away.
    """
    return frozenset(
        Notification.objects.filter(
            _due_filter(today, changed_since, episode="case__episodes__", case="case__"),
            kind="step_overdue",
        ).values_list("key", flat=True)
    )


def _due_attempts(
    today: dt.date,
    changed_since: dt.datetime | None,
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
    attempts = ContactAttempt.objects.filter(
        _due_filter(today, changed_since, episode="case__episodes__", case="case__"),
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


def _due_milestones(today: dt.date, changed_since: dt.datetime | None) -> dict[int, dict[str, dt.date]]:
    """Per due episode, the first local date of each milestone recorded on it, in one query."""
    due = _due_filter(today, changed_since, episode="episode__", case="episode__case__")
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


# ---------------------------------------------------------------------------------------------
# Telling the multi-agency meeting the decision


def decision_for(case: Case, pk) -> Decision:
    """One decision recorded on this case (the case already checked for the user), or 404."""
    from django.http import Http404

    try:
        return Decision.objects.select_related("episode__case", "decided_by", "shared_by").get(
            episode__case=case, pk=pk
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such decision") from None


def decision_members(decision: Decision) -> list[tuple[CaseMembership, object]]:
    """The case's live multi-agency members, each with their share of the decision (or None)."""
    shares = {s.member_id: s for s in decision.shares.all()}
    memberships = CaseMembership.objects.filter(
        case_id=decision.episode.case_id, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
    ).select_related("user__agency")
    return [(m, shares.get(m.user_id)) for m in memberships.order_by("user__full_name")]


def decisions_to_chase(*, today: dt.date, horizon: dt.date, late_by: dt.date) -> QuerySet[Decision]:
    """Decisions not yet shared with a multi-agency meeting their case has: due by `horizon` and not
    yet reminded, or due on or before `late_by` and not yet escalated."""
    from django.db.models import Exists, OuterRef

    members = CaseMembership.objects.filter(
        case_id=OuterRef("episode__case_id"), role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
    )
    return (
        Decision.objects.filter(shared_at__isnull=True, share_due_on__isnull=False)
        .filter(
            Q(share_due_on__lte=late_by, share_escalated_at__isnull=True)
            | Q(share_due_on__gte=today, share_due_on__lte=horizon, share_reminded_at__isnull=True)
        )
        .filter(Exists(members))
        .select_related("episode__case__team__manager", "episode__case__lead_practitioner")
        .order_by("share_due_on", "id")
    )
