"""What the Family Engagement Risk Assessment's notifications say: submitted, returned, elevated
risk, shared, commented on, and the chase of a share not yet acknowledged.

One function a message, named for what happened; the services send them through
`cases.notifications`. Mail leaves the authority's systems, so a message names the case by its
reference, says what happened or is due in general terms, and links to the service; never the
family's name or anything written in the assessment, its comments or its return (docs/security.md,
"What mail may contain").
"""

from cases.models import User
from cases.notifications import Message

from .models import Assessment, Share


def elevated_risk_recorded(assessment: Assessment, *, by: User) -> Message:
    """What the assessment found is its content: the mail says only that it needs the manager now."""
    case = assessment.case
    return Message(
        subject=f"Urgent: read the assessment on {case.reference} now",
        body=(
            f"{by} recorded the Family Engagement Risk Assessment (version {assessment.version}) on case "
            f"{case.reference}, and it needs your action today: do not wait for day 15.\n\n"
            "Open the assessment to read it."
        ),
    )


def assessment_submitted(assessment: Assessment, *, by: User) -> Message:
    """What the assessment lacks is its content too: the mail says only that it needs care."""
    case = assessment.case
    care = (
        "\n\nIt needs particular care: read the warning at the top of the assessment."
        if assessment.submitted_without_protective_factors
        else ""
    )
    return Message(
        subject=f"Assessment to review and sign: {case.reference}",
        body=(
            f"{by} submitted the Family Engagement Risk Assessment (version {assessment.version}) on case "
            f"{case.reference}. Record your management oversight and sign it.{care}"
        ),
    )


def assessment_returned(assessment: Assessment, *, by: User) -> Message:
    case = assessment.case
    return Message(
        subject=f"Assessment returned for changes: {case.reference}",
        body=f"{by} returned the assessment on case {case.reference} to you as a draft.\n\n"
        "What needs to change is on the assessment.",
    )


def assessment_shared(assessment: Assessment, *, by: User) -> Message:
    """Names who did it: the manager who signed (signing shares it), or whoever shared it later,
    never the lead practitioner for someone else's act."""
    case = assessment.case
    if assessment.signed_by_id == by.pk:
        what = f"{by} signed the assessment for {case.reference} and shared it with you."
    else:
        what = f"{by} shared the assessment for {case.reference}, signed by {assessment.signed_name}."
    return Message(
        subject="A Family Engagement Risk Assessment has been shared with you",
        body=f"{what} Please read and acknowledge it by {assessment.share_due_on:%-d %B %Y}.",
    )


def assessment_commented(assessment: Assessment, *, by: User) -> Message:
    case = assessment.case
    return Message(
        subject=f"New comment on the assessment for {case.reference}",
        body=f"{by} commented on the Family Engagement Risk Assessment on case {case.reference}.\n\n"
        "Read the comment on the assessment.",
    )


def _share_chased(share: Share) -> tuple[str, str]:
    """(that the member has not acknowledged it, what was shared with whom), as both chase messages say.

    Opening is not recorded (a GET changes nothing but the access log), so only acknowledging counts.
    """
    case, member = share.assessment.case, share.member
    state = "has not acknowledged it"
    return state, f"the assessment for {case.reference} shared with {member}"


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
