"""Texts and emails in the family member's language: Welsh wording ships with the product, a
person who chose Welsh gets the Welsh, and where there is no Welsh the page says so."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cases.messaging import OutboxMessage
from engagement.messages.models import FamilyMessage, MessageTemplate
from engagement.messages.selectors import message_templates_for
from tests.factories import AdultFactory

PLACEHOLDER = re.compile(r"\(\(([^()]*)\)\)")


@pytest.fixture
def lead_phone(lead):
    lead.work_phone = "0151 555 0100"
    lead.save()
    return lead


def parent(case, language):
    return AdultFactory(
        case=case,
        full_name="Grace Okafor",
        phone="07700 900123",
        email="grace@example.test",
        preferred_contact_method="",
        written_language=language,
    )


def write_and_send(client, case, person, template, **extra):
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": person.pk})
    chosen = {"channel": template.kind, "template": template.pk, **extra}
    preview = client.post(url, {**chosen, "preview": "Preview"})
    data = preview.context["form"].data
    sent = client.post(url, {**chosen, "body": data["body"], "subject": data["subject"], "send": "Send"})
    return preview, sent


def test_every_english_template_ships_in_welsh_with_the_same_placeholders(db):
    """Issue 23: "Welsh versions of the letters, the working together agreement and the text
    templates ship with the product and an admin can edit them"."""
    english = MessageTemplate.objects.filter(language="en")
    assert english.exists()
    for template in english:
        welsh = MessageTemplate.objects.get(name=template.name, kind=template.kind, language="cy")
        assert welsh.body != template.body
        assert sorted(PLACEHOLDER.findall(welsh.body)) == sorted(PLACEHOLDER.findall(template.body))
        assert sorted(PLACEHOLDER.findall(welsh.subject)) == sorted(PLACEHOLDER.findall(template.subject))
        assert bool(welsh.subject) == bool(template.subject)


def test_a_welsh_choosing_parents_text_starts_from_the_welsh_and_is_sent_in_welsh(
    lead_client, case, lead_phone, django_capture_on_commit_callbacks
):
    """Issue 23: "a family-facing message or document goes in the person's language"."""
    mother = parent(case, "cy")
    english = MessageTemplate.objects.get(name="Visit arranged", kind="sms", language="en")
    welsh = MessageTemplate.objects.get(name="Visit arranged", kind="sms", language="cy")
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    page = lead_client.get(url)
    offered = list(page.context["form"].fields["template"].queryset)
    assert welsh in offered and english not in offered
    assert "Welsh (Cymraeg): they chose Welsh" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        preview, sent = write_and_send(
            lead_client, case, mother, welsh, date_0="7", date_1="12", date_2="2026"
        )
    assert sent.status_code == 302, preview.content.decode()
    kept = OutboxMessage.objects.get()
    assert kept.body.startswith("Helo Grace Okafor, Priya Patel sydd yma o Gymorth Cynnar.")
    assert "Dydd Llun 7 Rhagfyr 2026" in kept.body and "0151 555 0100" in kept.body
    assert FamilyMessage.objects.get().template == welsh


def test_an_english_parents_email_starts_from_the_english(
    lead_client, case, lead_phone, django_capture_on_commit_callbacks
):
    mother = parent(case, "en")
    english = MessageTemplate.objects.get(name="Trying to reach you", kind="email", language="en")
    welsh = MessageTemplate.objects.get(name="Trying to reach you", kind="email", language="cy")
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    page = lead_client.get(url)
    offered = list(page.context["form"].fields["template"].queryset)
    assert english in offered and welsh not in offered
    assert "No Welsh wording" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _, sent = write_and_send(lead_client, case, mother, english)
    assert sent.status_code == 302
    kept = OutboxMessage.objects.get()
    assert kept.subject == "Support for your family from Early Help"
    assert kept.body.startswith("Dear Grace Okafor,")


def test_a_welsh_parent_cannot_be_sent_the_english_where_welsh_exists(lead_client, case, lead_phone):
    mother = parent(case, "cy")
    english = MessageTemplate.objects.get(name="Trying to reach you", kind="sms", language="en")
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    page = lead_client.post(url, {"channel": "sms", "template": english.pk, "preview": "Preview"})
    assert "Select wording from the list" in page.content.decode()


def test_without_welsh_wording_the_english_is_offered_and_the_page_says_so(
    lead_client, case, lead_phone, django_capture_on_commit_callbacks
):
    mother = parent(case, "cy")
    MessageTemplate.objects.filter(name="Missed appointment", kind="sms", language="cy").delete()
    english = MessageTemplate.objects.get(name="Missed appointment", kind="sms", language="en")
    url = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": mother.pk})
    page = lead_client.get(url)
    shown = page.content.decode()
    assert "No Welsh wording for Missed appointment (text message): the English is shown" in shown
    assert "Missed appointment (text message, in English)" in shown
    with django_capture_on_commit_callbacks(execute=True):
        preview, sent = write_and_send(lead_client, case, mother, english)
    assert "This wording is in English, not in Welsh" in preview.content.decode()
    assert sent.status_code == 302
    assert OutboxMessage.objects.get().body.startswith("Hello Grace Okafor")


def test_a_welsh_template_no_longer_in_use_falls_back_to_the_english(db):
    MessageTemplate.objects.filter(name="Visit arranged", kind="email", language="cy").update(in_use=False)
    offered, fallbacks = message_templates_for("cy")
    assert [(t.name, t.kind, t.language) for t in fallbacks] == [("Visit arranged", "email", "en")]
    assert {t.language for t in offered if (t.name, t.kind) != ("Visit arranged", "email")} == {"cy"}
    assert message_templates_for("en")[1] == []


def test_the_welsh_date_is_written_in_welsh(case, lead):
    from engagement.messages.services import placeholder_values

    mother = parent(case, "cy")
    values = placeholder_values(person=mother, by=lead, on=dt.date(2026, 12, 7), language="cy")
    assert values["date"] == "Dydd Llun 7 Rhagfyr 2026"
    english = placeholder_values(person=mother, by=lead, on=dt.date(2026, 12, 7))
    assert english["date"] == "Monday 7 December 2026"
