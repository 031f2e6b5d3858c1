"""A hostile incident on a phone, then the manager's review and the warning lifted, in the browser.

Coventry (001): "If a violent incident occurs, make a judgement without delay and contact a
manager immediately". Camden (004, section 7): report any incident of hostility "to their line
manager" and "to the allocated social worker who may convene a risk management meeting".

Priya, on her phone, logs a call in which Grace threatened her, ticking "Hostility or violence":
the attempt is saved and she is taken straight to the incident form, filled in from the call. She
saves it: her manager and the allocated social worker are told, and the case shows "Visit in
pairs" on its page, on her list and on the attempt form. Morgan, her manager, finds the incident
in the oversight queue, records a review and lifts the warning with a reason. Sam, the allocated
social worker, finds the incident on their page for the case, on a phone, and records their own
review after the risk management meeting. Every page is checked
with axe-core (no serious or critical violation) and at 320px (tests/e2e/audit.py); with
SCREENSHOTS_DIR set, the main pages are photographed as hostile-incident-*.png.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.notifications import Notification, NotificationKind
from engagement.models import ContactAttempt
from engagement.safety.models import HostileIncident, HostileIncidentReview, LoneWorkingWarning
from tests.factories import (
    AdultFactory,
    CaseFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    RelationshipFactory,
    SocialWorkerMembershipFactory,
    TeamFactory,
)
from tests.factories.cases import PASSWORD

from .conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

THREAT = "Grace said that if anyone came to the house again she would set the dog on them."


def sign_in(journey, email: str) -> None:
    page = journey.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    journey.check("sign in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


@pytest.fixture
def family(_seeded):
    manager = ManagerFactory(email="morgan.hughes@northshire.example", full_name="Morgan Hughes")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(email="priya.patel@northshire.example", full_name="Priya Patel", team=team)
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Okafor family",
        referral_date=timezone.localdate() - dt.timedelta(days=2),
    )
    child = ChildFactory(case=case, full_name="Chidi Okafor")
    grace = AdultFactory(case=case, full_name="Grace Okafor", preferred_contact_method="phone")
    RelationshipFactory(adult=grace, child=child, kind="mother")
    social_worker = SocialWorkerMembershipFactory(
        case=case, user__email="sam.obi@northshire.example", user__full_name="Sam Obi"
    ).user
    return {"manager": manager, "lead": lead, "case": case, "grace": grace, "social_worker": social_worker}


def test_a_hostile_call_on_a_phone_reaches_the_manager_who_reviews_and_lifts_the_warning(family, journeys):
    case = family["case"]
    practitioner_records_the_incident_on_a_phone(family, journeys)
    manager_reviews_and_lifts_the_warning(family, journeys)
    social_worker_reviews_after_the_meeting(family, journeys)

    incident = HostileIncident.objects.get(case=case)
    assert incident.attempt == ContactAttempt.objects.get(case=case)
    told = Notification.objects.filter(kind=NotificationKind.HOSTILE_INCIDENT)
    assert sorted(n.recipient.email for n in told) == [
        family["manager"].email,
        family["social_worker"].email,
    ]
    manager_review, social_worker_review = HostileIncidentReview.objects.filter(incident=incident).order_by(
        "pk"
    )
    assert manager_review.reviewed_by == family["manager"] and manager_review.warning_stays is False
    # The warning was already lifted: the social worker's review does not ask about it.
    assert social_worker_review.reviewed_by == family["social_worker"]
    assert social_worker_review.warning_stays is None
    warning = LoneWorkingWarning.objects.get(case=case)
    assert warning.lifted_by == family["manager"] and warning.lift_reason


def practitioner_records_the_incident_on_a_phone(family, journeys) -> None:
    priya = journeys("Lead practitioner", viewport=PHONE)
    page = priya.page
    sign_in(priya, family["lead"].email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today")
    page.get_by_role("link", name="Okafor family").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case")
    page.get_by_role("link", name="Record an attempt").first.click()
    expect(heading(page, "Record a contact attempt")).to_be_visible()
    priya.check("record an attempt")

    # The call, as it happened: Grace answered and threatened her. Date and time are now already.
    page.get_by_label("Kind of attempt").select_option(label="Telephone call")
    page.get_by_label("What happened").select_option(label="Spoke with them")
    page.get_by_label("With whom in the family").select_option(label="Grace Okafor")
    page.get_by_label("Responded with hostility or abuse").check()
    page.get_by_label("Notes").fill(THREAT)
    page.get_by_text("What you noticed: non-engagement, the child, challenge").click()
    page.get_by_label("Hostility or violence").check()
    page.get_by_role("button", name="Save the attempt").click()

    # Straight on to the incident form, the attempt saved and what it said filled in.
    expect(heading(page, "Record a hostile incident")).to_be_visible()
    priya.check("hostile incident form", shot="hostile-incident-form", shot_at=".govuk-grid-row")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        ["Telephone call", "Record the hostile incident now"]
    )
    expect(page.get_by_label("Where did it happen?")).to_have_value("On the telephone")
    expect(page.get_by_label("Grace Okafor")).to_be_checked()
    expect(page.get_by_label("What happened?")).to_have_value(THREAT)
    expect(page.get_by_label("Priya Patel")).to_be_checked()
    page.get_by_label("Threats").check()
    page.get_by_label("Animals used to intimidate, or a danger").check()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Save and tell the manager").click()

    expect(heading(page, "Hostile incident,")).to_be_visible()
    priya.check("hostile incident", shot="hostile-incident-recorded")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Morgan Hughes and Sam Obi have been told"
    )
    expect(page.locator("#lone-working-warning")).to_contain_text("Visit in pairs")
    # The lead practitioner reads the incident but does not review it or lift the warning.
    expect(page.get_by_role("link", name="Record a review")).to_have_count(0)
    expect(page.get_by_role("link", name="Lift the warning")).to_have_count(0)

    page.get_by_role("link", name="Back to the case").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, visit in pairs", shot="hostile-incident-case")
    on = timezone.localdate().strftime("%-d %B %Y")
    expect(page.locator("#lone-working-warning")).to_contain_text(f"Visit in pairs: hostile incident on {on}")
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="My cases").click()
    expect(heading(page, "My cases")).to_be_visible()
    priya.check("my cases, visit in pairs", shot="hostile-incident-my-cases")
    expect(page.get_by_role("row").filter(has_text=case_reference(family))).to_contain_text("Visit in pairs")
    page.get_by_role("link", name="Okafor family").click()
    priya.check("case, again")
    page.get_by_role("link", name="Record an attempt").first.click()
    expect(heading(page, "Record a contact attempt")).to_be_visible()
    priya.check("record an attempt, visit in pairs")
    expect(page.locator("#lone-working-warning")).to_contain_text("Visit in pairs")


def case_reference(family) -> str:
    return family["case"].reference


def manager_reviews_and_lifts_the_warning(family, journeys) -> None:
    morgan = journeys("Line manager", viewport=DESKTOP)
    page = morgan.page
    sign_in(morgan, family["manager"].email)
    # A manager starts on "Needs you", where the incident waits for a review.
    expect(heading(page, "Needs you")).to_be_visible()
    morgan.check("needs you", shot="hostile-incident-queue")
    queue = page.locator('.app-needs-you__item[data-kind="hostile"]')
    expect(queue).to_contain_text("Okafor family")
    expect(queue).to_contain_text("Hostile incident to review")
    queue.get_by_role("link", name="Review the incident").click()

    expect(heading(page, "Review the hostile incident")).to_be_visible()
    morgan.check("review the hostile incident", shot="hostile-incident-review")
    page.get_by_role("group", name="Was a risk management meeting held?").get_by_label("Yes").check()
    today = timezone.localdate()
    meeting = page.get_by_role("group", name="Date of the meeting")
    meeting.get_by_label("Day").fill(str(today.day))
    meeting.get_by_label("Month").fill(str(today.month))
    meeting.get_by_label("Year").fill(str(today.year))
    page.get_by_label("The safety plan").fill(
        "Meet Grace at the children's centre with a colleague; no home visits while the dog is there."
    )
    page.get_by_role("group", name="Should the lone-working warning").get_by_label("No").check()
    page.get_by_role("button", name="Record the review").click()

    # The review said the warning need not stay: on to lifting it, with the reason.
    expect(heading(page, "Lift the lone-working warning")).to_be_visible()
    morgan.check("lift the warning", shot="hostile-incident-lift")
    page.get_by_role("button", name="Lift the warning").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the warning can be lifted")
    morgan.check("lift the warning, no reason")
    page.get_by_label("Why can the warning be lifted?").fill(
        "The meeting agreed office meetings only; Grace has rehomed the dog."
    )
    page.get_by_role("button", name="Lift the warning").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    morgan.check("case, warning lifted")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "lone-working warning is lifted"
    )
    expect(page.locator("#lone-working-warning")).to_have_count(0)

    # The incident left the queue once reviewed; the chronology holds it, the review and the lift.
    page.get_by_role("link", name="Needs you").click()
    morgan.check("needs you, reviewed")
    expect(page.locator('.app-needs-you__item[data-kind="hostile"]')).to_have_count(0)
    page.goto(f"/engagement/cases/{family['case'].pk}/chronology/")
    morgan.check("chronology", shot="hostile-incident-chronology", shot_at="#hostile-incidents")
    section = page.locator("#hostile-incidents")
    expect(section).to_contain_text("Lone-working warning lifted")
    expect(section).to_contain_text("Review of the hostile incident")
    expect(section).to_contain_text("Hostile incident")


def social_worker_reviews_after_the_meeting(family, journeys) -> None:
    sam = journeys("Allocated social worker", viewport=PHONE)
    page = sam.page
    sign_in(sam, family["social_worker"].email)
    expect(heading(page, "My allocated cases")).to_be_visible()
    sam.check("my allocated cases")
    page.get_by_role("link", name=f"Okafor family ({case_reference(family)})").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    sam.check("allocated case")
    incidents = page.locator("#hostile-incidents + p + table")
    # The manager has reviewed it already; the warning is lifted, so the page shows none.
    expect(incidents).to_contain_text("1")
    expect(page.locator("#lone-working-warning")).to_have_count(0)
    incidents.get_by_role("link", name="Hostile incident,").click()

    expect(heading(page, "Hostile incident,")).to_be_visible()
    sam.check("hostile incident (social worker)")
    expect(page.get_by_role("link", name="Lift the warning")).to_have_count(0)
    page.get_by_role("link", name="Record a review").click()
    expect(heading(page, "Review the hostile incident")).to_be_visible()
    sam.check("review the hostile incident (social worker)")
    page.get_by_role("group", name="Was a risk management meeting held?").get_by_label("Yes").check()
    today = timezone.localdate()
    meeting = page.get_by_role("group", name="Date of the meeting")
    meeting.get_by_label("Day").fill(str(today.day))
    meeting.get_by_label("Month").fill(str(today.month))
    meeting.get_by_label("Year").fill(str(today.year))
    page.get_by_label("The safety plan").fill(
        "Joint visits with the health visitor; Sam to attend the next core group."
    )
    page.get_by_role("button", name="Record the review").click()

    expect(heading(page, "Hostile incident,")).to_be_visible()
    sam.check("hostile incident, reviewed by the social worker")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your review is recorded")
    page.get_by_role("link", name="Back to the case").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    sam.check("allocated case, reviewed")
    expect(page.locator("#hostile-incidents + p + table")).to_contain_text("2")


def keyboard_sign_in(journey, email: str) -> None:
    page = journey.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    journey.check("sign in")
    journey.type_into(page.get_by_label("Email address"), email)
    journey.type_into(page.get_by_label("Password"), PASSWORD)
    journey.press(page.get_by_role("button", name="Sign in"))


def test_the_hostile_incident_journey_with_the_keyboard_alone(family, journeys):
    """The journey above with Tab, Shift+Tab, Enter, Space and the arrow keys only: the practitioner
    records the call and the incident, the manager reviews it and lifts the warning, the allocated
    social worker records their review."""
    case = family["case"]
    today = timezone.localdate()

    priya = journeys("Lead practitioner", viewport=PHONE)
    page = priya.page
    keyboard_sign_in(priya, family["lead"].email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today")
    priya.press(page.get_by_role("link", name="Okafor family"))
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case")
    priya.press(page.get_by_role("link", name="Record an attempt").first)
    expect(heading(page, "Record a contact attempt")).to_be_visible()
    priya.check("record an attempt")
    priya.choose(page.get_by_label("Kind of attempt"), "Telephone call")
    priya.choose(page.get_by_label("What happened"), "Spoke with them")
    priya.choose(page.get_by_label("With whom in the family"), "Grace Okafor")
    priya.radio("What the family said", "Responded with hostility or abuse")
    priya.type_into(page.get_by_label("Notes"), THREAT)
    priya.open_details("What you noticed: non-engagement, the child, challenge")
    priya.tick(page.get_by_label("Hostility or violence"))
    priya.press(page.get_by_role("button", name="Save the attempt"))

    expect(heading(page, "Record a hostile incident")).to_be_visible()
    priya.check("hostile incident form")
    expect(page.get_by_label("What happened?")).to_have_value(THREAT)
    priya.tick(page.get_by_label("Threats"))
    priya.tick(page.get_by_label("Animals used to intimidate, or a danger"))
    priya.press(page.get_by_role("button", name="Save and tell the manager"))
    expect(heading(page, "Hostile incident,")).to_be_visible()
    priya.check("hostile incident")
    priya.press(page.get_by_role("link", name="Back to the case"))
    expect(page.locator("#lone-working-warning")).to_contain_text("Visit in pairs")
    priya.check("case, visit in pairs")
    priya.press(page.get_by_role("button", name="Menu"))
    priya.press(page.get_by_role("link", name="My cases"))
    expect(heading(page, "My cases")).to_be_visible()
    priya.check("my cases, visit in pairs")
    priya.finished_by_keyboard("the practitioner records a hostile call and its incident")

    morgan = journeys("Line manager", viewport=DESKTOP)
    page = morgan.page
    keyboard_sign_in(morgan, family["manager"].email)
    # A manager starts on "Needs you", where the incident waits for a review.
    expect(heading(page, "Needs you")).to_be_visible()
    morgan.check("needs you")
    queue = page.locator('.app-needs-you__item[data-kind="hostile"]')
    expect(queue).to_contain_text("Okafor family")
    morgan.press(queue.get_by_role("link", name="Review the incident"))
    expect(heading(page, "Review the hostile incident")).to_be_visible()
    morgan.check("review the hostile incident")
    morgan.radio("Was a risk management meeting held?", "Yes")
    morgan.type_date("Date of the meeting", today)
    morgan.type_into(
        page.get_by_label("The safety plan"),
        "Meet Grace at the children's centre with a colleague; no home visits while the dog is there.",
    )
    morgan.radio("Should the lone-working warning", "No")
    morgan.press(page.get_by_role("button", name="Record the review"))
    expect(heading(page, "Lift the lone-working warning")).to_be_visible()
    morgan.check("lift the warning")
    morgan.type_into(
        page.get_by_label("Why can the warning be lifted?"),
        "The meeting agreed office meetings only; Grace has rehomed the dog.",
    )
    morgan.press(page.get_by_role("button", name="Lift the warning"))
    expect(heading(page, "Okafor family")).to_be_visible()
    morgan.check("case, warning lifted")
    expect(page.locator("#lone-working-warning")).to_have_count(0)
    morgan.finished_by_keyboard("the manager reviews a hostile incident and lifts the warning")

    sam = journeys("Allocated social worker", viewport=PHONE)
    page = sam.page
    keyboard_sign_in(sam, family["social_worker"].email)
    expect(heading(page, "My allocated cases")).to_be_visible()
    sam.check("my allocated cases")
    sam.press(page.get_by_role("link", name=f"Okafor family ({case_reference(family)})"))
    expect(heading(page, "Okafor family")).to_be_visible()
    sam.check("allocated case")
    sam.press(page.locator("#hostile-incidents + p + table").get_by_role("link", name="Hostile incident,"))
    expect(heading(page, "Hostile incident,")).to_be_visible()
    sam.check("hostile incident (social worker)")
    sam.press(page.get_by_role("link", name="Record a review"))
    expect(heading(page, "Review the hostile incident")).to_be_visible()
    sam.check("review the hostile incident (social worker)")
    sam.radio("Was a risk management meeting held?", "Yes")
    sam.type_date("Date of the meeting", today)
    sam.type_into(
        page.get_by_label("The safety plan"),
        "Joint visits with the health visitor; Sam to attend the next core group.",
    )
    sam.press(page.get_by_role("button", name="Record the review"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your review is recorded")
    sam.check("hostile incident, reviewed by the social worker")
    sam.finished_by_keyboard("the allocated social worker reviews a hostile incident")

    incident = HostileIncident.objects.get(case=case)
    assert incident.attempt == ContactAttempt.objects.get(case=case)
    assert HostileIncidentReview.objects.filter(incident=incident).count() == 2
    assert LoneWorkingWarning.objects.get(case=case).lifted_by == family["manager"]
