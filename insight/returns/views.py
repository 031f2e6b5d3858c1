"""The returns: the list, a return checked against its schema, and its files.

A file is offered only when its return has no failing rows, unless the person chooses to export
it with the errors listed. Every page that names a case, and every file, is in the access log,
once for each case it holds.
"""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from cases.access import role_view
from cases.http import accepts
from cases.models import AccessLogEntry
from engagement.chronology_export import spreadsheet_safe

from . import selectors
from .forms import ReturnPeriodForm

# Failing rows shown on the page; all are in the errors file.
SHOWN_ERRORS = 500


def _log(request, *, case_ids, what: str, object_id: str) -> None:
    """One access-log row for each case read (one insert), and one for the whole export."""
    path = request.path[:500]
    rows = [
        AccessLogEntry(
            user=request.user, case_id=case_id, what=what[:100], object_id=object_id[:40], path=path
        )
        for case_id in sorted(case_ids)
    ]
    rows.append(
        AccessLogEntry(user=request.user, case=None, what=what[:100], object_id=object_id[:40], path=path)
    )
    AccessLogEntry.objects.bulk_create(rows)
    request._access_logged = True


def _checked(request, slug):
    a_return = selectors.return_for(slug)
    if a_return is None:
        raise Http404("No such return")
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("with_errors", None)
    form = ReturnPeriodForm(query or None, today=today, default=a_return.default_period(today))
    if form.is_bound and not form.is_valid():
        return a_return, form, None
    page = reverse("returns:return_detail", kwargs={"slug": slug})
    back = f"{page}?{query.urlencode()}" if query else page
    return a_return, form, selectors.check_return(a_return, request.user, form.period(), back)


def _period_id(checked) -> str:
    return f"{checked.period.first:%Y-%m-%d}/{checked.period.last:%Y-%m-%d}"


@accepts("GET")
@role_view(*selectors.RETURN_ROLES)
def index(request):
    return render(request, "insight/returns/index.html", {"returns": selectors.all_returns()})


@accepts("GET")
@role_view(*selectors.RETURN_ROLES)
def return_detail(request, slug):
    a_return, form, checked = _checked(request, slug)
    context = {"a_return": a_return, "form": form, "checked": checked}
    if checked is not None:
        errors = checked.errors
        context.update(
            errors=errors[:SHOWN_ERRORS],
            error_count=len(errors),
            more_errors=max(0, len(errors) - SHOWN_ERRORS),
            query=request.GET.urlencode(),
        )
        if errors:
            # The page names the families whose rows fail.
            _log(
                request,
                case_ids=checked.failing_case_ids(),
                what=f"return check: {slug}",
                object_id=_period_id(checked),
            )
    return render(request, "insight/returns/return_detail.html", context)


def _csv_response(filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@accepts("GET")
@role_view(*selectors.RETURN_ROLES)
def return_csv(request, slug, table):
    a_return, form, checked = _checked(request, slug)
    if a_return.table(table) is None:
        raise Http404("No such table")
    if checked is None or (checked.errors and request.GET.get("with_errors") != "1"):
        # Back to the check, which lists what to put right first.
        query = request.GET.copy()
        query.pop("with_errors", None)
        return redirect(f"{reverse('returns:return_detail', kwargs={'slug': slug})}?{query.urlencode()}")
    (part,) = [t for t in checked.tables if t.name == table]
    response = _csv_response(f"{table}-{checked.period.first:%Y-%m-%d}-to-{checked.period.last:%Y-%m-%d}.csv")
    writer = csv.writer(response)
    writer.writerow(part.table.schema.header)
    for row in part.rows:
        # A valid row is codes, ids and dates; a row exported with its errors may hold anything typed.
        writer.writerow([spreadsheet_safe(row.values[name]) for name in part.table.schema.header])
    errors = f" with {len(part.errors)} errors listed" if part.errors else ""
    _log(
        request,
        case_ids={row.case_id for row in part.rows if row.case_id},
        what=f"return export: {table}{errors}",
        object_id=_period_id(checked),
    )
    return response


@accepts("GET")
@role_view(*selectors.RETURN_ROLES)
def return_errors_csv(request, slug):
    """The failing rows of a return, each with what to put right: the list that goes with a file
    exported with its errors."""
    a_return, form, checked = _checked(request, slug)
    if checked is None:
        return redirect(
            f"{reverse('returns:return_detail', kwargs={'slug': slug})}?{request.GET.urlencode()}"
        )
    response = _csv_response(
        f"{slug}-errors-{checked.period.first:%Y-%m-%d}-to-{checked.period.last:%Y-%m-%d}.csv"
    )
    writer = csv.writer(response)
    writer.writerow(["File", "Row", "Record", "Column", "Value", "Problem", "What to do", "Where"])
    base = request.build_absolute_uri("/")[:-1]
    for table, error in checked.errors:
        where = base + error.fix_url if error.fix_url else ""
        writer.writerow(
            [
                spreadsheet_safe(cell)
                for cell in (
                    table,
                    error.row,
                    error.record,
                    error.column,
                    error.value,
                    error.problem,
                    error.fix,
                    where,
                )
            ]
        )
    _log(
        request,
        case_ids=checked.failing_case_ids(),
        what=f"return errors: {slug}",
        object_id=_period_id(checked),
    )
    return response
