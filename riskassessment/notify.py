"""What the Family Engagement Risk Assessment's notifications say: submitted, returned, elevated
risk, shared, commented on, and the chase of a share not yet acknowledged.

One function a message, named for what happened; the services send them through
`cases.notifications`.
"""

from cases.models import User
from cases.notifications import Message

from .models import Assessment, Comment, Share


def elevated_risk_recorded(assessment: Assessment, *, by: User) -> Message:
    case = assessment.case
    return Message(
        subject=f"Elevated risk of significant harm: {case.reference} {case.family_name}",
        body=(
            f"{by} recorded an elevated risk of significant harm to the children of "
            f"{case.family_name} in the Family Engagement Risk Assessment (version {assessment.version}). "
            "Follow child protection procedures now: escalate to the MASH rather than wait for day 15."
        ),
    )


def assessment_submitted(assessment: Assessment, *, by: User) -> Message:
    case = assessment.case
    warning = (
        "\n\nNo protective factor was recorded: the guidance says that in itself must raise concern."
        if assessment.submitted_without_protective_factors
        else ""
    )
    return Message(
        subject=f"Assessment to review and sign: {case.reference} {case.family_name}",
        body=(
            f"{by} submitted the Family Engagement Risk Assessment (version {assessment.version}) for "
            f"{case.family_name}. Record your management oversight and sign it.{warning}"
        ),
    )


def assessment_returned(assessment: Assessment, *, by: User, reason: str) -> Message:
    case = assessment.case
    return Message(
        subject=f"Assessment returned for changes: {case.reference} {case.family_name}",
        body=f"{by} returned the assessment to you as a draft.\n\nWhat needs to change: {reason.strip()}",
    )


def assessment_shared(assessment: Assessment) -> Message:
    return Message(
        subject="A Family Engagement Risk Assessment has been shared with you",
        body=(
            f"{assessment.lead_practitioner} shared the signed assessment for "
            f"{assessment.case.reference}. Please read and acknowledge it by "
            f"{assessment.share_due_on:%-d %B %Y}."
        ),
    )


def assessment_commented(comment: Comment, *, by: User) -> Message:
    case = comment.assessment.case
    return Message(
        subject=f"New comment on the assessment for {case.reference}",
        body=f"{by} commented on the Family Engagement Risk Assessment:\n\n{comment.body}",
    )


def _share_chased(share: Share) -> tuple[str, str]:
    """(that the member has not acknowledged it, what was shared with whom), as both chase messages say.

    Opening is not recorded (a GET changes nothing but the access log), so only acknowledging counts.
    """
    case, member = share.assessment.case, share.member
    state = "has not acknowledged it"
    return state, f"the assessment for {case.reference} {case.family_name} shared with {member}"


def share_late(share: Share) -> Message:
    state, what = _share_chased(share)
    return Message(
        subject=f"Late: assessment not yet received by {share.member} ({share.assessment.case.reference})",
        body=(
            f"The multi-agency meeting should have received {what} by "
            f"{share.due_on:%-d %B %Y}. {share.member} {state}. "
            "Contact them to make sure they have it."
        ),
    )


def share_reminder(share: Share) -> Message:
    state, what = _share_chased(share)
    return Message(
        subject=f"Due {share.due_on:%-d %B}: {share.member} has not yet acknowledged the assessment",
        body=(
            f"{share.member} {state}: {what}. It is due by {share.due_on:%-d %B %Y}. "
            "Check they have received it."
        ),
    )
