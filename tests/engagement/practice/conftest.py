"""The Taylor family on Friday 20 November 2026; the team and Priya are in tests/conftest.py."""

import datetime as dt

import pytest
import time_machine

from tests.conftest import LONDON
from tests.conftest import REFERRAL as REFERRAL
from tests.factories import AdultFactory, CaseFactory, ChildFactory

NOW = dt.datetime(2026, 11, 20, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def case(lead, frozen):
    return CaseFactory(lead_practitioner=lead, referral_date=REFERRAL, family_name="Taylor family")


@pytest.fixture
def mother(case):
    return AdultFactory(case=case, full_name="Kelly Taylor")


@pytest.fixture
def father(case):
    return AdultFactory(case=case, full_name="Dean Taylor", lives_in_household=False)


@pytest.fixture
def child(case):
    return ChildFactory(case=case, full_name="Mia Taylor", date_of_birth=dt.date(2017, 4, 1))


def date_fields(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}
