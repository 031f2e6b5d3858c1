"""The Okafor family's people; their case, its team and the clock are in tests/conftest.py."""

import datetime as dt

import pytest

from tests.conftest import LONDON as LONDON
from tests.conftest import NOW as NOW
from tests.conftest import REFERRAL as REFERRAL
from tests.factories import AdultFactory, ChildFactory


@pytest.fixture
def mother(case):
    return AdultFactory(case=case, full_name="Grace Okafor")


@pytest.fixture
def child(case):
    return ChildFactory(case=case, full_name="Chidi Okafor", date_of_birth=dt.date(2019, 4, 1))
