"""Thin views for working together agreements: check access, call a selector or service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_page_permissions, case_view
from cases.concurrency import EditGuard
from cases.documents.views import document_response
from cases.forms import form_save
from cases.http import accepts
from cases.kept_posts import posted_or_kept

from . import selectors, services
from .forms import AgreementForm, SignatureForm
from .models import SignatureRole


def _posted(request):
    """What was posted; on a GET, what this user posted here when it could not be saved
    (issue 21). Call it once a request: a kept post is given back once."""
    return posted_or_kept(request)


def _detail(agreement):
    return redirect("engagement:agreement_detail", case_pk=agreement.case_id, pk=agreement.pk)


@accepts("GET")
@case_view(CaseAction.VIEW, what="agreements")
def agreement_list(request, case):
    return render(
        request,
        "engagement/agreement_list.html",
        {
            "case": case,
            "agreements": selectors.agreements_for_case(case),
            "welsh_readers": selectors.welsh_readers(case),
            "start_language": services.agreement_language(case),
            **case_page_permissions(request.user, case),
        },
    )


@accepts("POST")
@case_view(CaseAction.WORK)
def agreement_start(request, case):
    try:
        agreement = services.agreement_start(
            case=case, by=request.user, language=request.POST.get("language") or None
        )
    except services.AgreementError as error:
        messages.error(request, str(error))
        return redirect("engagement:agreement_list", case_pk=case.pk)
    return redirect("engagement:agreement_edit", case_pk=case.pk, pk=agreement.pk)


@accepts("GET")
@case_view(CaseAction.VIEW, what="agreement")
def agreement_detail(request, case, pk):
    agreement = selectors.agreement_on_case(case, pk)
    signatures = {s.role: s for s in agreement.signatures.all()}
    return render(
        request,
        "engagement/agreement_detail.html",
        {
            "case": case,
            "agreement": agreement,
            "parent_signature": signatures.get(SignatureRole.PARENT),
            "practitioner_signature": signatures.get(SignatureRole.PRACTITIONER),
            "is_lead": request.user.pk == case.lead_practitioner_id,
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="agreement")
def agreement_edit(request, case, pk):
    agreement = selectors.agreement_on_case(case, pk)
    initial = {
        "our_commitments": agreement.our_commitments,
        "family_commitments": agreement.family_commitments,
        "goals": agreement.goals,
        "review_on": agreement.review_on,
    }
    data = _posted(request)
    guard = EditGuard(request, agreement, data=data)
    form = guard.attach(AgreementForm(data, initial=initial))
    if form_save(
        request,
        form,
        lambda data: services.agreement_update(agreement=agreement, by=request.user, **data),
        errors=services.AgreementError,
        guard=guard,
    ):
        messages.success(request, _("Draft agreement saved."))
        return _detail(agreement)
    return render(
        request,
        "engagement/document_form.html",
        {"case": case, "form": form, "title": _("Working together agreement"), "back": agreement},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="agreement")
def agreement_sign(request, case, pk):
    agreement = selectors.agreement_on_case(case, pk)
    form = SignatureForm(_posted(request), case=case)

    def sign(data):
        return services.agreement_sign(
            agreement=agreement,
            by=request.user,
            role=data["role"],
            method=data["method"],
            person=data.get("person"),
            typed_name=data.get("typed_name", ""),
            drawing=data.get("drawing", ""),
        )

    if form_save(request, form, sign, errors=services.AgreementError):
        agreement.refresh_from_db()
        messages.success(
            request,
            _("Signed by both: the agreement is locked and its signed PDF is ready.")
            if not agreement.is_editable
            else _("Signature recorded."),
        )
        return _detail(agreement)
    return render(
        request, "engagement/agreement_sign.html", {"case": case, "agreement": agreement, "form": form}
    )


@accepts("GET")
@case_view(CaseAction.VIEW)
def agreement_pdf(request, case, pk):
    agreement = selectors.agreement_on_case(case, pk)
    return document_response(request, agreement.document, what="agreement PDF")
