"""The Supporting Families claim list: the page and its CSV, each read written to the access log."""

import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases.access import role_view
from cases.http import accepts
from cases.models import AccessLogEntry, Role
from engagement.chronology_export import spreadsheet_safe

from . import selectors

CLAIM_LIST = "Supporting Families claim list"


def _read(request, what: str) -> list[dict]:
    """The claim list, its read logged: one access-log row for the read itself (how many families)
    and one for each family it showed, on that family's case (one query)."""
    by_case = selectors.claim_list_by_case(request.user)
    path = request.path[:500]
    AccessLogEntry.objects.bulk_create(
        [AccessLogEntry(user=request.user, case=None, what=what, object_id=str(len(by_case)), path=path)]
        + [AccessLogEntry(user=request.user, case_id=case_id, what=what, path=path) for case_id, _ in by_case]
    )
    request._access_logged = True
    return [row for _, row in by_case]


@accepts("GET")
@role_view(Role.LINE_MANAGER, Role.PERFORMANCE)
def claim_list(request):
    rows = _read(request, CLAIM_LIST)
    columns = [(name, selectors.CLAIM_LIST_LABELS[name]) for name in selectors.CLAIM_LIST_COLUMNS]
    return render(
        request,
        "insight/supporting_families_claims.html",
        {
            "rows": [[row[name] for name, _ in columns] for row in rows],
            "columns": columns,
            "minimum_needs": selectors.MINIMUM_NEEDS,
            "whole_authority": request.user.role == Role.PERFORMANCE,
        },
    )


@accepts("GET")
@role_view(Role.LINE_MANAGER, Role.PERFORMANCE)
def claim_list_csv(request):
    rows = _read(request, f"{CLAIM_LIST} (CSV)")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="supporting-families-claims-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(selectors.CLAIM_LIST_COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_safe(row[name]) for name in selectors.CLAIM_LIST_COLUMNS])
    return response
