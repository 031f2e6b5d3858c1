"""Decisions: one on a case, its multi-agency members, and those still to be told to the meeting."""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cases.models import Case, CaseMembership, MembershipRole

from ..models import (
    Decision,
)


def decision_for(case: Case, pk) -> Decision:
    """One decision recorded on this case (the case already checked for the user), or 404."""

    try:
        return Decision.objects.select_related("episode__case", "decided_by", "shared_by").get(
            episode__case=case, pk=pk
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such decision") from None


def decision_members(decision: Decision) -> list[tuple[CaseMembership, object]]:
    """The case's live multi-agency members, each with their share of the decision (or None)."""
    shares = {s.member_id: s for s in decision.shares.all()}
    memberships = CaseMembership.objects.filter(
        case_id=decision.episode.case_id, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
    ).select_related("user__agency")
    return [(m, shares.get(m.user_id)) for m in memberships.order_by("user__full_name")]


def decisions_to_chase(*, today: dt.date, horizon: dt.date, late_by: dt.date) -> QuerySet[Decision]:
    """Decisions not yet shared with a multi-agency meeting their case has: due by `horizon` and not
    yet reminded, or due on or before `late_by` and not yet escalated."""
    members = CaseMembership.objects.filter(
        case_id=OuterRef("episode__case_id"), role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
    )
    return (
        Decision.objects.filter(shared_at__isnull=True, share_due_on__isnull=False)
        .filter(
            Q(share_due_on__lte=late_by, share_escalated_at__isnull=True)
            | Q(share_due_on__gte=today, share_due_on__lte=horizon, share_reminded_at__isnull=True)
        )
        .filter(Exists(members))
        .select_related("episode__case__team__manager", "episode__case__lead_practitioner")
        .order_by("share_due_on", "id")
    )
