from .entries import AGENCY, Entry

ENTRIES = {
    "riskassessment:shared_list": Entry(AGENCY),
}


def extend_world(world):
    pass
