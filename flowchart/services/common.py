"""What the flow chart's services share: their error, the guards on a case's live run, the case's URL."""

from django.urls import reverse
from django.utils.translation import gettext as _

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
        raise FlowchartError(_("The flow chart is not running for this case: start it first"))
    return episode


def _require_manager(case: Case, by: User) -> None:
    if by.role != Role.LINE_MANAGER or case.team.manager_id != by.pk:
        raise FlowchartError(_("Only the case's line manager can record this"))


def _closed(case: Case) -> dict[str, str]:
    """How a case that is no longer open ended, for a refusal's placeholders: the status in lower
    case ("closed", "stepped up to children's social care") and the date (a case that is not open
    always has one: the constraint case_closed_on_matches_status)."""
    return {"status": case.get_status_display().lower(), "date": f"{case.closed_on:%-d %B %Y}"}


def _require_case_open_for(case: Case, refusal: str) -> None:
    """A closed case takes no workflow actions: nobody is told, nothing is escalated from it.

    The records on it stay readable; what happened next belongs on a new case, opened from the
    new referral, so the closed case stays the record of the work as it was when it closed.
    `refusal`: the whole sentence, with `%(status)s` and `%(date)s` (see `_closed`).
    """
    if not case.is_open:
        raise FlowchartError(refusal % _closed(case))


def _require_open_case(case: Case) -> None:
    if not case.is_open:
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        raise FlowchartError(_("This case is already %(status)s (on %(date)s)") % _closed(case))
