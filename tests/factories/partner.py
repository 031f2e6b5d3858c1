import datetime as dt

import factory
from django.utils import timezone

from cases.models import CaseMembership, MembershipRole
from engagement.partners.models import HowKnown, PartnerReport, PartnerReportKind

from .cases import CaseFactory, CaseMembershipFactory


def _membership(report) -> CaseMembership:
    """The reporter's live place on the case (made for them if they have none)."""
    found = CaseMembership.objects.filter(
        case=report.case, user=report.reported_by, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
    ).first()
    return found or CaseMembershipFactory(case=report.case, user=report.reported_by)


class PartnerReportFactory(factory.django.DjangoModelFactory):
    """A multi-agency member's report of non-engagement, as the service records it (without the
    notifications: use engagement.partners.services.partner_report_record for those)."""

    class Meta:
        model = PartnerReport

    case = factory.SubFactory(CaseFactory)
    kind = PartnerReportKind.MISSED_APPOINTMENT
    occurred_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    how_known = HowKnown.RECORDS
    details = "Not brought to the 9:30 appointment at the health centre; no call to rearrange."
    reported_by = factory.LazyAttribute(lambda o: CaseMembershipFactory(case=o.case).user)
    membership = factory.LazyAttribute(_membership)
    agency = factory.LazyAttribute(lambda o: o.reported_by.agency)
    reported_at = factory.LazyFunction(timezone.now)
