"""The practitioner tells the manager, the manager records oversight, a step not possible, an
escalation to the MASH."""

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.history import save_with_history
from cases.models import (
    LIVE_STATUSES,
    Case,
    CaseStatus,
    User,
)
from cases.notifications import NotificationKind, NotificationTask, Task, notification_send
from cases.selectors import allocated_social_workers
from cases.services import case_status_change

from .. import notify, selectors
from ..models import (
    ManagerInformed,
    Oversight,
    OversightAction,
    RiskChange,
    SafeguardingEscalation,
    Step,
    StepNotPossible,
)
from ..schedule import Status
from .common import (
    FlowchartError,
    _case_url,
    _live_episode_for_update,
    _require_case_open_for,
    _require_manager,
)
from .episodes import episode_refresh


@transaction.atomic
def manager_inform(
    *, case: Case, by: User, strategies_tried: str, fera_outcome: str, risk_increased: str
) -> ManagerInformed:
    """The lead practitioner records telling their manager of the non-engagement."""
    episode = _live_episode_for_update(case)
    _require_case_open_for(
        episode.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _(
            "This case was %(status)s on %(date)s: you cannot inform the manager on a closed case. "
            "If you are worried about a child, contact the MASH and open a new case from the referral"
        ),
    )
    manager = episode.case.team.manager
    if manager is None:
        raise FlowchartError(
            _("%(team)s has no line manager: ask an admin to set one") % {"team": episode.case.team}
        )
    if not strategies_tried.strip():
        raise FlowchartError(_("Enter the strategies you have tried"))
    if risk_increased not in RiskChange.values:
        raise FlowchartError(_("Select whether the non-engagement increases the risk"))
    record = ManagerInformed(
        episode=episode,
        informed_by=by,
        manager=manager,
        informed_at=timezone.now(),
        strategies_tried=strategies_tried,
        fera_outcome=fera_outcome,
        risk_increased=risk_increased,
    )
    save_with_history(record, by=by)
    episode = episode_refresh(episode=episode, by=by)
    message = notify.manager_informed(record)
    notification_send(
        recipient=manager,
        key=f"informed:{record.pk}",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.MANAGER_INFORMED,
        case=case,
        url=reverse("flowchart:oversight_record", kwargs={"case_pk": case.pk}),
        # Told of the non-engagement, the manager decides the next steps (done when recorded);
        # the social workers told below are only told.
        task=Task(NotificationTask.DECIDE_NEXT_STEPS, episode.pk),
    )
    _tell_social_workers_of_non_engagement(record)
    return record


def _tell_social_workers_of_non_engagement(record: ManagerInformed) -> None:
    """Each allocated social worker of the case, once each: the manager has been told.

    Camden 004, section 4: difficulties in engaging families "are reported to the child's
    allocated social worker and their supervisor or manager". The message carries the case
    reference, what happened and a link to their page for the case, not the notes.
    """
    case = record.episode.case
    message = notify.social_worker_told_of_non_engagement(record)
    for social_worker in allocated_social_workers(case):
        notification_send(
            recipient=social_worker,
            key=f"informed:{record.pk}:social_worker:{social_worker.pk}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.MANAGER_INFORMED,
            case=case,
            url=reverse("socialwork:case", kwargs={"case_pk": case.pk}),
        )


@transaction.atomic
def oversight_record(
    *, case: Case, by: User, discussion: str, risk_raised: str, actions: Iterable[dict]
) -> Oversight:
    """The manager records the discussion and the actions agreed (what, who, by when, review)."""
    episode = _live_episode_for_update(case)
    _require_manager(episode.case, by)
    _require_case_open_for(
        episode.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _(
            "This case was %(status)s on %(date)s: you cannot record management oversight on a closed case. "
            "If you are worried about a child, contact the MASH and open a new case from the referral"
        ),
    )
    actions = [a for a in actions if any(a.values())]
    if not discussion.strip():
        raise FlowchartError(_("Enter what you discussed"))
    if risk_raised not in RiskChange.values:
        raise FlowchartError(_("Select whether the non-engagement raises the risk"))
    if not actions:
        raise FlowchartError(_("Enter at least one action: what, who, by when and the review date"))
    for number, action in enumerate(actions, start=1):
        if not all(action.get(k) for k in ("what", "who", "by_when", "review_on")):
            raise FlowchartError(
                _("Action %(number)s: enter what, who, by when and the review date") % {"number": number}
            )
        if action["review_on"] < action["by_when"]:
            raise FlowchartError(
                _("Action %(number)s: the review date must be on or after the date it is due")
                % {"number": number}
            )
    oversight = Oversight(
        episode=episode,
        manager=by,
        recorded_at=timezone.now(),
        discussion=discussion,
        risk_raised=risk_raised,
    )
    save_with_history(oversight, by=by)
    for action in actions:
        row = OversightAction(
            oversight=oversight,
            what=action["what"],
            who=action["who"],
            by_when=action["by_when"],
            review_on=action["review_on"],
        )
        save_with_history(row, by=by)
    episode_refresh(episode=episode, by=by)
    return oversight


@transaction.atomic
def step_not_possible_record(*, case: Case, by: User, order: int, reason: str) -> StepNotPossible:
    """Record that an "if possible" step could not be done, and why: it does not go overdue.

    Knowsley (000, Appendix 4), day 8: "Contact referrer or other practitioner if possible";
    day 12: "Discuss with referrer (if possible)". The manager is told, with the reason.
    """
    episode = _live_episode_for_update(case)
    _require_case_open_for(
        episode.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _(
            "This case was %(status)s on %(date)s: you cannot record a step as not possible on a closed case. "
            "If you are worried about a child, contact the MASH and open a new case from the referral"
        ),
    )
    step = Step.objects.filter(version_id=episode.version_id, order=order).first()
    if step is None:
        raise FlowchartError(_("Select a step of this flow chart"))
    if not step.if_possible:
        raise FlowchartError(
            _("'%(step)s' is not an 'if possible' step: it cannot be recorded as not possible")
            % {"step": step.title}
        )
    if not reason.strip():
        raise FlowchartError(_("Enter why the step was not possible"))
    current = {s.step.id: s for s in selectors.episode_progress(episode).steps}.get(step.pk)
    if current is not None and current.status == Status.DONE:
        raise FlowchartError(_("'%(step)s' is already done") % {"step": step.title})
    if StepNotPossible.objects.filter(episode=episode, step=step).exists():
        raise FlowchartError(_("'%(step)s' is already recorded as not possible") % {"step": step.title})
    record = StepNotPossible(
        episode=episode, step=step, reason=reason.strip(), recorded_by=by, recorded_at=timezone.now()
    )
    save_with_history(record, by=by)
    episode_refresh(episode=episode, by=by)
    case = episode.case
    manager = case.team.manager
    if manager is not None and manager.pk != by.pk:
        message = notify.step_not_possible(case=case, by=by, step=step)
        notification_send(
            recipient=manager,
            key=f"not_possible:{record.pk}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.STEP_NOT_POSSIBLE,
            case=case,
            url=_case_url(case),
        )
    return record


@transaction.atomic
def safeguarding_escalate(
    *, case: Case, by: User, concern: str, mash_contact: str, mash_reference: str = ""
) -> SafeguardingEscalation:
    """Record an immediate safeguarding concern referred to the MASH now: the flow chart ends and
    the case is "Escalated to the MASH" until the manager records the decision."""
    episode = _live_episode_for_update(case)
    _require_case_open_for(
        episode.case,
        # Translators: %(status)s is how the case ended, in lower case, for example "closed".
        _(
            "This case was %(status)s on %(date)s: you cannot escalate to the MASH on a closed case. "
            "If you are worried about a child, contact the MASH and open a new case from the referral"
        ),
    )
    if not concern.strip():
        raise FlowchartError(_("Describe the immediate safeguarding concern"))
    if not mash_contact.strip():
        raise FlowchartError(_("Say how and when you told the MASH, and who you spoke to"))
    escalation = SafeguardingEscalation(
        episode=episode,
        escalated_by=by,
        escalated_at=timezone.now(),
        concern=concern,
        mash_contact=mash_contact,
        mash_reference=mash_reference,
    )
    save_with_history(escalation, by=by)
    episode_refresh(episode=episode, by=by)
    case = episode.case
    if case.status in LIVE_STATUSES:
        case_status_change(case=case, to=CaseStatus.ESCALATED, by=by)
    for recipient in {u for u in (case.team.manager, case.lead_practitioner) if u and u.pk != by.pk}:
        message = notify.safeguarding_escalated(escalation, to_manager=recipient == case.team.manager)
        notification_send(
            recipient=recipient,
            key=f"mash:{escalation.pk}:{recipient.pk}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.ESCALATION,
            case=case,
            url=_case_url(case),
            is_escalation=True,
        )
    return escalation
