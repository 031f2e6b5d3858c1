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
)


@pytest.fixture
def world(team, lead):
    """The team, its manager and Priya (tests/conftest.py); Priya's case with a child and a parent,
    and a school member."""
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
        manager=team.manager, team=team, lead=lead, case=case, child=child, parent=parent, member=member
    )
