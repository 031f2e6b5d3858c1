"""A practitioner sends a text from the case on a 390 px phone and sees it in the chronology with
its status (issue 23).

Priya opens the Okafor family's case, goes to Grace under "The family", chooses the wording
"Trying to reach you", previews it, sends it, and finds it in the chronology marked "Sending".
GOV.UK Notify's delivery receipt then arrives (through the callback, with its bearer token) and
the chronology shows it "Delivered". With no API key the text goes to the local outbox, as in
`make run`. axe-core finds nothing serious or critical on any page; with SCREENSHOTS_DIR set the
preview and the chronology are photographed at 390 px and at a desktop width.
"""

import datetime as dt

import pytest
import requests
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from engagement.messages.models import FamilyMessage
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory

from . import audit

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def test_a_practitioner_sends_a_text_from_the_case_on_a_phone(journeys, live_server, monkeypatch):
    monkeypatch.setattr(audit, "SHOT_SIZES", {"phone": PHONE_390, "desktop": DESKTOP})
    lead = PractitionerFactory(
        email="priya@example.test", full_name="Priya Patel", work_phone="0151 555 0100"
    )
    case = CaseFactory(
        lead_practitioner=lead,
        referral_date=timezone.localdate() - dt.timedelta(days=2),
        family_name="Okafor family",
    )
    AdultFactory(case=case, full_name="Grace Okafor", phone="07700 900123", preferred_contact_method="text")

    journey = journeys("Lead practitioner, on her phone", viewport=PHONE_390)
    journey.sign_in(lead.email)
    page = journey.page
    expect(page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    journey.check("my work today")
    page.goto(reverse("cases:case_detail", kwargs={"case_pk": case.pk}))
    journey.check("the case")
    page.get_by_text("The family", exact=True).click()
    journey.go(
        page.get_by_role("link", name="Send a text or email to Grace Okafor"),
        "Send a text or email to Grace Okafor",
        "send a text or email",
    )
    page.get_by_label("Text message").check()
    page.get_by_label("Wording to start from").select_option(label="Trying to reach you (text message)")
    journey.go(
        page.get_by_role("button", name="Preview the message"),
        "Send a text or email to Grace Okafor",
        "send a text, previewed",
    )
    preview = page.locator(".app-message-preview")
    expect(preview).to_contain_text("Hello Grace Okafor, this is Priya Patel")
    expect(preview).to_contain_text("0151 555 0100")
    journey.shot("send-text-preview", at=".app-message-preview")
    journey.go(
        page.get_by_role("button", name="Send the message"),
        "Chronology of contact attempts",
        "chronology, the text sending",
    )
    entry = page.locator(".app-chronology__entry").first
    expect(entry).to_contain_text("Text message")
    expect(entry.locator(".app-delivery")).to_have_text("Sending")

    message = FamilyMessage.objects.get()
    receipt = requests.post(
        live_server.url + reverse("engagement:notify_delivery_callback"),
        json={"id": str(message.notify_id), "reference": message.reference, "status": "delivered"},
        headers={"Authorization": f"Bearer {settings.NOTIFY_CALLBACK_TOKEN}"},
        timeout=10,
    )
    assert receipt.status_code == 200
    page.reload()
    expect(page.locator(".app-chronology__entry").first.locator(".app-delivery")).to_have_text("Delivered")
    journey.check("chronology, the text delivered", shot="send-text-delivered", shot_at=".app-chronology")
    journey.all_checked()
