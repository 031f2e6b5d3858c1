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
    RelationshipFactory,
    SocialWorkerFactory,
    SocialWorkerMembershipFactory,
    TeamFactory,
    UserFactory,
    parent_of,
)
from .engagement import ContactAttemptFactory, EngagementAgreementFactory
from .flowchart import DecisionFactory, EpisodeFactory, NotificationFactory
from .partner import PartnerReportFactory
from .practice import (
    GrowGoalFactory,
    SafetyMappingFactory,
    SafetyRatingFactory,
    ScaleRatingFactory,
    StageOfChangeFactory,
    SupervisionActionFactory,
    SupervisionRecordFactory,
)
from .riskassessment import ActionFactory, AssessmentFactory, FactorFactory

__all__ = [
    "GrowGoalFactory",
    "SafetyMappingFactory",
    "SafetyRatingFactory",
    "ScaleRatingFactory",
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
    "EngagementAgreementFactory",
    "DecisionFactory",
    "EpisodeFactory",
    "ManagerFactory",
    "NotificationFactory",
    "PartnerReportFactory",
    "PractitionerFactory",
    "RelationshipFactory",
    "SocialWorkerFactory",
    "SocialWorkerMembershipFactory",
    "parent_of",
    "TeamFactory",
    "UserFactory",
]
