import datetime as dt

from engagement.models import AttemptKind, AttemptOutcome
from tests.factories import AdultFactory, ContactAttemptFactory

from .entries import CASE_TEAM, Entry


def _attempt_data(w):
    day = w.case.referral_date
    return {
        "kind": AttemptKind.PHONE_CALL,
        "occurred_on_0": day.day,
        "occurred_on_1": day.month,
        "occurred_on_2": day.year,
        "occurred_time": "12:00",
        "outcome": AttemptOutcome.NO_ANSWER,
        "with_person": w.mother.pk,
        "made_by": w.users["lead"].pk,
        "notes": "Rang the mobile number; it rang out.",
    }


def _outbox_data(w):
    """What the device's outbox sends: the attempt form's fields and the device's own id."""
    return _attempt_data(w) | {"client_id": "6f1c1c8e-3a51-4f7e-9a55-0e1d3c2b7a90"}


_case = lambda w: {"case_pk": w.case.pk}  # noqa: E731
_attempt = lambda w: {"case_pk": w.case.pk, "pk": w.attempt.pk}  # noqa: E731

ENTRIES = {
    "engagement:chronology": Entry(CASE_TEAM, kwargs=_case),
    "engagement:chronology_csv": Entry(CASE_TEAM, kwargs=_case),
    "engagement:attempt_record": Entry(CASE_TEAM, kwargs=_case, data=_attempt_data),
    "engagement:attempt_sync": Entry(CASE_TEAM, kwargs=_case, data=_outbox_data),
    "engagement:attempt_detail": Entry(CASE_TEAM, kwargs=_attempt),
    "engagement:attempt_edit": Entry(CASE_TEAM, kwargs=_attempt, data=_attempt_data),
}


def extend_world(world):
    world.mother = AdultFactory(case=world.case, full_name="Grace Okafor")
    world.attempt = ContactAttemptFactory(
        case=world.case,
        occurred_at=dt.datetime.combine(world.case.referral_date, dt.time(11, 0), tzinfo=dt.UTC),
    )
