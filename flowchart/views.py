"""Thin views for the flow chart: check access, call a selector or a service, render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases.access import CaseAction, case_view, role_view
from cases.models import Role
from engagement.document_selectors import held_letters_queue

from . import selectors, services
from .forms import (
    DecisionForm,
    EpisodeStartForm,
    ManagerInformForm,
    OversightActionFormSet,
    OversightForm,
    SafeguardingEscalationForm,
    StepNotPossibleForm,
)
from .models import Notification

STAFF = (Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)


def _back_to_chart(case):
    return redirect("flowchart:case_flowchart", case_pk=case.pk)


@case_view(CaseAction.VIEW, what="flow chart")
def case_flowchart(request, case):
    episode = request.GET.get("episode", "")
    chart = selectors.case_flowchart(case, episode_id=int(episode) if episode.isdigit() else None)
    return render(request, "flowchart/case_flowchart.html", {"case": case, "chart": chart})


@case_view(CaseAction.WORK, what="flow chart")
def episode_start(request, case):
    again = selectors.case_has_run(case)
    form = EpisodeStartForm(request.POST or None, day1=timezone.localdate() if again else case.referral_date)
    if request.method == "POST" and form.is_valid():
        day1 = form.cleaned_data["day1"]
        try:
            services.episode_start(
                case=case, by=request.user, pathway_code=form.cleaned_data["pathway"].code, day1=day1
            )
        except services.FlowchartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The flow chart has started. Day 1 is {day1:%-d %B %Y}.")
            return _back_to_chart(case)
    return render(
        request,
        "flowchart/form.html",
        {"form": form, "case": case, "title": "Start the flow chart"},
    )


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


def _record_form(request, case, *, form_class, service, title, intro, success):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(case=case, by=request.user, **form.cleaned_data)
        except services.FlowchartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return _back_to_chart(case)
    return render(
        request, "flowchart/form.html", {"form": form, "case": case, "title": title, "intro": intro}
    )


@case_view(CaseAction.WORK, what="flow chart")
def step_not_possible(request, case, order):
    step = selectors.live_step(case, order, if_possible=True)
    return _record_form(
        request,
        case,
        form_class=StepNotPossibleForm,
        service=lambda **kwargs: services.step_not_possible_record(order=order, **kwargs),
        title=f"Record that this step was not possible: {step.title}",
        intro="The step will not go overdue. Your manager is told and sees the reason on the case.",
        success="Recorded: the step was not possible. Your manager has been told.",
    )


@case_view(CaseAction.WORK, what="flow chart")
def manager_inform(request, case):
    return _record_form(
        request,
        case,
        form_class=ManagerInformForm,
        service=services.manager_inform,
        title="Inform your manager of the non-engagement",
        intro="Your manager is emailed and asked to record their management oversight.",
        success="Your manager has been told and asked to record their oversight.",
    )


@case_view(CaseAction.WORK, what="flow chart")
def safeguarding_escalate(request, case):
    return _record_form(
        request,
        case,
        form_class=SafeguardingEscalationForm,
        service=services.safeguarding_escalate,
        title="Escalate an immediate safeguarding concern to the MASH",
        intro=(
            "If a child is at immediate risk, follow child protection procedures now: contact the MASH "
            "first, then record it here. The flow chart ends and your manager is told at once."
        ),
        success="The escalation to the MASH is recorded and your manager has been told.",
    )


@role_view(Role.LINE_MANAGER)
def oversight_queue(request):
    today = timezone.localdate()
    items = selectors.oversight_queue(request.user, today)
    letters = held_letters_queue(request.user)
    return render(
        request, "flowchart/oversight_queue.html", {"items": items, "today": today, "held_letters": letters}
    )


@case_view(CaseAction.MANAGE, what="management oversight")
def oversight_record(request, case):
    form = OversightForm(request.POST or None)
    actions = OversightActionFormSet(request.POST or None, prefix="actions")
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        rows = [f.cleaned_data for f in actions.forms if f.cleaned_data.get("what")]
        try:
            services.oversight_record(case=case, by=request.user, actions=rows, **form.cleaned_data)
        except services.FlowchartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Your management oversight is recorded on the child's record.")
            return _back_to_chart(case)
    chart = selectors.case_flowchart(case)
    return render(
        request,
        "flowchart/oversight_form.html",
        {"form": form, "actions": actions, "case": case, "chart": chart},
    )


@case_view(CaseAction.MANAGE, what="decision on next steps")
def decision_record(request, case):
    form = DecisionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("social_worker_consulted", "")
        try:
            services.decision_record(case=case, by=request.user, **data)
        except services.FlowchartError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The decision is recorded and the case updated.")
            return _back_to_chart(case)
    chart = selectors.case_flowchart(case)
    return render(request, "flowchart/decision_form.html", {"form": form, "case": case, "chart": chart})


@role_view(*Role.values)
def notifications(request):
    items = selectors.notifications_for(request.user)[:100]
    return render(request, "flowchart/notifications.html", {"items": items})


@require_POST
@role_view(*Role.values)
def notification_read(request, pk):
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.notification_mark_read(notification=notification, by=request.user)
    target = request.POST.get("next", "")
    if target == "open" and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect(reverse("flowchart:notifications"))
