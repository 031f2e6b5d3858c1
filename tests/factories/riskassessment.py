import factory
from django.utils import timezone

from riskassessment.models import (
    Action,
    ActionKind,
    Assessment,
    Basis,
    Factor,
    FactorSide,
    Timeframe,
)

from .cases import CaseFactory


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment; reach later states through riskassessment.services."""

    class Meta:
        model = Assessment

    case = factory.SubFactory(CaseFactory)
    assessment_date = factory.LazyFunction(timezone.localdate)
    participants = "Lead practitioner\nDesignated safeguarding lead, Oakfield Primary School"
    lead_practitioner = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    manager = factory.LazyAttribute(lambda o: o.case.team.manager)
    service = factory.LazyAttribute(lambda o: o.case.team.name)
    analysis = ""
    created_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)


class FactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Factor

    assessment = factory.SubFactory(AssessmentFactory)
    side = FactorSide.RISK
    timeframe = Timeframe.CURRENT
    basis = Basis.EVIDENCED
    description = "Parental substance misuse"
    evidence = "Police attended twice in October; mother told the school nurse she drinks daily."
    position = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    assessment = factory.SubFactory(AssessmentFactory)
    kind = ActionKind.PLAN
    what = "Joint home visit with the school nurse"
    who = "Lead practitioner"
    by_when = factory.LazyFunction(timezone.localdate)
    added_by = factory.LazyAttribute(lambda o: o.assessment.lead_practitioner)
    position = factory.Sequence(lambda n: n)
