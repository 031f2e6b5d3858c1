"""A manager exports the SSD early help file after putting right the one row that fails (issue 22).

Morgan manages North Early Help. One child of the Adeyemi family has no ethnicity recorded: the
return's page lists that row, with what to do and a link to the child's details for returns.
Morgan follows it, records the ethnicity, comes back to the return, which now passes, and
downloads the file. Every page is checked with axe-core (no serious or critical violations) and,
with SCREENSHOTS_DIR set, the list of rows to put right and the passing return are photographed.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AccessLogEntry, Person, PersonKind
from tests.factories import CaseFactory, ManagerFactory, PractitionerFactory, TeamFactory

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}


def test_a_manager_puts_a_failing_row_right_and_exports_the_ssd_file(journeys):
    morgan = ManagerFactory(email="morgan@example.test", full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help", manager=morgan)
    priya = PractitionerFactory(email="priya@example.test", full_name="Priya Patel", team=team)
    case = CaseFactory(
        lead_practitioner=priya,
        family_name="Adeyemi family",
        referral_date=timezone.localdate() - dt.timedelta(days=30),
        referral_reason_code="N4",
    )
    amara = Person.objects.create(
        case=case,
        kind=PersonKind.CHILD,
        full_name="Amara Adeyemi",
        date_of_birth=dt.date(2015, 6, 14),
        sex="F",
        ethnicity="",
    )

    journey = journeys("Line manager, the SSD return", viewport=DESKTOP)
    page = journey.page
    journey.sign_in(morgan.email)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    journey.check("start page")

    journey.go(page.get_by_role("link", name="Returns", exact=True), "Returns")
    journey.go(
        page.get_by_role("link", name="Standard Safeguarding Dataset: early help episodes"),
        "Standard Safeguarding Dataset: early help episodes",
    )
    errors = page.locator("#return-errors")
    expect(errors).to_contain_text(f"{case.reference}: Amara Adeyemi")
    expect(errors).to_contain_text("pers_ethnicity is missing")
    expect(page.locator("#downloads")).to_have_count(0)
    journey.shot("returns-ssd-row-to-fix", at="#return-errors")

    journey.go(
        errors.get_by_role("link", name="Put it right"),
        "Amara Adeyemi: details for returns",
    )
    page.get_by_label("Ethnicity").select_option("BAFR")
    journey.go(
        page.get_by_role("button", name="Save the details for returns"),
        "Standard Safeguarding Dataset: early help episodes",
        "SSD return, passing",
    )
    expect(page.locator("#return-errors")).to_have_count(0)
    expect(page.get_by_text("Every row passes the return's checks")).to_be_visible()
    journey.shot("returns-ssd-passing")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download ssd_early_help_episodes (CSV)").click()
    lines = open(download.value.path()).read().splitlines()  # noqa: SIM115 (a temporary file, read once)
    assert lines[1].startswith(f"{case.reference}-{amara.pk},{amara.pk},")
    assert lines[1].endswith(f",N4,,North Early Help,{priya.pk},{priya.full_name}")
    assert AccessLogEntry.objects.filter(
        user=morgan, case=case, what="return export: ssd_early_help_episodes"
    ).exists()
    amara.refresh_from_db()
    assert amara.ethnicity == "BAFR"
