from django.shortcuts import render

from cases.access import role_view
from cases.models import Role


@role_view(Role.AGENCY_MEMBER)
def shared_list(request):
    """Assessments shared with this multi-agency member (none until assessments exist)."""
    return render(request, "riskassessment/shared_list.html", {"assessments": []})
