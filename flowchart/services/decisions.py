"""The manager's decision at the end of a run, and what it settles."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import save_with_history
from cases.models import (
    Case,
    CaseStatus,
    User,
)
from cases.notifications import (
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)
from cases.services import case_status_change
from riskassessment.selectors import share_calendar, sharing_settings

from .. import notify, outcomes
from ..models import (
    Answer,
    ClosureOutcome,
    ClosureRequest,
    Decision,
    DecisionOutcome,
    Episode,
)
from .common import FlowchartError, _case_url, _require_manager, _require_open_case
from .episodes import episode_refresh

# What each decision does to the case: see flowchart/outcomes.py.
CASE_STATUS_FOR = outcomes.CASE_STATUS_FOR


@dataclass(frozen=True)
class Considered:
    """The answers to the three "options to consider" of Appendix 4 before a decision, each an
    `Answer`; empty where not asked (a request to close that is not agreed)."""

    mash_referral: str = ""
    multi_agency_meeting: str = ""
    level_two: str = ""

    def check(self) -> None:
        """Each option answered, or the error naming the first that is not."""
        for answer, message in (
            (self.mash_referral, _("Select whether you considered a referral back to the MASH")),
            (self.multi_agency_meeting, _("Select whether you considered a multi-agency meeting")),
            (self.level_two, _("Select whether you considered level 2 services")),
        ):
            if answer not in Answer.values:
                raise FlowchartError(message)

    def fields(self) -> dict[str, str]:
        """The answers as the decision's fields."""
        return {
            "considered_mash_referral": self.mash_referral,
            "considered_multi_agency_meeting": self.multi_agency_meeting,
            "considered_level_two": self.level_two,
        }


def _decidable_episode(case: Case) -> Episode | None:
    """The run of the flow chart a decision is recorded on, locked: the live one, or else the last
    one if it ended without a decision (escalated to the MASH, or the family engaged). None if the
    flow chart never started or its last run has its decision already."""
    episodes = Episode.objects.select_for_update(of=("self",)).select_related(
        "case__team__manager", "case__lead_practitioner", "version__pathway"
    )
    episode = episodes.filter(case=case, ended_on__isnull=True).first()
    if episode is None:
        episode = episodes.filter(case=case).order_by("-started_at", "-id").first()
        if episode is None or Decision.objects.filter(episode=episode).exists():
            return None
    return episode


def _no_decidable_episode(case: Case) -> FlowchartError:
    last = Decision.objects.filter(episode__case=case).order_by("-decided_at", "-id").first()
    if last is None:
        return FlowchartError(_("The flow chart has not started for this case: start it first"))
    return FlowchartError(
        _(
            "The decision for this run of the flow chart was recorded on %(date)s: start the flow chart "
            "again to record a new one"
        )
        % {"date": f"{timezone.localdate(last.decided_at):%-d %B %Y}"}
    )


def _share_due_on(day: dt.date) -> dt.date:
    """The working day by which the multi-agency meeting is told: the assessment's deadline setting
    and working-day calendar (Appendix 4: "within 5 working days")."""
    return share_calendar().add(day, sharing_settings().share_deadline_days)


def _decision_save(
    *,
    episode: Episode,
    by: User,
    outcome: str,
    offered: Sequence[str],
    reasons: str,
    considered: Considered,
    social_worker_consulted: str = "",
    review_on: dt.date | None = None,
    social_worker_meeting_on: dt.date | None = None,
    options_notes: str = "",
) -> Decision:
    """Record a decision on the episode: the case's status follows it, the episode ends, the lead
    practitioner is told, any open request to close the case is settled."""
    case = episode.case
    _require_manager(case, by)
    _require_open_case(case)
    today = timezone.localdate()
    if outcome not in offered:
        if outcome in DecisionOutcome.values:
            raise FlowchartError(
                _(
                    "'%(decision)s' is not a decision the %(pathway)s pathway offers: select one of the decisions shown"
                )
                % {"decision": DecisionOutcome(outcome).label, "pathway": episode.version.pathway.name}
            )
        raise FlowchartError(_("Select the decision"))
    if not reasons.strip():
        raise FlowchartError(_("Enter the reasons for the decision"))
    considered.check()
    if outcome == DecisionOutcome.CONTINUE:
        if review_on is None:
            raise FlowchartError(_("Enter the review date: continuing needs one"))
        if review_on <= today:
            raise FlowchartError(_("The review date must be in the future"))
    if outcome == DecisionOutcome.INVITE_SOCIAL_WORKER:
        if social_worker_meeting_on is None:
            raise FlowchartError(
                _("Enter the date of the multi-agency meeting the social worker is invited to")
            )
        if social_worker_meeting_on < today:
            raise FlowchartError(_("The date of the multi-agency meeting must be today or in the future"))
    if case.is_step_down and social_worker_consulted not in ("yes", "no"):
        raise FlowchartError(_("Say whether the social worker was consulted: this is a step-down case"))
    decision = Decision(
        episode=episode,
        decided_by=by,
        decided_at=timezone.now(),
        outcome=outcome,
        reasons=reasons.strip(),
        review_on=review_on if outcome == DecisionOutcome.CONTINUE else None,
        social_worker_meeting_on=(
            social_worker_meeting_on if outcome == DecisionOutcome.INVITE_SOCIAL_WORKER else None
        ),
        **considered.fields(),
        social_worker_consulted=social_worker_consulted,
        options_notes=options_notes,
        share_due_on=_share_due_on(today),
    )
    save_with_history(decision, by=by)
    label = decision.get_outcome_display()
    if outcome in CASE_STATUS_FOR:
        reason = f"{label}: {decision.reasons}"
        case_status_change(case=case, to=CASE_STATUS_FOR[outcome], by=by, reason=reason, on=today)
    elif case.status == CaseStatus.ESCALATED:
        # The decision after the escalation is made: work goes on.
        case_status_change(case=case, to=CaseStatus.OPEN, by=by)
    else:
        # The status stays; the case still records that it changed, and who changed it.
        case.updated_at = timezone.now()
        save_with_history(case, by=by, update_fields=["updated_at"])
    # The decision is one of the episode's records: a live episode ends with it ("decided") and its
    # next due date empties, so the sweep has nothing more to remind anyone of.
    episode_refresh(episode=episode, by=by)
    # The manager was told of the non-engagement so that they decide: that is done now.
    notifications_task_done(task=Task(NotificationTask.DECIDE_NEXT_STEPS, episode.pk))
    if outcome in CASE_STATUS_FOR:
        agreed = outcome == DecisionOutcome.CLOSE
        _closure_requests_settle(
            case=case,
            by=by,
            agreed=agreed,
            reason=decision.reasons if agreed else f"The decision instead: {label}. {decision.reasons}",
            decision=decision if agreed else None,
        )
    lead = case.lead_practitioner
    if lead.pk != by.pk:
        message = notify.decision_recorded(decision, by=by)
        notification_send(
            recipient=lead,
            key=f"decision:{decision.pk}:{lead.pk}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.DECISION,
            case=case,
            url=_case_url(case),
        )
    return decision


@transaction.atomic
def decision_record(
    *,
    case: Case,
    by: User,
    outcome: str,
    reasons: str,
    considered: Considered,
    social_worker_consulted: str = "",
    review_on: dt.date | None = None,
    social_worker_meeting_on: dt.date | None = None,
    options_notes: str = "",
) -> Decision:
    """The manager records the next steps agreed (no later than day 15, or after an escalation to
    the MASH). Only the outcomes the episode's pathway offers; the case's status follows."""
    case = Case.objects.select_for_update().select_related("team").get(pk=case.pk)
    _require_manager(case, by)
    _require_open_case(case)
    episode = _decidable_episode(case)
    if episode is None:
        raise _no_decidable_episode(case)
    return _decision_save(
        episode=episode,
        by=by,
        outcome=outcome,
        offered=outcomes.offered_outcomes(episode.version.pathway),
        reasons=reasons,
        considered=considered,
        social_worker_consulted=social_worker_consulted,
        review_on=review_on,
        social_worker_meeting_on=social_worker_meeting_on,
        options_notes=options_notes,
    )


def _closure_requests_settle(
    *, case: Case, by: User, agreed: bool, reason: str, decision: Decision | None
) -> list[ClosureRequest]:
    """Record the manager's answer on the case's open request (if any) and tell who asked."""
    settled = []
    now = timezone.now()
    for request in ClosureRequest.objects.select_for_update().filter(case=case, decided_at__isnull=True):
        request.decided_by = by
        request.decided_at = now
        request.outcome = ClosureOutcome.AGREED if agreed else ClosureOutcome.NOT_AGREED
        request.decision_reason = reason
        request.decision = decision
        save_with_history(request, by=by)
        notifications_task_done(task=Task(NotificationTask.DECIDE_CLOSURE, request.pk), when=now)
        settled.append(request)
        if request.requested_by_id != by.pk:
            message = notify.closure_request_decided(case=case, by=by, agreed=agreed)
            notification_send(
                recipient=request.requested_by,
                key=f"closure-request:{request.pk}:decided",
                subject=message.subject,
                body=message.body,
                kind=NotificationKind.CLOSURE_REQUEST_DECIDED,
                case=case,
                url=_case_url(case),
            )
    return settled
