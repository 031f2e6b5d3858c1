"""In the browser: the line manager clears a decision, an assessment to sign and a held letter from
"Needs you" on a 390px phone, with the keyboard alone, without opening the team dashboard (issue 20).

Morgan manages North. Three things wait for them: the Davis family's decision on next steps
(day 18, oversight recorded, the decision overdue), the Moss family's assessment, submitted with
Morgan's oversight actions already on it, and a day-10 letter to Lee Parker, held because
Siobhan Walsh at the same address has a domestic abuse concern. Morgan starts on "Needs you",
opens each item's own page from it, does it, comes back and sees it gone. Every page is checked
with axe-core (0 serious or critical).
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.calendar import Calendar
from cases.models import RelationshipKind, SafeContact
from engagement.documents.models import Letter, LetterStatus, LetterStep
from flowchart.models import Decision, Oversight
from flowchart.services import episode_refresh
from riskassessment.models import ActionKind, Assessment, AssessmentStatus
from tests.factories import (
    ActionFactory,
    AdultFactory,
    AssessmentFactory,
    CaseFactory,
    ChildFactory,
    EpisodeFactory,
    FactorFactory,
    ManagerFactory,
    PractitionerFactory,
    RelationshipFactory,
    TeamFactory,
)
from tests.factories.cases import PASSWORD

from . import audit
from .conftest import DESKTOP

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
# Needs you; the decision, its answers checked, recorded (the flow chart), Needs you; the sign
# page, signed (the assessment), Needs you; the letter's page, decided (Needs you).
LOADS_AFTER = 10


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


def back_to_needs_you(journey) -> None:
    """Through the menu, as on a phone the service navigation is folded behind "Menu"."""
    journey.press(journey.page.get_by_role("button", name="Menu"))
    journey.press(journey.page.get_by_role("link", name="Needs you"))


def item(page, kind: str, family: str):
    return page.locator(f'.app-needs-you__item[data-kind="{kind}"]').filter(has_text=family)


@pytest.fixture
def north(_seeded):
    manager = ManagerFactory(email="morgan@example.test", full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel", team=team)
    today = timezone.localdate()

    # Davis: day 18 of the flow chart, oversight recorded, the decision overdue.
    davis = CaseFactory(
        lead_practitioner=lead, family_name="Davis family", referral_date=Calendar().add(today, -17)
    )
    AdultFactory(case=davis, full_name="Dee Davis")
    episode = EpisodeFactory(case=davis)
    Oversight.objects.create(
        episode=episode,
        manager=manager,
        recorded_at=timezone.now() - dt.timedelta(days=4),
        discussion="Went through every attempt with Priya.",
        risk_raised="no",
    )
    episode_refresh(episode=episode)

    # Moss: the assessment submitted, Morgan's oversight action already on it.
    moss = CaseFactory(lead_practitioner=lead, family_name="Moss family", referral_date=today)
    assessment = AssessmentFactory(
        case=moss,
        status=AssessmentStatus.SUBMITTED,
        analysis="The risks outweigh what protects the children while the family does not engage.",
        elevated_risk=False,
        submitted_at=timezone.now(),
        submitted_by=lead,
    )
    FactorFactory(assessment=assessment)
    ActionFactory(assessment=assessment, kind=ActionKind.PLAN)
    ActionFactory(
        assessment=assessment, kind=ActionKind.OVERSIGHT, what="Joint visit with the school", added_by=manager
    )

    # Walsh: a letter to Lee Parker held for Morgan.
    walsh = CaseFactory(lead_practitioner=lead, family_name="Walsh family", referral_date=today)
    connor = ChildFactory(case=walsh, full_name="Connor Walsh", date_of_birth=dt.date(2012, 5, 1))
    siobhan = AdultFactory(
        case=walsh,
        full_name="Siobhan Walsh",
        domestic_abuse_concern=True,
        safe_contact=[SafeContact.PHONE_ONLY, SafeContact.NO_LETTERS],
        safe_contact_notes="Contact Siobhan only on her mobile, never by letter.",
    )
    lee = AdultFactory(case=walsh, full_name="Lee Parker")
    RelationshipFactory(adult=siobhan, child=connor, kind=RelationshipKind.MOTHER)
    RelationshipFactory(adult=lee, child=connor, kind=RelationshipKind.PARTNER)
    letter = Letter.objects.create(
        case=walsh,
        step=LetterStep.DAY_10,
        recipient=lee,
        address="1 High Street",
        subject="Please get in touch",
        body="I have tried to reach you. Please ring me within 5 days.",
        status=LetterStatus.HELD,
        created_by=lead,
        held_by=lead,
        held_at=timezone.now(),
    )
    return manager, episode, assessment, letter


def test_the_manager_clears_three_kinds_of_item_from_needs_you_on_a_phone(journeys, north, monkeypatch):
    """Knowsley 000, Appendix 4: "Agree with Line Manager the next steps"; the FERA is signed by
    the manager; a day-10 letter is checked "if DV ensure your letter would not increase risk"."""
    manager, episode, assessment, letter = north
    # The documentation's phone photographs of this journey are at 390px, the width it is walked at.
    monkeypatch.setitem(audit.SHOT_SIZES, "phone", PHONE_390)
    morgan = journeys("Line manager", viewport=PHONE_390)
    page = morgan.page
    page.goto("/")
    expect(heading(page, "Sign in")).to_be_visible()
    morgan.check("sign in")
    morgan.type_into(page.get_by_label("Email address"), manager.email)
    morgan.type_into(page.get_by_label("Password"), PASSWORD)
    # Every page the manager loads from here on, to count them (and to show the dashboard is not one).
    loads: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    morgan.press(page.get_by_role("button", name="Sign in"))

    # "Needs you", the manager's home, most urgent first.
    expect(heading(page, "Needs you")).to_be_visible()
    morgan.check("needs you", shot="needs-you")
    expect(page.locator(".app-needs-you__item").first).to_contain_text("Davis family")
    decision = item(page, "decision", "Davis family")
    expect(decision).to_contain_text("Priya Patel")
    expect(decision.locator(".govuk-tag--red")).to_contain_text("overdue")
    expect(item(page, "sign", "Moss family")).to_be_visible()
    expect(item(page, "letter", "Walsh family")).to_contain_text("to Lee Parker")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE_390["width"]

    # The decision: straight to its form, check the answers, record it, back to Needs you.
    morgan.press(decision.get_by_role("link", name="Record the decision"))
    expect(heading(page, "Record the decision")).to_be_visible()
    morgan.check("record the decision")
    morgan.radio("What are the next steps?", "Continue the engagement process, with a review date")
    morgan.type_date("Review date", timezone.localdate() + dt.timedelta(days=14))
    morgan.type_into(page.get_by_label("Why?"), "The school sees the children daily; a joint visit next.")
    morgan.radio("Did you consider referring back to the MASH?", "Yes")
    morgan.radio("Did you consider calling a multi-agency meeting?", "Yes")
    morgan.radio("Could level 2 services meet the family's needs?", "No")
    morgan.press(page.get_by_role("button", name="Continue"))
    expect(heading(page, "Check your answers before recording the decision")).to_be_visible()
    morgan.check("check your answers, decision")
    morgan.press(page.get_by_role("button", name="Record the decision"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The decision is recorded")
    morgan.check("flow chart, the decision recorded")
    back_to_needs_you(morgan)
    expect(heading(page, "Needs you")).to_be_visible()
    expect(item(page, "decision", "Davis family")).to_have_count(0)
    morgan.check("needs you, the decision recorded")
    assert Decision.objects.filter(episode=episode).exists()

    # The assessment: straight to the sign page, sign, back to Needs you.
    morgan.press(item(page, "sign", "Moss family").get_by_role("link", name="Sign the assessment"))
    expect(heading(page, "Sign the assessment")).to_be_visible()
    morgan.check("sign the assessment")
    morgan.type_into(page.get_by_label("Type your full name to sign"), manager.full_name)
    morgan.press(page.get_by_role("button", name="Sign the assessment"))
    # Signing renders and signs the PDF: allow it the time it takes on a busy machine.
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Assessment signed.", timeout=90_000
    )
    morgan.check("the assessment, signed")
    back_to_needs_you(morgan)
    expect(heading(page, "Needs you")).to_be_visible()
    expect(item(page, "sign", "Moss family")).to_have_count(0)
    morgan.check("needs you, the assessment signed")
    assessment.refresh_from_db()
    assert assessment.is_signed

    # The letter: its page shows why it is held; approving it comes back to Needs you.
    morgan.press(
        item(page, "letter", "Walsh family").get_by_role("link", name="Approve or refuse the letter")
    )
    expect(heading(page, "Approve or refuse the letter")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Siobhan Walsh: a domestic abuse concern is recorded")
    morgan.check("approve or refuse the letter")
    morgan.radio("Can this letter be sent safely?", "Yes, it can be sent")
    morgan.type_into(page.get_by_label("Reasons"), "Rang Siobhan on her own mobile: she asked us to write.")
    morgan.press(page.get_by_role("button", name="Record the decision"))
    expect(heading(page, "Needs you")).to_be_visible()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    expect(item(page, "letter", "Walsh family")).to_have_count(0)
    morgan.check("needs you, all three cleared", shot="needs-you-cleared")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED
    morgan.finished_by_keyboard(
        "Line manager on a phone: clear a decision, an assessment to sign and a held letter from Needs you"
    )
    assert Assessment.objects.filter(status=AssessmentStatus.SUBMITTED).count() == 0
    # The page loads after signing in (the sign-in answer is the first "Needs you"); the team
    # dashboard is never one of them. docs/dashboard.md gives the count before "Needs you".
    assert not [url for url in loads if "/team/" in url]
    assert len(loads) == LOADS_AFTER, loads


def test_the_team_dashboard_leads_with_what_is_slipping(journeys, north):
    manager = north[0]
    morgan = journeys("Line manager", viewport=DESKTOP)
    page = morgan.page
    page.goto("/")
    expect(heading(page, "Sign in")).to_be_visible()
    morgan.check("sign in")
    morgan.type_into(page.get_by_label("Email address"), manager.email)
    morgan.type_into(page.get_by_label("Password"), PASSWORD)
    morgan.press(page.get_by_role("button", name="Sign in"))
    expect(heading(page, "Needs you")).to_be_visible()
    morgan.check("needs you")
    morgan.press(page.get_by_role("link", name="Team dashboard"))
    expect(heading(page, "North Early Help Team")).to_be_visible()
    slipping = page.locator(".app-slipping")
    expect(slipping).to_contain_text("Priya Patel")
    expect(slipping).to_contain_text("1 decision overdue")
    morgan.check("team dashboard, what is slipping", shot="team-dashboard-slipping")
    morgan.finished_by_keyboard("Line manager: the team dashboard, what is slipping")
