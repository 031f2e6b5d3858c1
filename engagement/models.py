"""What practitioners do with families: contact attempts and the chronology."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from cases.models import Case, Person, User


class AttemptKind(models.TextChoices):
    PHONE_CALL = "phone_call", "Telephone call"
    TEXT_MESSAGE = "text_message", "Text message"
    LETTER = "letter", "Letter"
    ANNOUNCED_VISIT = "announced_visit", "Announced home visit"
    UNANNOUNCED_VISIT = "unannounced_visit", "Unannounced home visit"
    APPOINTMENT = "appointment", "Office or community appointment"
    LIAISON = "liaison", "Liaison with the referrer or another practitioner"
    JOINT_VISIT = "joint_visit", "Joint visit with a trusted third party"
    MULTI_AGENCY_MEETING = "multi_agency_meeting", "Multi-agency meeting"


HOME_VISIT_KINDS = (
    AttemptKind.ANNOUNCED_VISIT,
    AttemptKind.UNANNOUNCED_VISIT,
    AttemptKind.JOINT_VISIT,
)


class AttemptOutcome(models.TextChoices):
    SEEN = "seen", "Engaged: seen"
    SPOKE = "spoke", "Engaged: spoke"
    NO_ANSWER = "no_answer", "No answer"
    NOT_AT_HOME = "not_at_home", "Not at home"
    REFUSED_ENTRY = "refused_entry", "Refused entry"
    DOOR_NOT_OPENED = "door_not_opened", "Door not opened though someone was inside"
    VISIT_CUT_SHORT = "visit_cut_short", "Visit cut short"
    CANCELLED_BY_FAMILY = "cancelled_by_family", "Appointment cancelled by the family"
    APPOINTMENT_MISSED = "appointment_missed", "Appointment missed"
    LETTER_SENT = "letter_sent", "Letter sent"
    MESSAGE_LEFT = "message_left", "Message left"
    DISCUSSED = "discussed", "Discussed with the professional"


ENGAGED_OUTCOMES = (AttemptOutcome.SEEN, AttemptOutcome.SPOKE)
# Labels by value, made once: get_FOO_display() rebuilds the whole list of choices on every
# call, and the chronology and the flow chart show two for every attempt.
KIND_LABELS = dict(AttemptKind.choices)
OUTCOME_LABELS = dict(AttemptOutcome.choices)


class NonEngagementForm(models.TextChoices):
    AMBIVALENCE = "ambivalence", "Ambivalence"
    AVOIDANCE = "avoidance", "Avoidance"
    CONFRONTATION = "confrontation", "Confrontation"
    REFUSAL = "refusal", "Refusal"
    DISGUISED_COMPLIANCE = "disguised_compliance", "Disguised compliance"
    NON_COMPLIANCE = "non_compliance", "Non-compliance"
    HOSTILITY = "hostility", "Hostility or violence"
    CHILD_NOT_SEEN_ALONE = "child_not_seen_alone", "Child not seen alone"
    STAGE_MANAGED = "stage_managed", "Visit seemed stage-managed"
    CONFLICTING_ACCOUNTS = "conflicting_accounts", "Parent and child gave conflicting accounts"
    ALIGNING = "aligning", "Aligning with one professional against others"
    BOMBARDING = "bombarding", "Bombarding professionals with calls"
    COMPLAINTS_TO_CONTROL = "complaints_to_control", "Using complaints to control"


class ChildSeen(models.TextChoices):
    NOT_APPLICABLE = "", "Not applicable"
    NOT_SEEN = "not_seen", "Not seen"
    SEEN = "seen", "Seen with others"
    SEEN_ALONE = "seen_alone", "Seen alone"


def is_hostile(non_engagement_forms) -> bool:
    """Whether an attempt's forms of non-engagement record hostility or violence."""
    return NonEngagementForm.HOSTILITY.value in (non_engagement_forms or ())


class ContactAttempt(models.Model):
    """One attempt to reach the family: the unit of the chronology and of the flow chart."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contact_attempts")
    occurred_at = models.DateTimeField()
    made_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="contact_attempts_made")
    kind = models.CharField(max_length=30, choices=AttemptKind.choices)
    with_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="contact_attempts"
    )
    with_other = models.CharField(
        max_length=200,
        blank=True,
        help_text="Someone not in the family, such as the referrer or the school.",
    )
    outcome = models.CharField(max_length=30, choices=AttemptOutcome.choices)
    notes = models.TextField(blank=True)
    non_engagement_forms = models.JSONField(default=list, blank=True)
    child_seen = models.CharField(max_length=20, choices=ChildSeen.choices, blank=True, default="")
    child_words = models.TextField(blank=True, help_text="The child's own words.")
    challenge = models.TextField(blank=True, help_text="What you challenged the family about.")
    family_response = models.TextField(blank=True, help_text="How the family responded to the challenge.")
    purpose = models.TextField(blank=True)
    what_was_done = models.TextField(blank=True)
    what_is_required = models.TextField(blank=True)
    required_by_whom = models.CharField(max_length=200, blank=True)
    required_by_when = models.DateField(null=True, blank=True)
    next_contact_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    # Who last corrected the record and when; every earlier version stays in `history`.
    edited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(null=True, blank=True)
    # Whether the forms of non-engagement include hostility or violence (`is_hostile`), kept by
    # the services so the team dashboard's staff-safety figure reads a small index instead of
    # every recent attempt.
    hostile = models.BooleanField(default=False, editable=False)
    history = HistoricalRecords(excluded_fields=["hostile"])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-occurred_at"]),
            models.Index(fields=["case", "kind"]),
            models.Index(fields=["case", "occurred_at"], condition=Q(hostile=True), name="attempt_hostile"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome=""), name="attempt_has_outcome"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_at:%d %b %Y}: {self.get_outcome_display()}"

    @property
    def is_engaged(self):
        return self.outcome in ENGAGED_OUTCOMES

    @property
    def kind_label(self) -> str:
        """As get_kind_display()."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def outcome_label(self) -> str:
        """As get_outcome_display()."""
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


from .models_documents import *  # noqa: E402,F401,F403
from .models_practice import *  # noqa: E402,F401,F403
