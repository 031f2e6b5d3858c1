import datetime as dt

import factory
from django.utils import timezone

from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt, EngagementAgreement, is_hostile

from .cases import CaseFactory, parent_of


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    made_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    recorded_by = factory.LazyAttribute(lambda o: o.made_by)
    kind = AttemptKind.PHONE_CALL
    outcome = AttemptOutcome.NO_ANSWER
    # As the services keep it for any attempt but a text to someone who prefers texts.
    counts_as = factory.LazyAttribute(lambda o: o.kind)
    notes = "Rang the mobile number on the referral; it rang out."
    non_engagement_forms = factory.LazyFunction(list)
    # As the services keep it.
    hostile = factory.LazyAttribute(lambda o: is_hostile(o.non_engagement_forms))


class EngagementAgreementFactory(factory.django.DjangoModelFactory):
    """A parent (a mother, made for it unless given) agreed to work with us, an hour ago."""

    class Meta:
        model = EngagementAgreement

    case = factory.SubFactory(CaseFactory)
    person = factory.LazyAttribute(lambda o: parent_of(o.case))
    agreed_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    what_agreed = "A home visit on Thursday at 11am."
    recorded_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
