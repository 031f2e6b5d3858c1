"""Factories for every domain model, shared by the tests and the demo data."""

from .cases import (
    AdminFactory,
    AdultFactory,
    AgencyFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
    UserFactory,
)
from .engagement import ContactAttemptFactory

__all__ = [
    "AdminFactory",
    "AgencyMemberFactory",
    "AdultFactory",
    "AgencyFactory",
    "CaseFactory",
    "CaseMembershipFactory",
    "ChildFactory",
    "ContactAttemptFactory",
    "ManagerFactory",
    "PractitionerFactory",
    "TeamFactory",
    "UserFactory",
]
