"""Thin views for the flow chart: check access, call a selector or a service, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cases.access import (
    CaseAction,
    case_page_permissions,
    case_view,
    cases_named_to,
    cases_notified_readable,
    log_notifications_read,
    role_view,
)
from cases.forms import form_save
from cases.http import accepts
from cases.kept_posts import posted_or_kept
from cases.models import Role
from cases.notifications import notification_mark_read, notifications_for

from . import outcomes, selectors, services
from .forms import (
    ClosureDecisionForm,
    ClosureRequestForm,
    DecisionForm,
    DecisionShareForm,
    EpisodeStartForm,
    ManagerInformForm,
    OversightActionFormSet,
    OversightForm,
    SafeguardingEscalationForm,
    StepNotPossibleForm,
)
from .models import ClosureOutcome


def _back_to_chart(case):
    return redirect("flowchart:case_flowchart", case_pk=case.pk)


@accepts("GET")
@case_view(CaseAction.VIEW, what="flow chart")
def case_flowchart(request, case):
    episode = request.GET.get("episode", "")
    chart = selectors.case_flowchart(case, episode_id=int(episode) if episode.isdigit() else None)
    context = {"case": case, "chart": chart, **case_page_permissions(request.user, case)}
    return render(request, "flowchart/case_flowchart.html", context)


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="flow chart")
def episode_start(request, case):
    again = selectors.case_has_run(case)
    form = EpisodeStartForm(request.POST or None, day1=timezone.localdate() if again else case.referral_date)

    def start(data):
        return services.episode_start(
            case=case, by=request.user, pathway_code=data["pathway"].code, day1=data["day1"]
        )

    if form_save(request, form, start, errors=services.FlowchartError):
        messages.success(
            request,
            _("The flow chart has started. Day 1 is %(date)s.")
            % {"date": f"{form.cleaned_data['day1']:%-d %B %Y}"},
        )
        return _back_to_chart(case)
    return render(
        request,
        "flowchart/form.html",
        {"form": form, "case": case, "title": _("Start the flow chart")},
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="evidence of reasonable efforts")
def evidence(request, case):
    chart = selectors.case_flowchart(case)
    if chart.episode is None:
        raise Http404("No flow chart for this case")
    attempts = selectors.episode_attempts(chart.episode)
    counted = {a.pk for item in chart.steps for a in item.attempts}
    context = {
        "case": case,
        "chart": chart,
        "attempts": attempts,
        "uncounted": [a for a in attempts if a.pk not in counted],
        "required": sum(item.required for item in chart.steps),
        "made": sum(item.made for item in chart.steps),
    }
    return render(request, "flowchart/evidence.html", context)


def _record_form(request, case, *, form_class, service, title, intro, success, initial=None):
    form = form_class(posted_or_kept(request), initial=initial)
    if form_save(
        request,
        form,
        lambda data: service(case=case, by=request.user, **data),
        errors=services.FlowchartError,
    ):
        messages.success(request, success)
        return _back_to_chart(case)
    return render(
        request, "flowchart/form.html", {"form": form, "case": case, "title": title, "intro": intro}
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="flow chart")
def step_not_possible(request, case, order):
    step = selectors.live_step(case, order, if_possible=True)
    return _record_form(
        request,
        case,
        form_class=StepNotPossibleForm,
        service=lambda **kwargs: services.step_not_possible_record(order=order, **kwargs),
        title=_("Record that this step was not possible: %(step)s") % {"step": step.title},
        intro=_("The step will not go overdue. Your manager is told and sees the reason on the case."),
        success=_("Recorded: the step was not possible. Your manager has been told."),
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="flow chart")
def manager_inform(request, case):
    return _record_form(
        request,
        case,
        form_class=ManagerInformForm,
        service=services.manager_inform,
        title=_("Inform your manager of the non-engagement"),
        intro=(
            _(
                "Your manager is emailed and asked to record their management oversight. The attempts "
                "you recorded and the assessment's outcome are filled in: check them and change what you need."
            )
        ),
        # Already recorded: the practitioner checks and edits rather than types it again.
        initial=selectors.manager_inform_prefill(case) if request.method == "GET" else None,
        success=_("Your manager has been told and asked to record their oversight."),
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="flow chart")
def safeguarding_escalate(request, case):
    return _record_form(
        request,
        case,
        form_class=SafeguardingEscalationForm,
        service=services.safeguarding_escalate,
        title=_("Escalate an immediate safeguarding concern to the MASH"),
        intro=(
            _(
                "If a child is at immediate risk, follow child protection procedures now: contact the MASH "
                "first, then record it here. The flow chart ends and your manager is told at once."
            )
        ),
        success=_("The escalation to the MASH is recorded and your manager has been told."),
    )


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def oversight_queue(request):
    """The old address of the manager's queue: what waited here is on "Needs you" (insight),
    which lists only what is due, paged, where this page listed every live episode."""
    return redirect("needs_you:queue")


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="management oversight")
def oversight_record(request, case):
    # "Is the risk raised?" was answered when the manager was informed: the manager starts from
    # that answer and changes it if the discussion changed it. A post keeps what was posted.
    chart = selectors.case_flowchart(case) if request.method == "GET" else None
    # One post fills both the oversight and its actions, so both get it (claimed once).
    data = posted_or_kept(request)
    form = OversightForm(data, initial=selectors.oversight_prefill(chart) if chart else None)
    actions = OversightActionFormSet(data, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        rows = [f.cleaned_data for f in actions.forms if f.cleaned_data.get("what")]
        try:
            services.oversight_record(case=case, by=request.user, actions=rows, **form.cleaned_data)
        except services.FlowchartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your management oversight is recorded on the child's record."))
            return _back_to_chart(case)
    chart = chart or selectors.case_flowchart(case)
    return render(
        request,
        "flowchart/oversight_form.html",
        {"form": form, "actions": actions, "case": case, "chart": chart},
    )


# Buttons of the "Check your answers" page (their names never reach a service).
_FLOW_BUTTONS = ("csrfmiddlewaretoken", "submit", "confirm", "change")


def _check_answers_flow(request, *, form, render_form, record, check):
    """A decision goes form → "Check your answers" → record (the GOV.UK check answers pattern).

    The answers travel in the pages themselves (hidden fields on the check page), never in the
    session: nothing about the family is kept between requests. "Change" posts them back to the
    form, which shows them as typed; an error on recording shows the form again with them.
    `check`: the check page's title, caption and button, and what recording does.
    """
    if request.method != "POST" or not form.is_valid() or "change" in request.POST:
        return render_form(form)
    if "confirm" in request.POST:
        try:
            return record(form)
        except services.FlowchartError as error:
            form.add_error(None, str(error))
            return render_form(form)
    hidden = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _FLOW_BUTTONS
        for value in values
    ]
    return render(
        request, "flowchart/check_answers.html", {**check, "rows": form.answer_rows(), "hidden": hidden}
    )


def _posted(request):
    """What was posted; on a GET, what this user posted here when it could not be saved
    (issue 21). Call it once a request: a kept post is given back once."""
    return posted_or_kept(request)


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="decision on next steps")
def decision_record(request, case):
    chart = selectors.case_flowchart(case)
    offered = outcomes.offered_outcomes(chart.episode.version.pathway) if chart.episode else []
    # Posted answers are always shown back, even if the decision was recorded meanwhile elsewhere:
    # the service then says why, and nothing typed is lost. So are answers kept when the manager
    # was signed out (issue 21), even if a colleague recorded the decision meanwhile.
    data = _posted(request)
    wanted = chart.awaiting_decision or (data is not None and chart.episode is not None)
    form = DecisionForm(data, case=case, outcomes=offered) if wanted else None

    def render_form(form):
        return render(request, "flowchart/decision_form.html", {"form": form, "case": case, "chart": chart})

    def record(form):
        decision = services.decision_record(case=case, by=request.user, **form.service_kwargs())
        messages.success(
            request,
            # Translators: %(decision)s is the decision as the form offered it, in lower case, for
            # example "step down to level 2 services".
            _(
                "The decision is recorded: %(decision)s. The lead practitioner tells the multi-agency "
                "meeting by %(date)s."
            )
            % {
                "decision": decision.get_outcome_display().lower(),
                "date": f"{decision.share_due_on:%-d %B %Y}",
            },
        )
        return _back_to_chart(case)

    if form is None:
        return render_form(None)
    return _check_answers_flow(
        request,
        form=form,
        render_form=render_form,
        record=record,
        check={
            "case": case,
            "title": _("Check your answers before recording the decision"),
            "button": _("Record the decision"),
            "what_next": _(
                "The flow chart ends with this decision and its reminders stop. The lead practitioner is "
                "told, and tells the multi-agency meeting the agreed outcome within 5 working days."
            ),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="request to close the case")
def closure_request(request, case):
    """The lead practitioner asks their line manager to close the case."""
    if case.team.manager_id == request.user.pk:
        return redirect("flowchart:case_close", case_pk=case.pk)
    waiting = selectors.case_flowchart(case).closure_request
    # What was tried is recorded already: the practitioner checks it and says what has changed.
    form = ClosureRequestForm(
        _posted(request), initial=selectors.closure_request_prefill(case) if request.method == "GET" else None
    )

    def ask(data):
        return services.closure_request_make(case=case, by=request.user, reason=data["reason"])

    if form_save(request, form, ask, errors=services.FlowchartError):
        messages.success(
            request, _("Your line manager has been asked to close this case. You will be told their answer.")
        )
        return redirect("cases:case_detail", case_pk=case.pk)
    return render(
        request,
        "flowchart/closure_request_form.html",
        {"form": form, "case": case, "waiting": waiting},
    )


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="closing the case")
def case_close(request, case, pk=None):
    """The line manager closes the case: answering a request (pk), or of their own accord."""
    closure = None
    if pk is not None:
        closure = selectors.closure_request_for(case, pk)
        if not closure.is_open:
            answered = {"date": f"{timezone.localdate(closure.decided_at):%-d %B %Y}"}
            if closure.outcome == ClosureOutcome.AGREED:
                said = _("You answered this request on %(date)s: agreed: the case is closed.") % answered
            else:
                said = _("You answered this request on %(date)s: not agreed: the case stays open.") % answered
            messages.info(request, said)
            return _back_to_chart(case)
    else:
        # A practitioner's request is waiting: closing answers it.
        closure = selectors.case_flowchart(case).closure_request
    form = ClosureDecisionForm(_posted(request), case=case, request=closure)

    def render_form(form):
        return render(
            request, "flowchart/closure_form.html", {"form": form, "case": case, "closure": closure}
        )

    def record(form):
        data = form.service_kwargs()
        answers = {name: data[name] for name in ("considered", "social_worker_consulted", "options_notes")}
        if closure is not None:
            services.closure_request_decide(
                request=closure, by=request.user, agree=form.agrees, reason=data["reasons"], **answers
            )
        else:
            services.case_closure_record(case=case, by=request.user, reasons=data["reasons"], **answers)
        if form.agrees:
            messages.success(
                request,
                _("Case %(reference)s is closed. Everything recorded on it is kept.")
                % {"reference": case.reference},
            )
        else:
            messages.success(
                request, _("%(person)s has been told the case stays open.") % {"person": closure.requested_by}
            )
        return _back_to_chart(case)

    return _check_answers_flow(
        request,
        form=form,
        render_form=render_form,
        record=record,
        check={
            "case": case,
            "title": _("Check your answers before recording the decision"),
            "button": _("Record the decision"),
            "what_next": _(
                "If you close the case, the flow chart ends and its reminders stop; the lead practitioner "
                "tells the multi-agency meeting within 5 working days. The practitioner who asked is told "
                "your answer."
            )
            if closure
            else _(
                "If you close the case, the flow chart ends and its reminders stop; the lead practitioner "
                "tells the multi-agency meeting within 5 working days."
            ),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="sharing the decision")
def decision_share(request, case, pk):
    decision = selectors.decision_for(case, pk)
    initial = decision.next_steps_shared or outcomes.next_steps_text(decision)
    form = DecisionShareForm(_posted(request), initial={"next_steps": initial})

    def share(data):
        return services.decision_share(decision=decision, by=request.user, next_steps=data["next_steps"])

    if saved := form_save(request, form, share, errors=services.FlowchartError):
        told = ", ".join(str(made.member) for made in saved.result)
        messages.success(request, _("The decision has been shared with %(members)s.") % {"members": told})
        return _back_to_chart(case)
    return render(
        request,
        "flowchart/decision_share.html",
        {
            "form": form,
            "case": case,
            "decision": decision,
            "members": selectors.decision_members(decision),
        },
    )


@accepts("GET")
@role_view(*Role.values)
def notifications(request):
    """The reader's notifications: the words of those about a case they may still read (logged as
    a read of that case); of the others, only that there was one."""
    items = list(
        notifications_for(
            request.user,
            readable_cases=cases_notified_readable(request.user),
            named_cases=cases_named_to(request.user),
        )[:100]
    )
    log_notifications_read(request, items)
    return render(request, "flowchart/notifications.html", {"items": items})


@accepts("POST")
@role_view(*Role.values)
def notification_read(request, pk):
    notification = get_object_or_404(
        notifications_for(request.user, readable_cases=cases_notified_readable(request.user)), pk=pk
    )
    notification_mark_read(notification=notification, by=request.user)
    target = request.POST.get("next", "")
    if (
        target == "open"
        and notification.case_readable
        and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None)
    ):
        return redirect(notification.url)
    return redirect(reverse("flowchart:notifications"))
