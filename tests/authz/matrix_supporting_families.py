"""Supporting Families: the case's needs and outcomes (the case team), and the claim list (line
managers, for their teams, and the performance and returns officer, for the whole authority)."""

from .entries import CASE_TEAM, PERFORMANCE, Entry

LINE_MANAGERS = frozenset({"manager", "other_manager"})  # each sees their own teams' families


def _case(w):
    return {"case_pk": w.case.pk}


def _answers(w):
    return {}


ENTRIES = {
    "engagement:supporting_families": Entry(CASE_TEAM, kwargs=_case),
    "engagement:supporting_families_needs": Entry(
        CASE_TEAM, kwargs=_case, data=lambda w: {"headlines": ["education", "health", "housing"]}
    ),
    # The world's case is open: the outcomes and whether they were sustained are refused with a
    # message on the page, for whoever may see it.
    "engagement:supporting_families_outcomes": Entry(CASE_TEAM, kwargs=_case, data=_answers),
    "engagement:supporting_families_sustained": Entry(CASE_TEAM, kwargs=_case, data=_answers),
    # The claim list's old addresses: they send on to its return (returns:return_detail and
    # returns:return_csv, slug "supporting-families-claims"), whose access is the returns' own.
    "supporting_families:claim_list": Entry(LINE_MANAGERS | PERFORMANCE),
    "supporting_families:claim_list_csv": Entry(LINE_MANAGERS | PERFORMANCE),
}


def extend_world(world):
    """The world's open case is enough: its needs are recorded through the matrix's own POST."""
