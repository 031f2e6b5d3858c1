"""The allocated social worker's pages, and a multi-agency member's report of non-engagement.

The social worker of the world's case reads its signed assessments, its decisions and the
partners' reports; the social worker of Practitioner B's case gets 404 on all of them, as does
everyone else. Only the member sitting on the world's case may report on it: the member of
another case gets 404, like everyone else.
"""

import datetime as dt

from engagement.partners.services import partner_report_record

from .entries import AGENCY, SOCIAL_WORKER, SOCIAL_WORKERS, Entry


def _case(w):
    return {"case_pk": w.case.pk}


def _signed(w):
    return {"case_pk": w.case.pk, "pk": w.signed_assessment.pk}


def _report_data(w):
    day = w.case.referral_date
    return {
        "kind": "missed_appointment",
        "occurred_on_0": day.day,
        "occurred_on_1": day.month,
        "occurred_on_2": day.year,
        "occurred_time": "09:30",
        "how_known": "records",
        "details": "Connor was not brought to his 9:30 appointment at the clinic.",
    }


ENTRIES = {
    # Every social worker has a list of their own cases; no one else has one.
    "socialwork:allocated_cases": Entry(SOCIAL_WORKERS),
    "socialwork:case": Entry(SOCIAL_WORKER, kwargs=_case),
    "socialwork:assessment": Entry(SOCIAL_WORKER, kwargs=_signed),
    "socialwork:assessment_pdf": Entry(SOCIAL_WORKER, kwargs=_signed),
    "socialwork:decisions": Entry(SOCIAL_WORKER, kwargs=_case),
    "socialwork:partner_reports": Entry(SOCIAL_WORKER, kwargs=_case),
    "engagement:partner_report": Entry(AGENCY, kwargs=_case, data=_report_data),
}


def extend_world(world):
    """A report from the school, made through the service, so the pages have one to show."""
    world.partner_report = partner_report_record(
        case=world.case,
        by=world.users["agency"],
        kind="child_not_brought",
        occurred_on=world.case.referral_date,
        occurred_time=dt.time(8, 50),
        how_known="first_hand",
        details="Connor was not brought to school this morning; his mother did not answer the phone.",
    )
