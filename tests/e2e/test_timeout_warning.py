"""The timeout warning on a 390 px phone (issue 21): "a modal two minutes before the idle timeout,
announced to screen readers, with 'Stay signed in' (extends the session) and 'Sign out'; keyboard
and focus handled".

The service's own settings are used (a 30-minute idle timeout, the warning 2 minutes before). No
test waits for them: the browser's clock is Playwright's, moved on by the test, and the server's is
moved on by time_machine by the same amount; in between both run as usual. The dialog is checked by axe-core (no serious or
critical violations) and for sideways scrolling at 320 px; with SCREENSHOTS_DIR set it is
photographed at 390 px and at a desktop width.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PractitionerFactory

from . import audit

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
IDLE = dt.timedelta(minutes=30)
WARNING = dt.timedelta(minutes=2)
FOCUSED_ID = "() => document.activeElement && document.activeElement.dataset.probe"
FOCUS_IN_DIALOG = "() => document.querySelector('#timeout-warning').contains(document.activeElement)"


@pytest.fixture
def priya(journeys, time_machine, monkeypatch):
    time_machine.move_to(timezone.now(), tick=True)
    monkeypatch.setattr(audit, "SHOT_SIZES", {"phone": PHONE_390, "desktop": DESKTOP})
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel")
    journey = journeys("Lead practitioner", viewport=PHONE_390)
    journey.page.clock.install()  # the page's timers run on a clock the test can move on
    journey.sign_in(lead.email)
    expect(journey.page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    journey.check("my work today")
    return journey


def idle_for(journey, time_machine, gap: dt.timedelta) -> None:
    """Nobody touches anything for `gap`: both the browser's clock and the server's move on."""
    time_machine.shift(gap)
    journey.page.clock.fast_forward(int(gap.total_seconds() * 1000))


def test_the_warning_comes_two_minutes_before_the_timeout_and_stay_signed_in_keeps_the_session(
    priya, time_machine, settings
):
    assert dt.timedelta(seconds=settings.SESSION_COOKIE_AGE) == IDLE
    assert dt.timedelta(seconds=settings.SESSION_WARNING_SECONDS) == WARNING
    page = priya.page
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    # Focus is somewhere on the page before the warning (the skip link, the first Tab stop).
    page.keyboard.press("Tab")
    page.evaluate("() => { document.activeElement.dataset.probe = 'before'; }")

    idle_for(priya, time_machine, IDLE - WARNING - dt.timedelta(seconds=5))
    expect(dialog).to_be_hidden()  # not yet: 2 minutes 5 seconds are left

    idle_for(priya, time_machine, dt.timedelta(seconds=10))
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("For your security, we will sign you out in 2 minutes.")
    # Read out politely, and not every second: the spoken copy is the dialog's description.
    spoken = page.locator("#timeout-warning-spoken")
    expect(spoken).to_have_attribute("aria-live", "polite")
    expect(spoken).to_have_text("For your security, we will sign you out in 2 minutes.")
    expect(dialog).to_have_attribute("aria-describedby", "timeout-warning-spoken")
    # Focus moves into the dialog, onto "Stay signed in", and Tab keeps it there.
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUS_IN_DIALOG)
    expect(dialog.get_by_role("button", name="Sign out")).to_be_focused()
    page.keyboard.press("Tab")
    expect(stay).to_be_focused()
    audit.check_page(page, "Lead practitioner: timeout warning", shot="timeout-warning")

    # Under a minute left (55 seconds, less what the checks above took), the countdown shows the
    # seconds and the screen reader hears a round figure.
    idle_for(priya, time_machine, dt.timedelta(seconds=60))
    expect(dialog).to_contain_text(re.compile(r"we will sign you out in \d\d seconds\."))
    expect(spoken).to_have_text("For your security, we will sign you out in 1 minute.")

    page.keyboard.press("Enter")  # on "Stay signed in", by keyboard
    expect(dialog).to_be_hidden()
    assert page.evaluate(FOCUSED_ID) == "before", "focus goes back where it was"

    # Past the moment the session would have timed out, a page load is still signed in.
    idle_for(priya, time_machine, IDLE - dt.timedelta(minutes=5))
    page.reload()
    expect(page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    priya.check("my work today, still signed in")

    # Escape is "not now": it keeps the session too.
    idle_for(priya, time_machine, IDLE - WARNING + dt.timedelta(seconds=1))
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    idle_for(priya, time_machine, dt.timedelta(minutes=10))
    page.reload()
    expect(page.get_by_role("heading", level=1, name="My work today")).to_be_visible()
    priya.check("my work today, still signed in after Escape")


def test_with_no_answer_the_person_is_signed_out_and_told_why(priya, time_machine):
    page = priya.page
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    idle_for(priya, time_machine, IDLE - WARNING + dt.timedelta(seconds=1))
    expect(dialog).to_be_visible()

    idle_for(priya, time_machine, WARNING)
    expect(page.get_by_role("heading", level=1, name="You were signed out")).to_be_visible()
    expect(page.get_by_text("You were signed out because you did nothing for 30 minutes.")).to_be_visible()
    priya.check("signed out after 30 minutes", shot="timeout-signed-out")
    # Signed out for real: the service's pages ask for a sign-in.
    priya.press(page.get_by_role("link", name="Sign in again"))
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    priya.check("sign in again")


def test_sign_out_on_the_warning_signs_out(priya, time_machine):
    page = priya.page
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    idle_for(priya, time_machine, IDLE - WARNING + dt.timedelta(seconds=1))
    expect(dialog).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # on "Sign out"
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    priya.check("signed out from the warning")
