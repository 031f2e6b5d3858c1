"""The local outbox page: what would have gone to families had GOV.UK Notify been configured."""

from django.conf import settings
from django.shortcuts import render

from cases.access import cases_visible_to, log_access, role_view
from cases.http import accepts
from cases.models import Role

from .models import OutboxMessage

OUTBOX_PAGE_SIZE = 100


@accepts("GET")
@role_view(Role.LEAD_PRACTITIONER, Role.LINE_MANAGER)
def outbox(request):
    """The newest messages kept in the local outbox for the cases this person can see."""
    kept = list(
        OutboxMessage.objects.filter(case__in=cases_visible_to(request.user))
        .select_related("case")
        .order_by("-created_at", "-id")[:OUTBOX_PAGE_SIZE]
    )
    for case in {m.case for m in kept}:
        log_access(request, case=case, what="local outbox")
    return render(
        request,
        "cases/outbox.html",
        {"messages_kept": kept, "notify_configured": bool(settings.NOTIFY_API_KEY)},
    )
