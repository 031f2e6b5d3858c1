"""What the Family Engagement Risk Assessment's notifications say: submitted, returned, elevated
risk, shared, commented on, and the chase of a share not yet acknowledged.

One function a message, named for what happened; the services send them through
`cases.notifications`. Mail leaves the authority's systems, so a message names the case by its
reference, says what happened or is due in general terms, and links to the service; never the
family's name or anything written in the assessment, its comments or its return (docs/security.md,
"What mail may contain").
"""

from django.utils.translation import gettext as _

from cases.models import User
from cases.notifications import Message

from .models import Assessment, Share

# Each message is worded with gettext when it is made, not lazily: the Message is stored and may
# be serialized. Dates are formatted here and passed in as text.


def elevated_risk_recorded(assessment: Assessment, *, by: User) -> Message:
    """What the assessment found is its content: the mail says only that it needs the manager now."""
    case = assessment.case
    return Message(
        subject=_("Urgent: read the assessment on %(reference)s now") % {"reference": case.reference},
        body=_(
            "%(by)s recorded the Family Engagement Risk Assessment (version %(version)s) on case "
            "%(reference)s, and it needs your action today: do not wait for day 15.\n\n"
            "Open the assessment to read it."
        )
        % {"by": by, "version": assessment.version, "reference": case.reference},
    )


def assessment_submitted(assessment: Assessment, *, by: User) -> Message:
    """What the assessment lacks is its content too: the mail says only that it needs care."""
    case = assessment.case
    submitted = _(
        "%(by)s submitted the Family Engagement Risk Assessment (version %(version)s) on case "
        "%(reference)s. Record your management oversight and sign it."
    ) % {"by": by, "version": assessment.version, "reference": case.reference}
    paragraphs = [submitted]
    if assessment.submitted_without_protective_factors:
        paragraphs.append(_("It needs particular care: read the warning at the top of the assessment."))
    return Message(
        subject=_("Assessment to review and sign: %(reference)s") % {"reference": case.reference},
        body="\n\n".join(paragraphs),
    )


def assessment_returned(assessment: Assessment, *, by: User) -> Message:
    case = assessment.case
    return Message(
        subject=_("Assessment returned for changes: %(reference)s") % {"reference": case.reference},
        body=_(
            "%(by)s returned the assessment on case %(reference)s to you as a draft.\n\n"
            "What needs to change is on the assessment."
        )
        % {"by": by, "reference": case.reference},
    )


def assessment_shared(assessment: Assessment, *, by: User) -> Message:
    """Names who did it: the manager who signed (signing shares it), or whoever shared it later,
    never the lead practitioner for someone else's act."""
    case = assessment.case
    values = {
        "by": by,
        "reference": case.reference,
        "signed_by": assessment.signed_name,
        "date": f"{assessment.share_due_on:%-d %B %Y}",
    }
    if assessment.signed_by_id == by.pk:
        body = _(
            "%(by)s signed the assessment for %(reference)s and shared it with you. Please read and "
            "acknowledge it by %(date)s."
        )
    else:
        body = _(
            "%(by)s shared the assessment for %(reference)s, signed by %(signed_by)s. Please read and "
            "acknowledge it by %(date)s."
        )
    return Message(
        subject=_("A Family Engagement Risk Assessment has been shared with you"),
        body=body % values,
    )


def assessment_commented(assessment: Assessment, *, by: User) -> Message:
    case = assessment.case
    return Message(
        subject=_("New comment on the assessment for %(reference)s") % {"reference": case.reference},
        body=_(
            "%(by)s commented on the Family Engagement Risk Assessment on case %(reference)s.\n\n"
            "Read the comment on the assessment."
        )
        % {"by": by, "reference": case.reference},
    )


# Opening is not recorded (a GET changes nothing but the access log), so only acknowledging counts:
# both chase messages say the member has not acknowledged it.


def share_late(share: Share) -> Message:
    values = {
        "member": share.member,
        "reference": share.assessment.case.reference,
        "date": f"{share.due_on:%-d %B %Y}",
    }
    return Message(
        subject=_("Late: assessment not yet received by %(member)s (%(reference)s)") % values,
        body=_(
            "The multi-agency meeting should have received the assessment for %(reference)s shared with "
            "%(member)s by %(date)s. %(member)s has not acknowledged it. Contact them to make sure they "
            "have it."
        )
        % values,
    )


def share_reminder(share: Share) -> Message:
    values = {
        "member": share.member,
        "reference": share.assessment.case.reference,
        "day": f"{share.due_on:%-d %B}",
        "date": f"{share.due_on:%-d %B %Y}",
    }
    return Message(
        subject=_("Due %(day)s: %(member)s has not yet acknowledged the assessment") % values,
        body=_(
            "%(member)s has not acknowledged it: the assessment for %(reference)s shared with %(member)s. "
            "It is due by %(date)s. Check they have received it."
        )
        % values,
    )
