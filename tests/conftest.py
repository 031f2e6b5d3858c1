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
