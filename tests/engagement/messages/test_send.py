"""A practitioner sends a text or email to a family member from the case: previewed first, safe
first, and kept as sent."""

import pytest
from django.urls import reverse

from cases.messaging import OutboxMessage
from cases.models import AccessLogEntry
from engagement.messages.models import Channel, FamilyMessage, MessageStatus, MessageTemplate
from engagement.messages.services import MessageError, message_fill, message_send, placeholder_values
from engagement.models import ContactAttempt
from tests.factories import AdultFactory, ChildFactory


@pytest.fixture
def mother(case):
    return AdultFactory(
        case=case,
        full_name="Grace Okafor",
        phone="07700 900123",
        email="grace@example.test",
        preferred_contact_method="",
    )


def send(case, person, by, channel=Channel.SMS, body="Hello", subject="A subject"):
    return message_send(case=case, person=person, by=by, channel=channel, body=body, subject=subject)


def test_a_text_becomes_a_contact_attempt_with_its_notify_id_and_words(
    case, lead, mother, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(case, mother, lead, body="Hello Grace, please call me.")
    attempt = ContactAttempt.objects.get()
    assert (attempt.kind, attempt.outcome, attempt.with_person, attempt.delivery) == (
        "text_message",
        "message_left",
        mother,
        "sending",
    )
    assert "Hello Grace, please call me." in attempt.notes
    assert message.attempt == attempt and message.body == "Hello Grace, please call me."
    kept = OutboxMessage.objects.get()
    assert (str(kept.notify_id), kept.to, kept.reference) == (
        str(message.notify_id),
        "447700900123",
        f"{case.reference}-M{message.pk}",
    )


def test_an_email_becomes_an_email_attempt(case, lead, mother, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(case, mother, lead, channel=Channel.EMAIL, body="Dear Grace", subject="Your visit")
    assert ContactAttempt.objects.get().kind == "email"
    assert OutboxMessage.objects.get().subject == "Your visit"


def test_through_notify_the_attempt_keeps_notifys_id(
    case, lead, mother, notify_api, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(case, mother, lead, body="Hello Grace")
    (seen,) = notify_api.requests
    assert seen.body["reference"] == message.reference
    assert str(message.notify_id) in notify_api.statuses
    assert not OutboxMessage.objects.exists()


def test_when_notify_refuses_nothing_is_recorded_as_sent(case, lead, mother, notify_api):
    notify_api.refuse_with = 400
    with pytest.raises(MessageError, match="did not take the message"):
        send(case, mother, lead)
    assert not ContactAttempt.objects.exists()


@pytest.mark.parametrize(
    ("details", "channel", "words"),
    [
        ({"preferred_contact_method": "letter"}, Channel.SMS, "prefers to be contacted by letter"),
        ({"preferred_contact_method": "visit"}, Channel.EMAIL, "prefers to be contacted by home visit"),
        ({"preferred_contact_method": "text"}, Channel.EMAIL, "prefers to be contacted by text message"),
        ({"safe_contact": ["through_third_party"]}, Channel.SMS, "through a trusted third party"),
        ({"safe_contact": ["text_only"]}, Channel.EMAIL, "text messages only"),
        ({"phone": ""}, Channel.SMS, "No phone number is recorded"),
        ({"email": ""}, Channel.EMAIL, "No email address is recorded"),
    ],
)
def test_nothing_is_sent_where_a_preference_or_plan_rules_it_out(case, lead, mother, details, channel, words):
    for name, value in details.items():
        setattr(mother, name, value)
    mother.save()
    with pytest.raises(MessageError, match=words):
        send(case, mother, lead, channel=channel)
    assert not FamilyMessage.objects.exists() and not OutboxMessage.objects.exists()


def test_a_child_is_not_texted(case, lead):
    child = ChildFactory(case=case, full_name="Chidi Okafor")
    with pytest.raises(MessageError, match="is a child"):
        send(case, child, lead)


def test_their_own_plan_not_when_partner_present_holds_it(case, lead, mother):
    mother.safe_contact = ["not_when_partner_present"]
    mother.save()
    assert send(case, mother, lead).status == MessageStatus.HELD


def test_someone_living_elsewhere_is_not_held_for_the_household(case, lead, mother):
    """As for letters (engagement.household): only their own record holds a message to someone
    recorded as living at another address."""
    AdultFactory(case=case, full_name="Karl", domestic_abuse_concern=True)
    father = AdultFactory(case=case, full_name="Sam Okafor", phone="07700 900456", lives_in_household=False)
    assert send(case, father, lead).status == MessageStatus.SENDING
    assert send(case, mother, lead).status == MessageStatus.HELD


def test_only_someone_working_on_the_case_sends(case, mother, colleague):
    with pytest.raises(MessageError, match="Only someone working on this case"):
        send(case, mother, colleague)


def test_placeholders_are_filled_and_unknown_ones_refused(case, lead, mother):
    lead.work_phone = "0151 555 0100"
    values = placeholder_values(person=mother, by=lead, on=None)
    assert message_fill("Hello ((name)), call ((practitioner_name)) on ((practitioner_phone))", values) == (
        "Hello Grace Okafor, call Priya Patel on 0151 555 0100"
    )
    with pytest.raises(MessageError, match=r"\(\(address\)\) is not something"):
        message_fill("At ((address))", values)
    with pytest.raises(MessageError, match="Enter the date"):
        message_fill("On ((date))", values)


def test_english_templates_ship_with_the_product(db):
    assert MessageTemplate.objects.filter(kind="sms", language="en").count() >= 3
    assert MessageTemplate.objects.filter(kind="email", language="en").count() >= 2


def test_the_page_previews_then_sends(lead_client, case, lead, mother, django_capture_on_commit_callbacks):
    lead.work_phone = "0151 555 0100"
    lead.save()
    template = MessageTemplate.objects.get(name="Trying to reach you", kind="sms", language="en")
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    page = lead_client.get(url)
    assert page.status_code == 200
    assert "Send the message" not in page.content.decode()  # preview first
    preview = lead_client.post(url, {"channel": "sms", "template": template.pk, "preview": "Preview"})
    shown = preview.content.decode()
    assert "What Grace Okafor will get" in shown
    assert "Hello Grace Okafor, this is Priya Patel" in shown and "0151 555 0100" in shown
    assert "Send the message" in shown
    body = preview.context["form"].data["body"]
    with django_capture_on_commit_callbacks(execute=True):
        sent = lead_client.post(
            url, {"channel": "sms", "template": template.pk, "body": body, "send": "Send"}
        )
    assert sent.status_code == 302
    message = FamilyMessage.objects.get()
    assert message.body == body and message.template == template
    chronology = lead_client.get(sent["Location"]).content.decode()
    assert "Sending" in chronology
    assert AccessLogEntry.objects.filter(user=lead, case=case, what="message to a family member").exists()


def test_the_page_shows_the_safe_contact_plan_and_hold_before_sending(lead_client, case, mother):
    mother.safe_contact = ["phone_only"]
    mother.safe_contact_notes = "Only between 9am and 3pm."
    mother.save()
    AdultFactory(case=case, full_name="Karl Okafor", domestic_abuse_concern=True)
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    shown = lead_client.get(url).content.decode()
    assert "How to contact this family safely" in shown
    assert "Only between 9am and 3pm." in shown
    assert "needs the team manager's approval first" in shown
    assert "Karl Okafor: a domestic abuse concern is recorded" in shown


def test_a_refusal_keeps_what_was_typed(lead_client, case, mother):
    mother.preferred_contact_method = "letter"
    mother.save()
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    page = lead_client.post(url, {"channel": "sms", "body": "My own words", "send": "Send"})
    shown = page.content.decode()
    assert page.status_code == 200
    assert "govuk-error-summary" in shown and "prefers to be contacted by letter" in shown
    assert "My own words" in shown


def test_the_manager_refuses_a_held_message(client, case, lead, manager, mother):
    AdultFactory(case=case, full_name="Karl Okafor", domestic_abuse_concern=True)
    message = send(case, mother, lead)
    client.force_login(manager)
    url = reverse("engagement:message_detail", kwargs={"case_pk": case.pk, "pk": message.pk})
    assert "Send this message?" in client.get(url).content.decode()
    page = client.post(url, {"decision": "refuse"})
    assert "Say why the message must not be sent" in page.content.decode()
    client.post(url, {"decision": "refuse", "notes": "Karl reads her phone."})
    message.refresh_from_db()
    assert (message.status, message.decision_notes) == (MessageStatus.REFUSED, "Karl reads her phone.")
    assert not OutboxMessage.objects.exists()
    chronology = client.get(reverse("engagement:chronology", kwargs={"case_pk": case.pk})).content.decode()
    assert "Texts and emails not sent" in chronology and "Not to be sent: the manager" in chronology


def test_the_outbox_page_shows_the_cases_messages_to_those_who_see_them(
    client, case, lead, mother, colleague
):
    send(case, mother, lead, body="Hello Grace from the outbox")
    client.force_login(lead)
    page = client.get(reverse("cases:outbox")).content.decode()
    assert "Messages not sent: local outbox" in page and "Hello Grace from the outbox" in page
    client.force_login(colleague)
    assert "Hello Grace from the outbox" not in client.get(reverse("cases:outbox")).content.decode()


def test_the_manager_sees_texts_and_their_cost_per_team(client, case, lead, manager, mother, settings):
    """Notify's free allowance and price are the council's settings; long texts count as parts."""
    settings.NOTIFY_FREE_TEXTS_A_YEAR = 2
    settings.NOTIFY_TEXT_PRICE_PENCE = 3
    send(case, mother, lead, body="Short")
    send(case, mother, lead, body="x" * 200)  # two parts of 153
    client.force_login(manager)
    page = client.get(reverse("engagement:message_costs"))
    costs = page.context["costs"]
    assert costs.since.isoformat() == "2026-04-01"
    assert [(u.team, u.texts, u.parts) for u in costs.teams] == [(case.team.name, 2, 3)]
    assert (costs.council_parts, costs.left, costs.over, costs.cost_pounds) == (3, 0, 1, 0.03)
    assert "0 free texts left" in page.content.decode()


# The day-10 letter goes to the post through GOV.UK Notify as a precompiled letter.


def _send_day_10_letter(case, lead, person):
    from engagement.documents.models import LetterStep
    from engagement.documents.services import letter_draft, letter_send, letter_update

    letter = letter_draft(case=case, by=lead, step=LetterStep.DAY_10, recipient=person)
    letter = letter_update(
        letter=letter,
        by=lead,
        address="14 Elm Grove\nNorthshire NS1 4AB",
        subject=letter.subject,
        body="Please get in touch within 5 days if you would like support.",
    )
    return letter_send(letter=letter, by=lead)


def _pdf_of(letter) -> bytes:
    with letter.document.file.open("rb") as handle:
        return handle.read()


def test_a_day_10_letter_through_notify_is_posted_as_a_precompiled_letter(
    case, lead, mother, notify_api, django_capture_on_commit_callbacks
):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us within
    5 days if they require support"."""
    import base64

    with django_capture_on_commit_callbacks(execute=True):
        letter = _send_day_10_letter(case, lead, mother)
    (seen,) = notify_api.requests
    assert (seen.method, seen.path) == ("POST", "/v2/notifications/letter")
    assert seen.body["reference"] == f"{case.reference}-L{letter.pk}"
    assert seen.body["postage"] == "second"
    posted = base64.b64decode(seen.body["content"])
    assert posted.startswith(b"%PDF") and posted == _pdf_of(letter)
    message = FamilyMessage.objects.get()
    assert (message.channel, message.letter, message.person, message.reference) == (
        Channel.LETTER,
        letter,
        mother,
        f"{case.reference}-L{letter.pk}",
    )
    assert str(message.notify_id) in notify_api.statuses  # Notify's own id, as Notify answered
    attempt = ContactAttempt.objects.get()
    assert message.attempt == attempt == letter.contact_attempt
    assert (attempt.kind, attempt.outcome, attempt.delivery) == ("letter", "letter_sent", "sending")
    assert not OutboxMessage.objects.exists()


def test_a_day_10_letter_without_notify_is_kept_in_the_outbox(
    case, lead, mother, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        letter = _send_day_10_letter(case, lead, mother)
    kept = OutboxMessage.objects.get()
    message = FamilyMessage.objects.get()
    assert (kept.channel, kept.reference, kept.case, kept.pdf_bytes) == (
        "letter",
        f"{case.reference}-L{letter.pk}",
        case,
        len(_pdf_of(letter)),
    )
    assert message.notify_id == kept.notify_id
    assert message.attempt == letter.contact_attempt == ContactAttempt.objects.get()


def test_when_notify_refuses_a_letter_nothing_is_recorded_as_sent(case, lead, mother, notify_api):
    from engagement.documents.models import Letter, LetterStatus
    from engagement.documents.services import LetterError

    notify_api.refuse_with = 400
    with pytest.raises(LetterError, match="did not take the message"):
        _send_day_10_letter(case, lead, mother)
    assert not ContactAttempt.objects.exists()
    assert not FamilyMessage.objects.exists()
    assert Letter.objects.get().status == LetterStatus.DRAFT
