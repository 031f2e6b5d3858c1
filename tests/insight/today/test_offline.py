"""Working offline: what the phone keeps, the offline page, the manifest and the service worker.

Issue 21: "only the signed-in practitioner's open cases' references, family names, people's
names and the flow chart's next step ... no assessments, notes or documents cached".
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import MembershipRole
from engagement.models import ContactAttempt, OfflineSettings
from tests.factories import (
    AdultFactory,
    CaseMembershipFactory,
    ChildFactory,
    ContactAttemptFactory,
    PractitionerFactory,
)
from tests.performance.test_list_queries import MANY, assert_same_queries

from .conftest import TODAY, running

KEPT = "today:offline_cases"


def kept(client, user):
    client.force_login(user)
    response = client.get(reverse(KEPT))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    return response.json()


def test_the_phone_keeps_only_the_open_cases_names_and_next_steps(priya, families, client):
    grace = AdultFactory(
        case=families.okafor,
        full_name="Grace Okafor",
        phone="07700 900123",
        learning_needs="Not for the phone",
    )
    child = ChildFactory(case=families.okafor, full_name="Chidi Okafor")
    ContactAttemptFactory(case=families.okafor, notes="A note the phone must never hold")
    closed = running(priya.lead, "Evans family", TODAY)
    closed.status, closed.closed_on = "closed", TODAY
    closed.save()

    answer = kept(client, priya.lead)

    assert set(answer) == {"user", "fetched_at", "keep_days", "csrf_token", "cases"}
    assert answer["user"] == priya.lead.pk and answer["keep_days"] == 7
    names = [case["family_name"] for case in answer["cases"]]
    assert names == ["Brown family", "Carter family", "Doyle family", "Okafor family"]
    okafor = answer["cases"][-1]
    assert okafor == {
        "id": families.okafor.pk,
        "reference": families.okafor.reference,
        "family_name": "Okafor family",
        "people": [{"id": grace.pk, "name": "Grace Okafor"}, {"id": child.pk, "name": "Chidi Okafor"}],
        "next_step": {
            "title": "Telephone the family to arrange a home visit",
            "due_on": "2026-11-04",
            "status": "Overdue",
        },
        "send_to": reverse("engagement:attempt_sync", kwargs={"case_pk": families.okafor.pk}),
    }
    # The escalated family's flow chart is not running: no step to keep.
    assert answer["cases"][2]["next_step"] is None
    text = json.dumps(answer)
    assert "never hold" not in text and "Not for the phone" not in text and "07700" not in text


def test_a_co_workers_case_is_kept_and_another_practitioners_is_not(priya, client):
    other = PractitionerFactory(team=priya.team)
    shared = running(other, "Fisher family", TODAY)
    CaseMembershipFactory(case=shared, user=priya.lead, role=MembershipRole.CO_WORKER, agency_role="")
    running(other, "Grant family", TODAY)

    assert [case["family_name"] for case in kept(client, priya.lead)["cases"]] == ["Fisher family"]


def test_the_admins_period_is_given_to_the_phone(priya, client):
    OfflineSettings.objects.update_or_create(pk=1, defaults={"keep_days": 3})
    assert kept(client, priya.lead)["keep_days"] == 3


def test_the_token_kept_lets_the_outbox_send(priya, families):
    """The outbox takes its CSRF token from what it keeps and sends it in a header."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(priya.lead)
    token = browser.get(reverse(KEPT)).json()["csrf_token"]
    data = {
        "client_id": "1b0e9a4c-9d63-4d7f-8f0e-7d7c1e5a1f00",
        "kind": "phone_call",
        "occurred_on_0": "5",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_time": "09:00",
        "outcome": "no_answer",
    }
    url = reverse("engagement:attempt_sync", kwargs={"case_pk": families.okafor.pk})

    assert browser.post(url, data).status_code == 403
    assert browser.post(url, data, headers={"X-CSRFToken": token}).status_code == 201
    assert ContactAttempt.objects.count() == 1


def _with_people(lead, n):
    for _ in range(n):
        case = running(lead, "Howard family", TODAY)
        AdultFactory(case=case)
        ChildFactory(case=case)


def test_the_same_queries_for_1_and_200_families(priya, client, django_assert_num_queries):
    _with_people(priya.lead, 1)
    client.force_login(priya.lead)
    body = assert_same_queries(
        client, reverse(KEPT), lambda: _with_people(priya.lead, MANY - 1), django_assert_num_queries
    )
    assert len(json.loads(body)["cases"]) == MANY


def test_the_offline_page_holds_no_case(priya, families, client):
    client.force_login(priya.lead)
    html = client.get(reverse("today:offline")).content.decode()
    assert "Record attempts offline" in html and "Send now" in html
    assert "Okafor" not in html and families.okafor.reference not in html
    # No session countdown on a page kept for use with no connection.
    assert "data-timeout-warning" not in html


def test_the_manifest_and_the_service_worker(client):
    manifest = client.get(reverse("manifest"))
    assert manifest["Content-Type"] == "application/manifest+json"
    body = json.loads(manifest.content)
    assert body["start_url"] == reverse("today:offline") and body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} == {"192x192", "512x512"}

    worker = client.get(reverse("service_worker"))
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    script = worker.content.decode()
    assert "workbox-background-sync.prod.js" in script
    # It caches the offline page, the JavaScript catalogue and static files only, never a case's pages.
    assert f'"{reverse("javascript_catalog")}"' in script
    assert "/cases/" not in script.replace("/attempts/offline/", "")


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_the_nav_offers_it_to_practitioners_only(priya, client, role):
    client.force_login(priya.lead)
    html = client.get(reverse("today:my_work")).content.decode()
    assert f'href="{reverse("today:offline")}"' in html
    assert "data-device" in html
    client.force_login(priya.manager)
    html = client.get(reverse("needs_you:queue")).content.decode()
    assert f'href="{reverse("today:offline")}"' not in html and "data-device" not in html
