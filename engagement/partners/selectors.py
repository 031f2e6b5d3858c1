"""Every read of partner agencies' reports. Callers have already checked the case through cases.access."""

from django.db.models import QuerySet

from cases.models import Case, User

from .models import PartnerReport


def partner_reports(case: Case) -> QuerySet[PartnerReport]:
    """The case's reports from partner agencies, newest first, with who made them. One query."""
    return (
        PartnerReport.objects.filter(case=case)
        .select_related("reported_by", "agency")
        .order_by("-occurred_on", "-occurred_time", "-reported_at", "-id")
    )


def partner_reports_by(case: Case, user: User) -> QuerySet[PartnerReport]:
    """What this member reported on this case: the only reports a member sees."""
    return partner_reports(case).filter(reported_by=user)
