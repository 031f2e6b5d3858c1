"""A small world for the authorization matrix: practitioner A's case and everyone around it.

Each app's matrix module adds the objects its URLs need through `extend_world`.
"""

from types import SimpleNamespace

from tests.factories import (
    AdminFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

# Everyone the matrix asks about, as the world names them.
ROLES = ("anonymous", "lead", "other_practitioner", "manager", "other_manager", "agency", "admin")


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
    case = CaseFactory(lead_practitioner=lead)
    CaseMembershipFactory(case=case, user=agency)
    # Practitioner B's own case, so every role has something of its own to see.
    other_case = CaseFactory(lead_practitioner=other_practitioner)
    return SimpleNamespace(
        users={
            "lead": lead,
            "other_practitioner": other_practitioner,
            "manager": manager,
            "other_manager": other_manager,
            "agency": agency,
            "admin": admin,
        },
        team=team,
        other_team=other_team,
        case=case,
        other_case=other_case,
    )
