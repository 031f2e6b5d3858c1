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


def _require_case_open_for(case: Case, doing: str) -> None:
    """A closed case takes no workflow actions: nobody is told, nothing is escalated from it.

    The records on it stay readable; what happened next belongs on a new case, opened from the
    new referral, so the closed case stays the record of the work as it was when it closed.
    """
    if not case.is_open:
        closed = f" on {case.closed_on:%-d %B %Y}" if case.closed_on else ""
        raise FlowchartError(
            f"This case was {case.get_status_display().lower()}{closed}: you cannot {doing} on a closed "
            "case. If you are worried about a child, contact the MASH and open a new case from the referral"
        )


def _require_open_case(case: Case) -> None:
    if not case.is_open:
        raise FlowchartError(
            f"This case is already {case.get_status_display().lower()} (on {case.closed_on:%-d %B %Y})"
        )
