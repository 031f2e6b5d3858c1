"""What awaits the line manager: oversight, requests to close a case, decisions after an escalation."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404
from django.utils import timezone

from cases.access import cases_managed_by
from cases.models import LIVE_STATUSES, Case, CaseStatus, User

from ..models import (
    ClosureRequest,
    Episode,
    ManagerInformed,
    StepNotPossible,
)
from ..schedule import (
    Summary,
)
from .progress import episodes_summaries


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
