"""Staff safety: hostile incidents, their reviews, and lifting the lone-working warning."""

import datetime as dt

from django.utils import timezone

from engagement.safety.models import LoneWorkingWarning
from engagement.safety.services import (
    hostile_incident_record,
    hostile_incident_review_record,
    lone_working_warning_lift,
)

# The allocated social worker of the world's case reads and reviews its hostile incidents
# (cases.access.can_review_hostile_incident); the social worker of another case gets 404.
from .entries import CASE_TEAM, MANAGER, SOCIAL_WORKER, Entry


def _case(w):
    return {"case_pk": w.case.pk}


def _incident(w):
    return {"case_pk": w.case.pk, "pk": w.incident.pk}


def _incident_data(w):
    day = w.case.referral_date
    return {
        "occurred_on_0": day.day,
        "occurred_on_1": day.month,
        "occurred_on_2": day.year,
        "occurred_time": "12:00",
        "place": "On the doorstep of the family home",
        "people": [w.mother.pk],
        "what_happened": "Shouting and a threat to hit me; I left.",
        "involved": ["threats"],
        "staff_affected": [w.users["lead"].pk],
    }


ENTRIES = {
    "engagement:hostile_incident_record": Entry(CASE_TEAM, kwargs=_case, data=_incident_data),
    "engagement:hostile_incident_detail": Entry(CASE_TEAM | SOCIAL_WORKER, kwargs=_incident),
    "engagement:hostile_incident_review": Entry(
        MANAGER | SOCIAL_WORKER,
        kwargs=_incident,
        data=lambda w: {"meeting_held": "no", "safety_plan": "Joint visits only.", "warning_stays": "yes"},
    ),
    "engagement:warning_lift": Entry(
        MANAGER,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.warning.pk},
        data=lambda w: {"reason": "The risk management meeting agreed office meetings only."},
    ),
}


def extend_world(world):
    """An incident reviewed and its warning lifted, then a later one with its warning still live."""
    lead, manager = world.users["lead"], world.users["manager"]
    now = timezone.now()
    earlier = hostile_incident_record(
        case=world.case,
        by=lead,
        occurred_at=now - dt.timedelta(hours=3),
        place="On the telephone",
        people=[world.mother],
        what_happened="Grace's partner took the phone and swore at me.",
        threats=True,
        # Every incident of this world has a police reference (the injection sweep fills every
        # text column of every row, and a reference needs the police to have been called).
        police_called=True,
        police_reference="CAD 0399",
        staff_affected=[lead],
        others_affected="A student social worker listening in",
    )
    hostile_incident_review_record(
        incident=earlier,
        by=manager,
        meeting_held=True,
        meeting_on=timezone.localdate(),
        safety_plan="Calls from the office with a colleague present.",
        warning_stays=False,
    )
    lone_working_warning_lift(
        warning=LoneWorkingWarning.objects.get(case=world.case, lifted_at__isnull=True),
        by=manager,
        reason="Agreed at the risk management meeting.",
    )
    world.incident = hostile_incident_record(
        case=world.case,
        by=lead,
        occurred_at=now - dt.timedelta(hours=1),
        place="On the doorstep of the family home",
        people=[world.mother],
        what_happened="A dog was let out at me and I was told not to come back.",
        animals=True,
        police_called=True,
        police_reference="CAD 0412",
        staff_affected=[lead],
    )
    world.warning = LoneWorkingWarning.objects.get(case=world.case, lifted_at__isnull=True)
