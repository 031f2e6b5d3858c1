"""Thin views for the insight pages: check the role, read the figures, render a page or a CSV.

Line managers and admins only (cases.access.role_view); the selectors narrow each to what they
may see. A team or practitioner outside that scope answers 404, like a missing one.
"""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.access import role_view
from cases.http import accepts
from cases.models import Role
from engagement.chronology_export import spreadsheet_safe

from . import selectors
from .forms import InsightFilterForm, InsightScopeForm


def _filter_form(request, form_class, scope):
    form = form_class(request.GET or None, scope=scope, today=timezone.localdate())
    if form.out_of_scope():
        raise Http404("Not found")
    return form


def _scope_query(request) -> str:
    """The team and practitioner of this page, for links to pages that filter by those alone."""
    query = request.GET.copy()
    for name in list(query):
        if name not in InsightScopeForm.SCOPE_FIELDS:
            del query[name]
    return query.urlencode()


@accepts("GET")
@role_view(Role.LINE_MANAGER, Role.ADMIN)
def overview(request):
    scope = selectors.insight_scope(request.user)
    form = _filter_form(request, InsightFilterForm, scope)
    context = {"form": form, "scope": scope}
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        context.update(
            filters=filters,
            page=selectors.insight_page(scope, filters),
            query=request.GET.urlencode(),
            scope_query=_scope_query(request),
        )
    return render(request, "insight/overview.html", context)


def _all_label(scope) -> str:
    return _("All your teams") if scope.shows_cases else _("All teams")


@accepts("GET")
@role_view(Role.LINE_MANAGER, Role.ADMIN)
def figure_csv(request, figure):
    read = selectors.FIGURES.get(figure)
    if read is None:
        raise Http404("No such figure")
    scope = selectors.insight_scope(request.user)
    form = _filter_form(request, InsightFilterForm, scope)
    if form.is_bound and not form.is_valid():
        # Back to the page, where the same query shows what to correct.
        return redirect(f"{reverse('insight:overview')}?{request.GET.urlencode()}")
    filters = form.filters()
    today = timezone.localdate()
    table = read(selectors.insight_cases(scope, filters), filters, today).table()
    team = filters.team.name if filters.team else _all_label(scope)
    practitioner = filters.practitioner.full_name if filters.practitioner else _("All practitioners")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insight-{figure}-{filters.date_from:%Y-%m-%d}-to-{filters.date_to:%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([_("Team"), _("Practitioner"), *table.header])
    for row in table.rows:
        writer.writerow([spreadsheet_safe(cell) for cell in (team, practitioner, *row)])
    return response


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def sudden_drops(request):
    scope = selectors.insight_scope(request.user)
    form = _filter_form(request, InsightScopeForm, scope)
    filters = form.scope_filters()
    today = timezone.localdate()
    cases = selectors.insight_cases(scope, selectors.InsightFilter(date_from=today, date_to=today, **filters))
    return render(
        request,
        "insight/sudden_drops.html",
        {
            "form": form,
            "filters": filters,
            "flagged": selectors.flagged_cases(cases),
            "scope_query": _scope_query(request),
        },
    )
