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


_case = lambda w: {"case_pk": w.case.pk}  # noqa: E731
_attempt = lambda w: {"case_pk": w.case.pk, "pk": w.attempt.pk}  # noqa: E731

ENTRIES = {
    "engagement:chronology": Entry(CASE_TEAM, kwargs=_case),
    "engagement:chronology_csv": Entry(CASE_TEAM, kwargs=_case),
    "engagement:attempt_record": Entry(CASE_TEAM, kwargs=_case, data=_attempt_data),
    "engagement:attempt_detail": Entry(CASE_TEAM, kwargs=_attempt),
    "engagement:attempt_edit": Entry(CASE_TEAM, kwargs=_attempt, data=_attempt_data),
}


def extend_world(world):
    world.mother = AdultFactory(case=world.case, full_name="Grace Okafor")
    world.attempt = ContactAttemptFactory(
        case=world.case,
        occurred_at=dt.datetime.combine(world.case.referral_date, dt.time(11, 0), tzinfo=dt.UTC),
    )
