"""In the browser: the information governance officer reviews and releases a subject access
bundle (issue 22).

Imogen, the authority's information governance officer, at a desk, finds Dana Whitfield by name
and date of birth, ticks her record and opens the request. The release is refused until every
item is reviewed. She goes through each item: the other parent's name and the notes about him are
marked for redaction already, and she keeps that. Then she releases the bundle and downloads the
signed PDF. Every page is checked with axe-core and at 320px; with SCREENSHOTS_DIR set, the pages
are photographed for docs/subject-access.md.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AccessLogEntry, RelationshipKind
from cases.subject_access.models import RequestStatus, SubjectAccessRequest
from engagement.models import AttemptKind, AttemptOutcome
from tests.factories import CaseFactory, ChildFactory, InformationGovernanceFactory, RelationshipFactory
from tests.factories.engagement import ContactAttemptFactory

from .conftest import DESKTOP

pytestmark = pytest.mark.e2e


def heading(page, text: str):
    return page.get_by_role("heading", level=1, name=text)


@pytest.fixture
def whitfield(_seeded):
    case = CaseFactory(
        family_name="Whitfield family", referral_date=timezone.localdate() - dt.timedelta(days=6)
    )
    child = ChildFactory(case=case, full_name="Milo Whitfield", date_of_birth=dt.date(2019, 2, 3))
    mother = RelationshipFactory(
        adult__case=case,
        adult__full_name="Dana Whitfield",
        adult__date_of_birth=dt.date(1990, 4, 12),
        child=child,
    ).adult
    father = RelationshipFactory(
        adult__case=case, adult__full_name="Lorcan Ashby", child=child, kind=RelationshipKind.FATHER
    ).adult
    ContactAttemptFactory(
        case=case,
        with_person=mother,
        kind=AttemptKind.UNANNOUNCED_VISIT,
        outcome=AttemptOutcome.SEEN,
        notes="Dana wants help with the school run.",
    )
    ContactAttemptFactory(case=case, with_person=father, notes="Lorcan spoke about his court date.")
    return case


def test_the_officer_reviews_and_releases_a_bundle(journeys, whitfield):
    officer = InformationGovernanceFactory(email="imogen@example.test", full_name="Imogen Governance")
    imogen = journeys("Information governance officer", viewport=DESKTOP)
    imogen.sign_in(officer.email)
    page = imogen.page
    expect(heading(page, "Subject access requests")).to_be_visible()
    imogen.check("subject access requests, none yet")

    imogen.go(page.get_by_role("link", name="Start a new request"), "Start a subject access request")
    imogen.type_into(page.get_by_label("Name", exact=True), "Whitfield")
    imogen.type_date("Date of birth (optional)", dt.date(1990, 4, 12))
    imogen.go(page.get_by_role("button", name="Search"), "Start a subject access request", "records found")
    imogen.shot("subject-access-search")
    imogen.tick(page.get_by_label(re.compile("Dana Whitfield, born 12 April 1990")))
    imogen.type_date("Date the request was received", timezone.localdate())
    imogen.type_into(
        page.get_by_label("How the request came in and how their identity was checked"),
        "By email; passport seen at the front desk",
    )
    imogen.go(
        page.get_by_role("button", name="Open the request and gather the records"),
        "Dana Whitfield",
        "the request",
    )
    record = SubjectAccessRequest.objects.get()
    imogen.shot("subject-access-request")

    # Released before the review: refused, and said why.
    imogen.go(page.get_by_role("button", name="Release the bundle"), "Dana Whitfield", "release refused")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Review every item before releasing the bundle"
    )

    imogen.go(page.get_by_role("link", name=re.compile("^Referral")), re.compile("."), "first item")
    for _ in range(record.items.count()):
        title = page.get_by_role("heading", level=1).inner_text()
        if "Telephone call" in title:
            # The father's call: his name and the notes about him are marked for redaction.
            group = page.get_by_role("group", name="Notes")
            expect(group.get_by_role("radio", name=re.compile("^Redact"))).to_be_checked()
            imogen.shot("subject-access-review", at="form")
        imogen.press(page.get_by_role("button", name="Save the review"))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        imogen.check(f"review {title}")
        if page.get_by_role("heading", level=1, name="Dana Whitfield").count():
            break
    expect(page.get_by_text("Every item has been reviewed.")).to_be_visible()

    # Printing and signing the bundle takes a few seconds more than a page.
    imogen.press(page.get_by_role("button", name="Release the bundle"))
    expect(page.locator(".govuk-panel")).to_be_visible(timeout=120_000)
    imogen.check("released")
    expect(page.locator(".govuk-panel")).to_contain_text("Bundle released")
    imogen.shot("subject-access-released")
    record.refresh_from_db()
    assert record.status == RequestStatus.RELEASED
    assert AccessLogEntry.objects.filter(case=whitfield, user=officer, what="subject access release").exists()

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download the released bundle")).click()
    assert download.value.suggested_filename == f"{record.reference}.pdf"
