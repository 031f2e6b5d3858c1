"""A draft typed, abandoned and reopened the next day is restored (issue 21), on a 390 px phone.

Priya types the doorstep notes, is called away and never saves. Her draft is saved as she types
("Draft saved at ..."). The next day, on another device and signed in again, the form gives her
notes back with the banner. The server's clock is moved on a day with time_machine, as in
test_timeout_warning.py. With SCREENSHOTS_DIR set, both pages are photographed at 390 px and at
a desktop width.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Draft
from engagement.models import ContactAttempt
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory

from . import audit

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
NOTES = "Knocked twice at 9:15; a child's voice upstairs, nobody came to the door. Left a card."


def signed_in(journeys, lead, who):
    """A browser of their own (a new device, no cookies), signed in, on My work today."""
    journey = journeys(who, viewport=PHONE_390)
    journey.sign_in(lead.email)
    expect(journey.page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    journey.check("my work today")
    return journey


def test_a_draft_typed_abandoned_and_reopened_the_next_day_is_restored(journeys, time_machine, monkeypatch):
    time_machine.move_to(timezone.now(), tick=True)
    monkeypatch.setattr(audit, "SHOT_SIZES", {"phone": PHONE_390, "desktop": DESKTOP})
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    case = CaseFactory(lead_practitioner=lead, referral_date=timezone.localdate() - dt.timedelta(days=4))
    AdultFactory(case=case, full_name="Grace Okafor")
    form_url = f"/engagement/cases/{case.pk}/attempts/new/"

    today = signed_in(journeys, lead, "Lead practitioner, on the doorstep")
    page = today.page
    page.goto(form_url)
    expect(page.get_by_role("heading", level=1, name="Record a contact attempt")).to_be_visible()
    today.check("record a contact attempt")
    page.get_by_label("Kind of attempt").select_option(label="Unannounced home visit")
    page.get_by_label("What happened").select_option(label="Not at home")
    page.get_by_label("Notes").fill(NOTES)

    # Saved a moment after she stops typing, and said so where a screen reader hears it.
    status = page.locator("main [data-draft-status]")
    expect(status).to_have_text(re.compile(r"^Draft saved at \d\d:\d\d$"))
    expect(status).to_have_attribute("aria-live", "polite")
    assert Draft.objects.get(user=lead).fields["notes"] == [NOTES]
    assert not ContactAttempt.objects.exists()
    audit.check_page(
        page,
        "Lead practitioner: contact attempt, draft saved",
        shot="draft-saved",
        shot_at="label[for=id_notes]",
    )
    # Called away: the page is left as it is, never saved.

    time_machine.shift(dt.timedelta(days=1))
    next_day = signed_in(journeys, lead, "Lead practitioner, the next day on another device")
    page = next_day.page
    page.goto(form_url)
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1, name="Record a contact attempt")).to_be_visible()
    expect(
        main.get_by_text(re.compile(r"Draft saved at \d\d:\d\d on \w+ \d+ \w+: restored\."))
    ).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value(NOTES)
    expect(page.get_by_label("What happened")).to_have_value("not_at_home")
    next_day.check("contact attempt, draft restored the next day", shot="draft-restored")

    next_day.go(
        page.get_by_role("button", name="Save the attempt"),
        "Chronology of contact attempts",
        "chronology, the attempt saved",
    )
    assert ContactAttempt.objects.get(case=case).notes == NOTES
    assert not Draft.objects.exists()
