import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)


@pytest.fixture(autouse=True)
def _no_mfa_enrolment(settings):
    # The pages are what is counted here, not the authenticator set-up a manager is sent to first.
    settings.MFA_REQUIRED_ROLES = []


@pytest.fixture
def world(db):
    """A team, its manager, a lead practitioner's case with a child and a parent, a school member."""
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Walsh family",
        referral_date=timezone.localdate() - dt.timedelta(days=6),
    )
    child = ChildFactory(case=case, full_name="Connor Walsh", date_of_birth=dt.date(2015, 5, 1))
    parent = AdultFactory(case=case, full_name="Dana Walsh")
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    CaseMembershipFactory(case=case, user=member)
    return SimpleNamespace(
        manager=manager, team=team, lead=lead, case=case, child=child, parent=parent, member=member
    )
