"""Working offline: what a practitioner's phone keeps, the offline page, the app's manifest and
its service worker.

The phone keeps only what recording an attempt at the door needs (docs/security.md, "What a
phone keeps"): for each open case the practitioner works on, its reference, the family's name,
the people's names (with their ids, for the form's "With whom") and the flow chart's next step.
No assessment, note, document or chronology is ever sent for keeping, and the service worker
caches no case page: only the offline page (filled in on the phone from what it keeps), the words
its scripts show (Django's JavaScript catalogue) and the static files.
"""

import datetime as dt

from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cases.access import cases_visible_to, role_view
from cases.http import accepts
from cases.models import OPEN_STATUSES, Person, Role, User
from engagement.forms import ContactAttemptForm
from engagement.selectors import offline_keep_days
from flowchart.selectors import live_charts
from insight.links import links


def what_the_phone_keeps(user: User, today: dt.date) -> list[dict]:
    """The user's open cases, with only what recording an attempt offline needs: three queries
    for any number of cases (the cases, the running flow charts' summaries, the people)."""
    cases = list(
        cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .only("reference", "family_name", "status")
        .order_by("family_name", "id")
    )
    if not cases:
        return []
    charts = live_charts(cases, today)
    people: dict[int, list[dict]] = {case.pk: [] for case in cases}
    for person in (
        Person.objects.filter(case_id__in=people)
        .only("case_id", "kind", "full_name")
        .order_by("kind", "full_name")
    ):
        people[person.case_id].append({"id": person.pk, "name": person.full_name})
    sync_url = links("engagement:attempt_sync", "case_pk")
    kept = []
    for case in cases:
        chart = charts.get(case.pk)
        step = chart.summary.next_step if chart else None
        kept.append(
            {
                "id": case.pk,
                "reference": case.reference,
                "family_name": case.family_name,
                "people": people[case.pk],
                "next_step": (
                    {
                        "title": step.step.title,
                        "due_on": step.due_on.isoformat(),
                        "status": str(step.status_label),
                    }
                    if step
                    else None
                ),
                "send_to": sync_url(case.pk),
            }
        )
    return kept


@never_cache
@accepts("GET")
@role_view(Role.LEAD_PRACTITIONER)
def offline_cases(request):
    """What the phone keeps, fetched whenever it is online; with the token its sends need."""
    today = timezone.localdate()
    return JsonResponse(
        {
            "user": request.user.pk,
            "fetched_at": timezone.now().isoformat(),
            "keep_days": offline_keep_days(),
            "csrf_token": get_token(request),
            "cases": what_the_phone_keeps(request.user, today),
        }
    )


@accepts("GET")
@role_view(Role.LEAD_PRACTITIONER)
def offline_page(request):
    """The page that works with no connection: no case is in it; the phone fills it in."""
    form = ContactAttemptForm.base_fields
    return render(
        request,
        "insight/offline.html",
        {
            "kinds": form["kind"].choices[1:],
            "outcomes": form["outcome"].choices[1:],
            # The GOV.UK date input's three boxes, named as the online form's (occurred_on_0...).
            "date_parts": [
                ("occurred_on_0", _("Day"), 2),
                ("occurred_on_1", _("Month"), 2),
                ("occurred_on_2", _("Year"), 4),
            ],
            # Kept by the service worker and shown offline: a session timer would count down on a
            # page that cannot reach the server to stay signed in.
            "session_seconds_left": None,
        },
    )


@accepts("GET")
def manifest(request):
    """The web app manifest: the app can be installed on a phone's home screen."""
    body = render_to_string(
        "insight/manifest.webmanifest", {"start_url": reverse("today:offline")}, request=request
    )
    return HttpResponse(body, content_type="application/manifest+json")


@never_cache
@accepts("GET")
def service_worker(request):
    """The service worker, from the site root so that it may look after every page it caches.

    Served by a view (not from /static/) because a worker's scope is the folder it is served from:
    its template names the static files by their hashed names.
    """
    response = HttpResponse(
        render_to_string(
            "insight/service-worker.js",
            {"offline_url": reverse("today:offline"), "catalogue_url": reverse("javascript_catalog")},
        ),
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/"
    return response
