"""Partner agencies report non-engagement on the cases they sit on (Camden 004, section 4).

"It is essential that any difficulties in engaging families that result in a failure to
implement the child's plan are reported to the child's allocated social worker". A report is
recorded once, goes into the case's chronology marked with its source, and the lead
practitioner and each allocated social worker are told once (in the app and by email). The
email carries the case reference, what kind of thing was reported and a link: never the
report's own words.
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, can
from cases.history import create_with_history
from cases.models import Case, CaseMembership, MembershipRole, User
from cases.notifications import NotificationKind, notification_send
from cases.selectors import allocated_social_workers
from engagement import notify

from .models import HowKnown, PartnerReport, PartnerReportKind


class PartnerReportError(Exception):
    """A report that cannot be recorded as given, with a message the person can act on."""


def _membership(case: Case, by: User) -> CaseMembership:
    membership = (
        CaseMembership.objects.filter(
            case=case, user=by, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
        )
        .order_by("-added_at")
        .first()
    )
    if membership is None or not can(by, CaseAction.PARTNER_REPORT, case):
        raise PartnerReportError(_("Only a multi-agency member of this case can report on it"))
    return membership


@transaction.atomic
def partner_report_record(
    *,
    case: Case,
    by: User,
    kind: str,
    occurred_on: dt.date | None,
    how_known: str,
    details: str,
    occurred_time: dt.time | None = None,
) -> PartnerReport:
    """A multi-agency member's report of non-engagement, told to the lead practitioner and the
    allocated social worker(s), each once."""
    membership = _membership(case, by)
    if not case.is_open:
        raise PartnerReportError(
            _(
                "This case is closed: if you are worried about a child, contact the MASH or the lead "
                "practitioner straight away"
            )
        )
    if kind not in PartnerReportKind.values:
        raise PartnerReportError(_("Select what happened"))
    if occurred_on is None:
        raise PartnerReportError(_("Enter the date it happened"))
    now = timezone.localtime()
    if occurred_on > now.date() or (
        occurred_on == now.date() and occurred_time is not None and occurred_time > now.time()
    ):
        raise PartnerReportError(_("The date and time it happened must be now or in the past"))
    if how_known not in HowKnown.values:
        raise PartnerReportError(_("Select how you know"))
    details = details.strip()
    if not details:
        raise PartnerReportError(_("Enter what happened, in your own words"))
    report = create_with_history(
        PartnerReport,
        by=by,
        case=case,
        kind=kind,
        occurred_on=occurred_on,
        occurred_time=occurred_time,
        how_known=how_known,
        details=details,
        reported_by=by,
        membership=membership,
        agency_id=by.agency_id,
        reported_at=timezone.now(),
    )
    _tell(report)
    return report


def _tell(report: PartnerReport) -> None:
    """The lead practitioner and each allocated social worker, once each (the key says who)."""
    case = report.case
    message = notify.partner_report_recorded(report)
    lead_url = reverse("engagement:chronology", kwargs={"case_pk": case.pk}) + "#partner-reports"
    social_work_url = reverse("socialwork:partner_reports", kwargs={"case_pk": case.pk})
    recipients = {case.lead_practitioner.pk: (case.lead_practitioner, lead_url)}
    for social_worker in allocated_social_workers(case):
        recipients.setdefault(social_worker.pk, (social_worker, social_work_url))
    for user, url in recipients.values():
        if not user.is_active:
            continue
        notification_send(
            recipient=user,
            key=f"partner_report:{report.pk}:{user.pk}",
            subject=message.subject,
            body=message.body,
            kind=NotificationKind.PARTNER_REPORT,
            case=case,
            url=url,
        )
