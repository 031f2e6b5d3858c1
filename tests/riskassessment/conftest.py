import datetime as dt
from types import SimpleNamespace

import pytest

from riskassessment import services
from riskassessment.models import Basis, FactorSide, Timeframe
from tests.factories import (
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)


@pytest.fixture
def family(db):
    """A team, its manager, a lead practitioner's case with two children and a school member."""
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    case = CaseFactory(lead_practitioner=lead, family_name="Walsh family")
    children = [
        ChildFactory(case=case, full_name="Connor Walsh", date_of_birth=dt.date(2012, 5, 1)),
        ChildFactory(case=case, full_name="Erin Walsh", date_of_birth=dt.date(2018, 9, 3)),
    ]
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    membership = CaseMembershipFactory(case=case, user=member)
    return SimpleNamespace(
        manager=manager,
        team=team,
        lead=lead,
        case=case,
        children=children,
        member=member,
        membership=membership,
    )


def risk(description="Parental substance misuse", **kwargs):
    return services.FactorData(
        **{
            "side": FactorSide.RISK,
            "timeframe": Timeframe.CURRENT,
            "basis": Basis.EVIDENCED,
            "description": description,
            "evidence": "Police attended twice in October.",
            **kwargs,
        }
    )


def protective(description="Grandmother collects the children daily", **kwargs):
    return risk(description, side=FactorSide.PROTECTIVE, **kwargs)


def fill(assessment, by, **overrides):
    values = {
        "children": list(assessment.case.people.filter(kind="child")),
        "assessment_date": assessment.assessment_date,
        "participants": "Priya Patel, lead practitioner",
        "with_multi_agency_meeting": False,
        "service": "North Early Help Team",
        "analysis": "The risks outweigh what protects the children while the family does not engage.",
        "elevated_risk": False,
        "factors": [risk(), protective()],
        "plan_actions": [
            services.ActionData(
                what="Joint visit with the school nurse",
                who="Priya",
                by_when=dt.date(2026, 12, 1),
                review_on=dt.date(2026, 12, 15),
            )
        ],
    }
    values.update(overrides)
    return services.assessment_update(assessment=assessment, by=by, **values)


def oversee(assessment, by):
    return services.assessment_oversight_record(
        assessment=assessment,
        by=by,
        actions=[
            services.ActionData(
                what="Discuss in supervision",
                who="Morgan",
                by_when=dt.date(2026, 12, 2),
                review_on=dt.date(2026, 12, 16),
            )
        ],
    )


@pytest.fixture
def draft(family):
    assessment = services.assessment_start(case=family.case, by=family.lead)
    return fill(assessment, family.lead)


@pytest.fixture
def submitted(family, draft):
    return services.assessment_submit(assessment=draft, by=family.lead)


@pytest.fixture
def signed(family, submitted):
    oversee(submitted, family.manager)
    return services.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")
