"""An admin adds and edits the wording of texts and emails to families (docs/notify.md).

Issue 23: "Welsh versions of the letters, the working together agreement and the text templates
ship with the product and an admin can edit them"; "a family-facing message or document goes in
the person's language".
"""

import pytest
from django.test import Client
from django.urls import reverse

from cases.messaging import OutboxMessage
from engagement.messages.models import FamilyMessage, MessageTemplate
from tests.factories import AdultFactory

from .conftest import assert_refused, form_data, last_history

ADD = "admin:engagement_messagetemplate_add"
EVERY_PLACEHOLDER = "((name)), ((practitioner_name)), ((practitioner_phone)), ((date))"


def _new(**changes) -> dict:
    return {
        "name": "Home visit reminder",
        "kind": "sms",
        "language": "en",
        "subject": "",
        "body": "Hello ((name)), this is ((practitioner_name)) reminding you of our visit.",
        "in_use": "on",
    } | changes


def test_an_admin_adds_a_text_template(admin_client, admin_user):
    answer = admin_client.post(reverse(ADD), _new())
    assert answer.status_code == 302, answer.content.decode()
    template = MessageTemplate.objects.get(name="Home visit reminder")
    assert (template.kind, template.language, template.subject, template.in_use) == ("sms", "en", "", True)
    assert template.body == "Hello ((name)), this is ((practitioner_name)) reminding you of our visit."
    assert last_history(template).history_user == admin_user


def test_an_admin_edits_a_text_template(admin_client, admin_user):
    template = MessageTemplate.objects.get(name="Visit arranged", kind="sms", language="en")
    url = reverse("admin:engagement_messagetemplate_change", args=[template.pk])
    body = "Hello ((name)), ((practitioner_name)) will visit on ((date)). Call ((practitioner_phone))."
    answer = admin_client.post(url, form_data(admin_client.get(url)) | {"body": body})
    assert answer.status_code == 302, answer.content.decode()
    template.refresh_from_db()
    assert template.body == body
    assert last_history(template).history_user == admin_user


def test_an_unknown_placeholder_is_refused_and_what_was_typed_is_kept(admin_client):
    typed = "Hello ((surname)), please call ((practitioner_name))."
    answer = admin_client.post(reverse(ADD), _new(body=typed))
    assert_refused(answer, f"((surname)) is not something the message can fill in: use {EVERY_PLACEHOLDER}")
    assert answer.context["adminform"].form["body"].value() == typed
    assert not MessageTemplate.objects.filter(name="Home visit reminder").exists()


def test_an_unknown_placeholder_in_an_emails_subject_is_refused(admin_client):
    answer = admin_client.post(reverse(ADD), _new(kind="email", subject="Your visit on ((day))"))
    assert_refused(answer, f"((day)) is not something the message can fill in: use {EVERY_PLACEHOLDER}")


def test_an_email_needs_a_subject(admin_client):
    answer = admin_client.post(reverse(ADD), _new(kind="email", subject="  "))
    assert_refused(answer, "Enter the email's subject")
    assert not MessageTemplate.objects.filter(name="Home visit reminder").exists()
    answer = admin_client.post(reverse(ADD), _new(kind="email", subject="Your Early Help visit"))
    assert answer.status_code == 302
    assert MessageTemplate.objects.get(name="Home visit reminder").subject == "Your Early Help visit"


def test_a_text_has_no_subject(admin_client):
    answer = admin_client.post(reverse(ADD), _new(subject="Your visit"))
    assert_refused(answer, "A text message has no subject: leave it empty")
    assert answer.context["adminform"].form["body"].value() == _new()["body"]
    assert not MessageTemplate.objects.filter(name="Home visit reminder").exists()


@pytest.mark.django_db
def test_an_edited_welsh_text_is_what_a_welsh_choosing_parents_message_starts_from(
    admin_client, case, lead, django_capture_on_commit_callbacks
):
    welsh = MessageTemplate.objects.get(name="Visit arranged", kind="sms", language="cy")
    url = reverse("admin:engagement_messagetemplate_change", args=[welsh.pk])
    body = "Shwmae ((name)), ((practitioner_name)) o Gymorth Cynnar sydd yma. Ffoniwch fi, os gwelwch yn dda."
    answer = admin_client.post(url, form_data(admin_client.get(url)) | {"body": body})
    assert answer.status_code == 302, answer.content.decode()
    english = MessageTemplate.objects.get(name="Visit arranged", kind="sms", language="en")
    assert english.body.startswith("Hello ((name))")  # the English is untouched

    rhian = AdultFactory(
        case=case,
        full_name="Rhian Jones",
        phone="07700 900123",
        preferred_contact_method="text",
        written_language="cy",
    )
    practitioner = Client()
    practitioner.force_login(lead)
    write = reverse("engagement:message_write", kwargs={"case_pk": case.pk, "person_pk": rhian.pk})
    offered = list(practitioner.get(write).context["form"].fields["template"].queryset)
    assert welsh in offered and english not in offered
    chosen = {"channel": "sms", "template": welsh.pk}
    preview = practitioner.post(write, {**chosen, "preview": "Preview"})
    filled = (
        f"Shwmae Rhian Jones, {lead.full_name} o Gymorth Cynnar sydd yma. Ffoniwch fi, os gwelwch yn dda."
    )
    assert preview.context["form"].data["body"] == filled
    with django_capture_on_commit_callbacks(execute=True):
        sent = practitioner.post(write, {**chosen, "body": filled, "subject": "", "send": "Send"})
    assert sent.status_code == 302, sent.content.decode()
    assert OutboxMessage.objects.get().body == filled
    assert FamilyMessage.objects.get().template == welsh
