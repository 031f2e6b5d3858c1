"""My work today on a 390 px phone: the practitioner finds an overdue step, taps through to the
attempt form already filled in for that step, saves it, and is told which step it met.

Knowsley (000, Appendix 4): "Lead Practitioner to make telephone contact with the family to arrange
home visit. Before Day 3". On Thursday 5 November 2026 (day 3 of a Tuesday referral) that call is
overdue; the "further 3 phone calls" before day 5 were made this morning, so the next call meets it.

Every page is checked by axe-core (no serious or critical violations) and for sideways scrolling;
the same journey is done again with the keyboard alone (Tab, Enter, Space; no clicks).
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import ContactAttempt
from flowchart.services import case_flowchart_refresh
from tests.factories import (
    AdultFactory,
    CaseFactory,
    ContactAttemptFactory,
    EpisodeFactory,
    PractitionerFactory,
)
from tests.factories.cases import PASSWORD

from . import audit

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 5, 10, 30, tzinfo=LONDON)
PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
PHONE_STEP = "Telephone the family to arrange a home visit"


def family(lead, name: str, day1: dt.date):
    case = CaseFactory(lead_practitioner=lead, family_name=name, referral_date=day1)
    EpisodeFactory(case=case)
    return case


@pytest.fixture
def priya(journeys, time_machine):
    time_machine.move_to(NOW, tick=True)
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    okafor = family(lead, "Okafor family", dt.date(2026, 11, 3))
    AdultFactory(
        case=okafor, full_name="Grace Okafor", phone="07700 900123", preferred_contact_method="phone"
    )
    AdultFactory(case=okafor, full_name="Tomasz Nowak", phone="", needs_interpreter=True, language="Polish")
    for hour in (8, 9, 10):
        ContactAttemptFactory(
            case=okafor, kind="phone_call", outcome="no_answer", occurred_at=NOW.replace(hour=hour, minute=0)
        )
    case_flowchart_refresh(case=okafor)
    brown = family(lead, "Brown family", dt.date(2026, 11, 4))
    AdultFactory(case=brown, full_name="Bea Brown", phone="07700 900456", domestic_abuse_concern=True)
    family(lead, "Carter family", NOW.date())
    return lead, okafor


def sign_in(journey, email: str, *, keyboard: bool) -> None:
    page = journey.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    journey.check("sign in")
    if keyboard:
        journey.type_into(page.get_by_label("Email address"), email)
        journey.type_into(page.get_by_label("Password"), PASSWORD)
        journey.press(page.get_by_role("button", name="Sign in"))
    else:
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("keyboard", [False, True], ids=["tapping", "keyboard only"])
def test_the_practitioner_meets_an_overdue_step_from_my_work_today(priya, journeys, monkeypatch, keyboard):
    lead, okafor = priya
    # The docs' pictures at a 390 px phone and a desktop (with SCREENSHOTS_DIR set).
    monkeypatch.setattr(audit, "SHOT_SIZES", {"phone": PHONE_390, "desktop": DESKTOP})
    journey = journeys("Lead practitioner", viewport=PHONE_390)
    page = journey.page

    sign_in(journey, lead.email, keyboard=keyboard)
    expect(page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    journey.check("my work today", shot="my-work-today" if not keyboard else None)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE_390["width"]

    # Overdue comes first, in red; the families due today and this week follow.
    headings = page.locator("main h2.govuk-heading-m").all_inner_texts()
    assert headings == ["Overdue", "Due today", "Due in the next 7 days"]
    card = page.locator(f'[data-case="{okafor.reference}"]')
    expect(card).to_contain_text("Day 3 of 15")
    expect(card).to_contain_text(f"Day 3: {PHONE_STEP}")
    expect(card.locator(".govuk-tag--red")).to_have_text("Overdue")
    expect(card).to_contain_text("Interpreter needed: Polish")
    call = card.get_by_role("link", name="Call Grace Okafor on 07700 900123")
    expect(call).to_have_attribute("href", "tel:07700900123")

    record = card.get_by_role("link", name="Record an attempt")
    if keyboard:
        journey.press(record)
    else:
        record.click()
    expect(page.get_by_role("heading", level=1, name="Record a contact attempt")).to_be_visible()
    journey.check("record an attempt for the step")
    expect(page.locator("#for-step")).to_contain_text(f"For the flow-chart step on day 3: {PHONE_STEP}.")
    # Filled in as the step asks: a telephone call, to the person to contact, now.
    assert page.get_by_label("Kind of attempt").evaluate("(el) => el.options[el.selectedIndex].text") == (
        "Telephone call"
    )
    assert page.get_by_label("With whom in the family").evaluate(
        "(el) => el.options[el.selectedIndex].text"
    ) == ("Grace Okafor")

    notes = "Rang Grace at 10:30; no answer. Will try again after the school run."
    if keyboard:
        journey.choose(page.get_by_label("What happened"), "No answer")
        journey.type_into(page.get_by_label("Notes"), notes)
        journey.press(page.get_by_role("button", name="Save the attempt"))
    else:
        page.get_by_label("What happened").select_option(label="No answer")
        page.get_by_label("Notes").fill(notes)
        page.get_by_role("button", name="Save the attempt").click()

    expect(page.get_by_role("heading", level=1, name="Chronology of contact attempts")).to_be_visible()
    journey.check("chronology, the step met")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        f"It counted towards the flow-chart step: {PHONE_STEP} (late)."
    )
    journey.all_checked()
    assert ContactAttempt.objects.filter(case=okafor, notes=notes, made_by=lead).count() == 1
    assert timezone.localdate() == NOW.date()
    if keyboard:
        journey.finished_by_keyboard("Lead practitioner: meet an overdue step from My work today")
