"""My work today (insight.today): a lead practitioner's own day, across the cases they work on.

Only lead practitioners have one; everyone else signed in gets 404, as for any page not theirs.
"""

from .entries import PRACTITIONERS, Entry

ENTRIES = {
    "today:my_work": Entry(PRACTITIONERS),
    # Working offline: the page and what a phone keeps are the practitioner's own.
    "today:offline": Entry(PRACTITIONERS),
    "today:offline_cases": Entry(PRACTITIONERS),
}


def extend_world(world):
    """The world's cases are enough: the lead's case shows on their page, the other practitioner's is empty."""
