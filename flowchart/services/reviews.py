"""The review dates the sweep reminds: oversight actions, decisions, and the FERA's action tables."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.urls import reverse

from cases.models import (
    OPEN_STATUSES,
    Case,
)
from cases.notifications import Message, NotificationKind, Outgoing
from riskassessment.models import Action as AssessmentAction
from riskassessment.models import Assessment, AssessmentStatus

from .. import notify
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
            (case, f"review:action:{action.pk}", notify.oversight_action_review_due(action, case=case))
            for action in actions
            if (case := action.oversight.episode.case).is_open
        )
        + _case_team_reminders(
            (case, f"review:decision:{decision.pk}", notify.decision_review_due(decision, case=case))
            for decision in decisions
            if (case := decision.episode.case).is_open
        )
        + _assessment_review_reminders(window)
    )


def _case_team_reminders(reviews: Iterable[tuple[Case, str, Message]]) -> list[Outgoing]:
    """For each review due, (case, key, message): a reminder to the case's lead practitioner
    and line manager, once each; the key ends with the recipient's id."""
    outgoing = []
    for case, key, message in reviews:
        for recipient in {u for u in (case.lead_practitioner, case.team.manager) if u}:
            outgoing.append(
                Outgoing(
                    recipient_id=recipient.pk,
                    key=f"{key}:{recipient.pk}",
                    subject=message.subject,
                    body=message.body,
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
        url = reverse("riskassessment:assessment_detail", kwargs={"case_pk": case.pk, "pk": assessment.pk})
        as_lead = {}
        if lead is not None:
            as_lead[lead] = True
        if manager is not None and manager != lead:
            as_lead[manager] = False
        for recipient, is_lead in as_lead.items():
            message = notify.assessment_action_review_due(action, as_lead=is_lead)
            outgoing.append(
                Outgoing(
                    recipient_id=recipient.pk,
                    key=f"review:fera-action:{first_of(action.pk)}:{action.review_on}:{recipient.pk}",
                    subject=message.subject,
                    body=message.body,
                    kind=NotificationKind.REVIEW_DUE,
                    case_id=case.pk,
                    url=url,
                )
            )
    return outgoing
