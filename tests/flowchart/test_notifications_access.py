"""Security finding 9: "In-app notifications show content only while the reader still has access
to the case (checked and logged like any case read)." A notification about a case the reader no
longer works on shows only that there was one: its words may be from before mail carried no case
content."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLogEntry
from tests.factories import CaseFactory, PractitionerFactory
from tests.factories.flowchart import NotificationFactory

GONE = "A notification about a case you no longer work on"


def _reassign(case, to):
    case.lead_practitioner = to
    case.save(update_fields=["lead_practitioner"])


def test_a_notification_shows_its_words_only_while_the_reader_works_on_the_case(family, client):
    kept = NotificationFactory(
        recipient=family.lead, case=family.case, subject="Kept: step due", body="Kept body", url="/cases/"
    )
    moved_case = CaseFactory(lead_practitioner=family.lead, team=family.team)
    moved = NotificationFactory(
        recipient=family.lead,
        case=moved_case,
        subject="Moved: Smith family",
        body="Moved body",
        url="/cases/",
    )
    _reassign(moved_case, PractitionerFactory(team=family.team))
    client.force_login(family.lead)

    html = client.get(reverse("flowchart:notifications")).content.decode()

    assert "Kept: step due" in html and "Kept body" in html
    assert "Moved: Smith family" not in html and "Moved body" not in html
    assert html.count(GONE) == 1
    # Read like any case read: one row for the notification shown, none for the one withheld.
    logged = list(AccessLogEntry.objects.filter(user=family.lead).values_list("case_id", "what", "object_id"))
    assert logged == [(family.case.pk, "notification", str(kept.pk))]
    # Opening the withheld one leads back to the list, not to the case.
    response = client.post(reverse("flowchart:notification_read", kwargs={"pk": moved.pk}), {"next": "open"})
    assert response["Location"] == reverse("flowchart:notifications")
    response = client.post(reverse("flowchart:notification_read", kwargs={"pk": kept.pk}), {"next": "open"})
    assert response["Location"] == "/cases/"


def test_the_list_costs_the_same_queries_for_one_notification_or_many(family, client):
    client.force_login(family.lead)
    NotificationFactory(recipient=family.lead, case=family.case)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("flowchart:notifications"))
    for n in range(30):
        case = CaseFactory(lead_practitioner=family.lead, team=family.team)
        NotificationFactory(recipient=family.lead, case=case)
        if n % 2:
            _reassign(case, PractitionerFactory(team=family.team))
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("flowchart:notifications")).content.decode()
    assert html.count(GONE) == 15
    assert len(many.captured_queries) == len(one.captured_queries)
    assert AccessLogEntry.objects.filter(user=family.lead, what="notification").count() == 1 + 16
