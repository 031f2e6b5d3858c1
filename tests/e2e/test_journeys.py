"""Each role end to end in the browser, over one family's 15 days, with the clock moved forward.

The admin publishes a new version of the flow chart and adds an example factor; Priya opens a
case from a school's referral and works through the flow chart day by day, completes the Family
Engagement Risk Assessment and tells her manager; Morgan, her manager, records oversight, signs
the assessment and decides the next steps; Alex, the school's safeguarding lead, reads and
acknowledges the shared assessment; then Priya and the mother sign a working together agreement
on the doorstep, the mother drawing her signature on the phone.

Every page each person loads is checked with axe-core and at 320px (see audit.py). Signing in,
logging every contact attempt, all of the manager's and the agency member's work and the admin's
catalogue change are done with the keyboard alone (see journey.py); opening the case, the
assessment, the agreement (a drawn signature needs a pointer) and the pathway change use the
mouse, as most people will.
"""

import datetime as dt
import subprocess
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from cases.calendar import Calendar
from cases.documents.pdf import verify_pdf
from cases.models import Case
from engagement.models import ContactAttempt
from flowchart.services import case_flowchart_refresh
from riskassessment.models import AssessmentStatus, FactorCategory
from tests.factories import (
    AdminFactory,
    AdultFactory,
    AgencyFactory,
    AgencyMemberFactory,
    CaseFactory,
    ChildFactory,
    ContactAttemptFactory,
    EpisodeFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)
from tests.factories.cases import PASSWORD

from .conftest import DESKTOP, PHONE

# Managers and admins sign in with an authenticator code, as configured for production.
pytestmark = [pytest.mark.e2e, pytest.mark.mfa]

LONDON = ZoneInfo("Europe/London")
WORKING_DAYS = Calendar(working_days=True)
NEW_FACTOR = "Rent arrears and the threat of eviction"

# (day, kind, what happened, with whom, notes[, what the family said]): the minimum the flow chart
# asks, as Priya logs them. On day 4 Grace answers and says she does not want support: contact,
# not engagement, so the flow chart runs on.
ATTEMPTS = [
    (1, "Telephone call", "No answer", "Grace Okafor", "Rang Grace's mobile at 9am; it rang out."),
    (2, "Telephone call", "Message left", "Grace Okafor", "Left a voicemail saying who I am."),
    (3, "Telephone call", "No answer", "Grace Okafor", "Rang at 5pm after the school run."),
    (
        3,
        "Liaison with the referrer or another practitioner",
        "Discussed with the professional",
        "",
        "Helen at the school says Grace collects the children most days.",
    ),
    (
        4,
        "Telephone call",
        "Spoke with them",
        "Grace Okafor",
        "Grace answered at lunchtime and said she does not want anyone to visit.",
        "Said they do not want support",
    ),
    (
        5,
        "Unannounced home visit",
        "Not at home",
        "",
        "No answer. Left a letter giving the time of my next visit.",
    ),
    (6, "Telephone call", "Message left", "Grace Okafor", "Reminded Grace of tomorrow's visit at 10am."),
    (7, "Announced home visit", "Door not opened though someone was inside", "", "TV on; no one came."),
    (8, "Joint visit with a trusted third party", "Not at home", "", "Visited with the school nurse."),
    (10, "Unannounced home visit", "Not at home", "", "Left my card asking Grace to call me."),
    (10, "Letter", "Letter sent", "Grace Okafor", "Sent the day-10 letter asking Grace to get in touch."),
    (
        12,
        "Liaison with the referrer or another practitioner",
        "Discussed with the professional",
        "",
        "Agreed with Helen to complete the risk assessment together.",
    ),
]


class Clock:
    """The service's clock, moved forward through the days; it keeps ticking between moves."""

    def __init__(self, time_machine, day1: dt.date):
        self.time_machine = time_machine
        self.day1 = day1

    def day(self, number: int) -> dt.date:
        return WORKING_DAYS.date_of_day(self.day1, number)

    def to_day(self, number: int, hour: int = 9, minute: int = 0) -> None:
        when = dt.datetime.combine(self.day(number), dt.time(hour, minute), tzinfo=LONDON)
        self.time_machine.move_to(when, tick=True)


@pytest.fixture
def service(journeys, time_machine):
    """The North Early Help Team, its manager, the school's safeguarding lead and an admin."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    manager = ManagerFactory(email="morgan.hughes@northshire.example", full_name="Morgan Hughes")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(email="priya.patel@northshire.example", full_name="Priya Patel", team=team)
    school = AgencyFactory(name="Oakfield Primary School")
    member = AgencyMemberFactory(
        email="alex.adeyemi@oakfield.example", full_name="Alex Adeyemi", agency=school
    )
    admin = AdminFactory(email="sam.okoro@northshire.example", full_name="Sam Okoro")
    # Managers and admins sign in with an authenticator app: enrol one for each, as they would.
    secrets = {}
    for user in (manager, admin):
        secrets[user.email] = generate_totp_secret()
        TOTP.activate(user, secrets[user.email])
    # Day 1 is next Monday (or the first working day after): the clock only moves forward from
    # real time, so the signing certificate made when the run started is valid throughout.
    today = dt.date.today()
    day1 = today + dt.timedelta(days=7 - today.weekday())
    while not WORKING_DAYS.is_working_day(day1):
        day1 += dt.timedelta(days=1)
    cache.clear()  # login rate limits and used authenticator codes from earlier tests
    clock = Clock(time_machine, day1)
    clock.to_day(1, 7, 0)
    background_families(team, lead)
    return {
        "lead": lead,
        "manager": manager,
        "member": member,
        "admin": admin,
        "secrets": secrets,
        "clock": clock,
    }


def background_families(team, lead) -> None:
    """The rest of the team's caseload, so the lists and the dashboard look like a working week."""
    colleague = PractitionerFactory(email="tom.reid@northshire.example", full_name="Tom Reid", team=team)
    today = timezone.localdate()
    # (family, lead, working days since referral, attempts on those days, outcome of the last)
    families = [
        ("Walsh family", lead, 6, [1, 2, 3, 4, 5], "not_at_home"),
        ("Hussain family", lead, 9, [1, 2, 4], "seen"),
        ("Taylor family", colleague, 2, [1], "no_answer"),
    ]
    for name, who, days_ago, attempt_days, last_outcome in families:
        referral = WORKING_DAYS.add(today, -days_ago)
        case = CaseFactory(family_name=name, lead_practitioner=who, referral_date=referral)
        ChildFactory(case=case)
        parent = AdultFactory(case=case)
        EpisodeFactory(case=case)
        for number in attempt_days:
            ContactAttemptFactory(
                case=case,
                with_person=parent,
                occurred_at=dt.datetime.combine(
                    WORKING_DAYS.date_of_day(referral, number), dt.time(10, 30), tzinfo=LONDON
                ),
                kind="unannounced_visit" if number == 5 else "phone_call",
                outcome=last_outcome if number == attempt_days[-1] else "no_answer",
            )
        case_flowchart_refresh(case=case)


def authenticator_code(secret: str, clock: Clock) -> str:
    """The code the authenticator app shows now, as allauth computes it."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    period = app_settings.TOTP_PERIOD
    # A code read in its last seconds could expire before the form is sent: wait for the next.
    if time.time() % period > period - 6:
        clock.time_machine.move_to(
            dt.datetime.fromtimestamp((time.time() // period + 1) * period, LONDON), tick=True
        )
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(journey, email: str, *, secret: str | None = None, clock=None) -> None:
    """Sign in through the real login page, with the keyboard, and the authenticator code if asked."""
    page = journey.page
    page.goto("/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    journey.check("sign in", shot="sign-in")
    journey.type_into(page.get_by_label("Email address"), email)
    journey.type_into(page.get_by_label("Password"), PASSWORD)
    journey.press(page.get_by_role("button", name="Sign in"))
    if secret:
        expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
        journey.check("authenticator code")
        journey.type_into(
            page.get_by_label("Enter the code from your authenticator app"), authenticator_code(secret, clock)
        )
        journey.press(page.get_by_role("button", name="Continue"))


def success(page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def unfold(page, section: str):
    """Open one of the case page's folded sections ("family", "people", "flowchart", "records",
    "referral", "safety"): a GOV.UK details element, closed until opened."""
    return page.locator(f"summary:has(#case-sections-heading-{section})")


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


def download_and_verify(journey, link, *, images: int = 0) -> bytes:
    """Download a signed PDF from a link (by keyboard) and check its signature is the organisation's."""
    with journey.page.expect_download() as info:
        journey.press(link)
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    verification = verify_pdf(pdf)
    assert verification.ok, verification.problem
    if images:
        listed = subprocess.run(
            ["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert len(listed.strip().splitlines()) - 2 >= images, listed
    return pdf


@pytest.mark.slow
def test_each_role_end_to_end_over_fifteen_days(service, journeys):
    admin_changes_the_pathway_and_the_catalogue(service, journeys)
    case = practitioner_works_through_the_flow_chart(service, journeys)
    manager_oversees_signs_and_decides(service, journeys, case)
    agency_member_reads_and_acknowledges(service, journeys, case)
    practitioner_records_the_working_together_agreement(service, journeys, case)

    # What the pages said is what was recorded.
    episode = case.episodes.get()
    assert episode.version.number == 3 and episode.decision.outcome == "continue"
    assessment = case.assessments.get()
    assert assessment.status == AssessmentStatus.SHARED
    assert assessment.shares.get(member=service["member"]).acknowledged_at is not None
    assert case.agreements.get().signatures.count() == 2


# The admin: a new version of the flow chart, and a new example factor for the assessment.


def admin_changes_the_pathway_and_the_catalogue(service, journeys):
    clock = service["clock"]
    clock.to_day(1, 7, 45)
    sam = journeys("Admin", viewport=DESKTOP)
    page = sam.page
    sign_in(sam, service["admin"].email, secret=service["secrets"][service["admin"].email], clock=clock)
    expect(page.get_by_role("heading", name="Configuration")).to_be_visible()
    sam.check("configuration")

    # The council has decided the assessment must be done by day 12, not 13.
    page.get_by_role("link", name="Pathway versions").click()
    sam.check("pathway versions")
    # Version 2 is the guidance's revision of the seed (oversight on day 13, "if possible" steps).
    page.get_by_role(
        "checkbox", name="Select this object for an action - 15-day non-engagement flow chart, version 2"
    ).check()
    page.get_by_label("Action:").select_option(label="Make a new draft version from the selected version")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("Draft version 3 of")).to_be_visible()
    sam.check("pathway versions, draft made")
    page.get_by_role("row").filter(has_text="Draft: can be edited").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Change pathway version")).to_be_visible()
    sam.check("draft pathway version")
    step = page.locator(".inline-related").filter(
        has=page.locator("input[value='Complete the Family Engagement Risk Assessment']")
    )
    step.get_by_label("Day").fill("12")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    sam.check("pathway versions, draft saved")
    page.get_by_role("row").filter(has_text="Draft: can be edited").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option(label="Publish the selected draft (new cases will follow it)")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("Version 3 of")).to_be_visible()
    sam.check("pathway versions, published")

    # A new example factor, added with the keyboard alone.
    sam.press(page.get_by_role("navigation", name="Breadcrumbs").get_by_role("link", name="Home"))
    expect(page.get_by_role("heading", name="Configuration")).to_be_visible()
    sam.check("configuration, again")
    sam.press(page.get_by_role("row", name="Example factors").get_by_role("link", name="Add").first)
    expect(page.get_by_role("heading", name="Add example factor")).to_be_visible()
    sam.check("add example factor")
    sam.choose(page.get_by_label("Type of factor"), "Risk factor")
    sam.type_into(page.get_by_label("Factor:", exact=True), NEW_FACTOR)
    sam.type_into(page.get_by_label("Order in the list"), "14")
    sam.press(page.get_by_role("button", name="Save", exact=True))
    expect(page.get_by_text("was added successfully")).to_be_visible()
    sam.check("example factors")
    expect(page.locator("#result_list").get_by_role("link", name=NEW_FACTOR)).to_be_visible()
    sam.finished_by_keyboard("Admin: add an example factor to the assessment catalogue")
    assert FactorCategory.objects.filter(name=NEW_FACTOR, kind="risk", is_active=True).exists()


# The lead practitioner: the referral, fifteen days of attempts, the assessment.


def practitioner_works_through_the_flow_chart(service, journeys) -> Case:
    clock = service["clock"]
    lead = service["lead"]
    priya = journeys("Lead practitioner", viewport=PHONE)
    page = priya.page

    clock.to_day(1, 9, 0)
    sign_in(priya, lead.email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today")
    case = open_the_case(priya, clock)

    days = sorted({a[0] for a in ATTEMPTS})
    for day in days:
        todays = [a for a in ATTEMPTS if a[0] == day]
        if day > 1:
            clock.to_day(day, 9, 30)
            sign_in(priya, lead.email)
            expect(heading(page, "My work today")).to_be_visible()
            priya.check("my work today")
            expect(page.locator(f'[data-case="{case.reference}"]')).to_contain_text(f"Day {day} of 15")
            if day == 5:  # once more without the "signed in" banner, for the docs' picture
                # On a phone the service navigation folds behind its Menu button.
                priya.press(page.get_by_role("button", name="Menu"))
                priya.press(page.get_by_role("link", name="My cases"))
                expect(heading(page, "My cases")).to_be_visible()
                priya.check("my cases, again", shot="my-cases")
            priya.press(page.get_by_role("link", name="Okafor family"))
            expect(heading(page, "Okafor family")).to_be_visible()
            priya.check("case", shot="case" if day == 5 else None)
            if day == 5:
                # Grace said no on day 4: the flow chart is still running, with every step owed.
                panel = page.locator(".app-flowchart-panel")
                expect(panel).to_contain_text("Today is day 5.")
                expect(panel).not_to_contain_text("The flow chart ended")
        log_attempts_by_keyboard(priya, todays, shot=day == 5)
        expect(page.locator(".app-chronology__entry")).to_have_count(
            len([a for a in ATTEMPTS if a[0] <= day])
        )
    priya.finished_by_keyboard(
        f"Lead practitioner: sign in and log a contact attempt ({len(ATTEMPTS)} attempts over "
        f"{len(days)} days)"
    )
    assert ContactAttempt.objects.filter(case=case).count() == len(ATTEMPTS)

    # Day 12, still no contact: the assessment, with the school, and telling the manager.
    priya.press(page.get_by_role("link", name="Back to the case"))
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, day 12")
    priya.press(unfold(page, "flowchart"))
    panel = page.locator(".app-flowchart-panel")
    expect(panel).to_contain_text("Today is day 12.")
    expect(panel).to_contain_text("15-day non-engagement flow chart (version 3)")
    expect(
        panel.locator(".app-flowchart__step").filter(has_text="No later than day 12: Complete the Family")
    ).to_be_visible()
    complete_the_assessment(priya, case)
    inform_the_manager(priya, case)
    return case


def open_the_case(priya, clock) -> Case:
    page = priya.page
    page.get_by_role("link", name="Open a case").first.click()
    expect(heading(page, "Open a case from a referral")).to_be_visible()
    priya.check("open a case")
    page.get_by_label("Family name").fill("Okafor family")
    referral = page.get_by_role("group", name="Referral date")
    day1 = clock.day(1)
    referral.get_by_label("Day").fill(str(day1.day))
    referral.get_by_label("Month").fill(str(day1.month))
    referral.get_by_label("Year").fill(str(day1.year))
    page.get_by_role("group", name="Where the referral came from").get_by_label("School").check()
    page.get_by_label("Referrer's name").fill("Helen Morris")
    page.get_by_label("Referrer's organisation").fill("Oakfield Primary School")
    page.get_by_label("How to reach the referrer").fill("0151 496 0321")
    page.get_by_label("Reason for referral").fill(
        "Chidi's attendance has fallen to 72% this term and he often arrives hungry. "
        "Mum has not replied to the school's letters."
    )
    page.get_by_role("group", name="Threshold of need").get_by_label("Level 3", exact=False).check()
    page.get_by_role("button", name="Open the case").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, just opened")
    case = Case.objects.get(family_name="Okafor family")

    unfold(page, "family").click()
    page.get_by_role("link", name="Add a child").click()
    expect(heading(page, "Add a child")).to_be_visible()
    priya.check("add a child")
    page.get_by_label("Full name").fill("Chidi Okafor")
    born = page.get_by_role("group", name="Date of birth")
    born.get_by_label("Day").fill("14")
    born.get_by_label("Month").fill("3")
    born.get_by_label("Year").fill(str(day1.year - 7))
    page.get_by_role("group", name="Does the child live in the household?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save the child's details").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, child added")

    unfold(page, "family").click()
    page.get_by_role("link", name="Add a parent, carer or other adult").click()
    expect(heading(page, "Add a parent, carer or other adult")).to_be_visible()
    priya.check("add an adult")
    page.get_by_label("Full name").fill("Grace Okafor")
    page.get_by_role("group", name="Does this adult live in the household?").get_by_label("Yes").check()
    page.get_by_label("Phone number").fill("07700 900461")
    page.get_by_label("Preferred way to be contacted").select_option(label="Text message")
    page.get_by_label("Relationship to Chidi Okafor").select_option(label="Mother")
    page.get_by_role("button", name="Save the adult's details").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, adult added")

    unfold(page, "people").click()
    page.get_by_role("link", name="Add a co-worker or multi-agency member").click()
    expect(heading(page, "Add someone to the case")).to_be_visible()
    priya.check("add someone to the case")
    page.get_by_label("Who").select_option(label="Alex Adeyemi (Oakfield Primary School)")
    page.get_by_label("Multi-agency meeting member").check()
    page.get_by_label("Their role in their agency (optional)").fill("Designated safeguarding lead")
    page.get_by_role("button", name="Add to the case").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, member added")
    return case


def log_attempts_by_keyboard(priya, attempts, *, shot: bool) -> None:
    page = priya.page
    priya.press(page.get_by_role("link", name="Record an attempt").first)
    for index, (_, kind, outcome, with_whom, notes, *said) in enumerate(attempts):
        expect(heading(page, "Record a contact attempt")).to_be_visible()
        priya.check("record a contact attempt", shot="record-an-attempt" if shot and index == 0 else None)
        priya.choose(page.get_by_label("Kind of attempt"), kind)
        priya.choose(page.get_by_label("What happened"), outcome)
        if with_whom:
            priya.choose(page.get_by_label("With whom in the family"), with_whom)
        if said:
            priya.radio("What the family said", said[0])
        priya.type_into(page.get_by_label("Notes"), notes)
        if said:
            priya.shot("record-what-the-family-said")
        last = index == len(attempts) - 1
        priya.press(
            page.get_by_role("button", name="Save the attempt" if last else "Save and record another")
        )
    expect(heading(page, "Chronology of contact attempts")).to_be_visible()
    priya.check("chronology", shot="chronology" if shot else None)


RISKS = [
    # (example factor, factor, evidenced?, evidence): the first takes the example's own words.
    (NEW_FACTOR, "", True, "The housing officer told the school on day 3; the notice expires next month."),
    (None, "Chidi may be caring for his younger sister in the mornings", False, ""),
    (None, "Chidi is late to school most days since October", True, "The school's attendance record."),
]
PROTECTIVE = [
    (None, "Chidi has a trusting relationship with his class teacher", True, "He talks to Mr Evans daily."),
    (None, "Grace's sister lives on the same street", False, ""),
]


def _task(priya, name: str, heading_text: str, check: str) -> None:
    priya.press(priya.page.get_by_role("link", name=name, exact=True))
    expect(heading(priya.page, heading_text)).to_be_visible()
    priya.check(check)


def _add_factors(priya, side: str, factors) -> None:
    """One factor a page (GOV.UK "add another"): add, save, back on the side's list each time."""
    page = priya.page
    row_name = "risk factor" if side == "risk" else "protective factor"
    for number, (example, text, evidenced, evidence) in enumerate(factors, start=1):
        priya.press(page.get_by_role("link", name=f"Add {'a' if number == 1 else 'another'} {row_name}"))
        expect(heading(page, f"Add {row_name} {number}")).to_be_visible()
        priya.check(f"add {row_name} {number}")
        if example:
            priya.choose(page.get_by_label("Example factor it matches"), example)
        if text:
            priya.type_into(page.get_by_label("Factor", exact=True), text)
        priya.radio("Historical or current", "Current")
        priya.radio(
            "Evidenced or a grey area", "Evidenced" if evidenced else "Grey area (not evidenced but relevant)"
        )
        if evidence:
            priya.type_into(page.get_by_label("Evidence", exact=True), evidence)
        priya.press(page.get_by_role("button", name="Save"))
        success(page, f"{row_name.capitalize()} {number} added.")
        priya.check(f"{row_name}s, {number} added")
    priya.press(page.get_by_role("link", name="Return to the task list"))
    expect(heading(page, "Family Engagement Risk Assessment, version 1")).to_be_visible()
    priya.check(f"task list, {row_name}s added")


def complete_the_assessment(priya, case) -> None:
    """The assessment as a task list, on a phone, with the keyboard alone: three risks, two
    protective factors and two actions, each on its own page."""
    page = priya.page
    priya.press(unfold(page, "records"))
    priya.press(page.get_by_role("link", name="Risk assessment"))
    expect(heading(page, "Family Engagement Risk Assessments")).to_be_visible()
    priya.check("risk assessments, none yet")
    priya.press(page.get_by_role("button", name="Start the assessment"))
    expect(heading(page, "Family Engagement Risk Assessment, version 1")).to_be_visible()
    expect(page.locator(".govuk-task-list")).to_contain_text("Not yet started")
    priya.check("assessment, new task list")

    _task(priya, "About the family and who took part", "About the family and who took part", "about")
    # The children come from the case.
    expect(
        page.get_by_role("group", name="Children this assessment is about").get_by_label("Chidi Okafor")
    ).to_be_checked()
    priya.type_into(
        page.get_by_label("Who took part"),
        "Priya Patel, family support worker, North Early Help Team\n"
        "Helen Morris, designated safeguarding lead, Oakfield Primary School",
    )
    priya.radio("Was it completed with the multi-agency meeting?", "Yes, with the multi-agency meeting")
    priya.press(page.get_by_role("button", name="Save and return to the task list"))
    success(page, "About the family and who took part: saved.")
    priya.check("task list, about saved")

    _task(priya, "Risk and vulnerability factors", "Risk and vulnerability factors", "risk factors, none yet")
    _add_factors(priya, "risk", RISKS)
    # The example the admin added this morning gave the first factor its words.
    assert case.assessments.get().factors.filter(description=NEW_FACTOR).exists()

    _task(
        priya, "Protective and resilient factors", "Protective and resilient factors", "protective, none yet"
    )
    _add_factors(priya, "protective", PROTECTIVE)

    _task(priya, "Analysis and conclusion", "Analysis and conclusion", "analysis")
    priya.type_into(
        page.get_by_label("Analysis and conclusion"),
        "Twelve attempts over two and a half weeks have not reached Grace. The children are seen daily "
        "at school and are not at immediate risk, but the housing pressure and Chidi's lateness suggest "
        "the family is struggling. Non-engagement looks like avoidance rather than hostility.",
    )
    priya.radio("Does the assessment show an elevated risk of significant harm to the children?", "No")
    priya.press(page.get_by_role("button", name="Save and return to the task list"))
    success(page, "Analysis and conclusion: saved.")
    priya.check("task list, analysis saved")

    _task(priya, "What needs to happen", "What needs to happen", "actions, none yet")
    due = case.referral_date + dt.timedelta(days=21)
    for number, (what, who) in enumerate(
        [
            (
                "Joint visit with Helen Morris at the school gate at pick-up time",
                "Priya Patel and Helen Morris",
            ),
            ("Ask the housing officer to pass on a letter from Priya", "Priya Patel"),
        ],
        start=1,
    ):
        priya.press(page.get_by_role("link", name=f"Add {'an' if number == 1 else 'another'} action"))
        expect(heading(page, f"Add action {number}")).to_be_visible()
        priya.check(f"add action {number}")
        priya.type_into(page.get_by_label("What action"), what)
        priya.type_into(page.get_by_label("Who will do it"), who)
        priya.type_date("By when", due)
        priya.type_date("Review date", due + dt.timedelta(days=7))
        priya.press(page.get_by_role("button", name="Save"))
        success(page, f"Action {number} added.")
        priya.check(f"actions, {number} added")
    priya.press(page.get_by_role("link", name="Return to the task list"))
    expect(page.get_by_text("You have completed 5 of 5 sections.")).to_be_visible()
    priya.check("task list, every section complete", shot="assessment-task-list")

    _task(
        priya,
        "Check your answers and submit",
        "Submit the assessment to the manager",
        "submit the assessment",
    )
    priya.press(page.get_by_role("button", name="Submit to the manager"))
    success(page, "Assessment submitted to your manager")
    priya.check("assessment, submitted", shot="assessment")
    assessment = case.assessments.get()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.factors.filter(side="risk").count() == 3
    assert assessment.factors.filter(side="protective").count() == 2
    assert assessment.actions.count() == 2
    priya.finished_by_keyboard("Lead practitioner: complete the assessment as a task list")


def inform_the_manager(priya, case) -> None:
    page = priya.page
    page.get_by_role("link", name=case.family_name).first.click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, assessment submitted")
    unfold(page, "flowchart").click()
    page.get_by_role("link", name="Inform your manager").click()
    expect(heading(page, "Inform your manager of the non-engagement")).to_be_visible()
    priya.check("inform your manager")
    page.get_by_label("What strategies have you tried").fill(
        "Calls at different times of day, texts, three home visits (one announced, one with the school "
        "nurse), the day-10 letter, and working with the school."
    )
    page.get_by_label("What is the outcome of the Family Engagement Risk Assessment?").fill(
        "No elevated risk of significant harm; housing pressure and possible young carer role. "
        "Joint visit with the school proposed."
    )
    page.get_by_role("group", name="Does the non-engagement increase the risk").get_by_label(
        "Not sure yet"
    ).check()
    page.get_by_role("button", name="Record that your manager is informed").click()
    success(page, "Your manager has been told")
    priya.check("flow chart, manager informed")


# The line manager, with the keyboard alone.


def manager_oversees_signs_and_decides(service, journeys, case) -> None:
    clock = service["clock"]
    manager = service["manager"]
    clock.to_day(13, 8, 40)
    morgan = journeys("Line manager", viewport=DESKTOP)
    page = morgan.page
    sign_in(morgan, manager.email, secret=service["secrets"][manager.email], clock=clock)
    expect(heading(page, "Needs you")).to_be_visible()
    morgan.check("needs you")
    morgan.press(page.get_by_role("link", name="Team dashboard", exact=True))
    expect(heading(page, "North Early Help Team")).to_be_visible()
    morgan.check("team dashboard", shot="team-dashboard")

    morgan.press(page.get_by_role("link", name="Needs you"))
    expect(heading(page, "Needs you")).to_be_visible()
    morgan.check("needs you", shot="oversight-queue")
    row = page.locator('.app-needs-you__item[data-kind="oversight"]').filter(has_text="Okafor family")
    expect(row).to_contain_text("told you of the non-engagement")
    morgan.press(row.get_by_role("link", name="Record oversight"))
    expect(heading(page, "Record management oversight")).to_be_visible()
    morgan.check("record management oversight")
    morgan.type_into(
        page.get_by_label("What did you discuss with the lead practitioner?"),
        "Went through the chronology with Priya: every step of the flow chart was tried. "
        "The school sees Chidi daily. Agreed a joint visit with the school and a housing referral.",
    )
    morgan.radio("Does the non-engagement raise the risk to the children?", "No")
    action = page.get_by_role("group", name="Action 1")
    morgan.type_into(action.get_by_label("What action"), "Refer Grace to the housing options team")
    morgan.type_into(action.get_by_label("Who will do it"), "Priya Patel")
    morgan.type_date("By when", clock.day(15), within=action)
    morgan.type_date("Review date", clock.day(20), within=action)
    morgan.press(page.get_by_role("button", name="Record management oversight"))
    success(page, "Your management oversight is recorded")
    morgan.check("flow chart, oversight recorded")

    # The assessment: oversight actions, then the signature.
    morgan.press(page.get_by_role("link", name="Back to the case"))
    expect(heading(page, "Okafor family")).to_be_visible()
    morgan.check("case")
    morgan.press(unfold(page, "records"))
    morgan.press(page.get_by_role("link", name="Risk assessment"))
    expect(heading(page, "Family Engagement Risk Assessments")).to_be_visible()
    morgan.check("risk assessments")
    morgan.press(page.get_by_role("link", name="Version 1", exact=False))
    expect(heading(page, "Family Engagement Risk Assessment, version 1")).to_be_visible()
    morgan.check("assessment, submitted")
    morgan.press(page.get_by_role("link", name="Record management oversight"))
    expect(heading(page, "Management oversight")).to_be_visible()
    morgan.check("assessment oversight")
    # The flow chart's oversight is the assessment's too: shown, with a row only when asked for.
    expect(page.get_by_text("Recorded on the flow chart by")).to_be_visible()
    morgan.press(page.get_by_role("button", name="Add an action"))
    morgan.check("assessment oversight, an action added")
    row = page.locator("#oversight-row-1")
    morgan.type_into(row.get_by_label("What action"), "Joint visit at the school gate with Helen Morris")
    morgan.type_into(row.get_by_label("Who will do it"), "Priya Patel")
    morgan.type_date("By when", clock.day(15), within=row)
    morgan.type_date("Review date", clock.day(20), within=row)
    morgan.press(page.get_by_role("button", name="Save oversight").last)
    success(page, "Management oversight saved.")
    morgan.check("assessment, oversight saved")
    morgan.press(page.get_by_role("link", name="Sign the assessment"))
    expect(heading(page, "Sign the assessment")).to_be_visible()
    morgan.check("sign the assessment")
    morgan.type_into(page.get_by_label("Type your full name to sign"), "Morgan Hughes")
    morgan.press(page.get_by_role("button", name="Sign the assessment"))
    success(page, "Assessment signed.")
    morgan.check("assessment, signed and shared")
    expect(page.get_by_role("row").filter(has_text="Alex Adeyemi")).to_contain_text("Not yet")
    download_and_verify(morgan, page.get_by_role("link", name="Download the signed PDF"))

    # Day 14: the decision on next steps.
    clock.to_day(14, 9, 5)
    morgan.press(page.get_by_role("link", name="Okafor family"))
    # A day later the session has timed out: sign in again, and the link's page follows.
    expect(heading(page, "Sign in")).to_be_visible()
    morgan.check("sign in, next day")
    morgan.type_into(page.get_by_label("Email address"), manager.email)
    morgan.type_into(page.get_by_label("Password"), PASSWORD)
    morgan.press(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    morgan.check("authenticator code, next day")
    morgan.type_into(
        page.get_by_label("Enter the code from your authenticator app"),
        authenticator_code(service["secrets"][manager.email], clock),
    )
    morgan.press(page.get_by_role("button", name="Continue"))
    expect(heading(page, "Okafor family")).to_be_visible()
    morgan.check("case, next day")
    morgan.press(unfold(page, "flowchart"))
    morgan.press(page.get_by_role("link", name="Record the decision").first)
    expect(heading(page, "Record the decision")).to_be_visible()
    morgan.check("record the decision")
    morgan.radio("What are the next steps?", "Continue the engagement process, with a review date")
    morgan.type_date("Review date", clock.day(25))
    morgan.type_into(
        page.get_by_label("Why?"),
        "No immediate safeguarding concern; the school sees the children daily. A joint visit with "
        "someone Grace knows, and help with the housing problem, give the best chance of engagement.",
    )
    morgan.radio("Did you consider referring back to the MASH?", "Yes")
    morgan.radio("Did you consider calling a multi-agency meeting?", "Yes")
    morgan.radio("Could level 2 services meet the family's needs?", "No")
    morgan.press(page.get_by_role("button", name="Continue"))
    # Check your answers first (GOV.UK pattern): the decision is recorded only from here.
    expect(heading(page, "Check your answers before recording the decision")).to_be_visible()
    morgan.check("check your answers, decision", shot="decision-check-answers")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Continue the engagement process")
    morgan.press(page.get_by_role("button", name="Record the decision"))
    success(page, "The decision is recorded: continue the engagement process")
    morgan.check("flow chart, decision recorded")
    morgan.finished_by_keyboard(
        "Line manager: sign in with an authenticator code, oversight queue, record oversight, "
        "sign the assessment, download its PDF, record the decision"
    )


# The multi-agency member, with the keyboard alone.


def agency_member_reads_and_acknowledges(service, journeys, case) -> None:
    clock = service["clock"]
    clock.to_day(14, 15, 20)
    alex = journeys("Multi-agency member", viewport=PHONE)
    page = alex.page
    sign_in(alex, service["member"].email)
    expect(heading(page, "Assessments shared with you")).to_be_visible()
    alex.check("shared with you")
    links = page.get_by_role("table").get_by_role("link")
    expect(links).to_have_count(1)
    alex.press(links.filter(has_text="Okafor family"))
    expect(heading(page, "Family Engagement Risk Assessment, version 1")).to_be_visible()
    alex.check("shared assessment", shot="shared-assessment")
    alex.press(page.get_by_role("button", name="I have read this assessment"))
    success(page, "Thank you: the lead practitioner can see you have read it.")
    alex.check("shared assessment, acknowledged")
    download_and_verify(alex, page.get_by_role("link", name="Download the signed PDF"))
    alex.finished_by_keyboard(
        "Multi-agency member: open the shared assessment, acknowledge it, download its PDF"
    )

    # Only the assessment: the case itself and its chronology are not theirs to read.
    for path in (f"/cases/{case.pk}/", f"/engagement/cases/{case.pk}/chronology/"):
        response = page.goto(path)
        assert response.status == 404
        alex.check("not found")


# The lead practitioner again: the working together agreement, signed on the doorstep.


def practitioner_records_the_working_together_agreement(service, journeys, case) -> None:
    clock = service["clock"]
    clock.to_day(15, 15, 45)
    priya = journeys("Lead practitioner", viewport=PHONE)
    page = priya.page
    sign_in(priya, service["lead"].email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today, day 15")
    page.get_by_role("link", name="Okafor family").click()
    expect(heading(page, "Okafor family")).to_be_visible()
    priya.check("case, day 15")
    unfold(page, "records").click()
    page.get_by_role("link", name="Working together agreements").click()
    expect(heading(page, "Working together agreements")).to_be_visible()
    priya.check("agreements")
    page.get_by_role("button", name="Start a new agreement").click()
    expect(heading(page, "Working together agreement")).to_be_visible()
    priya.check("agreement wording")
    page.get_by_label("What we agree to work towards").fill(
        "Chidi and Ada get to school on time every day.\nThe family keeps its home."
    )
    review = page.get_by_role("group", name="Review date")
    review_on = clock.day(25)
    review.get_by_label("Day").fill(str(review_on.day))
    review.get_by_label("Month").fill(str(review_on.month))
    review.get_by_label("Year").fill(str(review_on.year))
    page.get_by_role("button", name="Save the draft").click()
    success(page, "Draft agreement saved.")
    priya.check("agreement, draft")

    page.get_by_role("link", name="Record a signature").click()
    expect(heading(page, "Sign the working together agreement")).to_be_visible()
    priya.check("sign the agreement")
    # Content first: what Grace signs is on the page, above who is signing, then the drawing box.
    expect(page.get_by_role("heading", level=2, name="We will")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Chidi and Ada get to school on time every day.")
    who = page.get_by_role("group", name="Who is signing")
    content_at = page.get_by_role("heading", level=2, name="What we agree to work towards").bounding_box()[
        "y"
    ]
    who_at = who.bounding_box()["y"]
    pad_at = page.locator("canvas.app-signature-pad__canvas").bounding_box()["y"]
    assert content_at < who_at < pad_at, (content_at, who_at, pad_at)
    who.get_by_label("Parent or carer").check()
    page.get_by_label("Parent or carer signing").select_option(label="Grace Okafor")
    draw_a_signature(page)
    priya.shot("agreement-signing", at="#sign-the-agreement")
    expect(
        page.get_by_role("group", name="How they are signing").get_by_label("Drawn on screen")
    ).to_be_checked()
    page.get_by_role("button", name="Record the signature").click()
    success(page, "Signature recorded.")
    priya.check("agreement, parent signed")

    page.get_by_role("link", name="Record a signature").click()
    expect(heading(page, "Sign the working together agreement")).to_be_visible()
    priya.check("sign the agreement, lead practitioner")
    page.get_by_role("group", name="Who is signing").get_by_label("Lead practitioner").check()
    page.get_by_role("group", name="How they are signing").get_by_label("Typed name").check()
    page.get_by_label("Full name, typed as the signature").fill("Priya Patel")
    page.get_by_role("button", name="Record the signature").click()
    success(page, "Signed by both")
    priya.check("agreement, signed")
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Parent or carer")).to_contain_text(
        "Grace Okafor, drawn on screen"
    )
    # The signed PDF carries the organisation's signature and the mother's drawn one.
    pdf = download_and_verify(priya, page.get_by_role("link", name="Download the signed PDF"), images=1)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    words = b"".join(text.split())  # table cells wrap: compare without the spaces and line breaks
    for expected in (b"Grace Okafor", b"Drawn on screen", b"Priya Patel", b"Typed name"):
        assert b"".join(expected.split()) in words, expected


def draw_a_signature(page) -> None:
    canvas = page.locator("canvas.app-signature-pad__canvas")
    expect(canvas).to_be_visible()
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    left, top, width, height = box["x"], box["y"], box["width"], box["height"]
    # A looped "G", then a line under it.
    strokes = [
        [(0.30, 0.30), (0.20, 0.25), (0.12, 0.45), (0.18, 0.70), (0.30, 0.72), (0.34, 0.55), (0.26, 0.55)],
        [(0.40, 0.70), (0.50, 0.40), (0.58, 0.70), (0.66, 0.42), (0.74, 0.70), (0.85, 0.60)],
        [(0.12, 0.85), (0.88, 0.82)],
    ]
    for stroke in strokes:
        x, y = stroke[0]
        page.mouse.move(left + x * width, top + y * height)
        page.mouse.down()
        for x, y in stroke[1:]:
            page.mouse.move(left + x * width, top + y * height, steps=6)
        page.mouse.up()
    drawn = page.locator("input[name=drawing]").input_value()
    assert drawn.startswith("data:image/png;base64,")
