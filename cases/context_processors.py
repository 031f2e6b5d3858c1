from django.conf import settings
from django.urls import reverse

from .middleware import session_seconds_left
from .models import Role


def _nav_for(user):
    if not user.is_authenticated:
        return []
    items = {
        Role.LEAD_PRACTITIONER: [
            ("My work today", "today:my_work"),
            ("My cases", "cases:my_cases"),
            ("Open a case", "cases:case_create"),
            ("Notifications", "flowchart:notifications"),
            # Recording attempts with no signal, and the outbox of those not yet sent.
            ("Offline", "today:offline"),
        ],
        Role.LINE_MANAGER: [
            ("Needs you", "needs_you:queue"),
            ("Team cases", "cases:my_cases"),
            ("Notifications", "flowchart:notifications"),
            ("Team dashboard", "dashboard:teams"),
            ("Insight", "insight:overview"),
            ("Returns", "returns:index"),
        ],
        Role.PERFORMANCE: [
            ("Returns", "returns:index"),
            ("Supporting Families claims", "supporting_families:claim_list"),
        ],
        Role.AGENCY_MEMBER: [
            ("Shared with me", "riskassessment:shared_list"),
            ("Notifications", "flowchart:notifications"),
        ],
        Role.SOCIAL_WORKER: [
            ("My allocated cases", "socialwork:allocated_cases"),
            ("Notifications", "flowchart:notifications"),
        ],
        Role.INFORMATION_GOVERNANCE: [
            ("Subject access requests", "subject_access:request_list"),
            ("New request", "subject_access:request_new"),
        ],
        Role.ADMIN: [
            ("Configuration", "admin:index"),
            ("Pathways", "flowchart:pathway_list"),
            ("Insight", "insight:overview"),
        ],
    }.get(user.role, [])
    return [(label, reverse(name)) for label, name in items]


def service(request):
    items = _nav_for(request.user)
    # The item whose address is the longest start of the page's: /today/offline/ is "Offline",
    # not "My work today" too.
    matching = [url for _, url in items if request.path.startswith(url) and url != "/"]
    current = max(matching, key=len, default=None)
    nav = [{"label": label, "url": url, "active": url == current} for label, url in items]
    signed_in = request.user.is_authenticated
    return {
        # What the timeout warning counts down from; only signed-in pages have one.
        "session_seconds_left": session_seconds_left(request) if signed_in else None,
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "service_name": settings.SERVICE_NAME,
        "organisation_name": settings.ORGANISATION_NAME,
        "font_family": settings.FONT_FAMILY,
        "nav_items": nav,
    }
