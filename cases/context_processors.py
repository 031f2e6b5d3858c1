from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .middleware import session_seconds_left
from .models import Role


def _nav_for(user):
    if not user.is_authenticated:
        return []
    items = {
        Role.LEAD_PRACTITIONER: [
            (_("My work today"), "today:my_work"),
            (_("My cases"), "cases:my_cases"),
            (_("Open a case"), "cases:case_create"),
            (_("Notifications"), "flowchart:notifications"),
            # Recording attempts with no signal, and the outbox of those not yet sent.
            (_("Offline"), "today:offline"),
        ],
        Role.LINE_MANAGER: [
            (_("Needs you"), "needs_you:queue"),
            (_("Team cases"), "cases:my_cases"),
            (_("Notifications"), "flowchart:notifications"),
            (_("Team dashboard"), "dashboard:teams"),
            (_("Insight"), "insight:overview"),
            (_("Returns"), "returns:index"),
        ],
        Role.PERFORMANCE: [
            (_("Returns"), "returns:index"),
            (_("Supporting Families claims"), "supporting_families:claim_list"),
        ],
        Role.AGENCY_MEMBER: [
            (_("Shared with me"), "riskassessment:shared_list"),
            (_("Notifications"), "flowchart:notifications"),
        ],
        Role.SOCIAL_WORKER: [
            (_("My allocated cases"), "socialwork:allocated_cases"),
            (_("Notifications"), "flowchart:notifications"),
        ],
        Role.INFORMATION_GOVERNANCE: [
            (_("Subject access requests"), "subject_access:request_list"),
            (_("New request"), "subject_access:request_new"),
        ],
        Role.ADMIN: [
            (_("Configuration"), "admin:index"),
            (_("Pathways"), "flowchart:pathway_list"),
            (_("Insight"), "insight:overview"),
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
