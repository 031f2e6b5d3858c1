"""The Supporting Families claim list's old addresses: the list is a return now
(insight/returns/supporting_families.py), checked against its schema before its file is offered,
with the returns' access rules and access log. These send on to it."""

from django.shortcuts import redirect
from django.urls import reverse

from cases.access import role_view
from cases.http import accepts
from cases.models import Role
from insight.returns.supporting_families import CLAIMS, SUPPORTING_FAMILIES_CLAIMS


@accepts("GET")
@role_view(Role.LINE_MANAGER, Role.PERFORMANCE)
def claim_list(request):
    return redirect("returns:return_detail", slug=SUPPORTING_FAMILIES_CLAIMS.slug)


@accepts("GET")
@role_view(Role.LINE_MANAGER, Role.PERFORMANCE)
def claim_list_csv(request):
    """The file, as the return offers it: only once every row passes, or with the errors listed."""
    url = reverse(
        "returns:return_csv", kwargs={"slug": SUPPORTING_FAMILIES_CLAIMS.slug, "table": CLAIMS.name}
    )
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)
