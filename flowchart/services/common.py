"""What the flow chart's services share: their error, the guards on a case's live run, the case's URL."""

from django.urls import reverse

from cases.models import (
    Case,
    Role,
    User,
)

from ..models import (
    Episode,
)


class FlowchartError(Exception):
    """A flow-chart change that cannot be made, with a message the person can act on."""


def _case_url(case: Case) -> str:
    return reverse("flowchart:case_flowchart", kwargs={"case_pk": case.pk})


def _live_episode_for_update(case: Case) -> Episode:
    episode = (
        Episode.objects.select_for_update(of=("self",))
        .filter(case=case, ended_on__isnull=True)
        .select_related("case__team__manager", "case__lead_practitioner")
        .first()
    )
    if episode is None:
        raise FlowchartError("The flow chart is not running for this case: start it first")
    return episode


def _require_manager(case: Case, by: User) -> None:
    if by.role != Role.LINE_MANAGER or case.team.manager_id != by.pk:
        raise FlowchartError("Only the case's line manager can record this")


def _require_open_case(case: Case) -> None:
    if not case.is_open:
        raise FlowchartError(
            f"This case is already {case.get_status_display().lower()} (on {case.closed_on:%-d %B %Y})"
        )
