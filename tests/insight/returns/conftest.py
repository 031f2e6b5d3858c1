"""Four families worked by hand, whose return rows are written out in the tests.

Friday 20 November 2026 is today. North Early Help (Morgan Manager, Priya its practitioner, user
501) has the Adeyemi, Brown, Chen and Ellis families; South (Sam Manager) has the Dunn family.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import CaseStatus, Person, PersonKind
from tests.factories import (
    AdultFactory,
    AssessmentFactory,
    CaseFactory,
    ManagerFactory,
    PerformanceOfficerFactory,
    PractitionerFactory,
    TeamFactory,
)

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)


def child(case, pk, full_name, born, **returns):
    return Person.objects.create(
        pk=pk, case=case, kind=PersonKind.CHILD, full_name=full_name, date_of_birth=born, **returns
    )


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def families(db, today):
    morgan = ManagerFactory(pk=401, full_name="Morgan Manager", email="morgan@example.test")
    north = TeamFactory(name="North Early Help", manager=morgan)
    priya = PractitionerFactory(
        pk=501, full_name="Priya Practitioner", email="priya@example.test", team=north
    )
    sam = ManagerFactory(pk=402, full_name="Sam Manager", email="sam@example.test")
    south = TeamFactory(name="South Early Help", manager=sam)
    quinn = PractitionerFactory(
        pk=502, full_name="Quinn Practitioner", email="quinn@example.test", team=south
    )
    performance = PerformanceOfficerFactory(full_name="Pat Performance", email="pat@example.test")

    adeyemi = CaseFactory(
        reference="EF2026-00101",
        family_name="Adeyemi family",
        lead_practitioner=priya,
        referral_date=dt.date(2026, 3, 2),
        referral_reason_code="N4",
    )
    amara = child(
        adeyemi, 9101, "Amara Adeyemi", dt.date(2015, 6, 14),
        sex="F", ethnicity="BAFR", upn="A123456789012", nhs_number="9434765919", disability="no",
    )  # fmt: skip
    child(adeyemi, 9102, "Tobi Adeyemi", dt.date(2019, 1, 9), sex="M", ethnicity="BAFR")
    # Their mother: an adult, in no return.
    AdultFactory(case=adeyemi, full_name="Funmi Adeyemi", sex="F", ethnicity="BAFR")
    fera = AssessmentFactory(
        case=adeyemi,
        assessment_date=dt.date(2026, 7, 1),
        service="",
        signed=True,
        signed_at=dt.datetime(2026, 7, 15, 10, 0, tzinfo=LONDON),
    )
    fera.children.set([amara])

    brown = CaseFactory(
        reference="EF2026-00102",
        family_name="Brown family",
        lead_practitioner=priya,
        referral_date=dt.date(2025, 10, 1),
        referral_reason_code="N1",
        status=CaseStatus.STEPPED_UP,
        closed_on=dt.date(2026, 2, 27),
    )
    child(brown, 9201, "Leo Brown", dt.date(2012, 11, 30), sex="M", gender="I", ethnicity="WBRI")
    # Before the six months of Annex A.
    AssessmentFactory(case=brown, assessment_date=dt.date(2025, 10, 10))

    chen = CaseFactory(
        reference="EF2026-00103",
        family_name="Chen family",
        lead_practitioner=priya,
        referral_date=dt.date(2026, 9, 14),
    )
    child(chen, 9301, "Mei Chen", dt.date(2020, 2, 29), sex="R", ethnicity="REFU", upn="B123456789012")
    AssessmentFactory(case=chen, assessment_date=dt.date(2026, 10, 5), service="")  # a draft, naming no child

    # Closed before the SSD's twelve months.
    ellis = CaseFactory(
        reference="EF2026-00105",
        family_name="Ellis family",
        lead_practitioner=priya,
        referral_date=dt.date(2025, 1, 6),
        referral_reason_code="N5",
        status=CaseStatus.CLOSED,
        closed_on=dt.date(2025, 6, 30),
    )
    child(ellis, 9501, "Zoe Ellis", dt.date(2016, 8, 8), sex="F", ethnicity="WBRI")

    # Another team: only the performance officer returns it.
    dunn = CaseFactory(
        reference="EF2026-00104",
        family_name="Dunn family",
        lead_practitioner=quinn,
        referral_date=dt.date(2026, 6, 1),
    )
    child(dunn, 9401, "Ava Dunn", dt.date(2021, 3, 3))
    return SimpleNamespace(**locals())
