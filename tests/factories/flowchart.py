import datetime as dt

import factory
from django.utils import timezone

from cases.notifications import Notification, NotificationKind
from flowchart.models import (
    Decision,
    DecisionOutcome,
    Episode,
    FlowchartSettings,
    Pathway,
    PathwayVersion,
    Step,
)
from flowchart.outcomes import seed_decision_outcomes
from flowchart.pathways import publish_guidance_revision, seed_pathways

from .cases import CaseFactory, PractitionerFactory


def ensure_pathways() -> None:
    """The seeded pathways as the data migrations leave them (version 1 from 0003, version 2 from
    0008, the current one); a flushed test database may lack them."""
    seed_pathways(Pathway, PathwayVersion, Step, FlowchartSettings)
    publish_guidance_revision(Pathway, PathwayVersion, Step)
    seed_decision_outcomes(Pathway)


class EpisodeFactory(factory.django.DjangoModelFactory):
    """A case's run through the default pathway, started as the service would start it."""

    class Meta:
        model = Episode
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    version = factory.LazyFunction(
        lambda: (ensure_pathways(), PathwayVersion.objects.filter(pathway__is_default=True).latest("number"))[
            1
        ]
    )
    day1 = factory.LazyAttribute(lambda o: o.case.referral_date)
    started_by = factory.LazyAttribute(lambda o: o.case.lead_practitioner)
    started_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def refresh(obj, create, extracted, **kwargs):
        if create:
            from flowchart.services import episode_refresh

            episode_refresh(episode=obj)


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(PractitionerFactory)
    key = factory.Sequence(lambda n: f"test:{n}")
    subject = "Due today: telephone the family"
    body = "Telephone the family to arrange a home visit."
    kind = NotificationKind.STEP_DUE


class DecisionFactory(factory.django.DjangoModelFactory):
    """A day-15 decision on an episode; `continue` needs a review date, so it gets one."""

    class Meta:
        model = Decision

    episode = factory.SubFactory(EpisodeFactory)
    decided_by = factory.LazyAttribute(
        lambda o: o.episode.case.team.manager or o.episode.case.lead_practitioner
    )
    decided_at = factory.LazyFunction(timezone.now)
    outcome = DecisionOutcome.CLOSE
    reasons = "Needs met by the school."
    review_on = factory.LazyAttribute(
        lambda o: (
            timezone.localdate(o.decided_at) + dt.timedelta(days=28)
            if o.outcome == DecisionOutcome.CONTINUE
            else None
        )
    )
    considered_mash_referral = "no"
    considered_multi_agency_meeting = "yes"
    considered_level_two = "yes"
