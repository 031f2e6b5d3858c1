"""What awaits the line manager: oversight, requests to close a case, decisions after an escalation."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import cases_managed_by
from cases.models import LIVE_STATUSES, Case, CaseStatus, User
from engagement.models import ContactAttempt
from riskassessment.recorded_oversight import OversightActionRow, RecordedOversight
from riskassessment.selectors import assessment_outcome

from ..models import (
    ClosureRequest,
    Episode,
    ManagerInformed,
    Oversight,
    OversightAction,
    StepNotPossible,
)
from ..schedule import (
    Summary,
)
from .episodes import CaseFlowchart, live_episode
from .progress import episodes_summaries


def attempts_tried_lines(case: Case) -> str:
    """The attempts of the live run of the flow chart (its chronology), one a line, oldest first:
    what "Inform your manager" and a request to close the case start from."""
    episode = live_episode(case)
    attempts = []
    if episode is not None:
        end = episode.ended_on or dt.date.max
        attempts = [  # as episode_attempts reads them, with the person each was with
            a
            for a in ContactAttempt.objects.filter(case_id=case.pk)
            .select_related("with_person")
            .order_by("occurred_at", "id")
            if episode.day1 <= timezone.localdate(a.occurred_at) <= end
        ]
    lines = []
    for attempt in attempts:
        who = attempt.with_person.full_name if attempt.with_person_id else attempt.with_other
        values = {
            "date": f"{timezone.localtime(attempt.occurred_at):%-d %b %Y}",
            "kind": attempt.get_kind_display(),
            "who": who,
            "outcome": attempt.get_outcome_display().lower(),
        }
        # Translators: one attempt a line, for example "3 Nov 2026: Telephone call with Sam (no answer)".
        line = (
            _("%(date)s: %(kind)s with %(who)s (%(outcome)s)")
            if who
            else _("%(date)s: %(kind)s (%(outcome)s)")
        )
        lines.append(line % values)
    return "\n".join(lines)


def manager_inform_prefill(case: Case) -> dict[str, str]:
    """What "Inform your manager" starts from, both already recorded: the attempts of the live run
    of the flow chart, one a line, and the outcome of the latest submitted assessment.
    Knowsley 000, Appendix 4: "Inform Manager of non-engagement and update on what
    strategies have been tried, share the outcome of the Family Engagement Risk Assessment"."""
    return {"strategies_tried": attempts_tried_lines(case), "fera_outcome": assessment_outcome(case)}


def closure_request_prefill(case: Case) -> dict[str, str]:
    """What a request to close the case starts from: the attempts already recorded, for the
    practitioner to check and add what has changed."""
    return {"reason": attempts_tried_lines(case)}


def oversight_prefill(chart: CaseFlowchart) -> dict[str, str]:
    """What the manager's oversight starts from: whether the non-engagement raises the risk, as
    the lead practitioner answered it when they informed the manager (the latest time, if more than
    one). Read from the flow chart already on the page (`case_flowchart`): no query."""
    latest = max(chart.informed, key=lambda row: (row.informed_at, row.pk), default=None)
    return {"risk_raised": latest.risk_increased} if latest is not None else {}


def case_oversight_recorded(
    case: Case, *, since: dt.datetime, until: dt.datetime | None = None
) -> list[RecordedOversight]:
    """The management oversight recorded on the case's flow chart in [since, until], oldest first,
    as the assessment reads it (riskassessment/recorded_oversight.py): two queries, however many."""
    records = (
        Oversight.objects.filter(episode__case=case, recorded_at__gte=since)
        .select_related("manager")
        .prefetch_related(Prefetch("actions", queryset=OversightAction.objects.order_by("by_when", "id")))
        .order_by("recorded_at", "id")
    )
    if until is not None:
        records = records.filter(recorded_at__lte=until)
    return [
        RecordedOversight(
            manager_name=record.manager.full_name,
            recorded_at=record.recorded_at,
            discussion=record.discussion,
            actions=[
                OversightActionRow(what=a.what, who=a.who, by_when=a.by_when, review_on=a.review_on)
                for a in record.actions.all()
            ],
        )
        for record in records
    ]


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
