import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import (
    AdultFactory,
    CaseFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

LONDON = ZoneInfo("Europe/London")
# A Thursday, two days after a Tuesday referral.
NOW = dt.datetime(2026, 11, 5, 10, 30, tzinfo=LONDON)
REFERRAL = dt.date(2026, 11, 3)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(db):
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    return team


@pytest.fixture
def lead(team):
    return PractitionerFactory(full_name="Priya Patel", team=team)


@pytest.fixture
def case(lead, frozen):
    case = CaseFactory(lead_practitioner=lead, referral_date=REFERRAL, family_name="Okafor family")
    return case


@pytest.fixture
def mother(case):
    return AdultFactory(case=case, full_name="Grace Okafor")


@pytest.fixture
def child(case):
    return ChildFactory(case=case, full_name="Chidi Okafor", date_of_birth=dt.date(2019, 4, 1))


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture(autouse=True)
def _no_mfa_enrolment(settings):
    # MFA enrolment has its own tests; here it would stand between the manager and the page.
    settings.MFA_REQUIRED_ROLES = []
