"""A small world for the authorization matrix: practitioner A's case and everyone around it.

Each app's matrix module adds the objects its URLs need through `extend_world`.
"""

from types import SimpleNamespace

from tests.factories import (
    AdminFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    InformationGovernanceFactory,
    ManagerFactory,
    PerformanceOfficerFactory,
    PractitionerFactory,
    SocialWorkerFactory,
    SocialWorkerMembershipFactory,
    TeamFactory,
)

# Everyone the matrix asks about, as the world names them.
# "agency" sits on the world's case and "other_agency" on Practitioner B's; "social_worker" is the
# allocated social worker of the world's case and "other_social_worker" of Practitioner B's.
ROLES = (
    "anonymous",
    "lead",
    "other_practitioner",
    "manager",
    "other_manager",
    "agency",
    "other_agency",
    "social_worker",
    "other_social_worker",
    "admin",
    "performance",
    "information_governance",
)


def build_world() -> SimpleNamespace:
    manager = ManagerFactory(email="manager-a@example.test", full_name="Manager A")
    team = TeamFactory(name="Team A", manager=manager)
    manager.team = team
    manager.save()
    other_manager = ManagerFactory(email="manager-b@example.test", full_name="Manager B")
    other_team = TeamFactory(name="Team B", manager=other_manager)
    lead = PractitionerFactory(email="lead-a@example.test", full_name="Practitioner A", team=team)
    other_practitioner = PractitionerFactory(
        email="lead-b@example.test", full_name="Practitioner B", team=other_team
    )
    agency = AgencyMemberFactory(email="school@example.test", full_name="Agency Member")
    admin = AdminFactory(email="admin@example.test", full_name="Admin")
    performance = PerformanceOfficerFactory(email="performance@example.test", full_name="Performance Officer")
    information_governance = InformationGovernanceFactory(
        email="ig@example.test", full_name="Information Governance Officer"
    )
    case = CaseFactory(lead_practitioner=lead)
    CaseMembershipFactory(case=case, user=agency)
    # Practitioner B's own case, so every role has something of its own to see.
    other_case = CaseFactory(lead_practitioner=other_practitioner)
    other_agency = AgencyMemberFactory(email="health@example.test", full_name="Other Agency Member")
    CaseMembershipFactory(case=other_case, user=other_agency)
    social_worker = SocialWorkerFactory(email="sw-a@example.test", full_name="Social Worker A")
    SocialWorkerMembershipFactory(case=case, user=social_worker)
    other_social_worker = SocialWorkerFactory(email="sw-b@example.test", full_name="Social Worker B")
    SocialWorkerMembershipFactory(case=other_case, user=other_social_worker)
    return SimpleNamespace(
        users={
            "lead": lead,
            "other_practitioner": other_practitioner,
            "manager": manager,
            "other_manager": other_manager,
            "agency": agency,
            "other_agency": other_agency,
            "social_worker": social_worker,
            "other_social_worker": other_social_worker,
            "admin": admin,
            "performance": performance,
            "information_governance": information_governance,
        },
        team=team,
        other_team=other_team,
        case=case,
        other_case=other_case,
    )
