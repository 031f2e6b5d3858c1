from .entries import CASE_TEAM, SIGNED_IN, STAFF, Entry

ENTRIES = {
    "home": Entry(SIGNED_IN),
    "healthz": Entry(SIGNED_IN, public=True),
    "cases:my_cases": Entry(STAFF),
    "cases:case_create": Entry(
        frozenset({"lead", "other_practitioner", "manager", "other_manager"}),
        methods=("GET", "POST"),
    ),
    "cases:case_detail": Entry(CASE_TEAM, kwargs=lambda w: {"case_pk": w.case.pk}),
}


def extend_world(world):
    pass
