import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.models import ContactAttempt
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory
from tests.factories.cases import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_a_practitioner_logs_three_attempts_on_a_phone(phone):
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Okafor family",
        referral_date=timezone.localdate() - dt.timedelta(days=4),
    )
    AdultFactory(case=case, full_name="Grace Okafor")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    page = phone

    sign_in(page, "priya@example.test")
    expect(page.get_by_role("heading", name="My work today")).to_be_visible()
    # The GOV.UK stylesheet loaded: it takes away the browser's default 8px body margin.
    assert page.evaluate("() => getComputedStyle(document.body).marginTop") == "0px"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375

    page.get_by_role("link", name="Okafor family").click()
    expect(page.get_by_role("heading", name="Okafor family")).to_be_visible()

    attempts = [
        ("Telephone call", "No answer", "Rang Grace's mobile at 9am; it rang out. No voicemail set up."),
        ("Text message", "Message left", "Texted Grace to say who I am and asked her to call back."),
        ("Unannounced home visit", "Not at home", "Visited; no one answered. Left a card with my number."),
    ]
    page.get_by_role("link", name="Record an attempt").first.click()
    for index, (kind, outcome, notes) in enumerate(attempts):
        expect(page.get_by_role("heading", name="Record a contact attempt")).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
        page.get_by_label("Kind of attempt").select_option(label=kind)
        # Logged the next morning: yesterday's attempts, at the times they were made.
        page.get_by_label("Day").first.fill(str(yesterday.day))
        page.get_by_label("Month").first.fill(str(yesterday.month))
        page.get_by_label("Year").first.fill(str(yesterday.year))
        page.get_by_label("Time of the attempt").fill(f"{9 + index}:15")
        page.get_by_label("What happened").select_option(label=outcome)
        page.get_by_label("With whom in the family").select_option(label="Grace Okafor")
        page.get_by_label("Notes").fill(notes)
        if index < len(attempts) - 1:
            page.get_by_role("button", name="Save and record another").click()
        else:
            page.get_by_role("button", name="Save the attempt").click()

    expect(page.get_by_role("heading", name="Chronology of contact attempts")).to_be_visible()
    entries = page.locator(".app-chronology__entry")
    expect(entries).to_have_count(3)
    # Newest first.
    expect(entries.nth(0)).to_contain_text("Unannounced home visit")
    expect(entries.nth(0)).to_contain_text("Left a card with my number.")
    expect(entries.nth(2)).to_contain_text("Telephone call")
    expect(page.locator("#counts-by-kind")).to_contain_text("Text message: 1")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert ContactAttempt.objects.filter(case=case, made_by=lead).count() == 3
    expect(entries.nth(0)).to_contain_text(f"{yesterday:%a} {yesterday.day} {yesterday:%b %Y}, 11:15")


def test_a_future_time_is_refused_and_the_notes_are_kept(phone):
    lead = PractitionerFactory(email="tom@example.test", full_name="Tom Reid")
    case = CaseFactory(lead_practitioner=lead, referral_date=timezone.localdate() - dt.timedelta(days=1))
    page = phone
    sign_in(page, "tom@example.test")
    page.goto(f"/engagement/cases/{case.pk}/attempts/new/")
    page.get_by_label("Kind of attempt").select_option(label="Telephone call")
    page.get_by_label("Day").first.fill(str((timezone.localdate() + dt.timedelta(days=1)).day))
    page.get_by_label("Month").first.fill(str((timezone.localdate() + dt.timedelta(days=1)).month))
    page.get_by_label("Year").first.fill(str((timezone.localdate() + dt.timedelta(days=1)).year))
    page.get_by_label("Notes").fill("Rang the landline; a child answered and hung up.")
    page.get_by_role("button", name="Save the attempt").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The date of the attempt must be today or in the past")
    expect(summary).to_contain_text("Select what happened")
    expect(page.get_by_label("Notes")).to_have_value("Rang the landline; a child answered and hung up.")
    assert not ContactAttempt.objects.exists()


def test_a_practitioner_opens_a_case_and_logs_attempts_with_the_keyboard_alone(journeys):
    """The journey above with Tab, Shift+Tab, Enter, Space and the arrow keys only: no pointer."""
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Okafor family",
        referral_date=timezone.localdate() - dt.timedelta(days=4),
    )
    AdultFactory(case=case, full_name="Grace Okafor")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    priya = journeys("Lead practitioner")
    page = priya.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    priya.check("sign in")
    priya.type_into(page.get_by_label("Email address"), lead.email)
    priya.type_into(page.get_by_label("Password"), PASSWORD)
    priya.press(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="My work today")).to_be_visible()
    priya.check("my work today")

    priya.press(page.get_by_role("link", name="Okafor family"))
    expect(page.get_by_role("heading", level=1, name="Okafor family")).to_be_visible()
    priya.check("the case")
    attempts = [
        ("Telephone call", "No answer", "Rang Grace's mobile at 9am; it rang out."),
        ("Text message", "Message left", "Texted Grace to say who I am and asked her to call back."),
    ]
    priya.press(page.get_by_role("link", name="Record an attempt").first)
    for index, (kind, outcome, notes) in enumerate(attempts):
        expect(page.get_by_role("heading", name="Record a contact attempt")).to_be_visible()
        priya.check(f"record attempt {index + 1}")
        priya.choose(page.get_by_label("Kind of attempt"), kind)
        priya.type_date("Date of the attempt", yesterday)
        priya.type_into(page.get_by_label("Time of the attempt"), f"{9 + index}:15")
        priya.choose(page.get_by_label("What happened"), outcome)
        priya.choose(page.get_by_label("With whom in the family"), "Grace Okafor")
        priya.type_into(page.get_by_label("Notes"), notes)
        last = index == len(attempts) - 1
        priya.press(
            page.get_by_role("button", name="Save the attempt" if last else "Save and record another")
        )

    expect(page.get_by_role("heading", name="Chronology of contact attempts")).to_be_visible()
    priya.check("the chronology")
    entries = page.locator(".app-chronology__entry")
    expect(entries).to_have_count(2)
    expect(entries.nth(0)).to_contain_text("Texted Grace to say who I am")
    priya.finished_by_keyboard("the practitioner opens a case and records two attempts")
    assert ContactAttempt.objects.filter(case=case, made_by=lead).count() == 2


def test_a_refused_attempt_is_put_right_with_the_keyboard_alone(journeys):
    """The error summary's links take focus to the field to put right, and nothing typed is lost."""
    lead = PractitionerFactory(email="tom@example.test", full_name="Tom Reid")
    case = CaseFactory(lead_practitioner=lead, referral_date=timezone.localdate() - dt.timedelta(days=1))
    tom = journeys("Lead practitioner")
    page = tom.page
    page.goto("/")
    tom.check("sign in")
    tom.type_into(page.get_by_label("Email address"), lead.email)
    tom.type_into(page.get_by_label("Password"), PASSWORD)
    tom.press(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="My work today")).to_be_visible()
    tom.check("my work today")
    tom.press(page.get_by_role("link", name=case.family_name))
    tom.check("the case")
    tom.press(page.get_by_role("link", name="Record an attempt").first)
    expect(page.get_by_role("heading", name="Record a contact attempt")).to_be_visible()
    tom.check("record an attempt")
    tom.choose(page.get_by_label("Kind of attempt"), "Telephone call")
    tom.type_into(page.get_by_label("Notes"), "Rang the landline; a child answered and hung up.")
    tom.press(page.get_by_role("button", name="Save the attempt"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select what happened")
    tom.check("the error summary")
    # GOV.UK error summary: focus moves to it, and its link moves focus to the field.
    expect(summary).to_be_focused()
    tom.press(summary.get_by_role("link", name="Select what happened"))
    expect(page.get_by_label("What happened")).to_be_focused()
    tom.choose(page.get_by_label("What happened"), "No answer")
    expect(page.get_by_label("Notes")).to_have_value("Rang the landline; a child answered and hung up.")
    tom.press(page.get_by_role("button", name="Save the attempt"))
    expect(page.get_by_role("heading", name="Chronology of contact attempts")).to_be_visible()
    tom.check("the chronology")
    tom.finished_by_keyboard("a refused attempt is put right from the error summary")
    assert ContactAttempt.objects.filter(case=case).count() == 1
