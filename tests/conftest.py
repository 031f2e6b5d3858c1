import pytest

from tests.factories import PractitionerFactory


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
