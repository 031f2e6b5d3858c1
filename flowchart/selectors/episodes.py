"""One case's flow chart, as its page and panel show it, and the case list's summaries."""

import datetime as dt
from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import practitioner_cases_by_id
from cases.compiled import compiled_read, record_from
from cases.models import LIVE_STATUSES, Case, User
from engagement.documents.models import Letter, LetterStatus
from engagement.household import reads_letters_another_way
from engagement.models import ContactAttempt, EngagementAgreement

from ..models import (
    ClosureRequest,
    Decision,
    Episode,
    ManagerInformed,
    Oversight,
    Pathway,
    PathwayVersion,
    SafeguardingEscalation,
    Step,
    StepNotPossible,
)
from ..schedule import (
    EndReason,
    Progress,
    Status,
    Summary,
    progress,
)
from .calendar import closure_days, episode_calendar
from .pathways import steps_for
from .progress import MILESTONE_MODELS, SUMMARY_VALUES, _first_dates, episodes_summaries, records_for


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


@dataclass
class CaseFlowchartSummary:
    """What the case page shows of the flow chart: where the latest run is and what is owed
    next, without the step-by-step list (that is the flow chart's own page)."""

    episode: Episode | None
    progress: Summary | None
    today: dt.date
    closure_request: ClosureRequest | None = None
    awaiting_decision: bool = False

    @property
    def owed_now(self) -> list:
        """The open steps overdue or due today, in the order they fell due."""
        if self.progress is None:
            return []
        owed = [s for s in self.progress.open_steps if s.status in (Status.OVERDUE, Status.DUE_TODAY)]
        return sorted(owed, key=lambda s: (s.due_on, s.step.order))


# The case page's two reads of the flow chart, compiled once a process (`cases.compiled`):
# building them was most of the flow chart's part of the page. Each reads its record with what the
# page shows of its related records (`record_from` makes each, any other field read if asked for).
EPISODE_FIELDS = tuple(f.attname for f in Episode._meta.concrete_fields)
CLOSURE_REQUEST_FIELDS = tuple(f.attname for f in ClosureRequest._meta.concrete_fields)
REQUESTER_FIELDS = ("id", "full_name", "email")  # as `User.__str__` names them


@compiled_read
def _latest_episode(*, case: int):
    return (
        Episode.objects.filter(case_id=case)
        # Whether a decision is recorded on it, with it: one query fewer.
        .annotate(decided=Exists(Decision.objects.filter(episode=OuterRef("pk"))))
        .order_by("-started_at", "-id")
        .values_list(
            *EPISODE_FIELDS, "version__number", "version__pathway_id", "version__pathway__name", "decided"
        )[:1]
    )


def _latest_episode_of(case: Case) -> Episode | None:
    rows = _latest_episode(case=case.pk)
    if not rows:
        return None
    row, n = rows[0], len(EPISODE_FIELDS)
    episode = record_from(Episode, EPISODE_FIELDS, row[:n])
    number, pathway_id, pathway_name, decided = row[n:]
    version = record_from(
        PathwayVersion, ("id", "number", "pathway_id"), (episode.version_id, number, pathway_id)
    )
    version.pathway = record_from(Pathway, ("id", "name"), (pathway_id, pathway_name))
    episode.version = version
    episode.decided = decided
    return episode


@compiled_read
def _open_closure_request(*, case: int):
    return (
        ClosureRequest.objects.filter(case_id=case, decided_at__isnull=True)
        .order_by("-requested_at", "-id")
        .values_list(*CLOSURE_REQUEST_FIELDS, *(f"requested_by__{name}" for name in REQUESTER_FIELDS))[:1]
    )


def _open_closure_request_of(case: Case) -> ClosureRequest | None:
    rows = _open_closure_request(case=case.pk)
    if not rows:
        return None
    row, n = rows[0], len(CLOSURE_REQUEST_FIELDS)
    request = record_from(ClosureRequest, CLOSURE_REQUEST_FIELDS, row[:n])
    request.requested_by = record_from(User, REQUESTER_FIELDS, row[n:])
    return request


def case_flowchart_summary(case: Case, today: dt.date | None = None) -> CaseFlowchartSummary:
    """The case page's flow chart: the latest run's day and open steps, read from the summary the
    services keep on the episode (`episodes_summaries`, as the case list reads it) rather than
    derived from every attempt and milestone, which only the flow chart's page needs. The open
    request to close the case, and whether a decision can be recorded now. A fixed number of
    queries, however many attempts."""
    today = today or timezone.localdate()
    episode = _latest_episode_of(case)
    closure_request = _open_closure_request_of(case)
    if episode is None:
        return CaseFlowchartSummary(None, None, today, closure_request)
    summary = episodes_summaries([episode], today)[episode.pk]
    return CaseFlowchartSummary(
        episode=episode,
        progress=summary,
        today=today,
        closure_request=closure_request,
        awaiting_decision=case.is_open
        and not episode.decided
        and (episode.is_live or bool(episode.end_reason)),
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
        return _("The flow chart was not running on that day, so it counted towards no step.")
    chart = case_flowchart(attempt.case, today, episode_id=episode.pk)
    for step in chart.steps:
        if attempt.pk in step.attempt_ids:
            if step.done_late:
                return _("It counted towards the flow-chart step: %(step)s (late).") % {
                    "step": step.step.title
                }
            return _("It counted towards the flow-chart step: %(step)s.") % {"step": step.step.title}
    takes_kind = [s for s in chart.steps if attempt.counts_as in s.step.attempt_kinds]
    if not takes_kind:
        return _(
            "No flow-chart step asks for this kind of attempt, so it counted towards none. It shows on "
            "the flow chart under its day."
        )
    if all(s.status in (Status.DONE, Status.NOT_POSSIBLE, Status.NOT_SENT_UNSAFE) for s in takes_kind):
        return _(
            "The flow-chart steps it could count towards were already met, so it counted towards none. "
            "It shows on the flow chart under its day."
        )
    return _(
        "It was made outside the days of the steps that ask for it, so it counted towards none. It shows "
        "on the flow chart under its day."
    )


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


@dataclass(frozen=True)
class LiveChart:
    """A live case's flow chart as a card shows it: its summary, and the day of its pathway
    version's last step ("Day 6 of 15"; None for a version without steps)."""

    summary: Summary
    last_day: int | None


def live_charts(cases: Iterable[Case], today: dt.date | None = None) -> dict[int, LiveChart]:
    """Each live case's live-episode summary and its pathway's length, keyed by case id. A case no
    longer live (closed, stepped up or down, escalated) shows no flow chart, whatever its episode.
    The episodes and the versions' steps (which give the length too): a fixed number of queries."""
    case_ids = [c.pk for c in cases if c.status in LIVE_STATUSES]
    episodes = list(
        Episode.objects.filter(case_id__in=case_ids, ended_on__isnull=True).values_list(
            *SUMMARY_VALUES, named=True
        )
    )
    return _live_charts_of(episodes, today)


_EpisodeRow = namedtuple("_EpisodeRow", SUMMARY_VALUES)


@compiled_read
def _practitioners_live_episodes(*, practitioner: int):
    return Episode.objects.filter(
        case__in=practitioner_cases_by_id(practitioner).filter(status__in=LIVE_STATUSES).values("pk"),
        ended_on__isnull=True,
    ).values_list(*SUMMARY_VALUES)


def practitioners_live_charts(practitioner: User, today: dt.date | None = None) -> dict[int, LiveChart]:
    """`live_charts` of every case the lead practitioner may see, from a read compiled once a
    process (`cases.compiled`): building the read of a caseload's episodes cost about 0.7 ms of
    "My work today"'s every load. The caller has checked that the user is a lead practitioner."""
    episodes = [_EpisodeRow(*row) for row in _practitioners_live_episodes(practitioner=practitioner.pk)]
    return _live_charts_of(episodes, today)


def _live_charts_of(episodes: list, today: dt.date | None) -> dict[int, LiveChart]:
    if not episodes:
        return {}
    steps = steps_for(e.version_id for e in episodes)
    by_episode = episodes_summaries(episodes, today, steps=steps)
    return {
        e.case_id: LiveChart(
            by_episode[e.pk], max((step.day for step in steps.get(e.version_id, ())), default=None)
        )
        for e in episodes
    }


def my_cases_flowchart(cases: Iterable[Case], today: dt.date | None = None) -> dict[int, Summary]:
    """Each live case's live-episode summary, keyed by case id, for the case list (`live_charts`)."""
    return {case_id: chart.summary for case_id, chart in live_charts(cases, today).items()}


def episode_attempts(episode: Episode) -> list:
    """Every attempt in the episode's time, oldest first, with who made it."""
    attempts = (
        ContactAttempt.objects.filter(case_id=episode.case_id)
        .select_related("made_by")
        .order_by("occurred_at", "id")
    )
    end = episode.ended_on or dt.date.max
    return [a for a in attempts if episode.day1 <= timezone.localdate(a.occurred_at) <= end]
