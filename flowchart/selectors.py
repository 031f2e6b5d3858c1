"""Every read for the flow chart, with a constant number of queries however many episodes."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from cases.access import cases_managed_by
from cases.models import Case, User

from .calendar import Calendar
from .models import (
    Decision,
    Episode,
    FlowchartSettings,
    ManagerInformed,
    Notification,
    Oversight,
    Pathway,
    PathwayVersion,
    SafeguardingEscalation,
    Step,
)
from .schedule import ESCALATED, AttemptRecord, Progress, Records, Requirement, StepSpec, progress


def settings_in_force() -> FlowchartSettings:
    """The admin's settings row (created with the defaults if an admin removed it)."""
    settings, _ = FlowchartSettings.objects.get_or_create(pk=1)
    return settings


def calendar_in_force() -> Calendar:
    """The calendar new deadlines are counted on: working or calendar days, the nation's holidays."""
    settings = settings_in_force()
    return Calendar(working_days=settings.working_days, nation=settings.nation)


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
    try:
        from riskassessment.selectors import assessment_milestones
    except ImportError:
        return {}
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


def records_for(episodes: Sequence[Episode]) -> dict[int, Records]:
    """Each episode's records: the case's attempts since Day 1 and the dates of its milestones."""
    if not episodes:
        return {}
    ids = [e.pk for e in episodes]
    case_ids = list({e.case_id for e in episodes})
    earliest = min(e.day1 for e in episodes)
    from engagement.models import ContactAttempt

    attempts_by_case: dict[int, list[AttemptRecord]] = defaultdict(list)
    for pk, case_id, occurred_at, kind, outcome in ContactAttempt.objects.filter(
        case_id__in=case_ids,
        occurred_at__gte=timezone.make_aware(dt.datetime.combine(earliest - dt.timedelta(days=1), dt.time())),
    ).values_list("pk", "case_id", "occurred_at", "kind", "outcome"):
        attempts_by_case[case_id].append(
            AttemptRecord(id=pk, on=timezone.localdate(occurred_at), kind=kind, outcome=outcome)
        )
    informed = _first_dates(
        ManagerInformed.objects.filter(episode_id__in=ids).values_list("episode_id", "informed_at")
    )
    oversight = _first_dates(
        Oversight.objects.filter(episode_id__in=ids).values_list("episode_id", "recorded_at")
    )
    decided = _first_dates(
        Decision.objects.filter(episode_id__in=ids).values_list("episode_id", "decided_at")
    )
    escalated = _first_dates(
        SafeguardingEscalation.objects.filter(episode_id__in=ids).values_list("episode_id", "escalated_at")
    )
    fera = fera_milestones(case_ids)
    records = {}
    for episode in episodes:
        milestones = {
            Requirement.MANAGER_INFORMED: informed.get(episode.pk),
            Requirement.OVERSIGHT_RECORDED: oversight.get(episode.pk),
            Requirement.DECISION_MADE: decided.get(episode.pk),
            ESCALATED: escalated.get(episode.pk),
        }
        fera_on = fera.get(episode.case_id)
        if fera_on is not None and fera_on >= episode.day1:
            milestones[Requirement.FERA_COMPLETED] = fera_on
        records[episode.pk] = Records(
            attempts=tuple(a for a in attempts_by_case[episode.case_id] if a.on >= episode.day1),
            milestones={k: v for k, v in milestones.items() if v is not None},
        )
    return records


def episodes_progress(episodes: Sequence[Episode], today: dt.date | None = None) -> dict[int, Progress]:
    """Each episode's progress on `today`, in a constant number of queries."""
    today = today or timezone.localdate()
    steps = steps_for(e.version_id for e in episodes)
    records = records_for(episodes)
    return {e.pk: progress(steps[e.version_id], e.day1, e.calendar, records[e.pk], today) for e in episodes}


def episode_progress(episode: Episode, today: dt.date | None = None) -> Progress:
    return episodes_progress([episode], today)[episode.pk]


def live_episode(case: Case) -> Episode | None:
    return Episode.objects.filter(case=case, ended_on__isnull=True).select_related("version__pathway").first()


@dataclass
class StepView:
    """A step's progress with the attempts that satisfied it, for templates."""

    progress: object
    attempts: list

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


def case_flowchart(case: Case, today: dt.date | None = None) -> CaseFlowchart:
    """Everything the flow-chart panel and page show for one case."""
    today = today or timezone.localdate()
    episode = (
        Episode.objects.filter(case=case)
        .select_related("version__pathway", "case")
        .order_by("-started_at", "-id")
        .first()
    )
    if episode is None:
        return CaseFlowchart(None, None, [], None, [], [], [], today)
    result = episode_progress(episode, today)
    from engagement.models import ContactAttempt

    ids = [pk for step in result.steps for pk in step.attempt_ids]
    attempts = ContactAttempt.objects.in_bulk(ids)
    steps = [StepView(s, [attempts[pk] for pk in s.attempt_ids if pk in attempts]) for s in result.steps]
    return CaseFlowchart(
        episode=episode,
        progress=result,
        steps=steps,
        decision=Decision.objects.filter(episode=episode).select_related("decided_by").first(),
        informed=list(
            ManagerInformed.objects.filter(episode=episode).select_related("informed_by", "manager")
        ),
        oversights=list(
            Oversight.objects.filter(episode=episode).select_related("manager").prefetch_related("actions")
        ),
        escalations=list(
            SafeguardingEscalation.objects.filter(episode=episode).select_related("escalated_by")
        ),
        today=today,
    )


@dataclass
class QueueItem:
    episode: Episode
    progress: Progress
    informed: bool
    awaiting: list  # the manager's open steps, soonest first
    overdue: list  # every overdue step, whoever is responsible

    @property
    def deadline(self) -> dt.date | None:
        return self.awaiting[0].due_on if self.awaiting else None


def oversight_queue(user: User, today: dt.date | None = None) -> list[QueueItem]:
    """What awaits the manager on their teams' live episodes, soonest deadline first."""
    today = today or timezone.localdate()
    episodes = list(
        Episode.objects.filter(case__in=cases_managed_by(user), ended_on__isnull=True).select_related(
            "case__lead_practitioner", "version__pathway"
        )
    )
    progress_by_id = episodes_progress(episodes, today)
    informed_ids = set(
        ManagerInformed.objects.filter(episode__in=[e.pk for e in episodes]).values_list(
            "episode_id", flat=True
        )
    )
    items = []
    for episode in episodes:
        result = progress_by_id[episode.pk]
        awaiting = sorted(
            (s for s in result.steps if s.is_open and s.step.responsible == "line_manager"),
            key=lambda s: (s.due_on, s.step.order),
        )
        overdue = result.overdue
        items.append(QueueItem(episode, result, episode.pk in informed_ids, awaiting, overdue))
    far = dt.date.max
    items.sort(key=lambda i: (not i.informed, not i.overdue, i.deadline or far, i.episode.case.reference))
    return items


def my_cases_flowchart(cases: Iterable[Case], today: dt.date | None = None) -> dict[int, Progress]:
    """Each case's live-episode progress, keyed by case id, for the case list."""
    case_ids = [c.pk for c in cases]
    episodes = list(Episode.objects.filter(case_id__in=case_ids, ended_on__isnull=True))
    by_episode = episodes_progress(episodes, today)
    return {e.case_id: by_episode[e.pk] for e in episodes}


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("case")


def episode_attempts(episode: Episode) -> list:
    """Every attempt in the episode's time, oldest first, with who made it."""
    from engagement.models import ContactAttempt

    attempts = (
        ContactAttempt.objects.filter(case_id=episode.case_id)
        .select_related("made_by")
        .order_by("occurred_at", "id")
    )
    end = episode.ended_on or dt.date.max
    return [a for a in attempts if episode.day1 <= timezone.localdate(a.occurred_at) <= end]
