"""Thin views for the chronology: check access, call a selector or a service, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import CaseAction, can, case_page_permissions, case_view
from cases.concurrency import EditConflict, EditGuard
from cases.http import accepts
from cases.kept_posts import posted_or_kept

from . import selectors, services, workflow
from .chronology_export import chronology_csv_filename, chronology_csv_write
from .forms import ChronologyFilterForm, ContactAttemptForm
from .messages import selectors as message_selectors
from .models import AttemptKind, ChildSeen, NonEngagementForm
from .partners import selectors as partner_selectors
from .safety.selectors import incident_for_attempt, live_warning, safety_chronology

PAGE_SIZE = 25


def _posted(request):
    """The submitted data on a POST (even an empty one), so the form is bound and validated."""
    return request.POST if request.method == "POST" else None


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def attempt_record(request, case):
    # From a step on "My work today" (`?step=<order>`): the form starts as that step asks. The
    # address is kept when the form is posted; an unknown step is ignored, the form left blank.
    step = workflow.attempt_step(case=case, order=request.GET.get("step"))
    initial = ContactAttemptForm.initial_for_now() | _initial_for_step(case, step)
    # On a GET after signing in again, the attempt posted when the session had ended (its text).
    form = ContactAttemptForm(posted_or_kept(request), case=case, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = services.contact_attempt_record(
                case=case, by=request.user, client_id=form.submitted_client_id(), **form.service_arguments()
            )
        except services.ContactAttemptError as error:
            form.add_error(None, str(error))
        else:
            if attempt.already_saved:
                # The same form posted again (a double click, a second tab): the first save stands
                # and the answer is the same page the first one led to.
                messages.info(request, attempt_saved_message(attempt, already=True))
            else:
                messages.success(
                    request, attempt_saved_message(attempt, already=False) + _chosen_step_after(case, step)
                )
            if attempt.hostile and not (attempt.already_saved and incident_for_attempt(attempt)):
                return _to_incident_form(request, attempt)
            if "another" in request.POST:
                return redirect("engagement:attempt_record", case_pk=case.pk)
            return redirect("engagement:chronology", case_pk=case.pk)
    return render(
        request,
        "engagement/attempt_form.html",
        {
            "form": form,
            "case": case,
            "title": _("Record a contact attempt"),
            "safety": selectors.contact_safety(case),
            "lone_working_warning": live_warning(case),
            "for_step": step,
        },
    )


def attempt_saved_message(attempt, *, already: bool) -> str:
    """What the practitioner is told of an attempt just saved, or saved `already` by the same form:
    what it was and when, and for a new one what it counted towards."""
    when = timezone.localtime(attempt.occurred_at)
    words = {"kind": attempt.get_kind_display(), "date": f"{when:%-d %B %Y}", "time": f"{when:%H:%M}"}
    if already:
        return _("%(kind)s on %(date)s at %(time)s was already saved. It has not been saved twice.") % words
    # Translators: "Telephone call on 3 March 2026 at 14:30 recorded: no answer."
    recorded = _("%(kind)s on %(date)s at %(time)s recorded: %(outcome)s.") % {
        **words,
        "outcome": attempt.outcome_label.lower(),
    }
    return f"{recorded} {workflow.attempt_counted(attempt)}"


def _initial_for_step(case, step) -> dict:
    """What the step asks, as the form's starting values: the first kind of attempt it takes and,
    for a call or a text, the family's person to contact. Nothing for no step."""
    if step is None:
        return {}
    kinds = [kind for kind in step.attempt_kinds if kind in AttemptKind.values]
    if not kinds:
        return {}
    initial = {"kind": kinds[0]}
    if kinds[0] in (AttemptKind.PHONE_CALL, AttemptKind.TEXT_MESSAGE):
        contact = selectors.contact_people(case.people.all()).get(case.pk)
        if contact is not None:
            initial["with_person"] = contact.person.pk
    return initial


def _chosen_step_after(case, step) -> str:
    """For an attempt recorded for a chosen step: where that step stands now, when the attempt did
    not close it. The flow chart counts an attempt towards a step it is on time for before an
    overdue one, so the step chosen can still be owed (and the practitioner must know)."""
    if step is None:
        return ""
    now = workflow.attempt_step(case=case, order=step.order)
    if now is None or not now.is_open:
        return ""
    # Translators: the step's title, then where it stands in lower case, such as "overdue".
    return " " + _("The step you recorded it for, %(step)s, is still %(status)s.") % {
        "step": now.title,
        "status": now.status_label.lower(),
    }


def _to_incident_form(request, attempt):
    """Hostility or violence was recorded: straight on to the hostile incident form, pre-filled
    from the attempt (saved already, so nothing typed is lost). Coventry (001): "If a violent
    incident occurs ... contact a manager immediately"."""
    messages.warning(
        request,
        _(
            "You recorded hostility or violence. Record the hostile incident now: your line manager and the "
            "allocated social worker are told as soon as you save it."
        ),
    )
    url = reverse("engagement:hostile_incident_record", kwargs={"case_pk": attempt.case_id})
    return redirect(f"{url}?attempt={attempt.pk}")


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def attempt_edit(request, case, pk):
    attempt = selectors.attempt_on_case(case, pk)
    data = posted_or_kept(request)
    guard = EditGuard(request, attempt, data=data)
    form = ContactAttemptForm(
        data, case=case, user=request.user, initial=ContactAttemptForm.initial_for(attempt)
    )
    guard.attach(form)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.saving():
                attempt = services.contact_attempt_update(
                    attempt=attempt, by=request.user, **form.service_arguments()
                )
        except (services.ContactAttemptError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Attempt updated. The earlier version is kept in its history."))
            if attempt.hostile and incident_for_attempt(attempt) is None:
                return _to_incident_form(request, attempt)
            return redirect("engagement:attempt_detail", case_pk=case.pk, pk=attempt.pk)
    return render(
        request,
        "engagement/attempt_form.html",
        {
            "form": form,
            "case": case,
            "attempt": attempt,
            "title": _("Correct a contact attempt"),
            "safety": selectors.contact_safety(case),
            "lone_working_warning": live_warning(case),
        },
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="contact attempt")
def attempt_detail(request, case, pk):
    attempt = selectors.attempt_on_case(case, pk)
    can_manage = can(request.user, CaseAction.MANAGE, case)
    labels = dict(NonEngagementForm.choices)
    return render(
        request,
        "engagement/attempt_detail.html",
        {
            "case": case,
            "attempt": attempt,
            "non_engagement_labels": [labels.get(v, v) for v in attempt.non_engagement_forms],
            "child_seen_label": dict(ChildSeen.choices).get(attempt.child_seen, ""),
            "history": selectors.attempt_history(attempt) if can_manage else None,
            "incident": incident_for_attempt(attempt),
            "can_work": case.is_open,
        },
    )


def _filtered(request, case):
    form = ChronologyFilterForm(request.GET or None, case=case)
    filters = selectors.ChronologyFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.ChronologyFilter(
            kind=data.get("kind") or "",
            outcome=data.get("outcome") or "",
            person_id=data["person"].pk if data.get("person") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
    return form, filters, selectors.chronology(case, filters)


@accepts("GET")
@case_view(CaseAction.VIEW, what="chronology")
def chronology(request, case):
    form, filters, attempts = _filtered(request, case)
    counts = selectors.chronology_counts(attempts)
    paginator = Paginator(attempts, PAGE_SIZE)
    paginator.count = counts["total"]  # counted with the kinds and outcomes: not counted again
    page = paginator.get_page(request.GET.get("page"))
    export_query = request.GET.copy()
    export_query.pop("page", None)
    return render(
        request,
        "engagement/chronology.html",
        {
            "case": case,
            **case_page_permissions(request.user, case),
            "form": form,
            "page_obj": page,
            "attempts": page.object_list,
            "counts": counts,
            "is_filtered": filters != selectors.ChronologyFilter(),
            "export_query": export_query.urlencode(),
            "safety": safety_chronology(case),
            # What partner agencies reported (Camden 004, section 4), marked with who reported it.
            "partner_reports": partner_selectors.partner_reports(case),
            # Texts the family sent to the service (GOV.UK Notify's inbound texts).
            "received_texts": message_selectors.received_texts(case),
            # Texts and emails held for the manager, or refused: kept, never sent.
            "held_messages": message_selectors.held_messages(case),
        },
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="chronology export")
def chronology_csv(request, case):
    _form, _filters, attempts = _filtered(request, case)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chronology_csv_filename(case)}"'
    chronology_csv_write(response, attempts)
    return response
