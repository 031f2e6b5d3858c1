"""A multi-agency member reports non-engagement on a case they sit on. Thin: access, service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_view
from cases.forms import form_save
from cases.http import accepts

from . import selectors
from .forms import PartnerReportForm
from .services import PartnerReportError, partner_report_record


@accepts("GET", "POST")
@case_view(CaseAction.PARTNER_REPORT, what="partner report")
def partner_report(request, case):
    """The report form, with the member's own earlier reports on this case (and nothing else)."""
    form = PartnerReportForm(request.POST if request.method == "POST" else None)

    def report(data):
        return partner_report_record(case=case, by=request.user, **form.service_arguments())

    if form_save(request, form, report, errors=PartnerReportError):
        messages.success(
            request, _("Report sent. The lead practitioner and the allocated social worker have been told.")
        )
        return redirect("engagement:partner_report", case_pk=case.pk)
    return render(
        request,
        "engagement/partner_report.html",
        {"case": case, "form": form, "reports": selectors.partner_reports_by(case, request.user)},
    )
