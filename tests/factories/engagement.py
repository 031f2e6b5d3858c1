import datetime as dt

import factory
from django.utils import timezone

from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt, is_hostile

from .cases import CaseFactory


class ContactAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactAttempt

    case = factory.SubFactory(CaseFactory)
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    made_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    recorded_by = factory.LazyAttribute(lambda o: o.made_by)
    kind = AttemptKind.PHONE_CALL
    outcome = AttemptOutcome.NO_ANSWER
    notes = "Rang the mobile number on the referral; it rang out."
    non_engagement_forms = factory.LazyFunction(list)
    # As the services keep it.
    hostile = factory.LazyAttribute(lambda o: is_hostile(o.non_engagement_forms))
