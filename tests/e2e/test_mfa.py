"""In the browser: a manager signs in on a 390px phone with the code from the authenticator app.

The code box is a one-time-code question (numeric keypad, the phone may offer the code); a wrong
code gets a GOV.UK error summary saying what to check. Every page is checked with axe-core (no
serious or critical violation) and at 320px, with the keyboard alone.
"""

import datetime as dt
import time

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.factories import ManagerFactory, TeamFactory
from tests.factories.cases import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.mfa]

PHONE_390 = {"width": 390, "height": 844}
CODE_QUESTION = "Enter the code from your authenticator app"


def test_a_manager_signs_in_with_an_authenticator_code_on_a_phone(journeys, time_machine):
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

    manager = ManagerFactory(email="morgan@example.test", full_name="Morgan Hughes")
    manager.team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.save()
    secret = generate_totp_secret()
    TOTP.activate(manager, secret)
    cache.clear()  # login rate limits and used codes from earlier tests

    morgan = journeys("Line manager", viewport=PHONE_390)
    page = morgan.page
    page.goto("/")
    morgan.check("sign in")
    morgan.type_into(page.get_by_label("Email address"), manager.email)
    morgan.type_into(page.get_by_label("Password"), PASSWORD)
    morgan.press(page.get_by_role("button", name="Sign in"))

    expect(page.get_by_role("heading", level=1, name=CODE_QUESTION)).to_be_visible()
    morgan.check("authenticator code")
    box = page.get_by_label(CODE_QUESTION)
    expect(box).to_have_attribute("autocomplete", "one-time-code")
    expect(box).to_have_attribute("inputmode", "numeric")

    morgan.type_into(box, "000000")
    morgan.press(page.get_by_role("button", name="Continue"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("The code is not right")
    morgan.check("authenticator code, wrong", shot="mfa-code")
    expect(box).to_have_value("000000")  # what was typed is kept

    # A code read in its last seconds could expire before it is sent: move on to the next period.
    now = time.time()
    if now % 30 > 24:
        time_machine.move_to(dt.datetime.fromtimestamp((now // 30 + 1) * 30, dt.UTC), tick=True)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    morgan.type_into(box, code)
    morgan.press(page.get_by_role("button", name="Continue"))
    expect(page.get_by_role("heading", level=1, name=CODE_QUESTION)).not_to_be_visible()
    morgan.check("signed in")
    morgan.finished_by_keyboard("Line manager: sign in with a wrong, then the right, authenticator code")
