import datetime as dt

import factory
from django.utils import timezone

from riskassessment.models import (
    Action,
    ActionKind,
    Assessment,
    AssessmentStatus,
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

    class Params:
        # Signed by the team's manager without the services (no PDF): for reads and the sweep.
        signed = factory.Trait(
            status=AssessmentStatus.SIGNED,
            analysis="The risks outweigh what protects the children while the family does not engage.",
            elevated_risk=False,
            submitted_at=factory.LazyFunction(timezone.now),
            submitted_by=factory.LazyAttribute(lambda o: o.case.lead_practitioner),
            signed_at=factory.LazyFunction(timezone.now),
            signed_by=factory.LazyAttribute(lambda o: o.case.team.manager),
            signed_name=factory.LazyAttribute(lambda o: o.case.team.manager.full_name),
            share_due_on=factory.LazyAttribute(lambda o: o.assessment_date + dt.timedelta(days=7)),
        )


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
    review_on = factory.LazyAttribute(lambda o: o.by_when + dt.timedelta(days=14))
    added_by = factory.LazyAttribute(lambda o: o.assessment.lead_practitioner)
    position = factory.Sequence(lambda n: n)
