"""Notify's callbacks: authenticated by the bearer token, idempotent, used for status only."""

import logging
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from cases.notifications import Notification, NotificationKind
from engagement.messages.models import Channel, FamilyMessage, MessageStatus, ReceivedText
from engagement.messages.services import message_send
from engagement.models import ContactAttempt
from tests.factories import AdultFactory
from tests.security_log import security_messages

TOKEN = {"Authorization": f"Bearer {settings.NOTIFY_CALLBACK_TOKEN}"}
INBOUND_TOKEN = {"Authorization": f"Bearer {settings.NOTIFY_INBOUND_CALLBACK_TOKEN}"}


@pytest.fixture
def mother(case):
    return AdultFactory(
        case=case, full_name="Grace Okafor", phone="07700 900123", preferred_contact_method="text"
    )


@pytest.fixture
def sent(frozen, case, lead, mother, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return message_send(case=case, person=mother, by=lead, channel=Channel.SMS, body="Hello Grace")


def post(client, name, payload, headers=None):
    if headers is None:
        headers = INBOUND_TOKEN if name == "notify_inbound_callback" else TOKEN
    return client.post(
        reverse(f"engagement:{name}"), payload, content_type="application/json", headers=headers
    )


def test_delivered(client, sent):
    answer = post(client, "notify_delivery_callback", {"id": str(sent.notify_id), "status": "delivered"})
    assert answer.status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.notify_status) == (MessageStatus.DELIVERED, "delivered")
    assert ContactAttempt.objects.get().delivery == "delivered"


@pytest.mark.parametrize("status", ["permanent-failure", "temporary-failure", "technical-failure"])
def test_a_failure_marks_the_attempt_and_tells_the_practitioner(client, sent, lead, status):
    post(client, "notify_delivery_callback", {"id": str(sent.notify_id), "status": status})
    sent.refresh_from_db()
    assert (sent.status, sent.notify_status) == (MessageStatus.FAILED, status)
    assert ContactAttempt.objects.get().delivery == "failed"
    assert Notification.objects.filter(recipient=lead, kind=NotificationKind.MESSAGE_FAILED).count() == 1


def test_a_returned_letter_marks_it_not_delivered(client, sent, lead):
    post(client, "notify_delivery_callback", {"id": str(sent.notify_id), "status": "delivered"})
    answer = post(
        client,
        "notify_returned_letter_callback",
        {
            "notification_id": str(sent.notify_id),
            "reference": sent.reference,
            "date_sent": "2026-11-04T10:00:00Z",
        },
    )
    assert answer.status_code == 200
    sent.refresh_from_db()
    assert (sent.status, sent.notify_status) == (MessageStatus.FAILED, "returned-letter")
    assert ContactAttempt.objects.get().delivery == "failed"
    assert Notification.objects.filter(recipient=lead, kind=NotificationKind.MESSAGE_FAILED).exists()


def test_the_same_callback_twice_changes_nothing(client, sent, lead):
    payload = {"id": str(sent.notify_id), "status": "permanent-failure"}
    post(client, "notify_delivery_callback", payload)
    history = (sent.history.count(), ContactAttempt.history.count(), Notification.objects.count())
    assert post(client, "notify_delivery_callback", payload).status_code == 200
    assert (sent.history.count(), ContactAttempt.history.count(), Notification.objects.count()) == history


def test_a_later_callback_does_not_undo_delivery(client, sent):
    post(client, "notify_delivery_callback", {"id": str(sent.notify_id), "status": "delivered"})
    post(client, "notify_delivery_callback", {"id": str(sent.notify_id), "status": "temporary-failure"})
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED


def test_an_unknown_id_is_logged_and_ignored(client, sent, caplog):
    caplog.set_level(logging.WARNING, logger="engagement.messages.services")
    unknown = str(uuid.uuid4())
    answer = post(client, "notify_delivery_callback", {"id": unknown, "status": "delivered"})
    assert answer.status_code == 200
    assert f"unknown notification id {unknown}" in caplog.text
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENDING


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer not-the-token"},
        {"Authorization": f"Basic {settings.NOTIFY_CALLBACK_TOKEN}"},
    ],
    ids=["no token", "wrong token", "not a bearer token"],
)
@pytest.mark.parametrize(
    "name", ["notify_delivery_callback", "notify_returned_letter_callback", "notify_inbound_callback"]
)
def test_a_bad_token_is_refused_and_logged(client, sent, security_log, headers, name):
    payload = {"id": str(sent.notify_id), "notification_id": str(sent.notify_id), "status": "delivered"}
    answer = post(client, name, payload, headers=headers)
    assert answer.status_code == 401
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENDING
    assert any("notify callback refused" in line for line in security_messages(security_log))


def test_with_no_token_configured_every_callback_is_refused(client, sent, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    answer = post(
        client,
        "notify_delivery_callback",
        {"id": str(sent.notify_id), "status": "delivered"},
        headers={"Authorization": "Bearer "},
    )
    assert answer.status_code == 401


def test_a_callback_is_used_for_status_only(client, sent):
    """Whatever else a callback carries (another number, other words) changes nothing recorded."""
    post(
        client,
        "notify_delivery_callback",
        {
            "id": str(sent.notify_id),
            "status": "delivered",
            "to": "447700900999",
            "reference": "forged",
            "body": "x",
        },
    )
    sent.refresh_from_db()
    assert (sent.to, sent.reference, sent.body) == (
        "447700900123",
        f"{sent.case.reference}-M{sent.pk}",
        "Hello Grace",
    )


def test_not_json_is_a_bad_request(client, sent):
    answer = client.post(
        reverse("engagement:notify_delivery_callback"), "id=1", content_type="text/plain", headers=TOKEN
    )
    assert answer.status_code == 400


def test_inbound_text_is_kept_against_the_person_whose_number_matches(client, sent, mother, lead, case):
    answer = post(
        client,
        "notify_inbound_callback",
        {
            "id": "1d2e3f40-0000-4000-8000-000000000001",
            "source_number": "+44 7700 900123",
            "destination_number": "07700900000",
            "message": "Thursday is fine",
            "date_received": "2026-11-05T10:40:00.000000Z",
        },
    )
    assert answer.status_code == 200
    text = ReceivedText.objects.get()
    assert (text.person, text.case, text.body, text.normalised_number) == (
        mother,
        case,
        "Thursday is fine",
        "447700900123",
    )
    assert Notification.objects.filter(recipient=lead, kind=NotificationKind.MESSAGE_RECEIVED).count() == 1


def test_inbound_text_from_a_number_nobody_has_is_kept_for_review(client, sent, caplog):
    caplog.set_level(logging.WARNING, logger="engagement.messages.services")
    post(
        client,
        "notify_inbound_callback",
        {
            "id": "1d2e3f40-0000-4000-8000-000000000002",
            "source_number": "447700900999",
            "destination_number": "07700900000",
            "message": "Who is this?",
            "date_received": "2026-11-05T10:40:00.000000Z",
        },
    )
    text = ReceivedText.objects.get()
    assert (text.person, text.case, text.body) == (None, None, "Who is this?")
    assert "kept for review" in caplog.text
    assert "Who is this" not in caplog.text  # the words stay out of the log
    assert not Notification.objects.filter(kind=NotificationKind.MESSAGE_RECEIVED).exists()


def test_inbound_text_matches_a_recorded_number_never_texted(client, case, lead, frozen):
    father = AdultFactory(case=case, full_name="Sam Okafor", phone="07700 900456")
    post(
        client,
        "notify_inbound_callback",
        {
            "id": "1d2e3f40-0000-4000-8000-000000000003",
            "source_number": "447700900456",
            "destination_number": "07700900000",
            "message": "Got your letter",
            "date_received": "2026-11-05T10:40:00.000000Z",
        },
    )
    assert ReceivedText.objects.get().person == father
    assert FamilyMessage.objects.count() == 0


def test_notify_gives_each_callback_its_own_token(settings):
    assert settings.NOTIFY_CALLBACK_TOKEN and settings.NOTIFY_INBOUND_CALLBACK_TOKEN
    assert settings.NOTIFY_CALLBACK_TOKEN != settings.NOTIFY_INBOUND_CALLBACK_TOKEN


@pytest.mark.parametrize("name", ["notify_delivery_callback", "notify_returned_letter_callback"])
def test_a_delivery_or_returned_letter_callback_refuses_the_inbound_token(client, sent, security_log, name):
    """The received-texts token cannot forge a delivery receipt or a returned letter."""
    payload = {
        "id": str(sent.notify_id),
        "notification_id": str(sent.notify_id),
        "status": "permanent-failure",
    }
    answer = post(client, name, payload, headers=INBOUND_TOKEN)
    assert answer.status_code == 401
    sent.refresh_from_db()
    assert (sent.status, sent.notify_status) == (MessageStatus.SENDING, "")
    assert ContactAttempt.objects.get().delivery == "sending"
    assert any("notify callback refused" in line for line in security_messages(security_log))
    assert post(client, name, payload).status_code == 200  # its own token is taken


def test_the_inbound_callback_refuses_the_delivery_token(client, sent, security_log):
    """The delivery receipts' token cannot put words in a family's chronology."""
    reply = {
        "id": "1d2e3f40-0000-4000-8000-000000000009",
        "source_number": "447700900123",
        "destination_number": "07700900000",
        "message": "Forged",
        "date_received": "2026-11-05T10:40:00.000000Z",
    }
    answer = post(client, "notify_inbound_callback", reply, headers=TOKEN)
    assert answer.status_code == 401
    assert not ReceivedText.objects.exists()
    assert any("what=inbound text" in line for line in security_messages(security_log))
    assert post(client, "notify_inbound_callback", reply).status_code == 200  # its own token is taken
    assert ReceivedText.objects.get().body == "Forged"


def test_with_no_inbound_token_configured_received_texts_are_refused(client, sent, settings):
    settings.NOTIFY_INBOUND_CALLBACK_TOKEN = ""
    reply = {"id": "1d2e3f40-0000-4000-8000-00000000000a", "source_number": "447700900123", "message": "Hi"}
    for headers in ({"Authorization": "Bearer "}, TOKEN, INBOUND_TOKEN):
        assert post(client, "notify_inbound_callback", reply, headers=headers).status_code == 401
    assert not ReceivedText.objects.exists()
    # the delivery receipts still work with their own token
    answer = post(client, "notify_delivery_callback", {"id": str(sent.notify_id), "status": "delivered"})
    assert answer.status_code == 200


# Letters: the day-10 letter sent through Notify (here the local outbox), and what comes back.


@pytest.fixture
def letter_sent(frozen, case, lead, mother, django_capture_on_commit_callbacks):
    from engagement.documents.models import LetterStep
    from engagement.documents.services import letter_draft, letter_send, letter_update

    letter = letter_draft(case=case, by=lead, step=LetterStep.DAY_10, recipient=mother)
    letter = letter_update(
        letter=letter,
        by=lead,
        address="14 Elm Grove\nNorthshire NS1 4AB",
        subject=letter.subject,
        body="Please ring me.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_send(letter=letter, by=lead)
    return FamilyMessage.objects.get(letter=letter, channel=Channel.LETTER)


def test_a_returned_letter_marks_the_letter_and_its_attempt_not_delivered(client, letter_sent, lead):
    """Royal Mail brought the day-10 letter back: Notify's returned-letter callback names it."""
    assert post(client, "notify_delivery_callback", {"id": str(letter_sent.notify_id), "status": "received"})
    letter_sent.refresh_from_db()
    assert letter_sent.status == MessageStatus.DELIVERED  # with Royal Mail: as far as Notify follows it
    answer = post(
        client,
        "notify_returned_letter_callback",
        {
            "notification_id": str(letter_sent.notify_id),
            "reference": letter_sent.reference,
            "date_sent": "2026-11-04T10:00:00Z",
        },
    )
    assert answer.status_code == 200
    letter_sent.refresh_from_db()
    assert (letter_sent.channel, letter_sent.status, letter_sent.notify_status) == (
        Channel.LETTER,
        MessageStatus.FAILED,
        "returned-letter",
    )
    attempt = ContactAttempt.objects.get()
    assert attempt == letter_sent.attempt == letter_sent.letter.contact_attempt
    assert (attempt.kind, attempt.delivery) == ("letter", "failed")
    told = Notification.objects.get(recipient=lead, kind=NotificationKind.MESSAGE_FAILED)
    assert told.subject == f"{letter_sent.case.reference}: your letter was not delivered"
    assert "returned-letter" in told.body and "address" in told.body


@pytest.mark.parametrize(
    "status",
    [
        "cancelled",
        "virus-scan-failed",
        "validation-failed",
        "permanent-failure",
        "technical-failure",
        "temporary-failure",
    ],
)
def test_a_letter_notify_could_not_send_is_not_delivered(client, letter_sent, lead, status):
    """Notify's letter statuses that mean it never reached the family count as failures."""
    post(client, "notify_delivery_callback", {"id": str(letter_sent.notify_id), "status": "accepted"})
    letter_sent.refresh_from_db()
    assert letter_sent.status == MessageStatus.SENDING  # accepted: being printed
    answer = post(client, "notify_delivery_callback", {"id": str(letter_sent.notify_id), "status": status})
    assert answer.status_code == 200
    letter_sent.refresh_from_db()
    assert (letter_sent.status, letter_sent.notify_status) == (MessageStatus.FAILED, status)
    assert ContactAttempt.objects.get().delivery == "failed"
    told = Notification.objects.get(recipient=lead, kind=NotificationKind.MESSAGE_FAILED)
    assert f"({status})" in told.body


@pytest.mark.parametrize("status", ["pending-virus-check", "accepted", "created", "sending"])
def test_a_letter_on_its_way_stays_sending(client, letter_sent, status):
    post(client, "notify_delivery_callback", {"id": str(letter_sent.notify_id), "status": status})
    letter_sent.refresh_from_db()
    assert letter_sent.status == MessageStatus.SENDING
    assert ContactAttempt.objects.get().delivery == "sending"
