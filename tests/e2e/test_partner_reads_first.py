"""In the browser, on a 390px phone: the multi-agency member reads the shared assessment before
saying they have read it (issue 20, "content first").

Morgan signed the Walsh family's assessment, which shares it with Alex Adeyemi from the school.
Alex opens it from "Assessments shared with you": the assessment comes first in the page, then
"I have read this assessment", reached with the keyboard alone. Every page is checked with axe-core
and at 320px (see audit.py). The mail Alex was sent names Morgan, who signed it.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from cases.notifications import Notification
from riskassessment import services
from riskassessment.models import Share
from tests.factories import (
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)
from tests.factories.cases import PASSWORD
from tests.riskassessment.conftest import fill, oversee

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}

# True when the first element comes before the second in the document.
BEFORE = "([a, b]) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING)"


@pytest.fixture
def shared(_seeded):
    manager = ManagerFactory(email="morgan@example.test", full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel", team=team)
    case = CaseFactory(lead_practitioner=lead, family_name="Walsh family")
    ChildFactory(case=case, full_name="Connor Walsh", date_of_birth=dt.date(2012, 5, 1))
    member = AgencyMemberFactory(email="alex@example.test", full_name="Alex Adeyemi")
    CaseMembershipFactory(case=case, user=member)
    assessment = services.assessment_start(case=case, by=lead)
    fill(assessment, lead)
    services.assessment_submit(assessment=assessment, by=lead)
    oversee(assessment, manager)
    services.assessment_sign(assessment=assessment, by=manager, typed_name="Morgan Manager")
    return assessment, member


def test_the_partner_reads_the_assessment_before_acknowledging_it(journeys, shared):
    assessment, member = shared
    assert Notification.objects.get(recipient=member).body.startswith("Morgan Manager signed the assessment")

    alex = journeys("Multi-agency member", viewport=PHONE_390)
    page = alex.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    alex.check("sign in")
    alex.type_into(page.get_by_label("Email address"), member.email)
    alex.type_into(page.get_by_label("Password"), PASSWORD)
    alex.press(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", level=1, name="Assessments shared with you")).to_be_visible()
    alex.check("shared with you")
    alex.press(page.get_by_role("table").get_by_role("link").filter(has_text="Walsh family"))
    expect(
        page.get_by_role("heading", level=1, name="Family Engagement Risk Assessment, version 1")
    ).to_be_visible()
    alex.check("shared assessment")

    acknowledge = page.get_by_role("button", name="I have read this assessment")
    analysis = page.get_by_text("The risks outweigh what protects the children").first
    plan = page.get_by_text("Joint visit with the school nurse").first
    for content in (analysis, plan):
        assert page.evaluate(BEFORE, [content.element_handle(), acknowledge.element_handle()])

    alex.press(acknowledge)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Thank you: the lead practitioner can see you have read it."
    )
    alex.check("shared assessment, acknowledged")
    alex.finished_by_keyboard(
        "Multi-agency member on a 390px phone: read the shared assessment, then acknowledge it"
    )
    assert Share.objects.get(assessment=assessment, member=member).acknowledged_at is not None
