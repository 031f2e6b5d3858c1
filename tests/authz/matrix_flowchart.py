from flowchart import services
from flowchart.models import ClosureRequest
from tests.factories import EpisodeFactory, NotificationFactory
from tests.factories.flowchart import DecisionFactory

from .entries import CASE_TEAM, MANAGER, SIGNED_IN, Entry


def _case(w):
    return {"case_pk": w.case.pk}


def _closing(w):
    return {
        "agree": "yes",
        "reasons": "The family moved out of the area.",
        "considered_mash_referral": "no",
        "considered_multi_agency_meeting": "yes",
        "considered_level_two": "yes",
        "confirm": "yes",
    }


ENTRIES = {
    "flowchart:case_flowchart": Entry(CASE_TEAM, kwargs=_case),
    "flowchart:episode_start": Entry(CASE_TEAM, kwargs=_case, data=lambda w: {"pathway": "knowsley-15-day"}),
    "flowchart:evidence": Entry(CASE_TEAM, kwargs=_case),
    # Knowsley's day-8 step, "if possible": the case team records that it was not possible.
    "flowchart:step_not_possible": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "order": 8},
        data=lambda w: {"reason": "The referrer has left the school."},
    ),
    "flowchart:manager_inform": Entry(
        CASE_TEAM,
        kwargs=_case,
        data=lambda w: {
            "strategies_tried": "Calls at different times and two visits.",
            "fera_outcome": "Risks outweigh protective factors.",
            "risk_increased": "yes",
        },
    ),
    "flowchart:safeguarding_escalate": Entry(
        CASE_TEAM,
        kwargs=_case,
        data=lambda w: {"concern": "A child was heard screaming.", "mash_contact": "Rang the MASH at 10:00."},
    ),
    "flowchart:oversight_record": Entry(
        MANAGER,
        kwargs=_case,
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
        data=lambda w: {
            "outcome": "close",
            "reasons": "Needs met by the school.",
            "considered_mash_referral": "no",
            "considered_multi_agency_meeting": "yes",
            "considered_level_two": "yes",
        },
    ),
    # Closing is the line manager's decision: the lead practitioner asks (the manager asking is sent
    # to close it), the manager closes or answers the request. Each goes through "Check your answers".
    "flowchart:closure_request": Entry(
        CASE_TEAM,
        kwargs=_case,
        data=lambda w: {"reason": "The family moved out of the area."},
    ),
    "flowchart:case_close": Entry(MANAGER, kwargs=_case, data=_closing),
    "flowchart:closure_decide": Entry(
        MANAGER,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.closure_request.pk},
        data=_closing,
    ),
    # Telling the multi-agency meeting the decision: the case team, not the members themselves.
    "flowchart:decision_share": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.decision.pk},
        data=lambda w: {"next_steps": "A social worker will contact the school."},
    ),
    "flowchart:oversight_queue": Entry(frozenset({"manager", "other_manager"})),
    "flowchart:notifications": Entry(SIGNED_IN),
    "flowchart:notification_read": Entry(
        frozenset({"lead"}),
        kwargs=lambda w: {"pk": w.lead_notification.pk},
    ),
}


def extend_world(world):
    # An earlier run of the flow chart ended with its decision (continue, with a review date)...
    earlier = EpisodeFactory(case=world.case)
    world.decision = DecisionFactory(episode=earlier, outcome="continue")
    services.episode_refresh(episode=earlier)
    # ... and the run started after it is live.
    world.episode = EpisodeFactory(case=world.case)
    world.lead_notification = NotificationFactory(recipient=world.users["lead"], case=world.case)
    # An earlier request to close the case the manager did not agree to, and one waiting.
    services.closure_request_decide(
        request=services.closure_request_make(
            case=world.case, by=world.users["lead"], reason="No answer to three visits."
        ),
        by=world.users["manager"],
        agree=False,
        reason="Too soon: try the school first.",
    )
    world.closure_request = ClosureRequest.objects.create(
        case=world.case, requested_by=world.users["lead"], reason="The family moved out of the area."
    )
