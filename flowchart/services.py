"""Every write for the flow chart: pathways, episodes, oversight, decisions, reminders."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import OPEN_STATUSES, Case, CaseStatus, Role, User

from . import selectors
from .calendar import Calendar
from .models import (
    Decision,
    DecisionOutcome,
    Episode,
    ManagerInformed,
    Notification,
    Oversight,
    OversightAction,
    Pathway,
    PathwayVersion,
    RiskChange,
    SafeguardingEscalation,
    Step,
    StepRequirement,
    SweepDay,
)
from .schedule import Status


class FlowchartError(Exception):
    """A flow-chart change that cannot be made, with a message the person can act on."""


def notification_send(
    *,
    recipient: User,
    key: str,
    subject: str,
    body: str,
    kind: str,
    case: Case | None = None,
    url: str = "",
    is_escalation: bool = False,
) -> Notification | None:
    """Record a notification once per key and email it after commit; None if already sent."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key,
                subject=subject[:200],
                body=body,
                kind=kind,
                case=case,
                url=url,
                is_escalation=is_escalation,
            )
    except IntegrityError:
        return None
    from .tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> bool:
    """Email one notification unless it was emailed already. Safe to run twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        )
        if notification.emailed_at is not None:
            return False
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=notification.subject,
            message=notification.body + link,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_undelivered_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Notifications whose email never went (broker or worker down): the sweep re-queues them."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )


@dataclass(frozen=True)
class Outgoing:
    """A notification to record once (by its key) and deliver after commit."""

    recipient: User
    key: str
    subject: str
    body: str
    kind: str
    case: Case | None = None
    url: str = ""
    is_escalation: bool = False


def notifications_send_many(outgoing: Sequence[Outgoing]) -> list[int]:
    """Record each new notification once per key and queue its delivery after commit.

    A constant number of queries however many: the sweep sends in bulk.
    """
    if not outgoing:
        return []
    unique = {o.key: o for o in outgoing}
    existing = set(Notification.objects.filter(key__in=list(unique)).values_list("key", flat=True))
    new = [o for key, o in unique.items() if key not in existing]
    if not new:
        return []
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=o.recipient,
                key=o.key,
                subject=o.subject[:200],
                body=o.body,
                kind=o.kind,
                case=o.case,
                url=o.url,
                is_escalation=o.is_escalation,
                created_at=now,
            )
            for o in new
        ],
        ignore_conflicts=True,  # a sweep running alongside may have recorded some first
    )
    ids = list(
        Notification.objects.filter(
            key__in=[o.key for o in new], created_at=now, emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )
    from .tasks import deliver_notification

    for notification_id in ids:
        transaction.on_commit(lambda pk=notification_id: deliver_notification.delay(pk))
    return ids


def notification_mark_read(*, notification: Notification, by: User) -> Notification:
    """Mark one of the user's own notifications as read (reading it twice changes nothing)."""
    if notification.recipient_id != by.pk:
        raise FlowchartError("You can only mark your own notifications as read")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# ---------------------------------------------------------------------------------------------
# Pathway versions


@transaction.atomic
def pathway_version_draft(*, version: PathwayVersion, by: User) -> PathwayVersion:
    """Copy a version, steps and all, into a new draft that can be edited."""
    pathway = Pathway.objects.select_for_update().get(pk=version.pathway_id)
    draft = PathwayVersion.objects.filter(pathway=pathway, published_at__isnull=True).first()
    if draft is not None:
        raise FlowchartError(
            f"{pathway.name} already has a draft (version {draft.number}): edit or publish that one"
        )
    last = PathwayVersion.objects.filter(pathway=pathway).order_by("-number").first()
    new = PathwayVersion(pathway=pathway, number=last.number + 1, notes="")
    new._history_user = by
    new.save()
    for step in version.steps.order_by("order"):
        copy = Step(
            version=new,
            order=step.order,
            day=step.day,
            timing=step.timing,
            title=step.title,
            requirement=step.requirement,
            attempt_kinds=list(step.attempt_kinds),
            attempt_count=step.attempt_count,
            attempt_outcomes=list(step.attempt_outcomes),
            responsible=step.responsible,
            guidance=step.guidance,
        )
        copy._history_user = by
        copy.save()
    return new


@transaction.atomic
def pathway_version_publish(*, version: PathwayVersion, by: User) -> PathwayVersion:
    """Publish a draft: new episodes follow it from now on; running ones keep their version."""
    version = PathwayVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise FlowchartError(f"Version {version.number} is already published")
    steps = list(version.steps.all())
    if not steps:
        raise FlowchartError("Add at least one step before publishing")
    for step in steps:
        if step.requirement == StepRequirement.ATTEMPTS and not step.attempt_kinds:
            raise FlowchartError(f"Step {step.order} ({step.title}) needs at least one kind of attempt")
    version.published_at = timezone.now()
    version._history_user = by
    version.save()
    return version


# ---------------------------------------------------------------------------------------------
# Episodes


def _case_url(case: Case) -> str:
    return reverse("flowchart:case_flowchart", kwargs={"case_pk": case.pk})


@transaction.atomic
def episode_start(
    *, case: Case, by: User, pathway_code: str | None = None, day1: dt.date | None = None
) -> Episode:
    """Start the case's run through a pathway (the default one unless a code is given)."""
    if not case.is_open:
        raise FlowchartError("This case is closed: reopen it before starting the flow chart")
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if Episode.objects.filter(case=case, ended_on__isnull=True).exists():
        raise FlowchartError("The flow chart is already running for this case")
    version = selectors.current_version(pathway_code)
    if version is None:
        raise FlowchartError(
            f"There is no published pathway called {pathway_code!r}"
            if pathway_code
            else "No pathway is set to be used for new cases: ask an admin to choose one"
        )
    calendar = selectors.calendar_in_force()
    episode = Episode(
        case=case,
        version=version,
        day1=day1 or case.referral_date,
        working_days=calendar.working_days,
        nation=calendar.nation,
        started_by=by,
        started_at=timezone.now(),
    )
    episode._history_user = by
    episode.save()
    return episode_refresh(episode=episode)


def episode_refresh(*, episode: Episode, by: User | None = None) -> Episode:
    """Recompute the episode's end and next due date from its records. Call after any change."""
    result = selectors.episode_progress(episode, timezone.localdate())
    return _apply(episode, result, by=by)


def _apply(episode: Episode, result, *, by: User | None = None) -> Episode:
    ended_on, end_reason = result.ended_on, result.end_reason
    # A correction may take away what ended it, but another run may have started since.
    if (
        episode.ended_on is not None
        and ended_on is None
        and Episode.objects.filter(case_id=episode.case_id, ended_on__isnull=True)
        .exclude(pk=episode.pk)
        .exists()
    ):
        ended_on, end_reason = episode.ended_on, episode.end_reason
    changed = (episode.ended_on, episode.end_reason, episode.next_due_on) != (
        ended_on,
        end_reason,
        result.next_due_on,
    )
    if changed:
        episode.ended_on, episode.end_reason, episode.next_due_on = ended_on, end_reason, result.next_due_on
        episode.changed_at = timezone.now()
        episode._history_user = by
        episode.save(update_fields=["ended_on", "end_reason", "next_due_on", "changed_at"])
    if end_reason == "engaged" and episode.case.status == CaseStatus.OPEN:
        case = episode.case
        case.status = CaseStatus.ENGAGED
        case.updated_at = timezone.now()
        case._history_user = by
        case.save(update_fields=["status", "updated_at"])
    return episode


def case_flowchart_refresh(*, case: Case, by: User | None = None) -> Episode | None:
    """Refresh the case's live episode after its records changed (an attempt, a FERA)."""
    episode = Episode.objects.filter(case=case, ended_on__isnull=True).select_related("case").first()
    return episode_refresh(episode=episode, by=by) if episode else None


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


# ---------------------------------------------------------------------------------------------
# Manager informed, oversight, decision, escalation


@transaction.atomic
def manager_inform(
    *, case: Case, by: User, strategies_tried: str, fera_outcome: str, risk_increased: str
) -> ManagerInformed:
    """The lead practitioner records telling their manager of the non-engagement."""
    episode = _live_episode_for_update(case)
    manager = episode.case.team.manager
    if manager is None:
        raise FlowchartError(f"{episode.case.team} has no line manager: ask an admin to set one")
    if not strategies_tried.strip():
        raise FlowchartError("Enter the strategies you have tried")
    if risk_increased not in RiskChange.values:
        raise FlowchartError("Select whether the non-engagement increases the risk")
    record = ManagerInformed(
        episode=episode,
        informed_by=by,
        manager=manager,
        informed_at=timezone.now(),
        strategies_tried=strategies_tried,
        fera_outcome=fera_outcome,
        risk_increased=risk_increased,
    )
    record._history_user = by
    record.save()
    episode = episode_refresh(episode=episode, by=by)
    notification_send(
        recipient=manager,
        key=f"informed:{record.pk}",
        subject=f"{case.reference}: {by} has told you the family is not engaging",
        body=(
            f"{by} has informed you of the non-engagement of the {case.family_name}.\n\n"
            f"Strategies tried:\n{strategies_tried}\n\nOutcome of the FERA:\n{fera_outcome or 'Not given'}\n\n"
            f"Does the non-engagement increase the risk? {record.get_risk_increased_display()}\n\n"
            "Record your management oversight and agree the next steps."
        ),
        kind="manager_informed",
        case=case,
        url=reverse("flowchart:oversight_record", kwargs={"case_pk": case.pk}),
    )
    return record


@transaction.atomic
def oversight_record(
    *, case: Case, by: User, discussion: str, risk_raised: str, actions: Iterable[dict]
) -> Oversight:
    """The manager records the discussion and the actions agreed (what, who, by when, review)."""
    episode = _live_episode_for_update(case)
    _require_manager(episode.case, by)
    actions = [a for a in actions if any(a.values())]
    if not discussion.strip():
        raise FlowchartError("Enter what you discussed")
    if risk_raised not in RiskChange.values:
        raise FlowchartError("Select whether the non-engagement raises the risk")
    if not actions:
        raise FlowchartError("Enter at least one action: what, who, by when and the review date")
    for number, action in enumerate(actions, start=1):
        if not all(action.get(k) for k in ("what", "who", "by_when", "review_on")):
            raise FlowchartError(f"Action {number}: enter what, who, by when and the review date")
        if action["review_on"] < action["by_when"]:
            raise FlowchartError(f"Action {number}: the review date must be on or after the date it is due")
    oversight = Oversight(
        episode=episode,
        manager=by,
        recorded_at=timezone.now(),
        discussion=discussion,
        risk_raised=risk_raised,
    )
    oversight._history_user = by
    oversight.save()
    for action in actions:
        row = OversightAction(
            oversight=oversight,
            what=action["what"],
            who=action["who"],
            by_when=action["by_when"],
            review_on=action["review_on"],
        )
        row._history_user = by
        row.save()
    episode_refresh(episode=episode, by=by)
    return oversight


CASE_STATUS_FOR = {
    DecisionOutcome.STEP_UP: CaseStatus.STEPPED_UP,
    DecisionOutcome.STEP_DOWN: CaseStatus.STEPPED_DOWN,
    DecisionOutcome.CLOSE: CaseStatus.CLOSED,
}


@transaction.atomic
def decision_record(
    *,
    case: Case,
    by: User,
    outcome: str,
    reasons: str,
    considered_mash_referral: str,
    considered_multi_agency_meeting: str,
    considered_level_two: str,
    social_worker_consulted: str = "",
    review_on: dt.date | None = None,
    options_notes: str = "",
) -> Decision:
    """The manager records the next steps; the case's status follows the decision."""
    episode = _live_episode_for_update(case)
    case = episode.case
    _require_manager(case, by)
    today = timezone.localdate()
    if outcome not in DecisionOutcome.values:
        raise FlowchartError("Select the decision")
    if not reasons.strip():
        raise FlowchartError("Enter the reasons for the decision")
    if outcome == DecisionOutcome.CONTINUE:
        if review_on is None:
            raise FlowchartError("Enter the review date: continuing needs one")
        if review_on <= today:
            raise FlowchartError("The review date must be in the future")
    if case.is_step_down and social_worker_consulted not in ("yes", "no"):
        raise FlowchartError("Say whether the social worker was consulted: this is a step-down case")
    decision = Decision(
        episode=episode,
        decided_by=by,
        decided_at=timezone.now(),
        outcome=outcome,
        reasons=reasons,
        review_on=review_on if outcome == DecisionOutcome.CONTINUE else None,
        considered_mash_referral=considered_mash_referral,
        considered_multi_agency_meeting=considered_multi_agency_meeting,
        considered_level_two=considered_level_two,
        social_worker_consulted=social_worker_consulted,
        options_notes=options_notes,
    )
    decision._history_user = by
    decision.save()
    if outcome in CASE_STATUS_FOR:
        case.status = CASE_STATUS_FOR[outcome]
        case.closed_on = today
        case.closure_reason = f"{decision.get_outcome_display()}: {reasons}"
    case.updated_at = timezone.now()
    case._history_user = by
    case.save(update_fields=["status", "closed_on", "closure_reason", "updated_at"])
    episode_refresh(episode=episode, by=by)
    lead = case.lead_practitioner
    if lead.pk != by.pk:
        notification_send(
            recipient=lead,
            key=f"decision:{decision.pk}:{lead.pk}",
            subject=f"{case.reference}: decision recorded: {decision.get_outcome_display()}",
            body=f"{by} recorded the decision for the {case.family_name}: "
            f"{decision.get_outcome_display()}.\n\n{reasons}"
            + (f"\n\nReview date: {review_on:%-d %B %Y}" if decision.review_on else ""),
            kind="decision",
            case=case,
            url=_case_url(case),
        )
    return decision


@transaction.atomic
def safeguarding_escalate(
    *, case: Case, by: User, concern: str, mash_contact: str, mash_reference: str = ""
) -> SafeguardingEscalation:
    """Record an immediate safeguarding concern referred to the MASH now: the flow chart ends."""
    episode = _live_episode_for_update(case)
    if not concern.strip():
        raise FlowchartError("Describe the immediate safeguarding concern")
    if not mash_contact.strip():
        raise FlowchartError("Say how and when you told the MASH, and who you spoke to")
    escalation = SafeguardingEscalation(
        episode=episode,
        escalated_by=by,
        escalated_at=timezone.now(),
        concern=concern,
        mash_contact=mash_contact,
        mash_reference=mash_reference,
    )
    escalation._history_user = by
    escalation.save()
    episode_refresh(episode=episode, by=by)
    case = episode.case
    for recipient in {u for u in (case.team.manager, case.lead_practitioner) if u and u.pk != by.pk}:
        notification_send(
            recipient=recipient,
            key=f"mash:{escalation.pk}:{recipient.pk}",
            subject=f"{case.reference}: immediate safeguarding concern escalated to the MASH",
            body=f"{by} escalated an immediate safeguarding concern about the {case.family_name} "
            f"to the MASH.\n\n{concern}\n\nMASH contact: {mash_contact}",
            kind="escalation",
            case=case,
            url=_case_url(case),
            is_escalation=True,
        )
    return escalation


# ---------------------------------------------------------------------------------------------
# The sweep

REVIEW_CATCH_UP_DAYS = 14  # a review date missed while the service was down is still reminded


def _step_line(case: Case, step) -> str:
    state = "overdue since" if step.status == Status.OVERDUE else "due"
    return f"- {case.reference} {case.family_name}: {step.step.title} ({state} {step.due_on:%-d %b})"


@transaction.atomic
def reminders_sweep(*, now: dt.datetime | None = None) -> int:
    """Record today's reminders and escalations once each, from the episodes due in the database.

    Runs every few minutes; only from the admin's morning time on working days. The first
    complete pass of a day reads every due episode; later passes read only the episodes whose
    records changed since. Returns how many notifications were recorded.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    flow_settings = selectors.settings_in_force()
    calendar = Calendar(working_days=flow_settings.working_days, nation=flow_settings.nation)
    if (
        not calendar.is_working_day(today)
        or timezone.localtime(now).time() < flow_settings.morning_reminder_time
    ):
        return 0
    done = SweepDay.objects.filter(day=today).first()
    # A case closed by other means stops its reminders even if its episode never ended.
    due = Episode.objects.filter(
        ended_on__isnull=True, next_due_on__lte=today, case__status__in=OPEN_STATUSES
    )
    if done is not None:
        due = due.filter(changed_at__gte=done.completed_at)
    episodes = list(due.select_related("case__lead_practitioner", "case__team__manager", "version"))
    progress_by_id = selectors.episodes_progress(episodes, today)
    outgoing: list[Outgoing] = []
    digests: dict[int, list[str]] = defaultdict(list)
    leads: dict[int, User] = {}
    for episode in episodes:
        result = progress_by_id[episode.pk]
        if result.ended_on or result.next_due_on != episode.next_due_on:
            _apply(episode, result)  # records changed outside the services: put it right
            if result.ended_on:
                continue
        case = episode.case
        lead, manager = case.lead_practitioner, case.team.manager
        url = _case_url(case)
        for step in result.due_today + result.overdue:
            if step.step.responsible == "lead_practitioner" or step.status == Status.OVERDUE:
                digests[lead.pk].append(_step_line(case, step))
                leads[lead.pk] = lead
            if manager is None:
                continue
            if step.step.responsible == "line_manager" and step.status == Status.DUE_TODAY:
                outgoing.append(
                    Outgoing(
                        recipient=manager,
                        key=f"step:{episode.pk}:{step.step.id}:{step.due_on}:{manager.pk}",
                        subject=f"{case.reference}: due today: {step.step.title}",
                        body=f"Due today for the {case.family_name}: {step.step.title}.\n\n{step.step.guidance}",
                        kind="step_due",
                        case=case,
                        url=url,
                    )
                )
            if step.status == Status.OVERDUE:
                outgoing.append(
                    Outgoing(
                        recipient=manager,
                        key=f"escalate:{episode.pk}:{step.step.id}:{manager.pk}",
                        subject=f"{case.reference}: overdue: {step.step.title}",
                        body=(
                            f"This step for the {case.family_name} was due on {step.due_on:%-d %B %Y} "
                            f"and has not been done.\n\nStep: {step.step.title}\n"
                            f"Responsible: {lead if step.step.responsible == 'lead_practitioner' else 'you'}"
                        ),
                        kind="step_overdue",
                        case=case,
                        url=url,
                        is_escalation=True,
                    )
                )
    for lead_id, lines in digests.items():
        outgoing.append(
            Outgoing(
                recipient=leads[lead_id],
                key=f"digest:{today}:{lead_id}",
                subject=f"Flow chart: {len(lines)} step{'s' if len(lines) != 1 else ''} due or overdue today",
                body="Today's flow-chart steps and the overdue ones:\n\n" + "\n".join(lines),
                kind="digest",
                url=reverse("cases:my_cases"),
            )
        )
    outgoing += _review_reminders(today)
    recorded = len(notifications_send_many(outgoing))
    if done is None:
        SweepDay.objects.create(day=today, completed_at=now, recorded=recorded)
    elif recorded:
        SweepDay.objects.filter(pk=done.pk).update(recorded=done.recorded + recorded)
    return recorded


def _review_reminders(today: dt.date) -> list[Outgoing]:
    window = (today - dt.timedelta(days=REVIEW_CATCH_UP_DAYS), today)
    outgoing = []
    actions = OversightAction.objects.filter(review_on__range=window).select_related(
        "oversight__episode__case__lead_practitioner", "oversight__episode__case__team__manager"
    )
    for action in actions:
        case = action.oversight.episode.case
        if not case.is_open:
            continue
        for recipient in {u for u in (case.lead_practitioner, case.team.manager) if u}:
            outgoing.append(
                Outgoing(
                    recipient=recipient,
                    key=f"review:action:{action.pk}:{recipient.pk}",
                    subject=f"{case.reference}: review of an oversight action is due",
                    body=f"Review due {action.review_on:%-d %B %Y} for the {case.family_name}.\n\n"
                    f"Action: {action.what}\nWho: {action.who}\nBy: {action.by_when:%-d %B %Y}",
                    kind="review_due",
                    case=case,
                    url=_case_url(case),
                )
            )
    decisions = Decision.objects.filter(review_on__range=window).select_related(
        "episode__case__lead_practitioner", "episode__case__team__manager"
    )
    for decision in decisions:
        case = decision.episode.case
        if not case.is_open:
            continue
        for recipient in {u for u in (case.lead_practitioner, case.team.manager) if u}:
            outgoing.append(
                Outgoing(
                    recipient=recipient,
                    key=f"review:decision:{decision.pk}:{recipient.pk}",
                    subject=f"{case.reference}: the review agreed at the decision is due",
                    body=f"The decision for the {case.family_name} was to continue with a review on "
                    f"{decision.review_on:%-d %B %Y}. Review the case and agree what happens next.",
                    kind="review_due",
                    case=case,
                    url=_case_url(case),
                )
            )
    return outgoing
