"""In the browser: a letter to a household with domestic abuse is held, and the manager approves it
from the oversight queue with the household's safe-contact plan beside it (issue 17).

Priya writes the day-10 letter to Lee Parker on her phone; Siobhan Walsh, his partner at the same
address, has a domestic abuse concern and a plan of her own mobile only, never by letter, so the
letter is held. Morgan, the team manager, at a desk, finds it at the top of the oversight queue
and approves it with the keyboard alone. Every page is checked with axe-core and at 320px.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import RelationshipKind, SafeContact
from cases.notifications import Notification, NotificationKind
from engagement.documents.models import Letter, LetterStatus
from tests.factories import (
    AdultFactory,
    CaseFactory,
    ChildFactory,
    EpisodeFactory,
    ManagerFactory,
    PractitionerFactory,
    RelationshipFactory,
    TeamFactory,
)

from .conftest import DESKTOP, PHONE
from .test_journeys import unfold

pytestmark = pytest.mark.e2e


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


@pytest.fixture
def walsh(_seeded):
    manager = ManagerFactory(email="morgan@example.test", full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(email="priya@example.test", full_name="Priya Patel", team=team)
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Walsh family",
        referral_date=timezone.localdate() - dt.timedelta(days=9),
    )
    connor = ChildFactory(case=case, full_name="Connor Walsh", date_of_birth=dt.date(2012, 5, 1))
    siobhan = AdultFactory(
        case=case,
        full_name="Siobhan Walsh",
        domestic_abuse_concern=True,
        safe_contact=[SafeContact.PHONE_ONLY, SafeContact.NO_LETTERS],
        safe_contact_notes="The referrer says: contact Siobhan only on her mobile, never by letter.",
    )
    lee = AdultFactory(case=case, full_name="Lee Parker")
    RelationshipFactory(adult=siobhan, child=connor, kind=RelationshipKind.MOTHER)
    RelationshipFactory(adult=lee, child=connor, kind=RelationshipKind.PARTNER)
    EpisodeFactory(case=case)
    return manager, lead, case, lee


def test_the_manager_approves_a_held_letter_from_the_queue(journeys, walsh):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us within
    5 days if they require support (if DV ensure your letter would not increase risk)"; Camden
    004: contact the victim "without the perpetrator's knowledge"."""
    manager, lead, case, lee = walsh

    # Priya, on her phone: the letter to Lee is held, with Siobhan's plan beside it.
    priya = journeys("Lead practitioner", viewport=PHONE)
    page = priya.page
    priya.sign_in(lead.email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today")
    page.goto(reverse("engagement:letter_list", kwargs={"case_pk": case.pk}))
    expect(heading(page, "Letters to the family")).to_be_visible()
    priya.check("letters")
    priya.press(page.get_by_role("link", name="Write a letter"))
    expect(heading(page, "Write a letter")).to_be_visible()
    expect(page.locator(".app-safe-contact")).to_contain_text("Never by letter")
    priya.check("write a letter")
    priya.radio("Which letter", "Day 10: please contact us within 5 days")
    priya.choose(page.get_by_label("Who it is to"), "Lee Parker")
    priya.press(page.get_by_role("button", name="Start the letter"))
    expect(heading(page, "Letter to Lee Parker")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Siobhan Walsh: a domestic abuse concern")
    priya.check("edit the letter", shot="held-letter-edit")
    priya.type_into(page.get_by_label("Postal address"), "7 Mill Lane, Northshire NS3 1AA")
    body = page.get_by_label("Letter", exact=True)
    body.fill(body.input_value().replace("........................", "07700 900123"))
    priya.press(page.get_by_role("button", name="Save the draft"))
    expect(page.get_by_text("Draft letter saved.")).to_be_visible()
    priya.check("the draft letter")
    priya.press(page.get_by_role("button", name="Ask the manager to approve it"))
    expect(page.get_by_text("held for the team manager's approval before it can be sent")).to_be_visible()
    priya.check("the held letter", shot="held-letter-held")
    letter = Letter.objects.get(case=case)
    assert letter.status == LetterStatus.HELD
    assert Notification.objects.filter(kind=NotificationKind.LETTER_HELD, recipient=manager).count() == 1

    manager_approves_from_the_queue(journeys, manager)

    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED and letter.decided_by == manager
    assert Notification.objects.filter(kind=NotificationKind.LETTER_APPROVED, recipient=lead).count() == 1


def manager_approves_from_the_queue(journeys, manager) -> None:
    """Morgan, at a desk, with the keyboard alone."""
    morgan = journeys("Line manager", viewport=DESKTOP)
    page = morgan.page
    morgan.sign_in(manager.email)
    # A manager starts on "Needs you", where the held letter waits.
    expect(heading(page, "Needs you")).to_be_visible()
    held = page.locator('.app-needs-you__item[data-kind="letter"]')
    expect(held).to_have_count(1)
    expect(held).to_contain_text("Letter held for your approval: to Lee Parker")
    morgan.check("needs you, a letter awaiting approval", shot="held-letter-queue")
    morgan.press(held.get_by_role("link", name="Approve or refuse the letter"))
    expect(heading(page, "Approve or refuse the letter")).to_be_visible()
    # Why it is held and the household's safe-contact plans sit beside the decision.
    main = page.locator("main")
    expect(main).to_contain_text("Siobhan Walsh: a domestic abuse concern is recorded")
    expect(main).to_contain_text("Their own mobile phone only")
    expect(main).to_contain_text("contact Siobhan only on her mobile, never by letter.")
    morgan.check("approve or refuse the letter", shot="held-letter-decide")
    morgan.radio("Can this letter be sent safely?", "Yes, it can be sent")
    morgan.type_into(
        page.get_by_label("Reasons"), "Rang Siobhan on her own mobile: she asked us to write to Lee."
    )
    morgan.press(page.get_by_role("button", name="Record the decision"))
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Decision recorded")
    expect(heading(page, "Needs you")).to_be_visible()
    expect(page.locator('.app-needs-you__item[data-kind="letter"]')).to_have_count(0)
    morgan.check("needs you, the letter approved", shot="held-letter-approved")
    morgan.finished_by_keyboard("the manager approves a held letter from Needs you")


def test_the_practitioner_writes_the_held_letter_with_the_keyboard_alone(journeys, walsh):
    """The journey above with Tab, Shift+Tab, Enter, Space and the arrow keys only, from My cases
    through the case to its letters, then the manager's approval as above."""
    manager, lead, case, lee = walsh
    priya = journeys("Lead practitioner", viewport=PHONE)
    page = priya.page
    priya.sign_in(lead.email)
    expect(heading(page, "My work today")).to_be_visible()
    priya.check("my work today")
    priya.press(page.get_by_role("link", name="Walsh family"))
    expect(heading(page, "Walsh family")).to_be_visible()
    priya.check("the case")
    priya.press(unfold(page, "records"))
    priya.press(page.get_by_role("link", name="Letters", exact=True))
    expect(heading(page, "Letters to the family")).to_be_visible()
    priya.check("letters")
    priya.press(page.get_by_role("link", name="Write a letter"))
    expect(heading(page, "Write a letter")).to_be_visible()
    priya.check("write a letter")
    priya.radio("Which letter", "Day 10: please contact us within 5 days")
    priya.choose(page.get_by_label("Who it is to"), "Lee Parker")
    priya.press(page.get_by_role("button", name="Start the letter"))
    expect(heading(page, "Letter to Lee Parker")).to_be_visible()
    priya.check("edit the letter")
    priya.type_into(page.get_by_label("Postal address"), "7 Mill Lane, Northshire NS3 1AA")
    body = page.get_by_label("Letter", exact=True)
    priya.type_into(body, body.input_value().replace("........................", "07700 900123"))
    priya.press(page.get_by_role("button", name="Save the draft"))
    expect(page.get_by_text("Draft letter saved.")).to_be_visible()
    priya.check("the draft letter")
    priya.press(page.get_by_role("button", name="Ask the manager to approve it"))
    expect(page.get_by_text("held for the team manager's approval before it can be sent")).to_be_visible()
    priya.check("the held letter")
    priya.finished_by_keyboard("the practitioner writes a letter that is held for the manager")

    manager_approves_from_the_queue(journeys, manager)
    letter = Letter.objects.get(case=case)
    assert letter.status == LetterStatus.APPROVED and letter.decided_by == manager
