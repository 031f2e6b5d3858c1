"""Thin views for staff safety: check access, call a selector or a service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.access import (
    CaseAction,
    can,
    can_lift_lone_working_warning,
    can_review_hostile_incident,
    case_view,
)
from cases.forms import form_save
from cases.http import accepts
from cases.kept_posts import posted_or_kept
from cases.selectors import allocated_social_workers
from engagement.selectors import attempt_on_case

from . import selectors, services
from .forms import HostileIncidentForm, HostileIncidentReviewForm, WarningLiftForm


def _posted(request):
    return request.POST if request.method == "POST" else None


def _names(users) -> str:
    names = [str(u) for u in users]
    if len(names) == 1:
        return names[0]
    # Translators: the end of a list of people, such as "Sam Okafor, Amy Lee and Jo Bell".
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _attempt_from(request, case):
    """The attempt the incident came from (?attempt=<id>), checked to be on this case; 404 if not."""
    pk = request.GET.get("attempt", "")
    if not pk:
        return None
    return attempt_on_case(case, pk)


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="hostile incident form")
def hostile_incident_record(request, case):
    attempt = _attempt_from(request, case)
    if attempt is not None and (existing := selectors.incident_for_attempt(attempt)) is not None:
        messages.info(request, _("An incident is already recorded for that attempt."))
        return redirect("engagement:hostile_incident_detail", case_pk=case.pk, pk=existing.pk)
    form = HostileIncidentForm(
        posted_or_kept(request),
        case=case,
        user=request.user,
        initial=HostileIncidentForm.initial_for(user=request.user, attempt=attempt),
    )

    def record(data):
        return services.hostile_incident_record(
            case=case, by=request.user, attempt=attempt, **form.service_arguments()
        )

    if saved := form_save(request, form, record, errors=services.HostileIncidentError):
        told = [
            u
            for u in [case.team.manager, *allocated_social_workers(case)]
            if u is not None and u.pk != request.user.pk
        ]
        told_words = (
            ngettext("%(names)s has been told.", "%(names)s have been told.", len(told))
            % {"names": _names(told)}
            if told
            else ""
        )
        messages.success(
            request,
            " ".join(
                [
                    _("Hostile incident recorded."),
                    *([told_words] if told_words else []),
                    _("The case now shows a lone-working warning: visit in pairs."),
                ]
            ),
        )
        return redirect("engagement:hostile_incident_detail", case_pk=case.pk, pk=saved.result.pk)
    return render(
        request,
        "engagement/hostile_incident_form.html",
        {"form": form, "case": case, "attempt": attempt, "title": _("Record a hostile incident")},
    )


@accepts("GET")
@case_view(CaseAction.SAFETY, what="hostile incident")
def hostile_incident_detail(request, case, pk):
    incident = selectors.incident_on_case(case, pk)
    live = next((w for w in incident.warnings if w.is_live), None)
    return render(
        request,
        "engagement/hostile_incident_detail.html",
        {
            "case": case,
            "incident": incident,
            "warnings": incident.warnings,
            "live_warning": live,
            "can_view_case": can(request.user, CaseAction.VIEW, case),
            "can_review": can_review_hostile_incident(request.user, case),
            "can_lift": live is not None and can_lift_lone_working_warning(request.user, case),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.SAFETY_REVIEW, what="hostile incident review")
def hostile_incident_review(request, case, pk):
    incident = selectors.incident_on_case(case, pk)
    live = next((w for w in incident.warnings if w.is_live), None)
    form = HostileIncidentReviewForm(_posted(request), warning_live=live is not None)

    def review(data):
        return services.hostile_incident_review_record(
            incident=incident, by=request.user, **form.service_arguments()
        )

    if form_save(request, form, review, errors=services.HostileIncidentError):
        messages.success(
            request, _("Your review is recorded and the people working on the case have been told.")
        )
        lift_now = live is not None and form.service_arguments()["warning_stays"] is False
        if lift_now and can_lift_lone_working_warning(request.user, case):
            return redirect("engagement:warning_lift", case_pk=case.pk, pk=live.pk)
        return redirect("engagement:hostile_incident_detail", case_pk=case.pk, pk=incident.pk)
    return render(
        request,
        "engagement/safety_form.html",
        {
            "form": form,
            "case": case,
            "incident": incident,
            "title": _("Review the hostile incident"),
            "intro": _("The incident of %(date)s at %(time)s. Where: %(place)s.")
            % {
                "date": f"{timezone.localtime(incident.occurred_at):%-d %B %Y}",
                "time": f"{timezone.localtime(incident.occurred_at):%H:%M}",
                "place": incident.place,
            },
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="lift the lone-working warning")
def warning_lift(request, case, pk):
    warning = selectors.warning_on_case(case, pk)
    if not warning.is_live:
        messages.info(
            request,
            _("This warning was lifted on %(lifted_on)s.")
            % {"lifted_on": f"{timezone.localtime(warning.lifted_at):%-d %B %Y}"},
        )
        return redirect("engagement:hostile_incident_detail", case_pk=case.pk, pk=warning.incident_id)
    form = WarningLiftForm(_posted(request))

    def lift(data):
        return services.lone_working_warning_lift(warning=warning, by=request.user, reason=data["reason"])

    if form_save(request, form, lift, errors=services.HostileIncidentError):
        messages.success(
            request, _("The lone-working warning is lifted. The lead practitioner has been told.")
        )
        return redirect("cases:case_detail", case_pk=case.pk)
    return render(
        request,
        "engagement/safety_form.html",
        {
            "form": form,
            "case": case,
            "incident": warning.incident,
            "title": _("Lift the lone-working warning"),
            "intro": _(
                "The case has shown 'Visit in pairs' since %(raised_on)s. Only you, as the line manager, "
                "can lift it. Say why it is safe to."
            )
            % {"raised_on": f"{warning.raised_on:%-d %B %Y}"},
        },
    )
