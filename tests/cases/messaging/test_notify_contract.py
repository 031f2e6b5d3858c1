"""Contract tests: the product's Notify adapter against a local server answering as Notify's API.

Each test checks what the official client sent (the JWT in the Authorization header, signed with
the secret of the API key and naming its service; the payload's fields; the reference) and that
the adapter reads Notify's answers as the API reference gives them.
"""

import base64
import time

import jwt
import pytest

from cases.messaging import (
    MessagingError,
    NotifyBackend,
    OutboxBackend,
    OutboxMessage,
    backend,
    notify_status,
)
from tests.notify_double import EMAIL_TEMPLATE_ID, SECRET, SERVICE_ID, SMS_TEMPLATE_ID


def _claims(seen) -> dict:
    scheme, _, token = seen.headers["authorization"].partition(" ")
    assert scheme == "Bearer"
    assert jwt.get_unverified_header(token) == {"typ": "JWT", "alg": "HS256"}
    return jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": True})


def test_with_an_api_key_the_backend_is_notify(notify_api):
    assert isinstance(backend(), NotifyBackend)


def test_without_an_api_key_the_backend_is_the_local_outbox(settings):
    settings.NOTIFY_API_KEY = ""
    assert isinstance(backend(), OutboxBackend)


def test_send_sms(notify_api):
    notification_id = backend().send_sms(to="447700900123", body="Hello Grace", reference="EH-1-M7")
    (seen,) = notify_api.requests
    assert (seen.method, seen.path) == ("POST", "/v2/notifications/sms")
    claims = _claims(seen)
    assert claims["iss"] == SERVICE_ID
    assert abs(claims["iat"] - time.time()) < 60
    assert seen.headers["content-type"] == "application/json"
    assert seen.body == {
        "phone_number": "447700900123",
        "template_id": SMS_TEMPLATE_ID,
        "personalisation": {"body": "Hello Grace"},
        "reference": "EH-1-M7",
    }
    assert notify_api.statuses[notification_id] == "created"


def test_send_email(notify_api):
    notification_id = backend().send_email(
        to="grace@example.test", subject="Your visit", body="Dear Grace", reference="EH-1-M8"
    )
    (seen,) = notify_api.requests
    assert (seen.method, seen.path) == ("POST", "/v2/notifications/email")
    assert _claims(seen)["iss"] == SERVICE_ID
    assert seen.body == {
        "email_address": "grace@example.test",
        "template_id": EMAIL_TEMPLATE_ID,
        "personalisation": {"subject": "Your visit", "body": "Dear Grace"},
        "reference": "EH-1-M8",
    }
    assert notification_id in notify_api.statuses


def test_send_precompiled_letter(notify_api):
    pdf = b"%PDF-1.7\n% a letter\n%%EOF\n"
    notification_id = backend().send_letter(pdf=pdf, reference="EH-1-L3")
    (seen,) = notify_api.requests
    assert (seen.method, seen.path) == ("POST", "/v2/notifications/letter")
    assert _claims(seen)["iss"] == SERVICE_ID
    assert seen.body["reference"] == "EH-1-L3"
    assert seen.body["postage"] == "second"
    assert base64.b64decode(seen.body["content"]) == pdf
    assert set(seen.body) == {"reference", "content", "postage"}
    assert notification_id in notify_api.statuses


def test_get_status(notify_api):
    sender = backend()
    notification_id = sender.send_sms(to="447700900123", body="Hello", reference="EH-1-M9")
    notify_api.statuses[notification_id] = "delivered"
    assert sender.status(notification_id) == "delivered"
    seen = notify_api.requests[-1]
    assert (seen.method, seen.path) == ("GET", f"/v2/notifications/{notification_id}")
    assert _claims(seen)["iss"] == SERVICE_ID


@pytest.mark.parametrize(
    ("status", "kept_as"),
    [
        ("created", "sending"),
        ("sending", "sending"),
        ("delivered", "delivered"),
        ("permanent-failure", "failed"),
        ("temporary-failure", "failed"),
        ("technical-failure", "failed"),
        # Letters (Notify's "Status - letter"): on their way until Royal Mail has them.
        ("pending-virus-check", "sending"),
        ("accepted", "sending"),
        ("received", "sending"),  # a letter's received is kept as delivered by engagement.messages
        # Letters that never reach the family.
        ("cancelled", "failed"),
        ("virus-scan-failed", "failed"),
        ("validation-failed", "failed"),
    ],
)
def test_notify_statuses_as_the_product_keeps_them(status, kept_as):
    assert notify_status(status) == kept_as


def test_a_refused_message_says_why_and_is_not_worth_retrying(notify_api):
    notify_api.refuse_with = 400
    with pytest.raises(MessagingError) as refused:
        backend().send_sms(to="447700900123", body="Hello", reference="EH-1-M10")
    assert not refused.value.transient
    assert "team-only API key" in str(refused.value)


def test_a_server_error_is_worth_retrying(notify_api):
    notify_api.refuse_with = 500
    with pytest.raises(MessagingError) as refused:
        backend().send_sms(to="447700900123", body="Hello", reference="EH-1-M11")
    assert refused.value.transient


def test_notify_out_of_reach_is_worth_retrying(settings):
    settings.NOTIFY_API_KEY = "x-" + SERVICE_ID + "-" + SECRET
    settings.NOTIFY_BASE_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    with pytest.raises(MessagingError) as refused:
        backend().send_sms(to="447700900123", body="Hello", reference="EH-1-M12")
    assert refused.value.transient


def test_the_local_outbox_keeps_what_would_have_been_sent(db, settings):
    settings.NOTIFY_API_KEY = ""
    sender = backend()
    notification_id = sender.send_sms(to="447700900123", body="Hello Grace", reference="EH-1-M13")
    kept = OutboxMessage.objects.get()
    assert (str(kept.notify_id), kept.channel, kept.to, kept.body, kept.reference) == (
        notification_id,
        "sms",
        "447700900123",
        "Hello Grace",
        "EH-1-M13",
    )
    sender.send_letter(pdf=b"%PDF-1.7 x", reference="EH-1-L4")
    assert OutboxMessage.objects.filter(channel="letter", pdf_bytes=10).exists()
