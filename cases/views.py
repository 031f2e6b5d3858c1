"""Thin views: check access, call a selector or a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import selectors, services
from .access import CaseAction, case_view, role_view
from .forms import CaseOpenForm
from .models import Role


@login_required
def home(request):
    """Send each role to the page they start from."""
    if request.user.role == Role.ADMIN:
        return redirect("admin:index")
    if request.user.role == Role.AGENCY_MEMBER:
        return redirect("riskassessment:shared_list")
    return redirect("cases:my_cases")


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


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


@role_view(Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)
def my_cases(request):
    cases = selectors.my_cases(request.user)
    return render(request, "cases/my_cases.html", {"cases": cases})


@role_view(Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)
def case_create(request):
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(by=request.user, **form.cleaned_data)
        except services.CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"Case {case.reference} opened. Day 1 is {case.referral_date:%-d %B %Y}."
            )
            return redirect("cases:case_detail", case_pk=case.pk)
    return render(request, "cases/case_form.html", {"form": form, "title": "Open a case from a referral"})


@case_view(CaseAction.VIEW, what="case")
def case_detail(request, case):
    return render(request, "cases/case_detail.html", {"case": selectors.case_detail(case)})
