from tests.factories import EpisodeFactory, NotificationFactory

from .entries import CASE_TEAM, MANAGER, SIGNED_IN, Entry


def _case(w):
    return {"case_pk": w.case.pk}


ENTRIES = {
    "flowchart:case_flowchart": Entry(CASE_TEAM, kwargs=_case),
    "flowchart:episode_start": Entry(
        CASE_TEAM, kwargs=_case, methods=("GET", "POST"), data=lambda w: {"pathway": "knowsley-15-day"}
    ),
    "flowchart:evidence": Entry(CASE_TEAM, kwargs=_case),
    # Knowsley's day-8 step, "if possible": the case team records that it was not possible.
    "flowchart:step_not_possible": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "order": 8},
        methods=("GET", "POST"),
        data=lambda w: {"reason": "The referrer has left the school."},
    ),
    "flowchart:manager_inform": Entry(
        CASE_TEAM,
        kwargs=_case,
        methods=("GET", "POST"),
        data=lambda w: {
            "strategies_tried": "Calls at different times and two visits.",
            "fera_outcome": "Risks outweigh protective factors.",
            "risk_increased": "yes",
        },
    ),
    "flowchart:safeguarding_escalate": Entry(
        CASE_TEAM,
        kwargs=_case,
        methods=("GET", "POST"),
        data=lambda w: {"concern": "A child was heard screaming.", "mash_contact": "Rang the MASH at 10:00."},
    ),
    "flowchart:oversight_record": Entry(
        MANAGER,
        kwargs=_case,
        methods=("GET", "POST"),
        data=lambda w: {
            "discussion": "Discussed in supervision.",
            "risk_raised": "no",
            "actions-TOTAL_FORMS": "3",
            "actions-INITIAL_FORMS": "0",
            "actions-0-what": "Joint visit with the school nurse",
            "actions-0-who": "Practitioner A",
            "actions-0-by_when_0": "1",
            "actions-0-by_when_1": "12",
            "actions-0-by_when_2": "2030",
            "actions-0-review_on_0": "8",
            "actions-0-review_on_1": "12",
            "actions-0-review_on_2": "2030",
        },
    ),
    "flowchart:decision_record": Entry(
        MANAGER,
        kwargs=_case,
        methods=("GET", "POST"),
        data=lambda w: {
            "outcome": "close",
            "reasons": "Needs met by the school.",
            "considered_mash_referral": "no",
            "considered_multi_agency_meeting": "yes",
            "considered_level_two": "yes",
        },
    ),
    "flowchart:oversight_queue": Entry(frozenset({"manager", "other_manager"})),
    "flowchart:notifications": Entry(SIGNED_IN),
    "flowchart:notification_read": Entry(
        frozenset({"lead"}), kwargs=lambda w: {"pk": w.lead_notification.pk}, methods=("POST",)
    ),
}


def extend_world(world):
    world.episode = EpisodeFactory(case=world.case)
    world.lead_notification = NotificationFactory(recipient=world.users["lead"], case=world.case)
