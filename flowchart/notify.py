"""What the flow chart's notifications say: the manager informed, oversight, steps not possible,
escalations to the MASH, decisions and their sharing, closures, reviews due and the morning sweep.

One function a message, named for what happened; the services send them through
`cases.notifications`. Mail leaves the authority's systems, so a message names the case by its
reference, says what happened or is due in general terms, and links to the service; never the
family's name or anything written on the case (docs/security.md, "What mail may contain").
"""

import datetime as dt

from cases.models import Case, User
from cases.notifications import Message
from riskassessment.models import Action as AssessmentAction
from riskassessment.models import ActionKind

from .models import Decision, ManagerInformed, OversightAction, SafeguardingEscalation, Step


def manager_informed(record: ManagerInformed) -> Message:
    case, by = record.episode.case, record.informed_by
    return Message(
        subject=f"{case.reference}: {by} has told you the family is not engaging",
        body=(
            f"{by} has told you that the family on case {case.reference} is not engaging, with the "
            "strategies tried, the outcome of the FERA and whether the risk increases.\n\n"
            "Read them on the case, record your management oversight and agree the next steps."
        ),
    )


def social_worker_told_of_non_engagement(record: ManagerInformed) -> Message:
    case = record.episode.case
    return Message(
        subject=f"{case.reference}: the family is not engaging; the line manager has been told",
        body=(
            f"{record.informed_by}, the lead practitioner, has told their line manager, "
            f"{record.manager}, that the family on case {case.reference} is not engaging. "
            "The manager records oversight and agrees the next steps; you will see the "
            "decision on the case."
        ),
    )


def step_not_possible(*, case: Case, by: User, step: Step) -> Message:
    return Message(
        subject=f"{case.reference}: a step was not possible: {step.title}",
        body=f"{by} recorded that this step was not possible on case {case.reference}: "
        f"{step.title}.\n\nThe reason is on the case's flow chart.",
    )


def safeguarding_escalated(escalation: SafeguardingEscalation, *, to_manager: bool) -> Message:
    case, by = escalation.episode.case, escalation.escalated_by
    return Message(
        subject=f"{case.reference}: immediate safeguarding concern escalated to the MASH",
        body=f"{by} escalated an immediate safeguarding concern on case {case.reference} to the MASH.\n\n"
        "The concern and how the MASH was told are on the case."
        + ("\n\nRecord the decision on next steps." if to_manager else ""),
    )


def decision_recorded(decision: Decision, *, by: User) -> Message:
    case = decision.episode.case
    return Message(
        subject=f"{case.reference}: the decision on next steps was recorded",
        body=f"{by} recorded the decision on next steps for case {case.reference}. The decision and "
        "its reasons are on the case."
        + (f"\n\nReview date: {decision.review_on:%-d %B %Y}" if decision.review_on else "")
        + (
            f"\n\nMulti-agency meeting with the social worker: {decision.social_worker_meeting_on:%-d %B %Y}"
            if decision.social_worker_meeting_on
            else ""
        )
        + f"\n\nTell the multi-agency meeting the agreed outcome by {decision.share_due_on:%-d %B %Y}.",
    )


def decision_shared(decision: Decision, *, by: User, decided_on: dt.date) -> Message:
    return Message(
        subject=f"The decision for {decision.episode.case.reference} has been shared with you",
        body=f"{by} shared with you the decision agreed on {decided_on:%-d %B %Y} for case "
        f"{decision.episode.case.reference}.\n\nRead it, and what happens next, in the service.",
    )


def _decision_to_share(decided_on: dt.date) -> str:
    return f"the decision agreed on {decided_on:%-d %B %Y}"


def decision_share_late(decision: Decision, *, decided_on: dt.date) -> Message:
    return Message(
        subject=f"Late: the multi-agency meeting has not been told the decision ({decision.episode.case.reference})",
        body=f"The multi-agency meeting should have been told {_decision_to_share(decided_on)} by "
        f"{decision.share_due_on:%-d %B %Y}. Share it from the case's flow chart.",
    )


def decision_share_reminder(decision: Decision, *, decided_on: dt.date) -> Message:
    return Message(
        subject=(
            f"Due {decision.share_due_on:%-d %B}: tell the multi-agency meeting the decision "
            f"({decision.episode.case.reference})"
        ),
        body=f"Tell the multi-agency meeting {_decision_to_share(decided_on)} by "
        f"{decision.share_due_on:%-d %B %Y}.",
    )


def case_closed(*, case: Case, by: User) -> Message:
    return Message(
        subject=f"{case.reference}: the case is closed",
        body=f"{by} closed case {case.reference}.\n\nThe reason is on the case.",
    )


def closure_requested(*, case: Case, by: User) -> Message:
    return Message(
        subject=f"{case.reference}: {by} asks you to close this case",
        body=f"{by} asks you to close case {case.reference}. Their reason is on the request.\n\n"
        "Agree or not agree, with your reasons.",
    )


def closure_request_decided(*, case: Case, by: User, agreed: bool) -> Message:
    answer = "agreed: the case is closed" if agreed else "not agreed: the case stays open"
    return Message(
        subject=f"{case.reference}: your request to close the case was {answer.split(':')[0]}",
        body=f"{by} {answer}.\n\nThe reason is on the case.",
    )


def oversight_action_review_due(action: OversightAction, *, case: Case) -> Message:
    return Message(
        subject=f"{case.reference}: review of an oversight action is due",
        body=f"The review of an action agreed at management oversight on case {case.reference} is due "
        f"on {action.review_on:%-d %B %Y}.\n\nThe action, who does it and by when are on the case.",
    )


def decision_review_due(decision: Decision, *, case: Case) -> Message:
    return Message(
        subject=f"{case.reference}: the review agreed at the decision is due",
        body=f"The decision on case {case.reference} was to continue with a review on "
        f"{decision.review_on:%-d %B %Y}. Review the case and agree what happens next.",
    )


def assessment_action_review_due(action: AssessmentAction, *, as_lead: bool) -> Message:
    """To the lead practitioner (`as_lead`) or the line manager: the row names who will do it in
    words, so the lead practitioner is reminded in their place."""
    assessment = action.assessment
    case = assessment.case
    table = ActionKind(action.kind).label
    why = (
        "\n\nYou have this reminder as the lead practitioner responsible for the assessment's "
        "plan: the row names who will do it in words, so the system cannot remind them itself."
        if as_lead
        else "\n\nYou have this reminder as the line manager."
    )
    return Message(
        subject=f"{case.reference}: review of an assessment action is due",
        body=(
            f"The review of an action from the Family Engagement Risk Assessment (version "
            f"{assessment.version}, {table}) on case {case.reference} is due on {action.review_on:%-d %B %Y}."
            "\n\nThe action, who does it and by when are on the assessment."
            f"{why}"
        ),
    )


# The morning sweep's wording. The sweep words thousands of lines a morning, so these take the
# plain values it reads (flowchart/selectors/sweep.py), not model instances.


def step_line(*, title: str, overdue: bool, due_on: dt.date) -> str:
    """One step in the lead practitioner's digest, after the family."""
    state = "overdue since" if overdue else "due"
    return f"{title} ({state} {due_on:%-d %b})"


def digest_line(*, reference: str, line: str) -> str:
    return f"- {reference}: {line}"


def step_due(*, reference: str, step) -> Message:
    """The step and its guidance are the pathway's words, not the case's."""
    return Message(
        subject=f"{reference}: due today: {step.title}",
        body=f"Due today on case {reference}: {step.title}.\n\n{step.guidance}",
    )


def step_overdue(*, reference: str, step, due_on: dt.date, lead_name: str) -> Message:
    """To the line manager, once the step has been overdue long enough."""
    responsible = lead_name if step.responsible == "lead_practitioner" else "you"
    return Message(
        subject=f"{reference}: overdue: {step.title}",
        body=(
            f"This step on case {reference} was due on {due_on:%-d %B %Y} "
            f"and has not been done.\n\nStep: {step.title}\n"
            f"Responsible: {responsible}"
        ),
    )


def digest(lines: list[str]) -> Message:
    return Message(
        subject=f"Flow chart: {len(lines)} step{'s' if len(lines) != 1 else ''} due or overdue today",
        body="Today's flow-chart steps and the overdue ones:\n\n" + "\n".join(lines),
    )
