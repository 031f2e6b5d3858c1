"""Thin views for the practice tools: check access, call a selector or a service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, case_page_permissions, case_view
from cases.concurrency import EditConflict, EditGuard
from cases.http import accepts
from cases.kept_posts import posted_or_kept

from . import selectors, services
from .forms import (
    FamilyDiscussionForm,
    GrowGoalForm,
    SafetyMappingForm,
    ScaleRatingForm,
    StageOfChangeForm,
    SupervisionForm,
    wants_another_row,
)
from .guidance import CYCLE_OF_CHANGE, SAFETY_SCALE_QUESTION, SIGNS_OF_SAFETY_COLUMNS
from .models import ChangeStage


def _posted(request):
    """What was posted; on a GET, what this user posted here when it could not be saved
    (issue 21). Call it once a request: a kept post is given back once."""
    return posted_or_kept(request)


def _saving(request, form) -> bool:
    return request.method == "POST" and not wants_another_row(request.POST) and form.is_valid()


def _form_page(request, *, case, form, title, back, intro="", template="practice/form.html", **extra):
    return render(
        request, template, {"case": case, "form": form, "title": title, "back": back, "intro": intro, **extra}
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="practice tools")
def overview(request, case):
    mappings = selectors.safety_mappings(case)
    return render(
        request,
        "practice/overview.html",
        {
            "case": case,
            **case_page_permissions(request.user, case),
            "adults": selectors.adults_with_stages(case),
            "latest_mapping": mappings[0] if mappings else None,
            "mapping_count": len(mappings),
            "goals": list(selectors.grow_goals(case)[:3]),
            "goal_count": selectors.grow_goals(case).count(),
            "supervisions": list(selectors.supervision_records(case)[:3]),
            "history": selectors.practice_history(case),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="cycle of change")
def stage(request, case, person_pk):
    person = selectors.adult_on_case(case, person_pk)
    history = list(selectors.stage_history(person))
    current = history[0] if history else None
    form = StageOfChangeForm(
        _posted(request),
        initial={"stage": current.stage if current else None, "assessed_on": timezone.localdate()},
    )
    if _saving(request, form):
        try:
            recorded = services.stage_of_change_record(
                case=case, by=request.user, person=person, **form.cleaned_data
            )
        except services.PracticeToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                # Translators: the stage of change in lower case, such as "contemplation".
                _("%(person)s placed at %(stage)s.")
                % {"person": person, "stage": recorded.get_stage_display().lower()},
            )
            return redirect("practice:stage", case_pk=case.pk, person_pk=person.pk)
    # The guidance beside the form follows the stage being considered, so it works without JavaScript.
    shown = (
        request.GET.get("stage")
        or (form.data.get("stage") if form.is_bound else "")
        or (current.stage if current else ChangeStage.PRE_CONTEMPLATION)
    )
    guidance = CYCLE_OF_CHANGE.get(shown, CYCLE_OF_CHANGE[ChangeStage.PRE_CONTEMPLATION])
    if request.method == "GET" and request.GET.get("stage") in CYCLE_OF_CHANGE:
        form.initial["stage"] = guidance.stage
    return render(
        request,
        "practice/stage.html",
        {
            "case": case,
            **case_page_permissions(request.user, case),
            "person": person,
            "form": form,
            "history": history,
            "current": current,
            "guidance": guidance,
            "stages": list(CYCLE_OF_CHANGE.values()),
            "title": _("Cycle of change: %(person)s") % {"person": person},
        },
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="Signs of Safety mappings")
def safety(request, case):
    mappings = selectors.safety_mappings(case)
    return render(
        request,
        "practice/safety_list.html",
        {
            "case": case,
            **case_page_permissions(request.user, case),
            "mappings": mappings,
            "chart": selectors.chart_for(mappings),
            "table": selectors.rating_table(mappings),
            "scale_ratings": selectors.scale_ratings(case),
            "scale_question": SAFETY_SCALE_QUESTION,
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="safety scale rating form")
def scale_rating_new(request, case):
    """A quick place on the safety scale, from the case page: its own record, not a whole map."""
    form = ScaleRatingForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            rating = services.scale_rating_record(case=case, by=request.user, **form.cleaned_data)
        except services.PracticeToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(rater_name)s's safety scale rating of %(rating)s out of 10 saved.")
                % {"rater_name": rating.rater_name, "rating": rating.rating},
            )
            return redirect(reverse("cases:case_detail", kwargs={"case_pk": case.pk}) + "#safety-scale")
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Add a safety scale rating"),
        back=reverse("cases:case_detail", kwargs={"case_pk": case.pk}),
        intro=_("One person's number and why. The full Signs of Safety map is recorded separately."),
        scale_question=SAFETY_SCALE_QUESTION,
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="Signs of Safety mapping form")
def safety_new(request, case):
    previous = selectors.latest_mapping(case)
    initial, rows = SafetyMappingForm.initial_from(case, previous, request.user.get_full_name())
    form = SafetyMappingForm(_posted(request), initial=initial, initial_rows=rows)
    if _saving(request, form):
        try:
            mapping = services.safety_mapping_record(case=case, by=request.user, **form.service_arguments())
        except services.PracticeToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Signs of Safety mapping for %(mapping)s saved.") % {"mapping": mapping}
            )
            return redirect("practice:safety_detail", case_pk=case.pk, pk=mapping.pk)
    intro = (
        _("This starts from the last meeting's map and the same people: change what has moved on.")
        if previous
        else _("Write each part in plain, specific words the family understand.")
    )
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Record a Signs of Safety mapping"),
        back=reverse("practice:safety", kwargs={"case_pk": case.pk}),
        intro=intro,
        scale_question=SAFETY_SCALE_QUESTION,
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="Signs of Safety mapping")
def safety_detail(request, case, pk):
    mapping = selectors.mapping_on_case(case, pk)
    columns = [
        (title, [(label, getattr(mapping, name)) for name, label, _ in parts])
        for title, parts in SIGNS_OF_SAFETY_COLUMNS
    ]
    return render(
        request,
        "practice/safety_detail.html",
        {
            "case": case,
            "mapping": mapping,
            "columns": columns,
            "chart": selectors.chart_for([mapping]),
            "ratings": list(mapping.ratings.all()),
            "scale_question": SAFETY_SCALE_QUESTION,
        },
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="GROW goals")
def goals(request, case):
    return render(
        request,
        "practice/goals.html",
        {"case": case, "goals": selectors.grow_goals(case), **case_page_permissions(request.user, case)},
    )


def _goal_form(request, case, goal=None):
    initial = GrowGoalForm.initial_for(goal) if goal else {}
    data = _posted(request)
    form = GrowGoalForm(data, case=case, initial=initial)
    guard = EditGuard(request, goal, data=data) if goal else None
    if guard:
        guard.attach(form)
    if _saving(request, form):
        try:
            if goal is None:
                goal = services.grow_goal_record(case=case, by=request.user, **form.cleaned_data)
                messages.success(request, _("Goal saved."))
            else:
                with guard.saving():
                    services.grow_goal_update(grow_goal=goal, by=request.user, **form.cleaned_data)
                messages.success(request, _("Goal updated. The earlier version is kept in its history."))
        except (services.PracticeToolError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            return redirect(reverse("practice:goals", kwargs={"case_pk": case.pk}) + f"#goal-{goal.pk}")
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Change a GROW goal") if goal else _("Set a goal with the family (GROW)"),
        back=reverse("practice:goals", kwargs={"case_pk": case.pk}),
        intro=_(
            "Take time over the real goal before moving on to the reality: rushing it is the common mistake."
        ),
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def goal_new(request, case):
    return _goal_form(request, case)


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="GROW goal")
def goal_edit(request, case, pk):
    return _goal_form(request, case, selectors.goal_on_case(case, pk))


@accepts("GET")
@case_view(CaseAction.VIEW, what="supervision records")
def supervision(request, case):
    return render(
        request,
        "practice/supervision_list.html",
        {
            "case": case,
            "records": selectors.supervision_records(case),
            **case_page_permissions(request.user, case),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def supervision_new(request, case):
    initial = {"supervisor": case.team.manager_id, "practitioner": case.lead_practitioner_id}
    form = SupervisionForm(_posted(request), case=case, initial=initial)
    if _saving(request, form):
        try:
            record = services.supervision_record(case=case, by=request.user, **form.service_arguments())
        except services.PracticeToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Supervision record saved. Discuss the action plan with the family next.")
            )
            return redirect("practice:supervision_detail", case_pk=case.pk, pk=record.pk)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Record engagement concerns discussed in supervision"),
        back=reverse("practice:supervision", kwargs={"case_pk": case.pk}),
        intro=_(
            "Record what was discussed and the action plan agreed. The plan is then discussed with the family."
        ),
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="supervision record")
def supervision_detail(request, case, pk):
    record = selectors.supervision_on_case(case, pk)
    return render(
        request,
        "practice/supervision_detail.html",
        {"case": case, "record": record, **case_page_permissions(request.user, case)},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def supervision_family(request, case, pk):
    record = selectors.supervision_on_case(case, pk)
    detail = reverse("practice:supervision_detail", kwargs={"case_pk": case.pk, "pk": record.pk})
    if record.discussed_with_family:
        messages.info(
            request,
            _("The plan was already recorded as discussed with the family on %(discussed_on)s.")
            % {"discussed_on": f"{record.discussed_with_family_on:%-d %B %Y}"},
        )
        return redirect(detail)
    form = FamilyDiscussionForm(_posted(request))
    if _saving(request, form):
        try:
            services.supervision_family_discussion_record(record=record, by=request.user, **form.cleaned_data)
        except services.PracticeToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Recorded that the action plan was discussed with the family."))
            return redirect(detail)
    return _form_page(
        request,
        case=case,
        form=form,
        title=_("Record that the action plan was discussed with the family"),
        back=detail,
        intro=_("Supervision on %(supervised_on)s.") % {"supervised_on": f"{record.supervised_on:%-d %B %Y}"},
    )
