import pytest

from .world import full_world


@pytest.fixture
def world(db, settings):
    settings.MFA_REQUIRED_ROLES = []  # enrolment is tested on its own
    return full_world()
