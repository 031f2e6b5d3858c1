"""Texts and emails to families (engagement.messages), the local outbox, and Notify's callbacks.

The callbacks are not pages: Notify, signed in as nobody, posts to them with the bearer token it
was given, so they answer alike whoever sends the token (an unknown notification id is ignored).
Without the token they answer 401 (tests/engagement/messages/test_callbacks.py).
"""

import uuid

from django.conf import settings
from django.utils import timezone

from engagement.messages.models import Channel, FamilyMessage, MessageStatus, ReceivedText
from tests.factories import AdultFactory

from .entries import CASE_TEAM, SIGNED_IN, STAFF, Entry

MANAGERS = frozenset({"manager", "other_manager"})


def _token(world):
    return {"Authorization": f"Bearer {settings.NOTIFY_CALLBACK_TOKEN}"}


def _inbound_token(world):
    return {"Authorization": f"Bearer {settings.NOTIFY_INBOUND_CALLBACK_TOKEN}"}


def _delivery(world):
    return {"id": str(uuid.UUID(int=1)), "reference": "x", "status": "delivered", "notification_type": "sms"}


def _returned(world):
    return {"notification_id": str(uuid.UUID(int=2)), "reference": "x", "date_sent": "2026-12-01T10:00:00Z"}


def _inbound(world):
    return {
        "id": str(uuid.UUID(int=3)),
        "source_number": "447700900999",
        "destination_number": "07700900000",
        "message": "Hello",
        "date_received": "2026-12-01T10:00:00Z",
    }


def _write_data(world):
    return {"channel": Channel.SMS, "body": "Hello ((name)), please call me.", "preview": "Preview"}


ENTRIES = {
    "cases:outbox": Entry(STAFF),
    "engagement:message_costs": Entry(MANAGERS),
    # Texts from unknown numbers have no case: any line manager reads them. Placing one needs a
    # case the manager manages; another's case answers 404 (tests/engagement/messages/test_unmatched_texts.py).
    "engagement:unmatched_texts": Entry(MANAGERS),
    "engagement:unmatched_text_place": Entry(MANAGERS, kwargs=lambda w: {"pk": w.unmatched_text.pk}),
    "engagement:message_write": Entry(
        CASE_TEAM, kwargs=lambda w: {"case_pk": w.case.pk, "person_pk": w.texted.pk}, data=_write_data
    ),
    "engagement:message_detail": Entry(
        CASE_TEAM, kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.family_message.pk}
    ),
    "engagement:notify_delivery_callback": Entry(
        SIGNED_IN, public=True, data=_delivery, content_type="application/json", headers=_token
    ),
    "engagement:notify_returned_letter_callback": Entry(
        SIGNED_IN, public=True, data=_returned, content_type="application/json", headers=_token
    ),
    "engagement:notify_inbound_callback": Entry(
        SIGNED_IN, public=True, data=_inbound, content_type="application/json", headers=_inbound_token
    ),
}


def extend_world(world):
    world.texted = AdultFactory(case=world.case, full_name="Dana Texted", phone="07700 900123")
    world.family_message = FamilyMessage.objects.create(
        case=world.case,
        person=world.texted,
        channel=Channel.SMS,
        to="447700900123",
        body="Hello Dana, please call me.",
        status=MessageStatus.HELD,
        written_by=world.users["lead"],
    )
    world.unmatched_text = ReceivedText.objects.create(
        notify_id=uuid.UUID(int=4),
        from_number="447700900999",
        normalised_number="447700900999",
        body="Who is this?",
        received_at=timezone.now(),
    )
