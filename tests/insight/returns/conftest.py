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
from tests.factories.supporting_families import FamilyNeedFactory, close, signed_agreement

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


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def needs(case, headlines, *, outcomes_at, sustained_at=None, outcome="achieved", withdrawn=()):
    """The family's needs as the Supporting Families record leaves them: each with its outcome at
    closure and, when `sustained_at` is given, recorded as sustained on it."""
    for headline in headlines:
        FamilyNeedFactory(
            case=case,
            headline=headline,
            achieved=True,
            outcome=outcome,
            outcome_recorded_at=outcomes_at,
            **(
                {"met": True, "sustained_recorded_at": sustained_at}
                if sustained_at is not None and outcome == "achieved"
                else {}
            ),
        )
    for headline in withdrawn:
        FamilyNeedFactory(
            case=case,
            headline=headline,
            withdrawn_by=case.lead_practitioner,
            withdrawn_at=at(2026, 1, 20, 9),
        )


def claimed_family(lead, reference, family_name, closed_on, *, assessment_signed_at=None, plan=None):
    """A closed family with no children (so in no other return), its whole-family assessment
    signed by the team's manager when `assessment_signed_at` is given, and its plan signed when
    `plan` (a title and a time) is."""
    case = CaseFactory(
        reference=reference,
        family_name=family_name,
        lead_practitioner=lead,
        referral_date=dt.date(2025, 12, 1),
        referral_reason_code="N4",
    )
    if assessment_signed_at is not None:
        AssessmentFactory(
            case=case,
            assessment_date=dt.date(2025, 12, 8),
            signed=True,
            signed_at=assessment_signed_at,
        )
    if plan is not None:
        signed_agreement(case, title=plan[0], signed_at=plan[1])
    return close(case, closed_on)


@pytest.fixture
def claims(families):
    """Five Supporting Families records, worked by hand for the claim list:

    - Fox (North): closed 31 March 2026; three needs achieved (recorded 30 March) and sustained
      (recorded 5 October), a fourth (crime) withdrawn; assessment signed 20 January, plan signed
      28 January. Every piece of evidence: a complete row.
    - Green (North): closed 30 April 2026; four needs achieved (recorded 28 April), three of them
      recorded as sustained on 2 November, financial stability not yet; assessment signed
      16 February; no plan signed. On the list, failing: what to record is listed.
    - Hill (North): closed 31 August 2026: whether it held is judged from 28 February 2027. Not
      on the list yet.
    - Irwin (North): closed 27 February 2026, housing only partly achieved. Not claimed.
    - Jones (South): closed 30 January 2026, complete: only the performance officer returns it.
    """
    priya, quinn = families.priya, families.quinn
    fox = claimed_family(
        priya,
        "EF2026-00106",
        "Fox family",
        dt.date(2026, 3, 31),
        assessment_signed_at=at(2026, 1, 20, 11),
        plan=("Fox family agreement", at(2026, 1, 28, 15)),
    )
    needs(
        fox,
        ["education", "health", "housing"],
        outcomes_at=at(2026, 3, 30, 14),
        sustained_at=at(2026, 10, 5, 10),
        withdrawn=["crime"],
    )
    green = claimed_family(
        priya, "EF2026-00107", "Green family", dt.date(2026, 4, 30), assessment_signed_at=at(2026, 2, 16, 16)
    )
    needs(
        green,
        ["early_years", "family_relationships", "domestic_abuse"],
        outcomes_at=at(2026, 4, 28, 12),
        sustained_at=at(2026, 11, 2, 9),
    )
    needs(green, ["financial_stability"], outcomes_at=at(2026, 4, 28, 12))
    hill = claimed_family(
        priya,
        "EF2026-00108",
        "Hill family",
        dt.date(2026, 8, 31),
        assessment_signed_at=at(2026, 2, 2, 10),
        plan=("Hill family agreement", at(2026, 2, 9, 10)),
    )
    needs(hill, ["education", "health", "crime"], outcomes_at=at(2026, 8, 28, 10))
    irwin = claimed_family(
        priya,
        "EF2026-00109",
        "Irwin family",
        dt.date(2026, 2, 27),
        assessment_signed_at=at(2026, 1, 5, 10),
        plan=("Irwin family agreement", at(2026, 1, 12, 10)),
    )
    needs(irwin, ["education", "health"], outcomes_at=at(2026, 2, 25, 10), sustained_at=at(2026, 9, 1, 10))
    needs(irwin, ["housing"], outcomes_at=at(2026, 2, 25, 10), outcome="partly")
    jones = claimed_family(
        quinn,
        "EF2026-00110",
        "Jones family",
        dt.date(2026, 1, 30),
        assessment_signed_at=at(2025, 12, 19, 10),
        plan=("Jones family agreement", at(2026, 1, 6, 10)),
    )
    needs(
        jones,
        ["substance_use", "crime", "domestic_abuse"],
        outcomes_at=at(2026, 1, 29, 10),
        sustained_at=at(2026, 8, 3, 10),
    )
    return SimpleNamespace(fox=fox, green=green, hill=hill, irwin=irwin, jones=jones, **vars(families))
