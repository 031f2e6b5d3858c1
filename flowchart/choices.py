"""The flow chart's choices, defined once: the models store them and the pure schedule reads them.

No model imports here, so `flowchart.schedule` stays importable (and testable) without a database.
"""

from django.db import models


class StepTiming(models.TextChoices):
    BEFORE = "before", "Before day N"  # the last day is day N-1
    ON = "on", "On day N"
    BY = "by", "No later than day N"


class StepRequirement(models.TextChoices):
    ATTEMPTS = "attempts", "Contact attempts (kinds and number below)"
    REFERRAL_RECEIVED = "referral_received", "The referral is received (Day 1)"
    FERA_COMPLETED = "fera_completed", "Family Engagement Risk Assessment completed"
    MANAGER_INFORMED = "manager_informed", "Manager informed of the non-engagement"
    OVERSIGHT_RECORDED = "oversight_recorded", "Manager records oversight"
    DECISION_MADE = "decision_made", "Decision on next steps recorded"


class EpisodeEndReason(models.TextChoices):
    ENGAGED = "engaged", "The family engaged"
    ESCALATED = "escalated", "Immediate safeguarding concern escalated to the MASH"
    DECIDED = "decided", "Decision on next steps made"
