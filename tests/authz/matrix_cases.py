import datetime as dt

from cases.models import CaseMembership, MembershipRole, MembershipStatus
from tests.factories import CaseMembershipFactory, ChildFactory, PractitionerFactory

from .entries import CASE_TEAM, MANAGER, SIGNED_IN, STAFF, Entry


def _case(w):
    return {"case_pk": w.case.pk}


def _case_data(w):
    day = w.case.referral_date
    return {
        "family_name": "Okafor family",
        "referral_date_0": day.day,
        "referral_date_1": day.month,
        "referral_date_2": day.year,
        "referral_source": "school",
        "referrer_name": "Mrs Shah",
        "referrer_contact": "0161 496 0000",
        "referral_reason": "Attendance has fallen to 70%.",
        "threshold_level": 3,
    }


def _child_data(w):
    return {
        "full_name": "Ada Okafor",
        "date_of_birth_0": "4",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2021",
        "lives_in_household": "True",
    }


ENTRIES = {
    "home": Entry(SIGNED_IN),
    "healthz": Entry(SIGNED_IN, public=True),
    # The installable app's manifest and service worker: no one's data, fetched before sign-in too.
    "manifest": Entry(SIGNED_IN, public=True),
    "service_worker": Entry(SIGNED_IN, public=True),
    # "Stay signed in" only restarts the idle clock: anyone signed in, no case content.
    "session_keep_alive": Entry(SIGNED_IN),
    # Says why someone was signed out; someone still signed in is sent to their start page.
    "signed_out": Entry(SIGNED_IN, public=True),
    # The words the interface's JavaScript shows: no one's data; the sign-in pages may use it too.
    "javascript_catalog": Entry(SIGNED_IN, public=True),
    "cases:my_cases": Entry(STAFF),
    "cases:case_create": Entry(
        frozenset({"lead", "other_practitioner", "manager", "other_manager"}),
    ),
    "cases:case_detail": Entry(CASE_TEAM, kwargs=_case),
    "cases:case_edit": Entry(CASE_TEAM, kwargs=_case, data=_case_data),
    "cases:case_close": Entry(CASE_TEAM, kwargs=_case, data=lambda w: {"reason": "Family engaged."}),
    "cases:case_reassign": Entry(
        MANAGER,
        kwargs=_case,
        data=lambda w: {"lead_practitioner": w.second_practitioner.pk},
    ),
    "cases:person_add": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "kind": "child"},
        data=_child_data,
    ),
    "cases:person_edit": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.child.pk},
        data=_child_data,
    ),
    "cases:membership_add": Entry(
        CASE_TEAM,
        kwargs=_case,
        data=lambda w: {"user": w.second_practitioner.pk, "role": MembershipRole.CO_WORKER},
    ),
    "cases:membership_end": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.agency_membership.pk},
    ),
    "cases:membership_decide": Entry(
        MANAGER,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.co_worker_request.pk},
        data=lambda w: {"decision": "approve"},
    ),
}


def extend_world(world):
    world.second_practitioner = PractitionerFactory(
        email="lead-a2@example.test", full_name="Practitioner A2", team=world.team
    )
    world.child = ChildFactory(case=world.case, full_name="Chidi", date_of_birth=dt.date(2019, 4, 1))
    world.agency_membership = CaseMembership.objects.get(case=world.case, user=world.users["agency"])
    # A practitioner of Team B asked to co-work on Practitioner A's case: waiting for Manager A.
    world.co_worker_request = CaseMembershipFactory(
        case=world.case,
        user=PractitionerFactory(
            email="lead-b2@example.test", full_name="Practitioner B2", team=world.other_team
        ),
        role=MembershipRole.CO_WORKER,
        status=MembershipStatus.REQUESTED,
    )
