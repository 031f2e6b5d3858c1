"""The practitioner's journeys of test_journeys.py that are not driven by the keyboard there,
completed here with the keyboard alone: opening a case (the family, a child, an adult and a
multi-agency member), recording the working together agreement and both signatures, and
informing the manager of the non-engagement.

Tab and Shift+Tab move focus, Enter and Space act, the arrow keys move within a radio group, and
the keys type into the focused box (tests/e2e/journey.py). A drawn signature needs a pointer: its
keyboard alternative on the same page is the typed name, which is what is used here. Every page
is checked with axe-core and at 320px, as in every journey.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case, MembershipRole, PersonKind
from engagement.documents.models import Agreement
from engagement.models import AttemptKind, AttemptOutcome
from flowchart.models import ManagerInformed, RiskChange
from flowchart.services import case_flowchart_refresh
from riskassessment import services as assessment_services
from riskassessment.models import Basis, FactorSide
from tests.factories import (
    ActionFactory,
    AdultFactory,
    AgencyFactory,
    AgencyMemberFactory,
    AssessmentFactory,
    CaseFactory,
    ChildFactory,
    ContactAttemptFactory,
    EpisodeFactory,
    FactorFactory,
    ManagerFactory,
    PractitionerFactory,
    RelationshipFactory,
    TeamFactory,
)

from .conftest import PHONE
from .test_journeys import unfold

pytestmark = pytest.mark.e2e


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


@pytest.fixture
def priya(_seeded):
    manager = ManagerFactory(email="morgan@example.test", full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    return PractitionerFactory(email="priya@example.test", full_name="Priya Patel", team=team)


def test_opening_a_case_with_the_keyboard_alone(journeys, priya):
    AgencyMemberFactory(
        email="alex@example.test",
        full_name="Alex Adeyemi",
        agency=AgencyFactory(name="Oakfield Primary School"),
    )
    today = timezone.localdate()
    journey = journeys("Lead practitioner", viewport=PHONE)
    page = journey.page
    journey.sign_in(priya.email)
    expect(heading(page, "My work today")).to_be_visible()
    journey.check("my work today")

    journey.go(
        page.get_by_role("link", name="Open a case").first, "Open a case from a referral", "open a case"
    )
    journey.type_into(page.get_by_label("Family name"), "Okafor family")
    journey.type_date("Referral date", today)
    journey.radio("Where the referral came from", "School or education")
    journey.type_into(page.get_by_label("Referrer's name"), "Helen Morris")
    journey.type_into(page.get_by_label("Referrer's organisation"), "Oakfield Primary School")
    journey.type_into(page.get_by_label("How to reach the referrer"), "0151 496 0321")
    journey.type_into(
        page.get_by_label("Reason for referral"), "Chidi's attendance has fallen to 72% this term."
    )
    level_3 = page.get_by_role("group", name="Threshold of need").get_by_role("radio", name="Level 3")
    journey.radio("Threshold of need", level_3.evaluate("(el) => el.labels[0].textContent.trim()"))
    journey.go(page.get_by_role("button", name="Open the case"), "Okafor family", "case, just opened")
    case = Case.objects.get(family_name="Okafor family")

    journey.press(unfold(page, "family"))
    journey.go(page.get_by_role("link", name="Add a child"), "Add a child")
    journey.type_into(page.get_by_label("Full name"), "Chidi Okafor")
    journey.type_date("Date of birth", dt.date(today.year - 7, 3, 14))
    journey.radio("Does the child live in the household?", "Yes")
    journey.go(
        page.get_by_role("button", name="Save the child's details"), "Okafor family", "case, child added"
    )

    journey.press(unfold(page, "family"))
    journey.go(
        page.get_by_role("link", name="Add a parent, carer or other adult"),
        "Add a parent, carer or other adult",
        "add an adult",
    )
    journey.type_into(page.get_by_label("Full name"), "Grace Okafor")
    journey.radio("Does this adult live in the household?", "Yes")
    journey.type_into(page.get_by_label("Phone number"), "07700 900461")
    journey.choose(page.get_by_label("Preferred way to be contacted"), "Text message")
    journey.choose(page.get_by_label("Relationship to Chidi Okafor"), "Mother")
    journey.go(
        page.get_by_role("button", name="Save the adult's details"), "Okafor family", "case, adult added"
    )

    journey.press(unfold(page, "people"))
    journey.go(
        page.get_by_role("link", name="Add a co-worker or multi-agency member"), "Add someone to the case"
    )
    journey.choose(page.get_by_label("Who"), "Alex Adeyemi (Oakfield Primary School)")
    journey.radio("Their role on the case", "Multi-agency meeting member")
    journey.type_into(
        page.get_by_label("Their role in their agency (optional)"), "Designated safeguarding lead"
    )
    journey.go(page.get_by_role("button", name="Add to the case"), "Okafor family", "case, member added")
    journey.finished_by_keyboard("the practitioner opens a case and adds a child, an adult and a member")

    assert case.people.filter(kind=PersonKind.CHILD, full_name="Chidi Okafor").exists()
    assert case.people.filter(kind=PersonKind.ADULT, full_name="Grace Okafor").exists()
    assert case.memberships.filter(
        user__email="alex@example.test", role=MembershipRole.AGENCY_MEMBER
    ).exists()


def test_the_working_together_agreement_with_the_keyboard_alone(journeys, priya):
    case = CaseFactory(
        lead_practitioner=priya,
        family_name="Okafor family",
        referral_date=timezone.localdate() - dt.timedelta(days=3),
    )
    chidi = ChildFactory(case=case, full_name="Chidi Okafor")
    grace = AdultFactory(case=case, full_name="Grace Okafor")
    RelationshipFactory(adult=grace, child=chidi, kind="mother")
    journey = journeys("Lead practitioner", viewport=PHONE)
    page = journey.page
    journey.sign_in(priya.email)
    expect(heading(page, "My work today")).to_be_visible()
    journey.check("my work today")
    journey.go(page.get_by_role("link", name="Okafor family"), "Okafor family", "case")
    journey.press(unfold(page, "records"))
    journey.go(page.get_by_role("link", name="Working together agreements"), "Working together agreements")
    journey.go(
        page.get_by_role("button", name="Start a new agreement"),
        "Working together agreement",
        "agreement wording",
    )
    journey.type_into(
        page.get_by_label("What we agree to work towards"), "Chidi gets to school on time every day."
    )
    journey.type_date("Review date", timezone.localdate() + dt.timedelta(days=28))
    journey.press(page.get_by_role("button", name="Save the draft"))
    expect(page.get_by_text("Draft agreement saved.")).to_be_visible()
    journey.check("agreement, draft")

    for who, name in (("Parent or carer", "Grace Okafor"), ("Lead practitioner", "Priya Patel")):
        journey.go(
            page.get_by_role("link", name="Record a signature"),
            "Sign the working together agreement",
            f"sign the agreement, {who}",
        )
        journey.radio("Who is signing", who)
        if who == "Parent or carer":
            journey.choose(page.get_by_label("Parent or carer signing"), name)
        journey.radio("How they are signing", "Typed name")
        journey.type_into(page.get_by_label("Full name, typed as the signature"), name)
        journey.press(page.get_by_role("button", name="Record the signature"))
        # Signing renders and signs the PDF within the request: slow on a busy machine.
        expect(page.locator(".govuk-notification-banner--success")).to_be_visible(timeout=60_000)
        journey.check(f"agreement, {who} signed")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Signed by both")
    journey.finished_by_keyboard("the practitioner records the agreement and both signatures")
    agreement = Agreement.objects.get(case=case)
    assert agreement.signatures.count() == 2


def _a_week_of_non_engagement(priya):
    """Day 7 of the flow chart for the Okafors: two attempts with Grace, no answer to either, and
    the assessment submitted to the manager (no elevated risk; one risk and one protective factor)."""
    today = timezone.localdate()
    case = CaseFactory(
        lead_practitioner=priya, family_name="Okafor family", referral_date=today - dt.timedelta(days=6)
    )
    chidi = ChildFactory(case=case, full_name="Chidi Okafor")
    grace = AdultFactory(case=case, full_name="Grace Okafor")
    EpisodeFactory(case=case)
    for days_ago, kind in ((5, AttemptKind.PHONE_CALL), (3, AttemptKind.UNANNOUNCED_VISIT)):
        ContactAttemptFactory(
            case=case,
            with_person=grace,
            kind=kind,
            outcome=AttemptOutcome.NO_ANSWER,
            occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        )
    case_flowchart_refresh(case=case)
    assessment = AssessmentFactory(
        case=case, analysis="Housing pressure; Chidi may be caring for his mother.", elevated_risk=False
    )
    assessment.children.set([chidi])
    FactorFactory(assessment=assessment, basis=Basis.GREY_AREA, evidence="", description="Curtains closed")
    FactorFactory(assessment=assessment, side=FactorSide.PROTECTIVE, description="Chidi is in school")
    ActionFactory(assessment=assessment, by_when=today + dt.timedelta(days=7))
    assessment_services.assessment_submit(assessment=assessment, by=priya)
    return case


def test_informing_the_manager_with_the_keyboard_alone(journeys, priya):
    """Knowsley 000, Appendix 4: "Inform Manager of non-engagement and update on what strategies
    have been tried, share the outcome of the Family Engagement Risk Assessment". Both are already
    recorded, so the form starts from them: the practitioner checks them, adds what is missing and
    submits, with the keyboard alone."""
    case = _a_week_of_non_engagement(priya)
    journey = journeys("Lead practitioner", viewport=PHONE)
    page = journey.page
    journey.sign_in(priya.email)
    expect(heading(page, "My work today")).to_be_visible()
    journey.check("my work today")
    journey.go(page.get_by_role("link", name="Okafor family").first, "Okafor family", "case")
    journey.press(unfold(page, "flowchart"))
    journey.go(
        page.get_by_role("link", name="Inform your manager"), "Inform your manager of the non-engagement"
    )

    # The attempts of this run of the flow chart, one a line, and the assessment's outcome.
    strategies = page.get_by_label("What strategies have you tried")
    outcome = page.get_by_label("What is the outcome of the Family Engagement Risk Assessment?")
    attempts = strategies.input_value().splitlines()
    assert [line.split(": ", 1)[1] for line in attempts] == [
        "Telephone call with Grace Okafor (no answer)",
        "Unannounced home visit with Grace Okafor (no answer)",
    ]
    prefilled_outcome = outcome.input_value()
    assert prefilled_outcome == (
        f"Family Engagement Risk Assessment version 1 (submitted to the manager), dated "
        f"{timezone.localdate():%-d %B %Y}: no elevated risk of significant harm; 1 risk factor(s), "
        "1 protective factor(s).\nAnalysis and conclusion: Housing pressure; Chidi may be caring for his mother."
    )

    # What the chronology does not hold is added at the end of the attempts, as typed.
    journey.tab_to(strategies)
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type("\nAsked the school to pass on a note to Grace.")
    journey.radio("Does the non-engagement increase the risk to the children?", "Not sure yet")
    journey.go(
        page.get_by_role("button", name="Record that your manager is informed"),
        "Okafor family: flow chart",
        "flow chart, manager informed",
    )
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your manager has been told")
    journey.finished_by_keyboard("the practitioner informs the manager from the pre-filled form")

    informed = ManagerInformed.objects.get(episode__case=case)
    assert informed.informed_by == priya
    assert informed.manager.email == "morgan@example.test"
    assert informed.strategies_tried.replace("\r\n", "\n").splitlines() == [
        *attempts,
        "Asked the school to pass on a note to Grace.",
    ]
    assert informed.fera_outcome.replace("\r\n", "\n") == prefilled_outcome
    assert informed.risk_increased == RiskChange.NOT_SURE
