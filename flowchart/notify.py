"""What the flow chart's notifications say: the manager informed, oversight, steps not possible,
escalations to the MASH, decisions and their sharing, closures, reviews due and the morning sweep.

One function a message, named for what happened; the services send them through
`cases.notifications`. Mail leaves the authority's systems, so a message names the case by its
reference, says what happened or is due in general terms, and links to the service; never the
family's name or anything written on the case (docs/security.md, "What mail may contain").
"""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.models import Case, User
from cases.notifications import Message
from riskassessment.models import Action as AssessmentAction
from riskassessment.models import ActionKind

from .models import Decision, ManagerInformed, OversightAction, SafeguardingEscalation, Step

# Each message is worded with gettext when it is made, not lazily: the Message is stored and may
# be serialized. Dates are formatted here and passed in as text.


def _date(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def manager_informed(record: ManagerInformed) -> Message:
    case, by = record.episode.case, record.informed_by
    values = {"reference": case.reference, "by": by}
    return Message(
        subject=_("%(reference)s: %(by)s has told you the family is not engaging") % values,
        body=_(
            "%(by)s has told you that the family on case %(reference)s is not engaging, with the "
            "strategies tried, the outcome of the FERA and whether the risk increases.\n\n"
            "Read them on the case, record your management oversight and agree the next steps."
        )
        % values,
    )


def social_worker_told_of_non_engagement(record: ManagerInformed) -> Message:
    case = record.episode.case
    return Message(
        subject=_("%(reference)s: the family is not engaging; the line manager has been told")
        % {"reference": case.reference},
        body=_(
            "%(lead)s, the lead practitioner, has told their line manager, %(manager)s, that the family "
            "on case %(reference)s is not engaging. The manager records oversight and agrees the next "
            "steps; you will see the decision on the case."
        )
        % {"lead": record.informed_by, "manager": record.manager, "reference": case.reference},
    )


def step_not_possible(*, case: Case, by: User, step: Step) -> Message:
    values = {"reference": case.reference, "by": by, "step": step.title}
    return Message(
        subject=_("%(reference)s: a step was not possible: %(step)s") % values,
        body=_(
            "%(by)s recorded that this step was not possible on case %(reference)s: %(step)s.\n\n"
            "The reason is on the case's flow chart."
        )
        % values,
    )


def safeguarding_escalated(escalation: SafeguardingEscalation, *, to_manager: bool) -> Message:
    case, by = escalation.episode.case, escalation.escalated_by
    paragraphs = [
        _("%(by)s escalated an immediate safeguarding concern on case %(reference)s to the MASH.")
        % {"by": by, "reference": case.reference},
        _("The concern and how the MASH was told are on the case."),
    ]
    if to_manager:
        paragraphs.append(_("Record the decision on next steps."))
    return Message(
        subject=_("%(reference)s: immediate safeguarding concern escalated to the MASH")
        % {"reference": case.reference},
        body="\n\n".join(paragraphs),
    )


def decision_recorded(decision: Decision, *, by: User) -> Message:
    case = decision.episode.case
    paragraphs = [
        _(
            "%(by)s recorded the decision on next steps for case %(reference)s. The decision and its "
            "reasons are on the case."
        )
        % {"by": by, "reference": case.reference}
    ]
    if decision.review_on:
        paragraphs.append(_("Review date: %(date)s") % {"date": _date(decision.review_on)})
    if decision.social_worker_meeting_on:
        paragraphs.append(
            _("Multi-agency meeting with the social worker: %(date)s")
            % {"date": _date(decision.social_worker_meeting_on)}
        )
    paragraphs.append(
        _("Tell the multi-agency meeting the agreed outcome by %(date)s.")
        % {"date": _date(decision.share_due_on)}
    )
    return Message(
        subject=_("%(reference)s: the decision on next steps was recorded") % {"reference": case.reference},
        body="\n\n".join(paragraphs),
    )


def decision_shared(decision: Decision, *, by: User, decided_on: dt.date) -> Message:
    reference = decision.episode.case.reference
    return Message(
        subject=_("The decision for %(reference)s has been shared with you") % {"reference": reference},
        body=_(
            "%(by)s shared with you the decision agreed on %(date)s for case %(reference)s.\n\n"
            "Read it, and what happens next, in the service."
        )
        % {"by": by, "date": _date(decided_on), "reference": reference},
    )


def decision_share_late(decision: Decision, *, decided_on: dt.date) -> Message:
    return Message(
        subject=_("Late: the multi-agency meeting has not been told the decision (%(reference)s)")
        % {"reference": decision.episode.case.reference},
        body=_(
            "The multi-agency meeting should have been told the decision agreed on %(decided_on)s by "
            "%(due_on)s. Share it from the case's flow chart."
        )
        % {"decided_on": _date(decided_on), "due_on": _date(decision.share_due_on)},
    )


def decision_share_reminder(decision: Decision, *, decided_on: dt.date) -> Message:
    return Message(
        subject=_("Due %(day)s: tell the multi-agency meeting the decision (%(reference)s)")
        % {"day": f"{decision.share_due_on:%-d %B}", "reference": decision.episode.case.reference},
        body=_("Tell the multi-agency meeting the decision agreed on %(decided_on)s by %(due_on)s.")
        % {"decided_on": _date(decided_on), "due_on": _date(decision.share_due_on)},
    )


def case_closed(*, case: Case, by: User) -> Message:
    values = {"reference": case.reference, "by": by}
    return Message(
        subject=_("%(reference)s: the case is closed") % values,
        body=_("%(by)s closed case %(reference)s.\n\nThe reason is on the case.") % values,
    )


def closure_requested(*, case: Case, by: User) -> Message:
    values = {"reference": case.reference, "by": by}
    return Message(
        subject=_("%(reference)s: %(by)s asks you to close this case") % values,
        body=_(
            "%(by)s asks you to close case %(reference)s. Their reason is on the request.\n\n"
            "Agree or not agree, with your reasons."
        )
        % values,
    )


def closure_request_decided(*, case: Case, by: User, agreed: bool) -> Message:
    values = {"reference": case.reference, "by": by}
    if agreed:
        return Message(
            subject=_("%(reference)s: your request to close the case was agreed") % values,
            body=_("%(by)s agreed: the case is closed.\n\nThe reason is on the case.") % values,
        )
    return Message(
        subject=_("%(reference)s: your request to close the case was not agreed") % values,
        body=_("%(by)s not agreed: the case stays open.\n\nThe reason is on the case.") % values,
    )


def oversight_action_review_due(action: OversightAction, *, case: Case) -> Message:
    return Message(
        subject=_("%(reference)s: review of an oversight action is due") % {"reference": case.reference},
        body=_(
            "The review of an action agreed at management oversight on case %(reference)s is due on "
            "%(date)s.\n\nThe action, who does it and by when are on the case."
        )
        % {"reference": case.reference, "date": _date(action.review_on)},
    )


def decision_review_due(decision: Decision, *, case: Case) -> Message:
    return Message(
        subject=_("%(reference)s: the review agreed at the decision is due") % {"reference": case.reference},
        body=_(
            "The decision on case %(reference)s was to continue with a review on %(date)s. Review the "
            "case and agree what happens next."
        )
        % {"reference": case.reference, "date": _date(decision.review_on)},
    )


def assessment_action_review_due(action: AssessmentAction, *, as_lead: bool) -> Message:
    """To the lead practitioner (`as_lead`) or the line manager: the row names who will do it in
    words, so the lead practitioner is reminded in their place."""
    assessment = action.assessment
    case = assessment.case
    why = (
        _(
            "You have this reminder as the lead practitioner responsible for the assessment's plan: the "
            "row names who will do it in words, so the system cannot remind them itself."
        )
        if as_lead
        else _("You have this reminder as the line manager.")
    )
    # Translators: %(table)s is the action table's name, "What needs to happen" or
    # "Management oversight".
    due = _(
        "The review of an action from the Family Engagement Risk Assessment (version %(version)s, "
        "%(table)s) on case %(reference)s is due on %(date)s."
    ) % {
        "version": assessment.version,
        "table": ActionKind(action.kind).label,
        "reference": case.reference,
        "date": _date(action.review_on),
    }
    return Message(
        subject=_("%(reference)s: review of an assessment action is due") % {"reference": case.reference},
        body="\n\n".join([due, _("The action, who does it and by when are on the assessment."), why]),
    )


# The morning sweep's wording. The sweep words thousands of lines a morning, so these take the
# plain values it reads (flowchart/selectors/sweep.py), not model instances.


def step_line(*, title: str, overdue: bool, due_on: dt.date) -> str:
    """One step in the lead practitioner's digest, after the family."""
    values = {"title": title, "date": f"{due_on:%-d %b}"}
    if overdue:
        return _("%(title)s (overdue since %(date)s)") % values
    return _("%(title)s (due %(date)s)") % values


def digest_line(*, reference: str, line: str) -> str:
    return f"- {reference}: {line}"


def step_due(*, reference: str, step) -> Message:
    """The step and its guidance are the pathway's words, not the case's."""
    values = {"reference": reference, "step": step.title}
    return Message(
        subject=_("%(reference)s: due today: %(step)s") % values,
        body="\n\n".join([_("Due today on case %(reference)s: %(step)s.") % values, step.guidance]),
    )


def step_overdue(*, reference: str, step, due_on: dt.date, lead_name: str) -> Message:
    """To the line manager, once the step has been overdue long enough."""
    values = {"reference": reference, "date": _date(due_on), "step": step.title, "lead": lead_name}
    if step.responsible == "lead_practitioner":
        body = _(
            "This step on case %(reference)s was due on %(date)s and has not been done.\n\n"
            "Step: %(step)s\nResponsible: %(lead)s"
        )
    else:
        body = _(
            "This step on case %(reference)s was due on %(date)s and has not been done.\n\n"
            "Step: %(step)s\nResponsible: you"
        )
    return Message(subject=_("%(reference)s: overdue: %(step)s") % values, body=body % values)


def digest(lines: list[str]) -> Message:
    count = len(lines)
    return Message(
        subject=ngettext(
            "Flow chart: %(count)s step due or overdue today",
            "Flow chart: %(count)s steps due or overdue today",
            count,
        )
        % {"count": count},
        body=_("Today's flow-chart steps and the overdue ones:") + "\n\n" + "\n".join(lines),
    )
