"""Fixtures every folder shares: one lead practitioner's case in a team, the clock, MFA off.

A folder's own conftest.py adds its world or overrides a fixture here (the practice tools freeze
a later day and follow another family); a test gets the nearest one.
"""

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest
import time_machine
from pytest_django.plugin import blocking_manager_key

from flowchart.selectors.pathways import forget_published_steps
from tests.factories import CaseFactory, ManagerFactory, PractitionerFactory, TeamFactory
from tests.seeds import seed_what_the_migrations_seed

LONDON = ZoneInfo("Europe/London")
# A Thursday, two days after a Tuesday referral.
NOW = dt.datetime(2026, 11, 5, 10, 30, tzinfo=LONDON)
REFERRAL = dt.date(2026, 11, 3)


@pytest.fixture(autouse=True)
def _no_mfa_enrolment(request, settings):
    """MFA enrolment is enforced only where a test asks for it with `@pytest.mark.mfa`.

    Elsewhere it would only send a manager or an admin to set up an authenticator before the
    page under test; enrolment and signing in with a code have their own tests (tests/accounts,
    tests/e2e/test_journeys.py).
    """
    if request.node.get_closest_marker("mfa") is None:
        settings.MFA_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture(autouse=True)
def _published_steps_read_afresh():
    """Each test's database starts empty and gives out the same ids again, so a version's steps
    kept from an earlier test could be another version's (flowchart/selectors/pathways.py)."""
    forget_published_steps()
    yield
    forget_published_steps()


@pytest.fixture
def security_log(caplog):
    """The `security` logger's records, INFO and up (read them with tests.security_log)."""
    caplog.set_level(logging.INFO, logger="security")
    return caplog


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(db):
    """North Early Help Team, managed by Morgan Manager."""
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    return team


@pytest.fixture
def manager(team):
    return team.manager


@pytest.fixture
def lead(team):
    return PractitionerFactory(full_name="Priya Patel", team=team)


@pytest.fixture
def colleague(team):
    return PractitionerFactory(full_name="Tom Reid", team=team)


@pytest.fixture
def case(lead, frozen):
    """Priya's case for the Okafor family, referred on Tuesday 3 November 2026."""
    return CaseFactory(lead_practitioner=lead, referral_date=REFERRAL, family_name="Okafor family")


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


@pytest.fixture
def practitioner(db):
    return PractitionerFactory(full_name="Priya Practitioner")


@pytest.fixture
def practitioner_client(client, practitioner):
    client.force_login(practitioner)
    return client


@pytest.fixture(scope="session", autouse=True)
def _organisation_certificate(tmp_path_factory):
    """A signing certificate for the whole run: signing an assessment prints and signs its PDF."""
    from io import StringIO

    from django.core.management import call_command
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("signing")
    override = override_settings(
        SIGNING_KEY_FILE=str(folder / "key.pem"),
        SIGNING_CERT_FILE=str(folder / "cert.pem"),
        SIGNING_CHAIN_FILES=[str(folder / "ca.pem")],
        SIGNING_CRL_FILES=[str(folder / "crl.pem")],
    )
    override.enable()
    call_command("make_dev_certificate", stdout=StringIO(), stderr=StringIO())
    yield
    override.disable()


def pytest_collection_modifyitems(config, items):
    """The longest tests (marked `slow`) first, the rest in their order. pytest-xdist hands out
    tests in this order: a test of several minutes handed out last would keep one CPU busy while
    the other waits; handed out first, it runs alongside the rest."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put back what the data migrations seeded: the tests
    that run after it expect the database as migrated. (A hook, not a fixture: the live server's
    own fixture sets up the database before any of ours, so it flushes after our teardowns.)"""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )
    if transactional and nextitem is not None:  # after the last test the database is gone
        with item.config.stash[blocking_manager_key].unblock():
            seed_what_the_migrations_seed()
    return result
