"""The managers' team dashboard: only the team's own manager reaches it; everyone else gets 404."""

from .entries import MANAGER, Entry


def _team(w):
    return {"team_pk": w.team.pk}


ENTRIES = {
    # Every manager has a list of their own teams (Manager B's is Team B); no one else has one.
    "dashboard:teams": Entry(frozenset({"manager", "other_manager"})),
    "dashboard:team_dashboard": Entry(MANAGER, kwargs=_team),
    # Without a figure the page sends the manager back to the dashboard; anyone else gets 404.
    "dashboard:figure_cases": Entry(MANAGER, kwargs=_team),
    # "Needs you": every line manager has one, of their own teams' work; no one else has one.
    "needs_you:queue": Entry(frozenset({"manager", "other_manager"})),
}


def extend_world(world):
    """The world's Team A and its case are all the dashboard needs."""
