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
from .flowchart import DecisionFactory, EpisodeFactory, NotificationFactory
from .practice import (
    GrowGoalFactory,
    SafetyMappingFactory,
    SafetyRatingFactory,
    StageOfChangeFactory,
    SupervisionActionFactory,
    SupervisionRecordFactory,
)
from .riskassessment import ActionFactory, AssessmentFactory, FactorFactory

__all__ = [
    "GrowGoalFactory",
    "SafetyMappingFactory",
    "SafetyRatingFactory",
    "StageOfChangeFactory",
    "SupervisionActionFactory",
    "SupervisionRecordFactory",
    "ActionFactory",
    "AssessmentFactory",
    "FactorFactory",
    "AdminFactory",
    "AgencyMemberFactory",
    "AdultFactory",
    "AgencyFactory",
    "CaseFactory",
    "CaseMembershipFactory",
    "ChildFactory",
    "ContactAttemptFactory",
    "DecisionFactory",
    "EpisodeFactory",
    "ManagerFactory",
    "NotificationFactory",
    "PractitionerFactory",
    "TeamFactory",
    "UserFactory",
]
