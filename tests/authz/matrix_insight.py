"""Insight: line managers see their own teams' figures, admins every team's in aggregate.

Practitioners and multi-agency members get 404. Only managers see the list of cases with a sudden
drop in engagement: it names families, which admins never see.
"""

from .entries import Entry

MANAGERS = frozenset({"manager", "other_manager"})
MANAGERS_AND_ADMIN = MANAGERS | {"admin"}

ENTRIES = {
    "insight:overview": Entry(MANAGERS_AND_ADMIN),
    "insight:figure_csv": Entry(MANAGERS_AND_ADMIN, kwargs=lambda w: {"figure": "attempts"}),
    "insight:sudden_drops": Entry(MANAGERS),
}


def extend_world(world):
    """The world's cases are enough: each manager has a team with a case in it."""
