"""The case page on a 390px phone: what is owed next first, the rest folded; a quick safety rating.

Priya opens the Walsh family's case on her phone. The top of the page says the day of the flow
chart, the next step and when it is due, shows the domestic abuse flag, a tap-to-call link for
Dana and "Record an attempt" for that step; every other part of the page is a closed section.
With the keyboard alone she opens "The family", goes back up to "Record an attempt" (which opens
the form for the step owed), then adds a safety scale rating from the "Safety scale" section:
five fields, not the whole Signs of Safety map. Every page is checked with axe-core (no serious
or critical violation) and at 320px; with SCREENSHOTS_DIR set, the case page is photographed as
case-*.png and the rating form as safety-rating-*.png.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from engagement.practice.models import ScaleRating
from tests.factories import (
    AdultFactory,
    CaseFactory,
    ChildFactory,
    EpisodeFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

from .test_hostile_incident import heading, sign_in

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def family(_seeded):
    manager = ManagerFactory(email="morgan.hughes@northshire.example", full_name="Morgan Hughes")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(email="priya.patel@northshire.example", full_name="Priya Patel", team=team)
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Walsh family",
        referral_date=timezone.localdate() - dt.timedelta(days=4),
    )
    ChildFactory(case=case, full_name="Connor Walsh")
    AdultFactory(
        case=case,
        full_name="Dana Walsh",
        phone="07700 900123",
        preferred_contact_method="phone",
        domestic_abuse_concern=True,
    )
    EpisodeFactory(case=case)
    return {"lead": lead, "case": case}


def test_the_case_page_leads_with_what_is_owed_and_takes_a_quick_safety_rating(family, journeys):
    priya = journeys("Lead practitioner", viewport=PHONE_390)
    page = priya.page
    sign_in(priya, family["lead"].email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today")
    page.get_by_role("link", name="Walsh family").click()
    expect(heading(page, "Walsh family")).to_be_visible()
    priya.check("case page on a phone", shot="case")

    # What is owed next, first: the day, the step, the flags, the call and the action.
    top = page.locator("#owed-next")
    expect(top).to_contain_text(re.compile(r"Day \d+ of the flow chart"))
    expect(top).to_contain_text("Next step:")
    expect(top.get_by_text("Domestic abuse concern")).to_be_visible()
    expect(top.get_by_role("link", name="07700 900123")).to_have_attribute("href", "tel:07700900123")
    record = top.get_by_role("link", name="Record an attempt")
    expect(record).to_have_attribute("href", re.compile(r"/attempts/new/\?step=\d+$"))
    # The rest is folded, and the first fold comes within about two phone screens.
    expect(page.get_by_text("Add a parent, carer or other adult")).to_be_hidden()
    fold = page.locator("#case-sections").evaluate("(el) => el.getBoundingClientRect().top + window.scrollY")
    assert fold < 2 * PHONE_390["height"], fold

    # The keyboard alone: open a folded section, then back up to "Record an attempt".
    priya.press(page.locator("summary:has(#case-sections-heading-family)"))
    expect(page.get_by_text("Add a parent, carer or other adult")).to_be_visible()
    priya.press(record)
    expect(heading(page, "Record a contact attempt")).to_be_visible()
    assert "?step=" in page.url
    priya.check("record an attempt for the step owed")
    page.goto(f"/cases/{family['case'].pk}/")
    expect(heading(page, "Walsh family")).to_be_visible()
    priya.check("case page again")

    # A quick safety scale rating, from its section: who, the number, why.
    priya.press(page.locator("summary:has(#case-sections-heading-safety)"))
    priya.press(page.get_by_role("link", name="Add a safety scale rating"))
    expect(heading(page, "Add a safety scale rating")).to_be_visible()
    priya.check("add a safety scale rating", shot="safety-rating")
    priya.type_into(page.get_by_label("Who gave the rating"), "Dana Walsh")
    priya.radio("Are they a family member or a professional?", "Family member")
    priya.type_into(page.get_by_label("Role or relationship to the family (optional)"), "mother")
    priya.radio("Where do they place the situation on the safety scale?", "6")
    priya.type_into(page.get_by_label("Why this number?"), "Connor has been at school every day.")
    priya.press(page.get_by_role("button", name="Save the rating"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("rating of 6 out of 10 saved")
    priya.check("case page with the rating")
    priya.all_checked()
    priya.finished_by_keyboard(
        "the practitioner opens a folded section, records an attempt and a safety rating"
    )

    rating = ScaleRating.objects.get(case=family["case"])
    assert (rating.rater_name, rating.rater_role, rating.rating) == ("Dana Walsh", "mother", 6)
