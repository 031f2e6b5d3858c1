"""The flow chart's choices, defined once: the models store them and the pure schedule reads them.

No model imports here, so `flowchart.schedule` stays importable (and testable) without a database.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StepTiming(models.TextChoices):
    BEFORE = "before", _("Before day N")  # the last day is day N-1
    ON = "on", _("On day N")
    BY = "by", _("No later than day N")


class StepRequirement(models.TextChoices):
    ATTEMPTS = "attempts", _("Contact attempts (kinds and number below)")
    REFERRAL_RECEIVED = "referral_received", _("The referral is received (Day 1)")
    FERA_COMPLETED = "fera_completed", _("Family Engagement Risk Assessment completed")
    MANAGER_INFORMED = "manager_informed", _("Manager informed of the non-engagement")
    OVERSIGHT_RECORDED = "oversight_recorded", _("Manager records oversight")
    DECISION_MADE = "decision_made", _("Decision on next steps recorded")


class EpisodeEndReason(models.TextChoices):
    ENGAGED = "engaged", _("The family engaged")
    ESCALATED = "escalated", _("Immediate safeguarding concern escalated to the MASH")
    DECIDED = "decided", _("Decision on next steps made")
