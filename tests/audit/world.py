"""The authorization matrix's world with every app's records on it: one case holding a record of
nearly every kind, and everyone around it."""

from tests.authz.test_matrix import MATRIX_MODULES
from tests.authz.world import build_world


def full_world():
    world = build_world()
    for module in MATRIX_MODULES:
        module.extend_world(world)
    return world
