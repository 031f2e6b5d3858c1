"""My work today: the lead practitioner's home page (insight.today.selectors reads it)."""

from django.shortcuts import render
from django.utils import timezone

from cases.access import role_view
from cases.http import accepts
from cases.models import Role

from . import selectors


@accepts("GET")
@role_view(Role.LEAD_PRACTITIONER)
def my_work_today(request):
    today = timezone.localdate()
    sections = selectors.my_work_today(request.user, today)
    return render(request, "insight/today.html", {"sections": sections, "today": today})
