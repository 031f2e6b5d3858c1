"""Closing a case: the manager's closure, and requests to close from the lead practitioner."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, can
from cases.history import save_with_history
from cases.models import (
    Case,
    User,
)
from cases.notifications import NotificationKind, NotificationTask, Task, notification_send
from cases.services import CaseError, case_close

from .. import notify
from ..models import (
    ClosureOutcome,
    ClosureRequest,
    Decision,
    DecisionOutcome,
)
from .common import FlowchartError, _case_url, _require_manager, _require_open_case
from .decisions import Considered, _closure_requests_settle, _decidable_episode, _decision_save


@transaction.atomic
def case_closure_record(
    *,
    case: Case,
    by: User,
    reasons: str,
    considered: Considered,
    social_worker_consulted: str = "",
    options_notes: str = "",
) -> Decision | None:
    """The line manager closes the case, at any time and whatever the pathway offers on day 15.

    Recorded as the decision "Close the case" on the run of the flow chart awaiting one (which ends
    it); where none awaits one (its last run has its decision already) the closure is recorded on
    the case alone and None is returned. Any open request to close the case is agreed.
    """
    locked = Case.objects.select_for_update().select_related("team", "lead_practitioner").get(pk=case.pk)
    _require_manager(locked, by)
    _require_open_case(locked)
    episode = _decidable_episode(locked)
    if episode is not None:
        return _decision_save(
            episode=episode,
            by=by,
            outcome=DecisionOutcome.CLOSE,
            offered=(DecisionOutcome.CLOSE,),
            reasons=reasons,
            social_worker_consulted=social_worker_consulted,
            considered=considered,
            options_notes=options_notes,
        )
    if not reasons.strip():
        raise FlowchartError(_("Enter the reasons for the decision"))
    considered.check()
    try:
        case_close(case=locked, by=by, reason=reasons)
    except CaseError as error:
        raise FlowchartError(str(error)) from error
    _closure_requests_settle(case=locked, by=by, agreed=True, reason=reasons.strip(), decision=None)
    lead = locked.lead_practitioner
    if lead.pk != by.pk:
        message = notify.case_closed(case=locked, by=by)
        notification_send(
            recipient=lead,
            key=f"case-closed:{locked.pk}:{locked.closed_on}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.CASE_CLOSED,
            case=locked,
            url=_case_url(locked),
        )
    return None


# A request not agreed asks nothing of the options to consider.
NOT_ASKED = Considered()


def _closure_decide_url(request: ClosureRequest) -> str:
    return reverse("flowchart:closure_decide", kwargs={"case_pk": request.case_id, "pk": request.pk})


@transaction.atomic
def closure_request_make(*, case: Case, by: User, reason: str) -> ClosureRequest:
    """The lead practitioner asks their line manager to close the case; the manager is told at once.

    A case is never closed by the lead practitioner alone (Appendix 4: "Agree with Line Manager
    the next steps"). One open request per case.
    """
    case = Case.objects.select_for_update(of=("self",)).select_related("team__manager").get(pk=case.pk)
    if not can(by, CaseAction.WORK, case):
        raise FlowchartError(_("Only someone working on this case can ask for it to be closed"))
    _require_open_case(case)
    manager = case.team.manager
    if manager is None:
        raise FlowchartError(_("%(team)s has no line manager: ask an admin to set one") % {"team": case.team})
    if manager.pk == by.pk:
        raise FlowchartError(
            _("You are this case's line manager: close it yourself by recording the decision")
        )
    reason = reason.strip()
    if not reason:
        raise FlowchartError(_("Enter why you are asking for the case to be closed"))
    waiting = (
        ClosureRequest.objects.filter(case=case, decided_at__isnull=True)
        .select_related("requested_by")
        .first()
    )
    if waiting is not None:
        raise FlowchartError(
            _("%(person)s already asked %(manager)s to close this case on %(date)s: wait for their decision")
            % {
                "person": waiting.requested_by,
                "manager": manager,
                "date": f"{timezone.localdate(waiting.requested_at):%-d %B %Y}",
            }
        )
    request = ClosureRequest(case=case, requested_by=by, requested_at=timezone.now(), reason=reason)
    save_with_history(request, by=by)
    message = notify.closure_requested(case=case, by=by)
    notification_send(
        recipient=manager,
        key=f"closure-request:{request.pk}:asked",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.CLOSURE_REQUEST,
        case=case,
        url=_closure_decide_url(request),
        task=Task(NotificationTask.DECIDE_CLOSURE, request.pk),
    )
    return request


@transaction.atomic
def closure_request_decide(
    *,
    request: ClosureRequest,
    by: User,
    agree: bool,
    reason: str,
    considered: Considered = NOT_ASKED,
    social_worker_consulted: str = "",
    options_notes: str = "",
) -> ClosureRequest:
    """The line manager agrees (the case closes, through `case_closure_record`: the three options
    to consider must then be answered) or does not agree (the case stays open), with a reason.
    The practitioner who asked is told either way."""
    # The case first, then the request: the order every write to a case's closure takes.
    Case.objects.select_for_update().filter(pk=request.case_id).first()
    request = (
        ClosureRequest.objects.select_for_update()
        .select_related("case__team", "requested_by")
        .get(pk=request.pk)
    )
    _require_manager(request.case, by)
    if not request.is_open:
        answered = {"date": f"{timezone.localdate(request.decided_at):%-d %B %Y}"}
        if request.outcome == ClosureOutcome.AGREED:
            raise FlowchartError(
                _("This request was answered on %(date)s: agreed: the case is closed") % answered
            )
        raise FlowchartError(
            _("This request was answered on %(date)s: not agreed: the case stays open") % answered
        )
    if agree:
        case_closure_record(
            case=request.case,
            by=by,
            reasons=reason,
            considered=considered,
            social_worker_consulted=social_worker_consulted,
            options_notes=options_notes,
        )
    else:
        if not reason.strip():
            raise FlowchartError(_("Enter why the case should stay open"))
        _closure_requests_settle(case=request.case, by=by, agreed=False, reason=reason.strip(), decision=None)
    request.refresh_from_db()
    return request
