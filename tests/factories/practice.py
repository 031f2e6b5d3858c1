import factory
from django.utils import timezone

from engagement.practice.models import (
    ChangeStage,
    GrowGoal,
    RaterKind,
    SafetyMapping,
    SafetyRating,
    ScaleRating,
    StageOfChange,
    SupervisionAction,
    SupervisionRecord,
)

from .cases import AdultFactory, CaseFactory


class StageOfChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StageOfChange

    person = factory.SubFactory(AdultFactory)
    case = factory.LazyAttribute(lambda o: o.person.case)
    stage = ChangeStage.CONTEMPLATION
    assessed_on = factory.LazyAttribute(lambda o: o.case.referral_date)
    evidence = "Said she knows the mornings are hard and wants to talk about what might help."
    assessed_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)


class SafetyMappingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyMapping

    case = factory.SubFactory(CaseFactory)
    meeting_on = factory.LazyAttribute(lambda o: o.case.referral_date)
    meeting_name = "Home visit"
    past_harm = "The children missed 12 days of school this term."
    strengths = "Grandma collects the children on Fridays."
    next_steps = "Agree a morning routine together."
    recorded_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)


class SafetyRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafetyRating

    mapping = factory.SubFactory(SafetyMappingFactory)
    rater_name = factory.Sequence(lambda n: f"Person {n}")
    rater_kind = RaterKind.FAMILY
    rating = 5


class ScaleRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScaleRating

    case = factory.SubFactory(CaseFactory)
    rated_on = factory.LazyFunction(timezone.localdate)
    rater_name = factory.Sequence(lambda n: f"Person {n}")
    rater_kind = RaterKind.FAMILY
    rating = 5
    reason = "Things are calmer at home."
    recorded_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)


class GrowGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GrowGoal

    case = factory.SubFactory(CaseFactory)
    agreed_on = factory.LazyAttribute(lambda o: o.case.referral_date)
    goal = "The children get to school on time every day."
    reality = "Mornings are rushed; the alarm is not always set."
    recorded_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)


class SupervisionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionRecord

    case = factory.SubFactory(CaseFactory)
    supervised_on = factory.LazyAttribute(lambda o: o.case.referral_date)
    supervisor = factory.LazyAttribute(lambda o: o.case.team.manager or o.case.lead_practitioner)
    practitioner = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    concerns = "Three visits without an answer; the school still sees the children daily."
    recorded_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    recorded_at = factory.LazyFunction(timezone.now)


class SupervisionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupervisionAction

    record = factory.SubFactory(SupervisionRecordFactory)
    position = factory.Sequence(lambda n: n + 1)
    what = "Joint visit with the school's safeguarding lead."
    who = "Lead practitioner"
    by_when = factory.LazyAttribute(lambda o: o.record.supervised_on)
