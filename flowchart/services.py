"""Every write for the flow chart: pathways, episodes, oversight, decisions, reminders."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from cases.access import CaseAction, can
from cases.calendar import Calendar
from cases.models import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseMembership,
    CaseStatus,
    MembershipRole,
    Role,
    User,
)
from cases.notifications import Outgoing, notification_send, notifications_send_many
from cases.selectors import allocated_social_workers
from cases.services import CaseError, case_close
from engagement.models import EngagementAgreement
from riskassessment.models import Action as AssessmentAction
from riskassessment.models import ActionKind, Assessment, AssessmentStatus
from riskassessment.selectors import share_calendar, sharing_settings

from . import outcomes, selectors
from .models import (
    Answer,
    ClosureOutcome,
    ClosureRequest,
    Decision,
    DecisionOutcome,
    DecisionShare,
    Episode,
    FlowchartSettings,
    ManagerInformed,
    Oversight,
    OversightAction,
    Pathway,
    PathwayVersion,
    RiskChange,
    SafeguardingEscalation,
    Step,
    StepNotPossible,
    StepRequirement,
    SweepDay,
)
from .schedule import Status, summary_record


class FlowchartError(Exception):
    """A flow-chart change that cannot be made, with a message the person can act on."""


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
            if_possible=step.if_possible,
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
    """Start the case's run through a pathway (the default one unless a code is given).

    Day 1 is the date given: for a first run the referral date unless another is given; for a
    run started again (a family that engaged and stopped, or a new referral) today unless
    another is given. Attempts before Day 1 count for the earlier run only.
    """
    if not case.is_open:
        raise FlowchartError("This case is closed: reopen it before starting the flow chart")
    if case.status == CaseStatus.ESCALATED:
        raise FlowchartError(
            "This case was escalated to the MASH: the line manager records the decision before the "
            "flow chart starts again"
        )
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
    today = timezone.localdate()
    earlier = Episode.objects.filter(case=case).order_by("-ended_on").first()
    day1 = day1 or (today if earlier is not None else case.referral_date)
    if day1 > today:
        raise FlowchartError("Day 1 must be today or in the past")
    if day1 < case.referral_date:
        raise FlowchartError(f"Day 1 must be on or after the referral date, {case.referral_date:%-d %B %Y}")
    if earlier is not None and day1 < earlier.ended_on:
        raise FlowchartError(
            f"Day 1 must be on or after {earlier.ended_on:%-d %B %Y}, when the flow chart last ended"
        )
    agreed = selectors.first_on_or_after(
        selectors.agreement_dates(EngagementAgreement.objects.filter(case=case)).get(case.pk, ()), day1
    )
    if earlier is not None and agreed is not None:
        # Starting again is for a family that stopped engaging: an agreement on or after its
        # Day 1 would end the new run at once.
        raise FlowchartError(
            f"A parent or carer agreed to work with us on {agreed:%-d %B %Y}: Day 1 must be after that"
        )
    calendar = selectors.calendar_in_force()
    episode = Episode(
        case=case,
        version=version,
        day1=day1,
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
    today = timezone.localdate()
    result = selectors.episode_progress(episode, today)
    _store_summary(episode, summary_record(result, today))
    return _apply(episode, result, by=by)


def _store_summary(episode: Episode, record: dict) -> None:
    """Keep the episode's summary for the lists; written only when what it says changes.

    A stored summary holds from its day on, so one that still names the same open steps needs
    no new date. Written without a history row: it is derived from the records, which have theirs.
    """
    old = episode.summary or {}
    unchanged = old.get("on", "9999") <= record["on"] and all(
        old.get(key) == value for key, value in record.items() if key != "on"
    )
    if not unchanged:
        Episode.objects.filter(pk=episode.pk).update(summary=record)
        episode.summary = record


# Live episodes given a summary per run of the sweep task, and per write.
SUMMARIES_FILL_LIMIT = 2000
SUMMARIES_FILL_BATCH = 500


def episode_summaries_fill(*, limit: int | None = SUMMARIES_FILL_LIMIT) -> int:
    """Store a summary on live episodes that have none (those started before summaries were
    kept, or put right by the sweep); returns how many. Until then the lists derive theirs."""
    today = timezone.localdate()
    missing = Episode.objects.filter(ended_on__isnull=True, summary={}).order_by("pk")
    episodes = list(missing[:limit] if limit is not None else missing)
    for start in range(0, len(episodes), SUMMARIES_FILL_BATCH):
        chunk = episodes[start : start + SUMMARIES_FILL_BATCH]
        results = selectors.episodes_progress(chunk, today)
        for episode in chunk:
            episode.summary = summary_record(results[episode.pk], today)
        Episode.objects.bulk_update(chunk, ["summary"])  # derived: no history row
    return len(episodes)


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
    _tell_social_workers_of_non_engagement(record)
    return record


def _tell_social_workers_of_non_engagement(record: ManagerInformed) -> None:
    """Each allocated social worker of the case, once each: the manager has been told.

    Camden 004, section 4: difficulties in engaging families "are reported to the child's
    allocated social worker and their supervisor or manager". The message carries the case
    reference, what happened and a link to their page for the case, not the notes.
    """
    case = record.episode.case
    for social_worker in allocated_social_workers(case):
        notification_send(
            recipient=social_worker,
            key=f"informed:{record.pk}:social_worker:{social_worker.pk}",
            subject=f"{case.reference}: the family is not engaging; the line manager has been told",
            body=(
                f"{record.informed_by}, the lead practitioner, has told their line manager, "
                f"{record.manager}, that the family on case {case.reference} is not engaging. "
                "The manager records oversight and agrees the next steps; you will see the "
                "decision on the case."
            ),
            kind="manager_informed",
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


@transaction.atomic
def step_not_possible_record(*, case: Case, by: User, order: int, reason: str) -> StepNotPossible:
    """Record that an "if possible" step could not be done, and why: it does not go overdue.

    Knowsley (000, Appendix 4), day 8: "Contact referrer or other practitioner if possible";
    day 12: "Discuss with referrer (if possible)". The manager is told, with the reason.
    """
    episode = _live_episode_for_update(case)
    step = Step.objects.filter(version_id=episode.version_id, order=order).first()
    if step is None:
        raise FlowchartError("Select a step of this flow chart")
    if not step.if_possible:
        raise FlowchartError(
            f"'{step.title}' is not an 'if possible' step: it cannot be recorded as not possible"
        )
    if not reason.strip():
        raise FlowchartError("Enter why the step was not possible")
    current = {s.step.id: s for s in selectors.episode_progress(episode).steps}.get(step.pk)
    if current is not None and current.status == Status.DONE:
        raise FlowchartError(f"'{step.title}' is already done")
    if StepNotPossible.objects.filter(episode=episode, step=step).exists():
        raise FlowchartError(f"'{step.title}' is already recorded as not possible")
    record = StepNotPossible(
        episode=episode, step=step, reason=reason.strip(), recorded_by=by, recorded_at=timezone.now()
    )
    record._history_user = by
    record.save()
    episode_refresh(episode=episode, by=by)
    case = episode.case
    manager = case.team.manager
    if manager is not None and manager.pk != by.pk:
        notification_send(
            recipient=manager,
            key=f"not_possible:{record.pk}",
            subject=f"{case.reference}: a step was not possible: {step.title}",
            body=f"{by} recorded that this step was not possible for the {case.family_name}: "
            f"{step.title}.\n\nThe reason is on the case's flow chart.",
            kind="step_not_possible",
            case=case,
            url=_case_url(case),
        )
    return record


# What each decision does to the case: see flowchart/outcomes.py.
CASE_STATUS_FOR = outcomes.CASE_STATUS_FOR

# The three "options to consider" of Appendix 4, each with what to do when it is not answered.
_CONSIDERED = (
    ("considered_mash_referral", "Select whether you considered a referral back to the MASH"),
    ("considered_multi_agency_meeting", "Select whether you considered a multi-agency meeting"),
    ("considered_level_two", "Select whether you considered level 2 services"),
)


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
        return FlowchartError("The flow chart has not started for this case: start it first")
    return FlowchartError(
        f"The decision for this run of the flow chart was recorded on "
        f"{timezone.localdate(last.decided_at):%-d %B %Y}: start the flow chart again to record a new one"
    )


def _require_open_case(case: Case) -> None:
    if not case.is_open:
        raise FlowchartError(
            f"This case is already {case.get_status_display().lower()} (on {case.closed_on:%-d %B %Y})"
        )


def _check_considered(answers: dict[str, str]) -> None:
    for name, message in _CONSIDERED:
        if answers.get(name) not in Answer.values:
            raise FlowchartError(message)


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
    considered_mash_referral: str,
    considered_multi_agency_meeting: str,
    considered_level_two: str,
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
                f"'{DecisionOutcome(outcome).label}' is not a decision the {episode.version.pathway.name} "
                "pathway offers: select one of the decisions shown"
            )
        raise FlowchartError("Select the decision")
    if not reasons.strip():
        raise FlowchartError("Enter the reasons for the decision")
    _check_considered(
        {
            "considered_mash_referral": considered_mash_referral,
            "considered_multi_agency_meeting": considered_multi_agency_meeting,
            "considered_level_two": considered_level_two,
        }
    )
    if outcome == DecisionOutcome.CONTINUE:
        if review_on is None:
            raise FlowchartError("Enter the review date: continuing needs one")
        if review_on <= today:
            raise FlowchartError("The review date must be in the future")
    if outcome == DecisionOutcome.INVITE_SOCIAL_WORKER:
        if social_worker_meeting_on is None:
            raise FlowchartError("Enter the date of the multi-agency meeting the social worker is invited to")
        if social_worker_meeting_on < today:
            raise FlowchartError("The date of the multi-agency meeting must be today or in the future")
    if case.is_step_down and social_worker_consulted not in ("yes", "no"):
        raise FlowchartError("Say whether the social worker was consulted: this is a step-down case")
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
        considered_mash_referral=considered_mash_referral,
        considered_multi_agency_meeting=considered_multi_agency_meeting,
        considered_level_two=considered_level_two,
        social_worker_consulted=social_worker_consulted,
        options_notes=options_notes,
        share_due_on=_share_due_on(today),
    )
    decision._history_user = by
    decision.save()
    label = decision.get_outcome_display()
    if outcome in CASE_STATUS_FOR:
        case.status = CASE_STATUS_FOR[outcome]
        case.closed_on = today
        case.closure_reason = f"{label}: {decision.reasons}"
    elif case.status == CaseStatus.ESCALATED:
        case.status = CaseStatus.OPEN  # the decision after the escalation is made: work goes on
    case.updated_at = timezone.now()
    case._history_user = by
    case.save(update_fields=["status", "closed_on", "closure_reason", "updated_at"])
    # The decision is one of the episode's records: a live episode ends with it ("decided") and its
    # next due date empties, so the sweep has nothing more to remind anyone of.
    episode_refresh(episode=episode, by=by)
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
        notification_send(
            recipient=lead,
            key=f"decision:{decision.pk}:{lead.pk}",
            subject=f"{case.reference}: decision recorded: {label}",
            body=f"{by} recorded the decision for the {case.family_name}: {label}.\n\n{decision.reasons}"
            + (f"\n\nReview date: {decision.review_on:%-d %B %Y}" if decision.review_on else "")
            + (
                f"\n\nMulti-agency meeting with the social worker: {decision.social_worker_meeting_on:%-d %B %Y}"
                if decision.social_worker_meeting_on
                else ""
            )
            + f"\n\nTell the multi-agency meeting the agreed outcome by {decision.share_due_on:%-d %B %Y}.",
            kind="decision",
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
    considered_mash_referral: str,
    considered_multi_agency_meeting: str,
    considered_level_two: str,
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
        considered_mash_referral=considered_mash_referral,
        considered_multi_agency_meeting=considered_multi_agency_meeting,
        considered_level_two=considered_level_two,
        social_worker_consulted=social_worker_consulted,
        review_on=review_on,
        social_worker_meeting_on=social_worker_meeting_on,
        options_notes=options_notes,
    )


@transaction.atomic
def case_closure_record(
    *,
    case: Case,
    by: User,
    reasons: str,
    considered_mash_referral: str,
    considered_multi_agency_meeting: str,
    considered_level_two: str,
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
    answers = {
        "considered_mash_referral": considered_mash_referral,
        "considered_multi_agency_meeting": considered_multi_agency_meeting,
        "considered_level_two": considered_level_two,
    }
    if episode is not None:
        return _decision_save(
            episode=episode,
            by=by,
            outcome=DecisionOutcome.CLOSE,
            offered=(DecisionOutcome.CLOSE,),
            reasons=reasons,
            social_worker_consulted=social_worker_consulted,
            options_notes=options_notes,
            **answers,
        )
    if not reasons.strip():
        raise FlowchartError("Enter the reasons for the decision")
    _check_considered(answers)
    try:
        case_close(case=locked, by=by, reason=reasons)
    except CaseError as error:
        raise FlowchartError(str(error)) from error
    _closure_requests_settle(case=locked, by=by, agreed=True, reason=reasons.strip(), decision=None)
    lead = locked.lead_practitioner
    if lead.pk != by.pk:
        notification_send(
            recipient=lead,
            key=f"case-closed:{locked.pk}:{locked.closed_on}",
            subject=f"{locked.reference}: the case is closed",
            body=f"{by} closed case {locked.reference}.\n\nReason: {reasons.strip()}",
            kind="case_closed",
            case=locked,
            url=_case_url(locked),
        )
    return None


# ---------------------------------------------------------------------------------------------
# Requests to close a case: the lead practitioner asks, the line manager decides.


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
        raise FlowchartError("Only someone working on this case can ask for it to be closed")
    _require_open_case(case)
    manager = case.team.manager
    if manager is None:
        raise FlowchartError(f"{case.team} has no line manager: ask an admin to set one")
    if manager.pk == by.pk:
        raise FlowchartError("You are this case's line manager: close it yourself by recording the decision")
    reason = reason.strip()
    if not reason:
        raise FlowchartError("Enter why you are asking for the case to be closed")
    waiting = (
        ClosureRequest.objects.filter(case=case, decided_at__isnull=True)
        .select_related("requested_by")
        .first()
    )
    if waiting is not None:
        raise FlowchartError(
            f"{waiting.requested_by} already asked {manager} to close this case on "
            f"{timezone.localdate(waiting.requested_at):%-d %B %Y}: wait for their decision"
        )
    request = ClosureRequest(case=case, requested_by=by, requested_at=timezone.now(), reason=reason)
    request._history_user = by
    request.save()
    notification_send(
        recipient=manager,
        key=f"closure-request:{request.pk}:asked",
        subject=f"{case.reference}: {by} asks you to close this case",
        body=f"{by} asks you to close case {case.reference}.\n\nReason: {reason}\n\n"
        "Agree or not agree, with your reasons.",
        kind="closure_request",
        case=case,
        url=_closure_decide_url(request),
    )
    return request


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
        request._history_user = by
        request.save()
        settled.append(request)
        if request.requested_by_id != by.pk:
            answer = "agreed: the case is closed" if agreed else "not agreed: the case stays open"
            notification_send(
                recipient=request.requested_by,
                key=f"closure-request:{request.pk}:decided",
                subject=f"{case.reference}: your request to close the case was {answer.split(':')[0]}",
                body=f"{by} {answer}.\n\nReason: {reason}",
                kind="closure_request_decided",
                case=case,
                url=_case_url(case),
            )
    return settled


@transaction.atomic
def closure_request_decide(
    *,
    request: ClosureRequest,
    by: User,
    agree: bool,
    reason: str,
    considered_mash_referral: str = "",
    considered_multi_agency_meeting: str = "",
    considered_level_two: str = "",
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
        raise FlowchartError(
            f"This request was answered on {timezone.localdate(request.decided_at):%-d %B %Y}: "
            f"{request.get_outcome_display().lower()}"
        )
    if agree:
        case_closure_record(
            case=request.case,
            by=by,
            reasons=reason,
            considered_mash_referral=considered_mash_referral,
            considered_multi_agency_meeting=considered_multi_agency_meeting,
            considered_level_two=considered_level_two,
            social_worker_consulted=social_worker_consulted,
            options_notes=options_notes,
        )
    else:
        if not reason.strip():
            raise FlowchartError("Enter why the case should stay open")
        _closure_requests_settle(case=request.case, by=by, agreed=False, reason=reason.strip(), decision=None)
    request.refresh_from_db()
    return request


# ---------------------------------------------------------------------------------------------
# Telling the multi-agency meeting the agreed outcome


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
        raise FlowchartError("Only someone working on this case can share its decision")
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
            "Nobody from the multi-agency meeting is on this case yet: add them on the case page first"
        )
    told = set(decision.shares.values_list("member_id", flat=True))
    new = [m for m in memberships if m.user_id not in told]
    if not new:
        raise FlowchartError("Everyone on the multi-agency meeting has been told of this decision already")
    now = timezone.now()
    decided_on = timezone.localdate(decision.decided_at)
    shares = []
    for membership in new:
        share = DecisionShare(
            decision=decision, member=membership.user, membership=membership, shared_by=by, shared_at=now
        )
        share._history_user = by
        share.save()
        shares.append(share)
        notification_send(
            recipient=membership.user,
            key=f"decision:{decision.pk}:shared:{membership.user_id}",
            subject=f"The decision for {case.reference} has been shared with you",
            body=f"{by} shared the decision agreed on {decided_on:%-d %B %Y}: "
            f"{decision.get_outcome_display()}.\n\nWhat happens next: {next_steps}",
            kind="decision_shared",
            case=case,
            url=reverse("riskassessment:shared_list") + "#decisions",
        )
    if decision.shared_at is None:
        decision.shared_at, decision.shared_by = now, by
    decision.next_steps_shared = next_steps
    decision._history_user = by
    decision.save(update_fields=["shared_at", "shared_by", "next_steps_shared"])
    return shares


def decision_shares_chase(*, today: dt.date | None = None) -> int:
    """Remind the lead practitioner before a decision's share is due, and escalate once it is late,
    as the assessment's sharing does (the admin's sharing settings). Each message goes once (its
    notification key and the stamp on the decision); running this twice sends nothing new."""
    today = today or timezone.localdate()
    rules, calendar = sharing_settings(), share_calendar()
    horizon = calendar.add(today, rules.reminder_days_before)
    late_by = calendar.add(today, -rules.escalate_after_days)
    now = timezone.now()
    sent = 0
    for decision in selectors.decisions_to_chase(today=today, horizon=horizon, late_by=late_by):
        case = decision.episode.case
        lead = case.lead_practitioner
        what = (
            f"the decision agreed on {timezone.localdate(decision.decided_at):%-d %B %Y} "
            f"({decision.get_outcome_display()})"
        )
        url = _decision_share_url(decision)
        with transaction.atomic():
            if decision.share_due_on < today:
                manager = case.team.manager if rules.escalate_to_manager else None
                for recipient in filter(None, [manager, lead]):
                    sent += (
                        notification_send(
                            recipient=recipient,
                            key=f"decision-share:{decision.pk}:overdue:{recipient.pk}",
                            subject=f"Late: the multi-agency meeting has not been told the decision ({case.reference})",
                            body=f"The multi-agency meeting should have been told {what} by "
                            f"{decision.share_due_on:%-d %B %Y}. Share it from the case's flow chart.",
                            kind="decision_share_overdue",
                            case=case,
                            url=url,
                            is_escalation=recipient == manager,
                        )
                        is not None
                    )
                decision.share_escalated_at = now
                decision.save(update_fields=["share_escalated_at"])
            else:
                sent += (
                    notification_send(
                        recipient=lead,
                        key=f"decision-share:{decision.pk}:reminder",
                        subject=f"Due {decision.share_due_on:%-d %B}: tell the multi-agency meeting the decision ({case.reference})",
                        body=f"Tell the multi-agency meeting {what} by {decision.share_due_on:%-d %B %Y}.",
                        kind="decision_share_reminder",
                        case=case,
                        url=url,
                    )
                    is not None
                )
                decision.share_reminded_at = now
                decision.save(update_fields=["share_reminded_at"])
    return sent


@transaction.atomic
def safeguarding_escalate(
    *, case: Case, by: User, concern: str, mash_contact: str, mash_reference: str = ""
) -> SafeguardingEscalation:
    """Record an immediate safeguarding concern referred to the MASH now: the flow chart ends and
    the case is "Escalated to the MASH" until the manager records the decision."""
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
    if case.status in LIVE_STATUSES:
        case.status = CaseStatus.ESCALATED
        case.updated_at = timezone.now()
        case._history_user = by
        case.save(update_fields=["status", "updated_at"])
    for recipient in {u for u in (case.team.manager, case.lead_practitioner) if u and u.pk != by.pk}:
        notification_send(
            recipient=recipient,
            key=f"mash:{escalation.pk}:{recipient.pk}",
            subject=f"{case.reference}: immediate safeguarding concern escalated to the MASH",
            body=f"{by} escalated an immediate safeguarding concern about the {case.family_name} "
            f"to the MASH.\n\n{concern}\n\nMASH contact: {mash_contact}"
            + ("\n\nRecord the decision on next steps." if recipient == case.team.manager else ""),
            kind="escalation",
            case=case,
            url=_case_url(case),
            is_escalation=True,
        )
    return escalation


# ---------------------------------------------------------------------------------------------
# The sweep

REVIEW_CATCH_UP_DAYS = 14  # a review date missed while the service was down is still reminded


def _step_lines(due_steps, worded: dict[tuple, str]) -> tuple[tuple, ...]:
    """Per step due or overdue: (step, overdue, what the lead's digest says after the family).

    `worded` keeps each line once per sweep: thousands of families share a step and a due date,
    and formatting the date is most of the cost of a line.
    """
    lines = []
    for step in due_steps:
        overdue = step.status == Status.OVERDUE
        line = worded.get((id(step.step), overdue, step.due_on))
        if line is None:
            state = "overdue since" if overdue else "due"
            line = worded[(id(step.step), overdue, step.due_on)] = (
                f"{step.step.title} ({state} {step.due_on:%-d %b})"
            )
        lines.append((step, overdue, line))
    return tuple(lines)


def _case_urls():
    """The case flow-chart URL for a case id, reversed once per sweep rather than once per case.

    reverse() costs more than the rest of building a reminder, and a morning has thousands.
    """
    marker = 2_147_483_647
    head, tail = reverse("flowchart:case_flowchart", kwargs={"case_pk": marker}).split(str(marker))
    return lambda case_id: f"{head}{case_id}{tail}"


@transaction.atomic
def reminders_sweep(*, now: dt.datetime | None = None) -> int:
    """Record today's reminders and escalations once each, from the episodes due in the database.

    Runs every few minutes; only from the admin's morning time on working days. The first
    complete pass of a day reads every due episode; later passes read only the episodes whose
    records changed since. Returns how many notifications were recorded.

    Set-based: the due episodes, their steps, attempts and milestones are read in a fixed number
    of queries (`selectors.due_episodes`), the notifications are written in one insert, and
    delivery goes to the workers in chunks after commit; the query count does not grow with the
    number of episodes.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    # One sweep at a time: a beat that arrives while a slow sweep runs, or a message the broker
    # hands out again, waits here on the settings row, then reads only what changed since.
    flow_settings = FlowchartSettings.objects.select_for_update().filter(pk=1).first()
    if flow_settings is None:
        flow_settings = selectors.settings_in_force()
    closures = selectors.closure_days()
    calendar = Calendar(
        working_days=flow_settings.working_days, nation=flow_settings.nation, closures=closures
    )
    if (
        not calendar.is_working_day(today)
        or timezone.localtime(now).time() < flow_settings.morning_reminder_time
    ):
        return 0
    done = SweepDay.objects.filter(day=today).first()
    # A case closed by other means stops its reminders even if its episode never ended.
    episodes = selectors.due_episodes(
        today=today, changed_since=done.completed_at if done else None, closures=closures
    )
    escalated = selectors.escalations_recorded(today=today, changed_since=done.completed_at if done else None)
    case_url = _case_urls()
    escalate: dict[dt.date, bool] = {}  # by due date: whether an overdue step goes to the manager
    stale: list[selectors.DueEpisode] = []
    outgoing: list[Outgoing] = []
    digests: dict[int, list[str]] = defaultdict(list)
    # Episodes with the same records share one evaluation, and so the wording of their lines.
    worded: dict[int, tuple[tuple, ...]] = {}
    lines_worded: dict[tuple, str] = {}
    for episode in episodes:
        result = episode.schedule
        if result.ended_on or result.next_due_on != episode.next_due_on:
            stale.append(episode)  # records changed outside the services: put it right
            if result.ended_on:
                continue
        manager_id = episode.manager_id
        lines = worded.get(id(result))
        if lines is None:
            lines = worded[id(result)] = _step_lines(result.due, lines_worded)
        for step, overdue, line in lines:
            if overdue or step.step.responsible == "lead_practitioner":
                digests[episode.lead_id].append(f"- {episode.reference} {episode.family_name}: {line}")
            if manager_id is None:
                continue
            if not overdue and step.step.responsible == "line_manager":
                outgoing.append(
                    Outgoing(
                        recipient_id=manager_id,
                        key=f"step:{episode.id}:{step.step.id}:{step.due_on}:{manager_id}",
                        subject=f"{episode.reference}: due today: {step.step.title}",
                        body=f"Due today for the {episode.family_name}: {step.step.title}.\n\n{step.step.guidance}",
                        kind="step_due",
                        case_id=episode.case_id,
                        url=case_url(episode.case_id),
                    )
                )
            if not overdue:
                continue
            if step.due_on not in escalate:
                escalate[step.due_on] = selectors.step_escalation_due(
                    due_on=step.due_on, today=today, settings=flow_settings, calendar=calendar
                )
            key = f"escalate:{episode.id}:{step.step.id}:{manager_id}"
            if escalate[step.due_on] and key not in escalated:
                outgoing.append(
                    Outgoing(
                        recipient_id=manager_id,
                        key=key,
                        subject=f"{episode.reference}: overdue: {step.step.title}",
                        body=(
                            f"This step for the {episode.family_name} was due on {step.due_on:%-d %B %Y} "
                            f"and has not been done.\n\nStep: {step.step.title}\n"
                            "Responsible: "
                            f"{episode.lead_name if step.step.responsible == 'lead_practitioner' else 'you'}"
                        ),
                        kind="step_overdue",
                        case_id=episode.case_id,
                        url=case_url(episode.case_id),
                        is_escalation=True,
                    )
                )
    _episodes_put_right(stale)
    my_cases = reverse("cases:my_cases")
    for lead_id, lines in digests.items():
        outgoing.append(
            Outgoing(
                recipient_id=lead_id,
                key=f"digest:{today}:{lead_id}",
                subject=f"Flow chart: {len(lines)} step{'s' if len(lines) != 1 else ''} due or overdue today",
                body="Today's flow-chart steps and the overdue ones:\n\n" + "\n".join(lines),
                kind="digest",
                url=my_cases,
            )
        )
    outgoing += _review_reminders(today)
    recorded = len(notifications_send_many(outgoing))
    if done is None:
        SweepDay.objects.create(day=today, completed_at=now, recorded=recorded)
    elif recorded:
        SweepDay.objects.filter(pk=done.pk).update(recorded=done.recorded + recorded)
    return recorded


# Rows per UPDATE when the sweep puts episodes right: inside SQLite's limit on parameters.
PUT_RIGHT_BATCH = 500


def _episodes_put_right(episodes: Sequence[selectors.DueEpisode]) -> None:
    """Store the end and next due date the sweep found on episodes whose records changed
    outside the services, as `episode_refresh` would, with history; in bulk, since a change to
    the calendar can leave thousands of episodes to put right at once."""
    found = {e.id: e.schedule for e in episodes}
    ids = list(found)
    for start in range(0, len(ids), PUT_RIGHT_BATCH):
        rows = list(
            Episode.objects.filter(pk__in=ids[start : start + PUT_RIGHT_BATCH]).select_related("case")
        )
        for row in rows:
            result = found[row.pk]
            row.ended_on, row.end_reason, row.next_due_on = (
                result.ended_on,
                result.end_reason,
                result.next_due_on,
            )
            row.changed_at = timezone.now()
            row.summary = {}  # stored from other records: the lists derive it until the next refresh
        bulk_update_with_history(
            rows, Episode, ["ended_on", "end_reason", "next_due_on", "changed_at", "summary"]
        )
        engaged = [
            row.case for row in rows if row.end_reason == "engaged" and row.case.status == CaseStatus.OPEN
        ]
        for case in engaged:
            case.status = CaseStatus.ENGAGED
            case.updated_at = timezone.now()
        if engaged:
            bulk_update_with_history(engaged, Case, ["status", "updated_at"])


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
                    recipient_id=recipient.pk,
                    key=f"review:action:{action.pk}:{recipient.pk}",
                    subject=f"{case.reference}: review of an oversight action is due",
                    body=f"Review due {action.review_on:%-d %B %Y} for the {case.family_name}.\n\n"
                    f"Action: {action.what}\nWho: {action.who}\nBy: {action.by_when:%-d %B %Y}",
                    kind="review_due",
                    case_id=case.pk,
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
                    recipient_id=recipient.pk,
                    key=f"review:decision:{decision.pk}:{recipient.pk}",
                    subject=f"{case.reference}: the review agreed at the decision is due",
                    body=f"The decision for the {case.family_name} was to continue with a review on "
                    f"{decision.review_on:%-d %B %Y}. Review the case and agree what happens next.",
                    kind="review_due",
                    case_id=case.pk,
                    url=_case_url(case),
                )
            )
    return outgoing + _assessment_review_reminders(window)


# The versions whose action tables are in force: sent to the manager or signed. A draft is not
# yet agreed; a version is superseded once a later one is submitted or signed.
_IN_FORCE = (AssessmentStatus.SUBMITTED, AssessmentStatus.SIGNED, AssessmentStatus.SHARED)


def _assessment_review_reminders(window: tuple[dt.date, dt.date]) -> list[Outgoing]:
    """The review dates of the FERA's action tables (Appendix 2: what, who, by when, review date).

    Each row is reminded on its review date to the case's lead practitioner and line manager:
    who will do it is free text on the row, so the lead practitioner, responsible for the plan,
    is told in their place and the message says so. Only the version in force on an open case.

    Exactly once per row, review date and person: an amended version copies its rows
    (`copied_from`), and the key names the first row of the chain, so a copy signed with the
    same review date is not reminded again; a changed review date is reminded on the new date.
    Two queries however many rows are due.
    """
    later = Assessment.objects.filter(
        case=OuterRef("assessment__case"),
        version__gt=OuterRef("assessment__version"),
        status__in=_IN_FORCE,
    )
    actions = list(
        AssessmentAction.objects.filter(
            review_on__range=window,
            removed_at__isnull=True,
            assessment__status__in=_IN_FORCE,
            assessment__case__status__in=OPEN_STATUSES,
        )
        .exclude(Exists(later))
        .select_related("assessment__case__lead_practitioner", "assessment__case__team__manager")
        .order_by("review_on", "assessment_id", "kind", "position", "id")
    )
    if not actions:
        return []
    parent: dict[int, int | None] = {}
    if any(action.copied_from_id for action in actions):
        parent = dict(
            AssessmentAction.objects.filter(
                assessment__case_id__in={a.assessment.case_id for a in actions}
            ).values_list("pk", "copied_from_id")
        )

    def first_of(pk: int) -> int:
        while parent.get(pk):
            pk = parent[pk]
        return pk

    outgoing = []
    for action in actions:
        assessment = action.assessment
        case = assessment.case
        lead, manager = case.lead_practitioner, case.team.manager
        table = ActionKind(action.kind).label
        url = reverse("riskassessment:assessment_detail", kwargs={"case_pk": case.pk, "pk": assessment.pk})
        body = (
            f"Review due {action.review_on:%-d %B %Y} for the {case.family_name}.\n\n"
            f"Action: {action.what}\nWho: {action.who}\nBy: {action.by_when:%-d %B %Y}\n"
            f"From: {table}, Family Engagement Risk Assessment version {assessment.version}"
        )
        why = {}
        if lead is not None:
            why[lead] = (
                "\n\nYou have this reminder as the lead practitioner responsible for the assessment's "
                f"plan: the row names who will do it ({action.who}) in words, so the system cannot "
                "remind them itself."
            )
        if manager is not None and manager != lead:
            why[manager] = "\n\nYou have this reminder as the line manager."
        for recipient, why_line in why.items():
            outgoing.append(
                Outgoing(
                    recipient_id=recipient.pk,
                    key=f"review:fera-action:{first_of(action.pk)}:{action.review_on}:{recipient.pk}",
                    subject=f"{case.reference}: review of an assessment action is due",
                    body=body + why_line,
                    kind="review_due",
                    case_id=case.pk,
                    url=url,
                )
            )
    return outgoing
