"""An attempt recorded with no connection, sent later from the device's outbox (issue 21).

Issue 21: "the server accepts each id once (a retry returns the same record, never a duplicate)
and applies exactly the same validation and flow-chart effects as an online save, with the
attempt's own time, not the time it arrived. What the server refuses (the case was closed or
reassigned meanwhile, a date before the referral) is shown in the outbox with the text intact".
"""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from cases.models import AccessLogEntry
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt
from tests.factories import PractitionerFactory

from .conftest import LONDON, NOW

pytestmark = pytest.mark.django_db


def sync_url(case):
    return reverse("engagement:attempt_sync", kwargs={"case_pk": case.pk})


TODAY = NOW.date()


def outbox_item(client_id=None, day=TODAY, time="09:15", **overrides):
    """What the outbox posts: the attempt form's fields, with the device's id."""
    data = {
        "client_id": str(client_id or uuid.uuid4()),
        "kind": AttemptKind.UNANNOUNCED_VISIT,
        "occurred_on_0": str(day.day),
        "occurred_on_1": str(day.month),
        "occurred_on_2": str(day.year),
        "occurred_time": time,
        "outcome": AttemptOutcome.NO_ANSWER,
        "with_person": "",
        "with_other": "",
        "notes": "Knocked at 9:15; curtains drawn, no answer. Card left.",
    }
    return data | overrides


def test_an_attempt_from_the_outbox_is_saved_with_its_own_time(lead_client, case, lead, frozen):
    frozen.move_to(NOW + dt.timedelta(hours=5))  # it arrives in the afternoon
    response = lead_client.post(sync_url(case), outbox_item(time="09:15"))

    assert response.status_code == 201
    attempt = ContactAttempt.objects.get()
    assert attempt.occurred_at == dt.datetime(2026, 11, 5, 9, 15, tzinfo=LONDON)
    assert (attempt.made_by, attempt.recorded_by) == (lead, lead)
    body = response.json()
    assert body["status"] == "saved"
    assert body["attempt"]["id"] == attempt.pk
    assert body["message"].startswith(
        "Unannounced home visit on 5 November 2026 at 09:15 recorded: no answer."
    )
    assert AccessLogEntry.objects.filter(user=lead, case=case, what="contact attempt").count() == 1


def test_the_same_client_id_sent_twice_gives_one_record(lead_client, case):
    item = outbox_item()
    first = lead_client.post(sync_url(case), item)
    again = lead_client.post(sync_url(case), item | {"notes": "The retry's text is not a second record"})

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "already_saved"
    assert again.json()["attempt"]["id"] == first.json()["attempt"]["id"]
    assert "has not been saved twice" in again.json()["message"]
    assert ContactAttempt.objects.count() == 1


def test_a_retry_after_the_case_closed_is_answered_with_the_first_record(lead_client, case):
    """The answer to the first send was lost; the case closed before the retry."""
    item = outbox_item()
    first = lead_client.post(sync_url(case), item)
    case.status, case.closed_on = "closed", NOW.date()
    case.save()

    again = lead_client.post(sync_url(case), item)
    assert again.status_code == 200
    assert again.json()["attempt"]["id"] == first.json()["attempt"]["id"]


def test_an_attempt_on_a_case_closed_meanwhile_is_refused_with_the_reason(lead_client, case):
    case.status, case.closed_on = "closed", NOW.date()
    case.save()

    response = lead_client.post(sync_url(case), outbox_item())
    assert response.status_code == 409
    assert response.json() == {
        "status": "refused",
        "message": "This case was closed on 5 November 2026: attempts can no longer be recorded on it",
        "errors": {},
    }
    assert not ContactAttempt.objects.exists()


def test_a_date_before_the_referral_is_refused_with_what_to_do(lead_client, case):
    response = lead_client.post(sync_url(case), outbox_item(day=dt.date(2026, 11, 1)))

    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "The attempt must be on or after the referral date, 3 November 2026"
    assert body["errors"]["occurred_on"] == [body["message"]]
    assert not ContactAttempt.objects.exists()


def test_the_same_checks_as_the_online_form(lead_client, case):
    """A time in the future, no kind: the online form's own messages."""
    response = lead_client.post(sync_url(case), outbox_item(time="23:00", kind=""))

    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["kind"] == ["Select the kind of attempt"]
    assert errors["occurred_time"] == ["The time of the attempt must be now or in the past"]


def test_an_attempt_without_the_devices_id_is_refused(lead_client, case):
    for client_id in ("", "not-an-id"):
        response = lead_client.post(sync_url(case), outbox_item() | {"client_id": client_id})
        assert response.status_code == 422, client_id
    assert not ContactAttempt.objects.exists()


def test_a_case_given_to_another_practitioner_answers_as_missing(client, case):
    """Reassigned meanwhile: the former lead no longer works on it, so it answers 404 like any
    case not theirs; the outbox keeps the attempt and says to send it to the manager."""
    former = case.lead_practitioner
    case.lead_practitioner = PractitionerFactory(team=case.team)
    case.save()
    client.force_login(former)

    response = client.post(sync_url(case), outbox_item())
    assert response.status_code == 404
    assert not ContactAttempt.objects.exists()


def test_a_hostile_attempt_points_to_the_incident_form(lead_client, case):
    response = lead_client.post(
        sync_url(case), outbox_item(non_engagement_forms=["hostility"], outcome=AttemptOutcome.SEEN)
    )
    assert response.status_code == 201, response.json()
    attempt = ContactAttempt.objects.get()
    assert attempt.hostile
    assert response.json()["incident_url"] == (
        reverse("engagement:hostile_incident_record", kwargs={"case_pk": case.pk}) + f"?attempt={attempt.pk}"
    )


def test_the_csrf_token_is_checked(client, case, lead):
    """The outbox sends its token in a header; a post without it is refused."""
    from django.test import Client

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(lead)
    response = checked.post(sync_url(case), outbox_item())
    assert response.status_code == 403
    assert not ContactAttempt.objects.exists()
