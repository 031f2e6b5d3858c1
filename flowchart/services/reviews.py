"""The review dates the sweep reminds: oversight actions, decisions, and the FERA's action tables."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.urls import reverse

from cases.models import (
    OPEN_STATUSES,
    Case,
)
from cases.notifications import NotificationKind, Outgoing
from riskassessment.models import Action as AssessmentAction
from riskassessment.models import ActionKind, Assessment, AssessmentStatus

from ..models import (
    Decision,
    OversightAction,
)
from .common import _case_url

REVIEW_CATCH_UP_DAYS = 14  # a review date missed while the service was down is still reminded


def _review_reminders(today: dt.date) -> list[Outgoing]:
    window = (today - dt.timedelta(days=REVIEW_CATCH_UP_DAYS), today)
    actions = OversightAction.objects.filter(review_on__range=window).select_related(
        "oversight__episode__case__lead_practitioner", "oversight__episode__case__team__manager"
    )
    decisions = Decision.objects.filter(review_on__range=window).select_related(
        "episode__case__lead_practitioner", "episode__case__team__manager"
    )
    return (
        _case_team_reminders(
            (
                case,
                f"review:action:{action.pk}",
                f"{case.reference}: review of an oversight action is due",
                f"Review due {action.review_on:%-d %B %Y} for the {case.family_name}.\n\n"
                f"Action: {action.what}\nWho: {action.who}\nBy: {action.by_when:%-d %B %Y}",
            )
            for action in actions
            if (case := action.oversight.episode.case).is_open
        )
        + _case_team_reminders(
            (
                case,
                f"review:decision:{decision.pk}",
                f"{case.reference}: the review agreed at the decision is due",
                f"The decision for the {case.family_name} was to continue with a review on "
                f"{decision.review_on:%-d %B %Y}. Review the case and agree what happens next.",
            )
            for decision in decisions
            if (case := decision.episode.case).is_open
        )
        + _assessment_review_reminders(window)
    )


def _case_team_reminders(reviews: Iterable[tuple[Case, str, str, str]]) -> list[Outgoing]:
    """For each review due, (case, key, subject, body): a reminder to the case's lead practitioner
    and line manager, once each; the key ends with the recipient's id."""
    outgoing = []
    for case, key, subject, body in reviews:
        for recipient in {u for u in (case.lead_practitioner, case.team.manager) if u}:
            outgoing.append(
                Outgoing(
                    recipient_id=recipient.pk,
                    key=f"{key}:{recipient.pk}",
                    subject=subject,
                    body=body,
                    kind=NotificationKind.REVIEW_DUE,
                    case_id=case.pk,
                    url=_case_url(case),
                )
            )
    return outgoing


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
                    kind=NotificationKind.REVIEW_DUE,
                    case_id=case.pk,
                    url=url,
                )
            )
    return outgoing
