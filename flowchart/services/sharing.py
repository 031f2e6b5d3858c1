"""Telling the multi-agency meeting the agreed outcome, and chasing it when it is due or late."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, can
from cases.chase import ChaseMessage, chase_one
from cases.history import save_with_history
from cases.models import (
    CaseMembership,
    MembershipRole,
    User,
)
from cases.notifications import (
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)
from riskassessment.selectors import share_chase_window

from .. import notify, outcomes, selectors
from ..models import (
    Decision,
    DecisionShare,
)
from .common import FlowchartError


def _decision_share_url(decision: Decision) -> str:
    return reverse(
        "flowchart:decision_share", kwargs={"case_pk": decision.episode.case_id, "pk": decision.pk}
    )


@transaction.atomic
def decision_share(*, decision: Decision, by: User, next_steps: str = "") -> list[DecisionShare]:
    """Tell each live multi-agency meeting member not yet told the decision: its outcome, date and
    what happens next (never the reasons or the manager's notes). Returns the new shares.

    Appendix 4: "LP to inform Multi Agency Meeting of agreed outcome within 5 working days".
    `next_steps`: what happens next, in words for the members; the standard wording if empty.
    """
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("episode__case__team", "episode__case__lead_practitioner")
        .get(pk=decision.pk)
    )
    case = decision.episode.case
    if not can(by, CaseAction.WORK, case):
        raise FlowchartError(_("Only someone working on this case can share its decision"))
    next_steps = next_steps.strip() or decision.next_steps_shared or outcomes.next_steps_text(decision)
    memberships = [
        m
        for m in CaseMembership.objects.filter(
            case=case, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
        ).select_related("user")
        if m.user.is_active
    ]
    if not memberships:
        raise FlowchartError(
            _("Nobody from the multi-agency meeting is on this case yet: add them on the case page first")
        )
    told = set(decision.shares.values_list("member_id", flat=True))
    new = [m for m in memberships if m.user_id not in told]
    if not new:
        raise FlowchartError(_("Everyone on the multi-agency meeting has been told of this decision already"))
    now = timezone.now()
    decided_on = timezone.localdate(decision.decided_at)
    message = notify.decision_shared(decision, by=by, decided_on=decided_on)
    shares = []
    for membership in new:
        share = DecisionShare(
            decision=decision, member=membership.user, membership=membership, shared_by=by, shared_at=now
        )
        save_with_history(share, by=by)
        shares.append(share)
        notification_send(
            recipient=membership.user,
            key=f"decision:{decision.pk}:shared:{membership.user_id}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.DECISION_SHARED,
            case=case,
            url=reverse("riskassessment:shared_list") + "#decisions",
        )
    if decision.shared_at is None:
        decision.shared_at, decision.shared_by = now, by
        notifications_task_done(task=_to_share(decision), when=now)  # the chase's reminders
    decision.next_steps_shared = next_steps
    save_with_history(decision, by=by, update_fields=["shared_at", "shared_by", "next_steps_shared"])
    return shares


def _to_share(decision: Decision) -> Task:
    """What the chase asks of the lead practitioner: share the decision (done when it is)."""
    return Task(NotificationTask.SHARE_DECISION, decision.pk)


def decision_shares_chase(*, today: dt.date | None = None) -> int:
    """Remind the lead practitioner before a decision's share is due, and escalate once it is late,
    as the assessment's sharing does (the admin's sharing settings, cases/chase.py). Each message
    goes once (its notification key and the stamp on the decision); running this twice sends
    nothing new."""
    rules, window = share_chase_window(today)
    now = timezone.now()
    sent = 0
    for decision in selectors.decisions_to_chase(
        today=window.today, horizon=window.horizon, late_by=window.late_by
    ):
        case = decision.episode.case
        manager = case.team.manager if rules.escalate_to_manager else None
        decided_on = timezone.localdate(decision.decided_at)
        late_message = notify.decision_share_late(decision, decided_on=decided_on)
        reminder_message = notify.decision_share_reminder(decision, decided_on=decided_on)
        url = _decision_share_url(decision)

        def late(
            recipient: User, decision=decision, manager=manager, message=late_message, url=url
        ) -> ChaseMessage:
            return ChaseMessage(
                key=f"decision-share:{decision.pk}:overdue:{recipient.pk}",
                subject=message.subject,
                body=message.body,
                kind=NotificationKind.DECISION_SHARE_OVERDUE,
                url=url,
                is_escalation=recipient == manager,
                task=_to_share(decision),
            )

        sent += chase_one(
            record=decision,
            stamps=("share_escalated_at", "share_reminded_at"),
            now=now,
            case=case,
            due_on=decision.share_due_on,
            today=window.today,
            lead=case.lead_practitioner,
            manager=manager,
            late=late,
            reminder=ChaseMessage(
                key=f"decision-share:{decision.pk}:reminder",
                subject=reminder_message.subject,
                body=reminder_message.body,
                kind=NotificationKind.DECISION_SHARE_REMINDER,
                url=url,
                task=_to_share(decision),
            ),
        )
    return sent
