"""The allocated social worker's pages: their cases, and on each only what cases/access.py gives.

Camden 004: "all forms of non-engagement and hostility must be reported to the professional's
safeguarding lead officer and the child's allocated social worker". The social worker reads the
signed assessments, the decisions on next steps and the partners' reports of the cases they are
allocated to (`CaseAction.SOCIAL_WORK`), and their hostile incidents, which they open and review
on the incident's own pages (`CaseAction.SAFETY`, `SAFETY_REVIEW`); every other case URL answers
them 404. Thin views: access, selector, render.
"""

from django.shortcuts import render

from cases.access import CaseAction, case_view, role_view
from cases.documents import document_for
from cases.documents.views import document_response
from cases.http import accepts
from cases.models import Role
from engagement.partners import selectors as partner_selectors
from engagement.safety import selectors as safety_selectors
from riskassessment.selectors import assessment_view

from . import social_work_selectors as selectors


@accepts("GET")
@role_view(Role.SOCIAL_WORKER)
def allocated_cases(request):
    """My allocated cases."""
    return render(
        request, "socialwork/allocated_cases.html", {"cases": selectors.allocated_cases(request.user)}
    )


@accepts("GET")
@case_view(CaseAction.SOCIAL_WORK, what="allocated case")
def case(request, case):
    decisions = list(selectors.decisions(case)[:1])
    return render(
        request,
        "socialwork/case.html",
        {
            "case": case,
            "assessments": selectors.signed_assessments(case),
            "latest_decision": decisions[0] if decisions else None,
            "decision_count": selectors.decisions(case).count(),
            "report_count": partner_selectors.partner_reports(case).count(),
            "incidents": selectors.hostile_incidents(case),
            "warning": safety_selectors.live_warning(case),
        },
    )


@accepts("GET")
@case_view(CaseAction.SOCIAL_WORK, what="assessment (allocated social worker)")
def assessment(request, case, pk):
    signed = selectors.signed_assessment_for(request.user, case, pk)
    return render(
        request,
        "socialwork/assessment.html",
        {"case": case, "assessment": signed, "view": assessment_view(signed, with_sharing=False)},
    )


@accepts("GET")
@case_view(CaseAction.SOCIAL_WORK)
def assessment_pdf(request, case, pk):
    """The signed PDF of one version, as it was signed."""
    signed = selectors.signed_assessment_for(request.user, case, pk)
    return document_response(request, document_for(signed), what="signed assessment PDF")


@accepts("GET")
@case_view(CaseAction.SOCIAL_WORK, what="decisions")
def decisions(request, case):
    return render(
        request, "socialwork/decisions.html", {"case": case, "decisions": selectors.decisions(case)}
    )


@accepts("GET")
@case_view(CaseAction.SOCIAL_WORK, what="partner reports")
def partner_reports(request, case):
    return render(
        request,
        "socialwork/partner_reports.html",
        {"case": case, "reports": partner_selectors.partner_reports(case)},
    )
