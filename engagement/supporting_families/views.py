"""Thin views for Supporting Families on a case: check access, call a selector or a service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_view
from cases.forms import form_save
from cases.http import accepts

from . import selectors, services
from .forms import NeedsForm, OutcomesForm, SustainedForm


def _posted(request):
    return request.POST if request.method == "POST" else None


def _back(case):
    return redirect("engagement:supporting_families", case_pk=case.pk)


@accepts("GET")
@case_view(CaseAction.VIEW, what="Supporting Families needs and outcomes")
def supporting_families(request, case):
    needs = selectors.family_needs(case)
    live = [need for need in needs if need.is_live]
    due_on = services.sustained_due_on(case.closed_on) if case.closed_on else None
    return render(
        request,
        "engagement/supporting_families.html",
        {
            "case": case,
            "needs": live,
            "withdrawn": [need for need in needs if not need.is_live],
            "sustained_due_on": due_on,
            "sustained_open": due_on is not None and timezone.localdate() >= due_on,
            "asks_if_sustained": any(need.asks_if_sustained for need in live),
            "outcomes_recorded": bool(live) and all(need.outcome for need in live),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="Supporting Families needs form")
def needs_record(request, case):
    live = selectors.family_needs(case, live_only=True)
    form = NeedsForm(_posted(request), initial={"headlines": [need.headline for need in live]})

    def record(data):
        return services.family_needs_record(case=case, by=request.user, headlines=data["headlines"])

    if form_save(request, form, record, errors=services.SupportingFamiliesError):
        messages.success(request, _("The family's needs are saved."))
        return _back(case)
    return render(
        request,
        "engagement/supporting_families_form.html",
        {"case": case, "form": form, "title": _("The family's needs"), "kind": "needs"},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="Supporting Families outcomes form")
def outcomes_record(request, case):
    live = selectors.family_needs(case, live_only=True)
    form = OutcomesForm(_posted(request), needs=live, initial=OutcomesForm.initial_for(live))

    def record(data):
        return services.need_outcomes_record(case=case, by=request.user, answers=form.answers())

    if form_save(request, form, record, errors=services.SupportingFamiliesError):
        messages.success(request, _("The outcomes at closure are saved."))
        return _back(case)
    return render(
        request,
        "engagement/supporting_families_form.html",
        {"case": case, "form": form, "title": _("Outcomes at closure"), "kind": "outcomes", "needs": live},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="Supporting Families sustained outcomes form")
def sustained_record(request, case):
    needs = [need for need in selectors.family_needs(case, live_only=True) if need.asks_if_sustained]
    form = SustainedForm(_posted(request), needs=needs, initial=SustainedForm.initial_for(needs))

    def record(data):
        return services.need_sustained_record(case=case, by=request.user, answers=form.answers())

    if form_save(request, form, record, errors=services.SupportingFamiliesError):
        messages.success(request, _("Whether the outcomes were sustained is saved."))
        return _back(case)
    return render(
        request,
        "engagement/supporting_families_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Outcomes six months after closure"),
            "kind": "sustained",
            "needs": needs,
            "sustained_due_on": services.sustained_due_on(case.closed_on) if case.closed_on else None,
        },
    )
