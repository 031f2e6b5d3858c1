"""Thin views: check access, call a selector or a service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.i18n import JavaScriptCatalog

from . import contributions, kept_posts, selectors, services
from .access import CaseAction, can, case_page_permissions, case_view, has_role, role_view
from .concurrency import EditConflict, EditGuard
from .forms import (
    AdultForm,
    CaseEditForm,
    CaseOpenForm,
    ChildForm,
    EpisodeCodesForm,
    MembershipForm,
    PersonReturnsForm,
    ReassignForm,
    form_save,
)
from .http import accepts
from .middleware import session_seconds_left
from .models import MembershipStatus, PersonKind, Role


def _posted(request):
    """The submitted data on a POST (even an empty one), so the form is bound and validated."""
    return request.POST if request.method == "POST" else None


@accepts("GET")
@login_required
def home(request):
    """Send each role to the page they start from."""
    if request.user.role == Role.ADMIN:
        return redirect("admin:index")
    if request.user.role == Role.AGENCY_MEMBER:
        return redirect("riskassessment:shared_list")
    if request.user.role == Role.SOCIAL_WORKER:
        return redirect("socialwork:allocated_cases")
    if request.user.role == Role.LEAD_PRACTITIONER:
        # What is overdue and due across their cases, phone first (insight.today); "My cases" stays in the nav.
        return redirect("today:my_work")
    if request.user.role == Role.PERFORMANCE:
        # The statutory returns across the authority (insight.returns).
        return redirect("returns:index")
    if request.user.role == Role.INFORMATION_GOVERNANCE:
        # Subject access requests: the list of requests, and a new one (cases.subject_access).
        return redirect("subject_access:request_list")
    if request.user.role == Role.LINE_MANAGER:
        # What waits for them across their teams, most urgent first (insight.needs_you).
        return redirect("needs_you:queue")
    return redirect("cases:my_cases")


@accepts("GET")
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


@accepts("POST")
@role_view(*Role.values)
def session_keep_alive(request):
    """ "Stay signed in" on the timeout warning: restart the idle clock, show nothing.

    Every answered request saves the session again (SESSION_SAVE_EVERY_REQUEST), which moves its
    expiry a whole idle period on; this one only says how long that now leaves, for the warning
    to count from.
    """
    request.session.modified = True
    response = HttpResponse(status=204)
    response["Session-Seconds-Left"] = str(session_seconds_left(request))
    return response


@accepts("GET")
def signed_out(request):
    """Where the timeout warning sends someone whose time ran out: says why, and how to go on."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(
        request,
        "cases/signed_out.html",
        {"idle_minutes": settings.SESSION_COOKIE_AGE // 60},
    )


_javascript_catalog = JavaScriptCatalog.as_view(domain="djangojs")


@accepts("GET")
def javascript_catalog(request):
    """The words the staff interface's JavaScript shows (static/js), in the active language.

    Django's gettext, ngettext and interpolate for the browser, with the djangojs catalogue
    (config/locale). Served to anyone: it holds the interface's words, no one's data.
    """
    return _javascript_catalog(request)


def admin_login_redirect(request, extra_context=None):
    """The admin has no login of its own: everyone signs in (with MFA) at one door."""
    if request.user.is_authenticated:
        raise Http404("Not found")
    return redirect(f"{reverse('account_login')}?next={request.GET.get('next', '/admin/')}")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


@accepts("GET")
@role_view(Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)
def my_cases(request):
    cases = list(selectors.my_cases(request.user))
    contributions.case_list_rows_label(cases)
    context = {
        "cases": cases,
        # A manager's list is their teams' cases; the nav offers opening a case to practitioners.
        "is_team_list": has_role(request.user, Role.LINE_MANAGER),
        "can_open_case": has_role(request.user, Role.LEAD_PRACTITIONER),
    }
    return render(request, "cases/my_cases.html", context)


@accepts("GET", "POST")
@role_view(Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)
def case_create(request):
    form = CaseOpenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(by=request.user, **form.cleaned_data)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Case %(reference)s opened. Day 1 is %(date)s.")
                % {"reference": case.reference, "date": f"{case.referral_date:%-d %B %Y}"},
            )
            return redirect("cases:case_detail", case_pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "title": _("Open a case from a referral")})


@accepts("GET")
@case_view(CaseAction.VIEW, what="case", read=selectors.case_detail)
def case_detail(request, case):
    people = selectors.case_page_people(case)
    context = {
        "case": case,
        "people": people.people,
        "live_memberships": people.memberships,
        # The top of the page: who to call and the flags, from the people already read.
        **selectors.case_page_top(people.people),
        **case_page_permissions(request.user, case),
        # The flow chart's summary for the case page, when that app provides one; the whole chart is
        # on its own page.
        "flowchart_panel_template": "flowchart/case_summary_panel.html",
        # What the apps above show of their records: risk assessment's child protection escalation.
        **contributions.case_page_context(case),
    }
    return render(request, "cases/case_detail.html", context)


def _form_page(request, form, *, case, title, back=None, intro=""):
    return render(
        request,
        "cases/case_form.html",
        {"form": form, "case": case, "title": title, "intro": intro, "back": back or case_url(case)},
    )


def case_url(case):
    return reverse("cases:case_detail", kwargs={"case_pk": case.pk})


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def case_edit(request, case):
    initial = {name: getattr(case, name) for name in services.CASE_EDITABLE_FIELDS}
    guard = EditGuard(request, case)
    form = guard.attach(CaseEditForm(_posted(request), initial=initial))
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.CASE_EDITABLE_FIELDS}
        try:
            with guard.saving():
                services.case_update(case=case, by=request.user, **changes)
        except (services.CaseError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Referral details saved. The earlier version is kept in the case history.")
            )
            return redirect(case_url(case))
    return _form_page(request, form, case=case, title=_("Change the referral details"))


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def case_close(request, case):
    """Closing is the line manager's decision: the manager goes to record it, anyone else to ask
    the manager (both pages belong to the flow chart, which records the decision)."""
    if can(request.user, CaseAction.MANAGE, case):
        return redirect("flowchart:case_close", case_pk=case.pk)
    return redirect("flowchart:closure_request", case_pk=case.pk)


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE)
def case_reassign(request, case):
    form = ReassignForm(_posted(request), case=case, manager=request.user)
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead_practitioner"]
        try:
            services.case_reassign_lead(case=case, by=request.user, lead_practitioner=lead)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(user)s is now the lead practitioner for %(family)s.")
                % {"user": lead, "family": case.family_name},
            )
            return redirect(case_url(case))
    return _form_page(
        request,
        form,
        case=case,
        title=_("Reassign the lead practitioner"),
        intro=_("The lead practitioner is %(user)s.") % {"user": case.lead_practitioner},
    )


def _children_and_relationships(case, adult=None):
    children = list(case.people.filter(kind=PersonKind.CHILD).order_by("full_name"))
    existing = {}
    if adult is not None:
        existing = {r.child_id: r.kind for r in adult.relationships.all()}
    return children, existing


def _person_initial(person):
    return {name: getattr(person, name) for name in services.PERSON_FIELDS}


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def person_add(request, case, kind):
    if kind not in PersonKind.values:
        raise Http404("No such kind of person")
    if kind == PersonKind.CHILD:
        form = ChildForm(_posted(request), initial={"lives_in_household": True, "language": "English"})
    else:
        children, existing = _children_and_relationships(case)
        form = AdultForm(
            _posted(request),
            children=children,
            initial={"lives_in_household": True, "language": "English", "written_language": "en"},
        )
    if request.method == "POST" and form.is_valid():
        try:
            if kind == PersonKind.CHILD:
                person = services.person_add(case=case, by=request.user, kind=kind, **form.cleaned_data)
            else:
                person = services.person_add(
                    case=case,
                    by=request.user,
                    kind=kind,
                    relationships=form.relationships(),
                    **form.person_details(),
                )
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(person)s added to the family.") % {"person": person})
            return redirect(case_url(case))
    title = _("Add a child") if kind == PersonKind.CHILD else _("Add a parent, carer or other adult")
    return _form_page(request, form, case=case, title=title)


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def person_edit(request, case, pk):
    person = selectors.person_on_case(case, pk)
    if person.kind == PersonKind.CHILD:
        form = ChildForm(_posted(request), initial=_person_initial(person))
    else:
        children, existing = _children_and_relationships(case, person)
        form = AdultForm(
            _posted(request), children=children, existing=existing, initial=_person_initial(person)
        )
    guard = EditGuard(request, person)
    guard.attach(form)
    if request.method == "POST" and form.is_valid():
        try:
            with guard.saving():
                if person.kind == PersonKind.CHILD:
                    services.person_update(person=person, by=request.user, **form.cleaned_data)
                else:
                    services.person_update(
                        person=person,
                        by=request.user,
                        relationships=form.relationships(),
                        **form.person_details(),
                    )
        except (services.CaseError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s's details saved.") % {"name": person.full_name})
            return redirect(case_url(case))
    return _form_page(
        request, form, case=case, title=_("Change %(name)s's details") % {"name": person.full_name}
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="person's details for returns")
def person_returns(request, case, pk):
    """The one page that shows what the returns need about a person (`SENSITIVE_FIELDS`), and
    changes it; each opening is in the access log. Open on a closed case too, so that a failing
    row of a return can be put right."""
    person = selectors.person_on_case(case, pk)
    form = PersonReturnsForm(_posted(request), initial=PersonReturnsForm.initial_for(person))
    back = _next_page(request)
    saved = form_save(
        request,
        form,
        lambda data: services.person_returns_details_record(person=person, by=request.user, **data),
        errors=services.CaseError,
    )
    if saved:
        messages.success(request, _("%(name)s's details for returns saved.") % {"name": person.full_name})
        return redirect(back or case_url(case))
    return _form_page(
        request,
        form,
        case=case,
        title=_("%(name)s: details for returns") % {"name": person.full_name},
        intro=_(
            "The statutory returns ask for these. None is needed to work with the family, and "
            "'not known' or 'refused' is an answer. They are shown only here."
        ),
        back=back,
    )


def _next_page(request) -> str | None:
    """Where a page opened from elsewhere (a return's list of rows to fix) sends its user back to:
    only a page of this service."""
    target = request.GET.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="episode codes")
def case_episode_codes(request, case):
    """The early help episode's referral and end reasons, in the returns' codes."""
    form = EpisodeCodesForm(
        _posted(request),
        initial={"referral_reason_code": case.referral_reason_code, "end_reason_code": case.end_reason_code},
    )
    back = _next_page(request)
    saved = form_save(
        request,
        form,
        lambda data: services.case_episode_codes_record(case=case, by=request.user, **data),
        errors=services.CaseError,
    )
    if saved:
        messages.success(request, _("The episode's codes are saved."))
        return redirect(back or case_url(case))
    return _form_page(request, form, case=case, title=_("The episode's codes for returns"), back=back)


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def membership_add(request, case):
    form = MembershipForm(_posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(case=case, by=request.user, **form.cleaned_data)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            if membership.status == MembershipStatus.REQUESTED:
                messages.success(
                    request,
                    _(
                        "%(user)s is from another team: the line manager has been asked to approve. "
                        "They cannot see the case until then."
                    )
                    % {"user": membership.user},
                )
            else:
                messages.success(
                    request,
                    # Translators: %(role)s is their role on the case, in lower case, for example "co-worker".
                    _("%(user)s added as %(role)s.")
                    % {"user": membership.user, "role": membership.get_role_display().lower()},
                )
            return redirect(case_url(case))
    return _form_page(request, form, case=case, title=_("Add someone to the case"))


@accepts("POST")
@case_view(CaseAction.WORK)
def membership_end(request, case, pk):
    membership = selectors.membership_on_case(case, pk)
    try:
        services.membership_end(membership=membership, by=request.user)
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(user)s is no longer on the case. The record of their membership is kept.")
            % {"user": membership.user},
        )
    return redirect(case_url(case))


@accepts("POST")
@case_view(CaseAction.MANAGE)
def membership_decide(request, case, pk):
    """The case's line manager approves or refuses a co-worker from another team."""
    membership = selectors.membership_on_case(case, pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(
            request,
            _("Select whether to approve or refuse %(user)s as a co-worker") % {"user": membership.user},
        )
        return redirect(case_url(case))
    try:
        services.membership_decide(membership=membership, by=request.user, approve=decision == "approve")
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        if decision == "approve":
            messages.success(
                request, _("%(user)s is now a co-worker on the case.") % {"user": membership.user}
            )
        else:
            messages.success(
                request,
                _("Request refused: %(user)s cannot see the case. The request is kept.")
                % {"user": membership.user},
            )
    return redirect(case_url(case))


def csrf_failure(request, reason=""):
    """Django's CSRF failure page, in plain words: the post is kept for the person who sent it
    (cases/kept_posts.py) and the link back to the form shows it again."""
    kept = kept_posts.keep_post(request)
    response = render(
        request, "403_csrf.html", {"back": request.get_full_path(), "kept": kept is not None}, status=403
    )
    if kept is not None:
        kept_posts.hand_over(response, kept)
    return response
