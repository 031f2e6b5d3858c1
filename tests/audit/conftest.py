import pytest

from .world import full_world


@pytest.fixture
def world(db):
    return full_world()
