"""Thin views: check access through cases/access.py, call a selector or a service, render."""

import functools
from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases.access import CaseAction, can, case_view, log_access, role_view
from cases.concurrency import EditConflict, EditGuard
from cases.documents import document_for
from cases.documents.views import document_response
from cases.http import accepts
from cases.kept_posts import posted_or_kept
from cases.models import Role

from . import selectors, services
from .forms import (
    FACTOR_ROW_NAMES,
    AboutForm,
    AnalysisForm,
    CommentForm,
    OneActionForm,
    OneFactorForm,
    OversightForm,
    ReturnForm,
    SignForm,
    SignOversightForm,
    factor_form_kwargs,
    factor_row,
)
from .models import ActionKind, AssessmentStatus, FactorSide
from .selectors import ACTION_TABLES


def _detail(assessment):
    return redirect("riskassessment:assessment_detail", case_pk=assessment.case_id, pk=assessment.pk)


@accepts("GET")
@case_view(CaseAction.VIEW, what="assessments")
def case_assessments(request, case):
    return render(
        request,
        "riskassessment/case_assessments.html",
        {
            "case": case,
            "assessments": selectors.assessments_for_case(case),
            "escalation": selectors.case_child_protection_escalation(case),
        },
    )


@accepts("POST")
@case_view(CaseAction.WORK)
def assessment_start(request, case):
    try:
        assessment = services.assessment_start(case=case, by=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return redirect("riskassessment:case_assessments", case_pk=case.pk)
    return _tasks(assessment)


@accepts("GET")
@case_view(CaseAction.VIEW, what="assessment")
def assessment_detail(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    view = selectors.assessment_view(assessment)
    return render(
        request,
        "riskassessment/assessment_detail.html",
        {
            "case": case,
            "view": view,
            "assessment": assessment,
            "can_manage": can(request.user, CaseAction.MANAGE, case),
            "is_latest": not assessment.has_next_version,
            "statuses": AssessmentStatus,
        },
    )


@accepts("GET")
@case_view(CaseAction.WORK, what="assessment")
def assessment_edit_moved(request, case, pk):
    """The retired one-page edit form's address: a bookmark to it opens the draft's task list."""
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    return _tasks(assessment)


# The task list: the draft a section at a time, each saved on its own.


def draft_page(page):
    """A page of the draft task list, given the draft and what it shows. Once the draft is
    submitted, signed or replaced, the person is sent to the assessment and told why."""

    @functools.wraps(page)
    def with_the_draft(request, case, pk, *args, **kwargs):
        assessment = selectors.assessment_for(request.user, case=case, pk=pk)
        if not assessment.is_editable:
            messages.error(
                request, _("Only a draft can be changed. Amend a signed assessment to make a new version.")
            )
            return _detail(assessment)
        return page(request, case, selectors.assessment_view(assessment, with_sharing=False), *args, **kwargs)

    return with_the_draft


def _tasks(assessment):
    return redirect("riskassessment:assessment_tasks", case_pk=assessment.case_id, pk=assessment.pk)


def _side(side: str) -> str:
    if side not in FactorSide.values:
        raise Http404("No such side of the assessment")
    return side


def _row(rows, row_pk):
    """(number on the page, row) of a live row of the draft; 404 for anything else."""
    for number, row in enumerate(rows, start=1):
        if row.pk == row_pk:
            return number, row
    raise Http404("No such row on this draft")


def _section_page(request, case, view, template, context):
    return render(
        request,
        f"riskassessment/{template}",
        {"case": case, "assessment": view.assessment, "view": view, **context},
    )


@accepts("GET")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_tasks(request, case, view):
    """The draft's task list: each section, its status, and the way on to submitting."""
    tasks = selectors.assessment_tasks(view)
    return _section_page(
        request,
        case,
        view,
        "assessment_tasks.html",
        {"tasks": tasks, "completed": sum(task.is_completed for task in tasks)},
    )


def _section_form(request, case, view, *, form_class, template, title, form_kwargs=None):
    """A section of the header saved on its own, with the edit page's protection against two
    people saving over each other."""
    data = posted_or_kept(request)
    guard = EditGuard(request, view.assessment, data=data)
    form = form_class(
        data,
        initial=form_class.initial_for(view),
        **(form_kwargs or {}),
    )
    guard.attach(form)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.saving():
                services.assessment_update_section(view=view, by=request.user, **form.section())
        except (services.AssessmentError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(section)s: saved.") % {"section": title})
            return _tasks(view.assessment)
    return _section_page(request, case, view, template, {"form": form, "title": title})


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_about(request, case, view):
    return _section_form(
        request,
        case,
        view,
        form_class=AboutForm,
        template="assessment_section.html",
        title=_("About the family and who took part"),
        form_kwargs={"case": case},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_analysis(request, case, view):
    return _section_form(
        request,
        case,
        view,
        form_class=AnalysisForm,
        template="assessment_section.html",
        title=_("Analysis and conclusion"),
    )


@accepts("GET")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_factors(request, case, view, side):
    """One side's factors, each with change and remove, and "Add a factor" (GOV.UK add another)."""
    side = _side(side)
    factors = view.risk_factors if side == FactorSide.RISK else view.protective_factors
    return _section_page(
        request,
        case,
        view,
        "assessment_factors.html",
        {
            "side": side,
            "row_name": FACTOR_ROW_NAMES[side],
            **_row_list(view, factors, page="assessment_factor", row_key="factor_pk", side=side),
        },
    )


def _row_list(view, rows, *, page: str, row_key: str, **kwargs) -> dict:
    """What a list of rows (includes/row_cards.html) links to: each row's change and remove
    pages, and the page that adds one."""
    draft = {"case_pk": view.assessment.case_id, "pk": view.assessment.pk, **kwargs}

    def url(name, **row):
        return reverse(f"riskassessment:{page}_{name}", kwargs={**draft, **row})

    cards = [
        SimpleNamespace(
            row=row, change=url("change", **{row_key: row.pk}), remove=url("remove", **{row_key: row.pk})
        )
        for row in rows
    ]
    return {"cards": cards, "add_url": url("add")}


def _row_page(request, case, view, *, rows, row_pk, form_class, save, back, **form_kwargs):
    """Add one factor or action (no row_pk), or change one, on its own page: its errors numbered
    as the list numbers it, and the draft's version checked so no one's save is overwritten silently."""
    number, row = _row(rows, row_pk) if row_pk is not None else (len(rows) + 1, None)
    is_new = row is None
    data = posted_or_kept(request)
    form = form_class(
        data,
        initial=form_class.initial_for(row) if row else {},
        number=number,
        **form_kwargs,
    )
    guard = EditGuard(request, view.assessment, data=data)
    guard.attach(form)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.saving():
                save(form)
        except (services.AssessmentError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            # Translators: %(row)s is the factor or action, for example "Risk factor 2" or "Action 1".
            done = _("%(row)s added.") if is_new else _("%(row)s changed.")
            messages.success(request, done % {"row": form.row.capitalize()})
            return back
    # Translators: %(row)s is the factor or action in lower case, for example "risk factor 2".
    title = _("Add %(row)s") if is_new else _("Change %(row)s")
    return _section_page(
        request,
        case,
        view,
        "assessment_row.html",
        {"form": form, "title": title % {"row": form.row.lower()}, "back": back.url},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_factor(request, case, view, side, factor_pk=None):
    """Add one factor, or change one."""
    side = _side(side)
    return _row_page(
        request,
        case,
        view,
        rows=view.risk_factors if side == FactorSide.RISK else view.protective_factors,
        row_pk=factor_pk,
        form_class=OneFactorForm,
        save=lambda form: services.factor_save(view=view, by=request.user, data=form.factor(factor_pk)),
        back=redirect("riskassessment:assessment_factors", case_pk=case.pk, pk=view.assessment.pk, side=side),
        **factor_form_kwargs(view, side),
    )


def _remove_page(request, case, view, *, row_title, row, remove, back):
    """ "Are you sure?" then remove: the row is marked removed and kept in the history."""
    guard = EditGuard(request, view.assessment)
    error = None
    if request.method == "POST":
        try:
            with guard.saving():
                remove()
        except (services.AssessmentError, EditConflict) as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                # Translators: %(row)s is the factor or action, for example "Risk factor 2" or "Action 1".
                _("%(row)s removed. The assessment's history keeps it.") % {"row": row_title},
            )
            return back
    return _section_page(
        request,
        case,
        view,
        "assessment_remove.html",
        {"row_title": row_title, "row": row, "version": guard.hidden.value, "error": error, "back": back.url},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_factor_remove(request, case, view, side, factor_pk):
    side = _side(side)
    factors = view.risk_factors if side == FactorSide.RISK else view.protective_factors
    number, factor = _row(factors, factor_pk)
    return _remove_page(
        request,
        case,
        view,
        row_title=factor_row(side, number),
        row=factor,
        remove=lambda: services.factor_remove(view=view, by=request.user, factor_id=factor.pk),
        back=redirect("riskassessment:assessment_factors", case_pk=case.pk, pk=view.assessment.pk, side=side),
    )


@accepts("GET")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_actions(request, case, view):
    """What needs to happen: each action with change and remove, and "Add an action"."""
    return _section_page(
        request,
        case,
        view,
        "assessment_actions.html",
        {
            "table": ACTION_TABLES[ActionKind.PLAN],
            **_row_list(view, view.plan_actions, page="assessment_action", row_key="action_pk"),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_action(request, case, view, action_pk=None):
    """Add one action, or change one."""
    return _row_page(
        request,
        case,
        view,
        rows=view.plan_actions,
        row_pk=action_pk,
        form_class=OneActionForm,
        save=lambda form: services.action_save(view=view, by=request.user, data=form.action(action_pk)),
        back=redirect("riskassessment:assessment_actions", case_pk=case.pk, pk=view.assessment.pk),
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
@draft_page
def assessment_action_remove(request, case, view, action_pk):
    number, action = _row(view.plan_actions, action_pk)
    return _remove_page(
        request,
        case,
        view,
        row_title=_("Action %(number)s") % {"number": number},
        row=action,
        remove=lambda: services.action_remove(view=view, by=request.user, action_id=action.pk),
        back=redirect("riskassessment:assessment_actions", case_pk=case.pk, pk=view.assessment.pk),
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="assessment")
def assessment_submit(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, by=request.user)
        except services.AssessmentError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Assessment submitted to your manager to record oversight and sign."))
            return _detail(assessment)
    view = selectors.assessment_view(assessment, with_sharing=False)
    return render(
        request,
        "riskassessment/assessment_submit.html",
        {"case": case, "assessment": assessment, "view": view, "error": error},
    )


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="assessment")
def assessment_oversight(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    view = selectors.assessment_view(assessment, with_sharing=False)
    form = OversightForm(view=view, data=posted_or_kept(request))
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_oversight_record(assessment=assessment, by=request.user, actions=form.rows())
        except services.AssessmentError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Management oversight saved."))
            return _detail(assessment)
    return render(
        request,
        "riskassessment/assessment_oversight.html",
        {"case": case, "assessment": assessment, "form": form, "view": view, "error": error},
    )


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="assessment")
def assessment_sign(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    # With no oversight recorded for this version, the page asks for the action in place; that
    # form posts here too, under its own button, and then the page asks for the signature.
    # A kept post (issue 21) goes back to the one of the two forms it was posted from.
    data = posted_or_kept(request)
    adding_oversight = data is not None and SignOversightForm.button in data
    oversight_form = SignOversightForm(data if adding_oversight else None)
    form = SignForm(data if data is not None and not adding_oversight else None)
    posted = request.method == "POST"
    if posted and adding_oversight and oversight_form.is_valid():
        own = selectors.assessment_view(assessment, with_sharing=False).oversight_actions
        try:
            services.assessment_oversight_record(
                assessment=assessment, by=request.user, actions=oversight_form.rows(own)
            )
        except services.AssessmentError as error:
            oversight_form.add_error(None, str(error))
        else:
            messages.success(request, _("Management oversight saved. Read the assessment, then sign it."))
            return redirect(
                reverse("riskassessment:assessment_sign", kwargs={"case_pk": case.pk, "pk": assessment.pk})
                + "#oversight"
            )
    if posted and form.is_bound and form.is_valid():
        try:
            services.assessment_sign(
                assessment=assessment, by=request.user, typed_name=form.cleaned_data["typed_name"]
            )
        except services.AssessmentError as error:
            # On the field to change when one is wrong (the typed name); else above the form.
            form.add_error(error.field or None, str(error))
        else:
            assessment.refresh_from_db()
            messages.success(
                request,
                _("Assessment signed. The multi-agency meeting must have it by %(date)s.")
                % {"date": f"{assessment.share_due_on:%-d %B %Y}"},
            )
            return _detail(assessment)
    view = selectors.assessment_view(assessment, with_sharing=False)
    return render(
        request,
        "riskassessment/assessment_sign.html",
        {
            "case": case,
            "assessment": assessment,
            "form": form,
            "oversight_form": oversight_form,
            "error_forms": [each for each in (oversight_form, form) if each.errors],
            "view": view,
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="assessment")
def assessment_return(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    form = ReturnForm(posted_or_kept(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_return(
                assessment=assessment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.AssessmentError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, _("Assessment returned to the lead practitioner as a draft."))
            return _detail(assessment)
    return render(
        request,
        "riskassessment/simple_form.html",
        {
            "case": case,
            "assessment": assessment,
            "form": form,
            "title": _("Return the assessment for changes"),
        },
    )


@accepts("POST")
@case_view(CaseAction.WORK)
def assessment_amend(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    try:
        new = services.assessment_amend(assessment=assessment, by=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
        return _detail(assessment)
    messages.success(
        request,
        _("Version %(new)s started from version %(old)s.") % {"new": new.version, "old": assessment.version},
    )
    return _tasks(new)


@accepts("POST")
@case_view(CaseAction.WORK)
def assessment_share(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    try:
        shares = services.assessment_share(assessment=assessment, by=request.user)
    except services.AssessmentError as error:
        messages.error(request, str(error))
    else:
        if shares:
            members = ", ".join(str(s.member) for s in shares)
            messages.success(request, _("Shared with %(members)s.") % {"members": members})
        else:
            messages.info(request, _("Every current multi-agency member has it already."))
    return _detail(assessment)


@accepts("GET")
@case_view(CaseAction.VIEW)
def assessment_pdf(request, case, pk):
    """The signed PDF of one version, as it was signed."""
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    return document_response(request, document_for(assessment), what="signed assessment PDF")


@accepts("GET")
@case_view(CaseAction.VIEW, what="assessment changes")
def assessment_changes(request, case, pk):
    assessment = selectors.assessment_for(request.user, case=case, pk=pk)
    return render(
        request,
        "riskassessment/assessment_changes.html",
        {"case": case, "assessment": assessment, "changes": selectors.assessment_changes(assessment)},
    )


# Multi-agency meeting members: only what was shared with them.


@accepts("GET")
@role_view(Role.AGENCY_MEMBER)
def shared_list(request):
    """Assessments shared with this multi-agency member."""
    return render(
        request,
        "riskassessment/shared_list.html",
        {
            "shares": selectors.shared_list(request.user),
            "decisions": selectors.shared_decisions(request.user),
            "report_cases": selectors.cases_to_report_on(request.user),
        },
    )


@accepts("GET")
@role_view(Role.AGENCY_MEMBER)
def shared_detail(request, pk):
    assessment, share = selectors.shared_assessment_for(request.user, pk)
    log_access(request, case=assessment.case, what="shared assessment", object_id=assessment.pk)
    return _shared_page(request, assessment, share, CommentForm())


def _shared_page(request, assessment, share, comment_form, status=200):
    view = selectors.assessment_view(assessment, with_sharing=False)
    comments = [c for c in assessment.comments.select_related("author") if c.author_id == request.user.pk]
    decisions = selectors.shared_decisions(request.user, case_id=assessment.case_id)
    return render(
        request,
        "riskassessment/shared_detail.html",
        {
            "assessment": assessment,
            "view": view,
            "share": share,
            "form": comment_form,
            "comments": comments,
            "decisions": decisions,
            "replaced_by": selectors.superseding_decision(assessment, decisions),
        },
        status=status,
    )


@accepts("POST")
@role_view(Role.AGENCY_MEMBER)
def shared_acknowledge(request, pk):
    _assessment, share = selectors.shared_assessment_for(request.user, pk)
    try:
        services.share_acknowledge(share=share, by=request.user)
    except services.AssessmentError as error:
        messages.info(request, str(error))
    else:
        messages.success(request, _("Thank you: the lead practitioner can see you have read it."))
    return redirect("riskassessment:shared_detail", pk=pk)


@accepts("POST")
@role_view(Role.AGENCY_MEMBER)
def shared_comment(request, pk):
    assessment, share = selectors.shared_assessment_for(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(share=share, by=request.user, body=form.cleaned_data["body"])
        except services.AssessmentError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, _("Comment added. The lead practitioner and their manager can see it."))
            return redirect("riskassessment:shared_detail", pk=pk)
    return _shared_page(request, assessment, share, form)


@accepts("GET")
@role_view(Role.AGENCY_MEMBER)
def shared_pdf(request, pk):
    """The signed PDF of an assessment shared with this member; 404 for anything else."""
    assessment, _share = selectors.shared_assessment_for(request.user, pk)
    return document_response(request, document_for(assessment), what="shared assessment PDF")
