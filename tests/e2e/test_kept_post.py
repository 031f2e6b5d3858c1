"""An expired session's submit returns the person to their form with the text intact after
signing in (issue 21), on a phone."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from cases.kept_posts import BANNER
from cases.models import KeptPost
from engagement.models import ContactAttempt
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory
from tests.factories.cases import PASSWORD

from .audit import check_page

pytestmark = pytest.mark.e2e

NOTES = "Knocked twice at 9:15; a child's voice upstairs, nobody came to the door. Left a card."


def sign_in(page, email):
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_an_expired_sessions_submit_comes_back_with_the_notes_after_signing_in(phone):
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    case = CaseFactory(lead_practitioner=lead, referral_date=timezone.localdate() - dt.timedelta(days=4))
    AdultFactory(case=case, full_name="Grace Okafor")
    page = phone

    page.goto("/accounts/login/")
    sign_in(page, "priya@example.test")
    expect(page.get_by_role("heading", name="My work today")).to_be_visible()
    page.goto(f"/engagement/cases/{case.pk}/attempts/new/")
    expect(page.get_by_role("heading", name="Record a contact attempt")).to_be_visible()
    page.get_by_label("Kind of attempt").select_option(label="Unannounced home visit")
    page.get_by_label("What happened").select_option(label="Not at home")
    page.get_by_label("Notes").fill(NOTES)

    # Half an hour on the doorstep: the session ends; the open page does not know.
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_role("button", name="Save the attempt").click()

    expect(page.get_by_text("your answers are kept")).to_be_visible()
    check_page(page, "sign in, after the session ended")
    assert KeptPost.objects.filter(user=lead).count() == 1
    sign_in(page, "priya@example.test")

    expect(page.get_by_role("heading", name="Record a contact attempt")).to_be_visible()
    expect(page.get_by_text(BANNER)).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value(NOTES)
    expect(page.get_by_label("What happened")).to_have_value("not_at_home")
    assert not ContactAttempt.objects.exists()
    check_page(page, "contact attempt, given back after signing in")

    page.get_by_role("button", name="Save the attempt").click()
    expect(page.get_by_role("heading", name="Chronology of contact attempts")).to_be_visible()
    assert ContactAttempt.objects.get(case=case).notes == NOTES
    assert not KeptPost.objects.exists()


def test_a_failed_csrf_check_shows_a_plain_page_and_the_link_gives_the_notes_back(phone):
    lead = PractitionerFactory(email="tom@example.test", full_name="Tom Reid")
    case = CaseFactory(lead_practitioner=lead, referral_date=timezone.localdate() - dt.timedelta(days=4))
    page = phone

    page.goto("/accounts/login/")
    sign_in(page, "tom@example.test")
    expect(page.get_by_role("heading", name="My work today")).to_be_visible()
    page.goto(f"/engagement/cases/{case.pk}/attempts/new/")
    page.get_by_label("Kind of attempt").select_option(label="Unannounced home visit")
    page.get_by_label("What happened").select_option(label="Not at home")
    page.get_by_label("Notes").fill(NOTES)

    # The form's token no longer matches the browser's: the check fails.
    page.context.clear_cookies(name=settings.CSRF_COOKIE_NAME)
    page.get_by_role("button", name="Save the attempt").click()

    expect(page.get_by_role("heading", name="Your answers could not be saved")).to_be_visible()
    expect(page.get_by_text("Your answers are kept")).to_be_visible()
    check_page(page, "answers could not be saved (CSRF)")
    page.get_by_role("link", name="Go back to the form").click()

    expect(page.get_by_text(BANNER)).to_be_visible()
    expect(page.get_by_label("Notes")).to_have_value(NOTES)
    page.get_by_role("button", name="Save the attempt").click()
    expect(page.get_by_role("heading", name="Chronology of contact attempts")).to_be_visible()
    assert ContactAttempt.objects.get(case=case).notes == NOTES
