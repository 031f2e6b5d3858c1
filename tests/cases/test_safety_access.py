"""Who reviews a hostile incident and who lifts the lone-working warning (cases/access.py).

Camden (004, section 7): "Professionals should report any incidents of hostility ... to their line
manager. This is to enable managers to monitor the situation and take any necessary action under
the organisation's safe working policies", and "to the allocated social worker who may convene a
risk management meeting".
"""

import pytest

from cases.access import (
    CaseAction,
    can,
    can_lift_lone_working_warning,
    can_review_hostile_incident,
    case_for,
    cases_allocated_to,
)
from cases.models import MembershipRole
from cases.services import membership_end
from tests.factories import (
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ManagerFactory,
    PractitionerFactory,
    SocialWorkerFactory,
    TeamFactory,
)


@pytest.fixture
def people(db):
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    case = CaseFactory(lead_practitioner=lead)
    social_worker = SocialWorkerFactory(full_name="Sam Social Worker")
    membership = CaseMembershipFactory(case=case, user=social_worker, role=MembershipRole.SOCIAL_WORKER)
    agency = AgencyMemberFactory(full_name="Ash School")
    CaseMembershipFactory(case=case, user=agency)
    other_manager = ManagerFactory(full_name="Other Manager")
    TeamFactory(name="South", manager=other_manager)
    return {
        "case": case,
        "manager": manager,
        "lead": lead,
        "social_worker": social_worker,
        "membership": membership,
        "agency": agency,
        "other_manager": other_manager,
    }


def test_the_line_manager_or_a_live_social_worker_member_reviews(people):
    """The case's line manager or its allocated social worker (the role and a live membership); not
    the lead practitioner, not a multi-agency member, not another team's manager."""
    case = people["case"]
    allowed = {
        name
        for name in people
        if name not in ("case", "membership") and can_review_hostile_incident(people[name], case)
    }
    assert allowed == {"manager", "social_worker"}
    assert can(people["social_worker"], CaseAction.SAFETY_REVIEW, case)
    assert case_for(people["social_worker"], case.pk, CaseAction.SAFETY_REVIEW) == case
    assert list(cases_allocated_to(people["social_worker"])) == [case]


def test_a_social_worker_whose_place_ended_or_whose_account_is_off_reviews_nothing(people):
    case, worker = people["case"], people["social_worker"]
    membership_end(membership=people["membership"], by=people["lead"])
    assert not can_review_hostile_incident(worker, case)
    assert not cases_allocated_to(worker).exists()
    CaseMembershipFactory(case=case, user=worker, role=MembershipRole.SOCIAL_WORKER)
    assert can_review_hostile_incident(worker, case)
    worker.is_active = False
    worker.save()
    assert not can_review_hostile_incident(worker, case)


def test_a_social_worker_membership_without_the_role_gives_nothing(people):
    """One definition of the allocated social worker everywhere: the role and a live membership.
    A social-worker membership of a multi-agency member (made before the role existed) neither
    reviews nor reads the incidents."""
    case, agency = people["case"], people["agency"]
    CaseMembershipFactory(case=case, user=agency, role=MembershipRole.SOCIAL_WORKER)
    assert not can_review_hostile_incident(agency, case)
    assert not can(agency, CaseAction.SAFETY, case)
    assert not cases_allocated_to(agency).exists()


def test_only_the_line_manager_lifts_the_warning(people):
    case = people["case"]
    lifters = {
        name
        for name in people
        if name not in ("case", "membership") and can_lift_lone_working_warning(people[name], case)
    }
    assert lifters == {"manager"}


def test_the_social_worker_reads_the_cases_hostile_incidents(people):
    """The allocated social worker reads the case's hostile incidents; a multi-agency member does
    not."""
    case, worker = people["case"], people["social_worker"]
    assert can(worker, CaseAction.SAFETY, case)
    assert case_for(worker, case.pk, CaseAction.SAFETY) == case
    assert can(people["lead"], CaseAction.SAFETY, case)
    assert not can(people["agency"], CaseAction.SAFETY, case)
    assert not can(people["other_manager"], CaseAction.SAFETY, case)
