import pytest
from pytest_django.plugin import blocking_manager_key

from tests.factories import PractitionerFactory
from tests.seeds import seed_what_the_migrations_seed


@pytest.fixture(autouse=True)
def _media_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


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
        SIGNING_KEY_FILE=str(folder / "key.pem"), SIGNING_CERT_FILE=str(folder / "cert.pem")
    )
    override.enable()
    call_command("make_dev_certificate", stdout=StringIO(), stderr=StringIO())
    yield
    override.disable()


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
