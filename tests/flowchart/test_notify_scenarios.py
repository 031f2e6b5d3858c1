"""Texts sent through GOV.UK Notify, walked through the flow chart with Notify's callbacks.

Knowsley 000, section 9: "Telephone contact, including texting if preferred by family". A text
sent from the case counts as that telephone contact only once Notify says it was delivered; one
that never arrives leaves the step owed. Camden 004: contact the victim "without the
perpetrator's knowledge": a text to a household with a domestic abuse concern waits for the
manager.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from cases.messaging import OutboxMessage
from cases.notifications import Notification, NotificationKind
from engagement.messages.models import FamilyMessage, MessageStatus, ReceivedText
from engagement.messages.services import message_decide, message_send
from flowchart import selectors, services
from flowchart.schedule import Status
from tests.factories import AdultFactory, parent_of

from .conftest import at

TEL_BEFORE_3 = 2  # Knowsley's "telephone contact before day 3"


@pytest.fixture
def texter(family):
    return parent_of(
        family.case, full_name="Siobhan Walsh", preferred_contact_method="text", phone="07700 900123"
    )


def _step(episode, on, order=TEL_BEFORE_3):
    return next(s for s in selectors.episode_progress(episode, on).steps if s.step.order == order)


def _callback(client, name, payload):
    token = (
        settings.NOTIFY_INBOUND_CALLBACK_TOKEN
        if name == "notify_inbound_callback"
        else settings.NOTIFY_CALLBACK_TOKEN
    )
    return client.post(
        reverse(f"engagement:{name}"),
        payload,
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def _text(family, person):
    return message_send(
        case=family.case,
        person=person,
        by=family.lead,
        channel="sms",
        body=f"Hello {person.full_name}, please call Priya on 0151 000 0000.",
    )


def test_a_text_to_a_parent_who_prefers_texts_meets_the_telephone_step_when_delivered(
    family, walk, texter, client
):
    """Knowsley 000, section 9: "Telephone contact, including texting if preferred by family"."""
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 10))
    with walk.committed():
        message = _text(family, texter)
    assert message.status == MessageStatus.SENDING
    assert message.attempt.delivery == "sending"
    assert _step(episode, walk.day(2)).status != Status.DONE  # sent, not yet delivered

    walk.to(at(walk.day(2), 10, 5))
    with walk.committed():
        answer = _callback(
            client, "notify_delivery_callback", {"id": str(message.notify_id), "status": "delivered"}
        )
    assert answer.status_code == 200
    message.attempt.refresh_from_db()
    assert (message.attempt.delivery, message.attempt.counts_as) == ("delivered", "phone_call")
    step = _step(episode, walk.day(2))
    assert step.status == Status.DONE
    assert list(step.attempt_ids) == [message.attempt.pk]


def test_a_permanent_failure_leaves_the_step_owed_and_tells_the_practitioner(family, walk, texter, client):
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 10))
    with walk.committed():
        message = _text(family, texter)
        _callback(
            client, "notify_delivery_callback", {"id": str(message.notify_id), "status": "permanent-failure"}
        )
    message.refresh_from_db()
    message.attempt.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempt.delivery == "failed"
    assert _step(episode, walk.day(2)).status == Status.DUE_TODAY
    told = Notification.objects.get(recipient=family.lead, kind=NotificationKind.MESSAGE_FAILED)
    assert "was not delivered" in told.subject
    assert "still owed" in told.body


def test_a_text_to_a_household_with_a_domestic_abuse_concern_is_held(family, walk, texter):
    """Knowsley 000, Appendix 4, day 10: "if DV ensure your letter would not increase risk";
    the household's hold applies to texts as to letters."""
    AdultFactory(case=family.case, full_name="Karl Walsh", domestic_abuse_concern=True)
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 10))
    with walk.committed():
        message = _text(family, texter)
    assert message.status == MessageStatus.HELD
    assert message.attempt is None and message.notify_id is None
    assert not OutboxMessage.objects.exists()
    assert "Karl Walsh: a domestic abuse concern is recorded" in message.held_because
    held = Notification.objects.get(recipient=family.manager, kind=NotificationKind.MESSAGE_HELD)
    assert held.task == "decide_message"

    with walk.committed():
        message_decide(message=message, by=family.manager, approve=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    assert message.attempt.made_by == family.lead
    assert OutboxMessage.objects.get().notify_id == message.notify_id
    held.refresh_from_db()
    assert held.done_at is not None


def test_an_inbound_reply_appears_in_the_chronology_once(family, walk, texter, client):
    walk.to(at(family.day1, 9))
    services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(2), 10))
    with walk.committed():
        _text(family, texter)
    reply = {
        "id": "3b1e4a9c-0d7e-4c55-9a3f-6f0f6e0b2c11",
        "source_number": "447700900123",
        "destination_number": "07700900000",
        "message": "Sorry I missed you, Thursday is fine",
        "date_received": "2026-11-03T11:15:00.000000Z",
    }
    with walk.committed():
        assert _callback(client, "notify_inbound_callback", reply).status_code == 200
        assert _callback(client, "notify_inbound_callback", reply).status_code == 200
    text = ReceivedText.objects.get()
    assert (text.person, text.case) == (texter, family.case)
    assert (
        Notification.objects.filter(recipient=family.lead, kind=NotificationKind.MESSAGE_RECEIVED).count()
        == 1
    )
    client.force_login(family.lead)
    page = client.get(reverse("engagement:chronology", kwargs={"case_pk": family.case.pk}))
    assert page.content.decode().count("Sorry I missed you, Thursday is fine") == 1
    assert FamilyMessage.objects.count() == 1


LETTER_DAY_10 = 10  # "Send a letter asking the family to make contact within 5 days"


def _day_10_letter(family, person):
    from engagement.documents import services as letters
    from engagement.documents.models import LetterStep

    letter = letters.letter_draft(case=family.case, by=family.lead, step=LetterStep.DAY_10, recipient=person)
    letter = letters.letter_update(
        letter=letter,
        by=family.lead,
        address="7 Mill Lane\nNorthshire NS2 7ML",
        subject=letter.subject,
        body="Please get in touch within 5 days if you would like support.",
    )
    letter = letters.letter_send(letter=letter, by=family.lead)
    return FamilyMessage.objects.get(letter=letter)


@pytest.mark.parametrize(
    ("callback", "payload"),
    [
        (
            "notify_returned_letter_callback",
            lambda m: {"notification_id": str(m.notify_id), "reference": m.reference},
        ),
        ("notify_delivery_callback", lambda m: {"id": str(m.notify_id), "status": "validation-failed"}),
        ("notify_delivery_callback", lambda m: {"id": str(m.notify_id), "status": "virus-scan-failed"}),
    ],
    ids=["returned by Royal Mail", "validation-failed", "virus-scan-failed"],
)
def test_a_day_10_letter_that_never_reaches_the_family_leaves_the_letter_step_owed(
    family, walk, texter, client, callback, payload
):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us within
    5 days if they require support". A letter Notify could not print, or that Royal Mail brought
    back, did not ask the family anything: the step is owed again and the practitioner told."""
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(10), 10))
    with walk.committed():
        message = _day_10_letter(family, texter)
    assert message.channel == "letter" and message.attempt.delivery == "sending"
    step = _step(episode, walk.day(10), order=LETTER_DAY_10)
    assert step.status == Status.DONE  # sent: the letter counts while it is on its way
    assert list(step.attempt_ids) == [message.attempt.pk]

    walk.to(at(walk.day(10), 15))
    with walk.committed():
        assert _callback(client, callback, payload(message)).status_code == 200
    message.refresh_from_db()
    message.attempt.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempt.delivery == "failed"
    step = _step(episode, walk.day(10), order=LETTER_DAY_10)
    assert step.status == Status.DUE_TODAY
    assert message.attempt.pk not in step.attempt_ids
    assert _step(episode, walk.day(11), order=LETTER_DAY_10).status == Status.OVERDUE
    told = Notification.objects.get(recipient=family.lead, kind=NotificationKind.MESSAGE_FAILED)
    assert told.subject == f"{family.case.reference}: your letter was not delivered"
    assert "still owed" in told.body
