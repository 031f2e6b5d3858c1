"""What the flow chart holds about a person, for a subject access request
(cases/subject_access/): the management oversight and the decisions that name them."""

from cases.subject_access.choices import Whose
from cases.subject_access.registry import Gathered, Subject

from .models import Decision, Oversight


def _oversight(oversight: Oversight, subject: Subject) -> Gathered:
    item = Gathered(
        kind="Management oversight",
        title="Management oversight",
        source_type="flowchart.oversight",
        source_id=str(oversight.pk),
        case_id=oversight.episode.case_id,
        occurred_at=oversight.recorded_at,
    )
    item.add("Recorded by", oversight.manager.full_name, Whose.AUTHOR)
    item.add("Discussion", oversight.discussion, Whose.FAMILY)
    item.add(
        "Does the non-engagement raise the risk to the children?",
        oversight.get_risk_raised_display(),
        Whose.FAMILY,
    )
    for action in oversight.actions.all():
        item.add("Action", f"{action.what}\nWho: {action.who}\nBy: {action.by_when:%-d %B %Y}", Whose.FAMILY)
    return item


def _decision(decision: Decision, subject: Subject) -> Gathered:
    item = Gathered(
        kind="Decision",
        title=f"Decision: {decision.get_outcome_display()}",
        source_type="flowchart.decision",
        source_id=str(decision.pk),
        case_id=decision.episode.case_id,
        occurred_at=decision.decided_at,
    )
    item.add("Decided by", decision.decided_by.full_name, Whose.AUTHOR)
    item.add("Reasons", decision.reasons, Whose.FAMILY)
    item.add("Options considered", decision.options_notes, Whose.FAMILY)
    item.add("Review date", decision.review_on and f"{decision.review_on:%-d %B %Y}", Whose.FAMILY)
    item.add(
        "What happens next, as told to the multi-agency meeting", decision.next_steps_shared, Whose.FAMILY
    )
    return item


def collect(subject: Subject):
    """Oversight and decisions on the person's cases whose words name them."""
    oversights = (
        Oversight.objects.filter(episode__case_id__in=subject.case_ids)
        .select_related("episode", "manager")
        .prefetch_related("actions")
        .order_by("recorded_at", "pk")
    )
    for oversight in oversights:
        texts = [oversight.discussion, *(a.what for a in oversight.actions.all())]
        if subject.is_named_in(*texts):
            yield _oversight(oversight, subject)
    decisions = (
        Decision.objects.filter(episode__case_id__in=subject.case_ids)
        .select_related("episode", "decided_by")
        .order_by("decided_at", "pk")
    )
    for decision in decisions:
        if subject.is_named_in(decision.reasons, decision.options_notes, decision.next_steps_shared):
            yield _decision(decision, subject)
