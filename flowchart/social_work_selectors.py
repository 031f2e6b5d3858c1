"""What an allocated social worker reads, on the cases they are allocated to (cases/access.py).

Every read takes the user or a case already checked with `CaseAction.SOCIAL_WORK`, and keeps its
query count the same however many rows there are.
"""

from django.db.models import Count, F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from cases.access import assessments_for_social_worker, cases_allocated_to
from cases.models import Case, CaseMembership, MembershipRole, User
from engagement.case_pages import lone_working_incident_at
from engagement.partners.models import PartnerReport
from engagement.safety.models import HostileIncident
from riskassessment.models import SIGNED_STATUSES, Assessment

from .models import Decision


def _count(queryset) -> Coalesce:
    """How many rows of `queryset` (filtered on the outer case) there are, as one subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def allocated_cases(user: User) -> QuerySet[Case]:
    """The cases this social worker is allocated to, with what the list shows. One query.

    Each row carries `allocated_at` (when their live membership began), how many signed
    assessments, decisions and partners' reports the case has, and `lone_working_incident_at`
    (the "Visit in pairs" warning's latest hostile incident, or None).
    """
    membership = CaseMembership.objects.filter(
        case=OuterRef("pk"), user=user, role=MembershipRole.SOCIAL_WORKER, ended_at__isnull=True
    ).order_by("added_at")
    return (
        cases_allocated_to(user)
        .select_related("lead_practitioner", "team")
        .annotate(
            allocated_at=Subquery(membership.values("added_at")[:1]),
            signed_assessments=_count(
                Assessment.objects.filter(case=OuterRef("pk"), status__in=SIGNED_STATUSES)
            ),
            decisions=_count(Decision.objects.filter(episode__case=OuterRef("pk"))),
            reports=_count(PartnerReport.objects.filter(case=OuterRef("pk"))),
            lone_working_incident_at=lone_working_incident_at(),
        )
        .order_by("reference", "pk")
    )


def signed_assessments(case: Case) -> QuerySet[Assessment]:
    """The signed versions of the case's assessment, newest first."""
    return (
        Assessment.objects.filter(case=case, status__in=SIGNED_STATUSES)
        .select_related("signed_by")
        .order_by("-version")
    )


def signed_assessment_for(user: User, case: Case, pk) -> Assessment:
    """One signed version of this case's assessment, for its allocated social worker; else 404."""
    try:
        return (
            assessments_for_social_worker(user)
            .select_related("case__team__manager", "lead_practitioner", "manager", "signed_by")
            .get(case=case, pk=pk)
        )
    except (Assessment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment") from None


def decisions(case: Case) -> QuerySet[Decision]:
    """Every decision on next steps recorded on the case (one per run of the flow chart), newest first."""
    return (
        Decision.objects.filter(episode__case=case)
        .select_related("decided_by", "episode")
        .order_by("-decided_at", "-pk")
    )


def hostile_incidents(case: Case) -> QuerySet[HostileIncident]:
    """The case's hostile incidents, newest first, each with how many reviews it has. One query."""
    return (
        HostileIncident.objects.filter(case=case)
        .select_related("recorded_by")
        .annotate(review_count=Count("reviews"))
        .order_by("-occurred_at", "-pk")
    )
