"""What the Family Engagement Risk Assessment holds about a person, for a subject access request
(cases/subject_access/): each assessment version on their cases, with its factors, actions and
the multi-agency members' comments."""

from cases.subject_access.choices import Whose
from cases.subject_access.registry import Gathered, Subject

from .models import Assessment


def _assessment(assessment: Assessment, subject: Subject) -> Gathered:
    item = Gathered(
        kind="Family Engagement Risk Assessment",
        title=f"Family Engagement Risk Assessment, version {assessment.version} ({assessment.get_status_display().lower()})",
        source_type="riskassessment.assessment",
        source_id=str(assessment.pk),
        case_id=assessment.case_id,
        occurred_at=assessment.assessment_date,
    )
    author = assessment.lead_practitioner_id
    item.add("Lead practitioner", assessment.lead_practitioner.full_name, Whose.AUTHOR)
    if assessment.manager_id:
        item.add(
            "Manager",
            assessment.manager.full_name,
            subject.whose_staff(assessment.manager_id, author),
            about="a manager",
            is_name=True,
        )
    for child in assessment.children.all():
        whose = subject.whose_person(child.pk)
        item.add(
            "Child",
            child.full_name,
            whose,
            about=child.full_name if whose == Whose.THIRD_PARTY else "",
            is_name=whose == Whose.THIRD_PARTY,
        )
    item.add("Who took part", assessment.participants, Whose.THIRD_PARTY, about="the people who took part")
    for factor in assessment.factors.all():
        if factor.removed_at is not None:
            continue
        text = factor.description + (f"\nEvidence: {factor.evidence}" if factor.evidence else "")
        item.add(
            f"{factor.get_side_display()} ({factor.get_timeframe_display().lower()})", text, Whose.FAMILY
        )
    item.add("Analysis and conclusion", assessment.analysis, Whose.FAMILY)
    if assessment.elevated_risk is not None:
        item.add(
            "Elevated risk of significant harm", "Yes" if assessment.elevated_risk else "No", Whose.FAMILY
        )
    for action in assessment.actions.all():
        if action.removed_at is not None:
            continue
        item.add(
            action.get_kind_display(),
            f"{action.what}\nWho: {action.who}\nBy: {action.by_when:%-d %B %Y}",
            Whose.FAMILY,
        )
    for comment in assessment.comments.all():
        item.add(
            f"Comment from a multi-agency member ({comment.created_at:%-d %B %Y})", comment.body, Whose.FAMILY
        )
        item.add(
            "Comment by",
            comment.author.full_name,
            Whose.OTHER_STAFF,
            about="a multi-agency member",
            is_name=True,
        )
    item.add(
        "Signed by",
        assessment.signed_name,
        subject.whose_staff(assessment.signed_by_id, author),
        about="the manager who signed",
        is_name=True,
    )
    return item


def collect(subject: Subject):
    assessments = (
        Assessment.objects.filter(case_id__in=subject.case_ids)
        .select_related("lead_practitioner", "manager")
        .prefetch_related("children", "factors", "actions", "comments__author")
        .order_by("case_id", "version")
    )
    for assessment in assessments:
        yield _assessment(assessment, subject)
