"""What practitioners do with families: contact attempts and the chronology."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, Person, User

from . import rules


class AttemptKind(models.TextChoices):
    PHONE_CALL = "phone_call", _("Telephone call")
    TEXT_MESSAGE = "text_message", _("Text message")
    LETTER = "letter", _("Letter")
    ANNOUNCED_VISIT = "announced_visit", _("Announced home visit")
    UNANNOUNCED_VISIT = "unannounced_visit", _("Unannounced home visit")
    APPOINTMENT = "appointment", _("Office or community appointment")
    LIAISON = "liaison", _("Liaison with the referrer or another practitioner")
    JOINT_VISIT = "joint_visit", _("Joint visit with a trusted third party")
    MULTI_AGENCY_MEETING = "multi_agency_meeting", _("Multi-agency meeting")
    EMAIL = "email", _("Email")


class Delivery(models.TextChoices):
    """Where a text, email or letter sent through GOV.UK Notify stands (engagement.messages).
    Empty for attempts recorded by hand."""

    NONE = "", _("Not sent through the system")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")


class AttemptOutcome(models.TextChoices):
    """What happened at the door, on the phone or in the post: whether contact was made.

    Contact is not engagement: what the family said is recorded apart, as the response.
    """

    SEEN = "seen", _("Seen")
    SPOKE = "spoke", _("Spoke with them")
    NO_ANSWER = "no_answer", _("No answer")
    NOT_AT_HOME = "not_at_home", _("Not at home")
    REFUSED_ENTRY = "refused_entry", _("Refused entry")
    DOOR_NOT_OPENED = "door_not_opened", _("Door not opened though someone was inside")
    VISIT_CUT_SHORT = "visit_cut_short", _("Visit cut short")
    CANCELLED_BY_FAMILY = "cancelled_by_family", _("Appointment cancelled by the family")
    APPOINTMENT_MISSED = "appointment_missed", _("Appointment missed")
    LETTER_SENT = "letter_sent", _("Letter sent")
    MESSAGE_LEFT = "message_left", _("Message left")
    LETTER_LEFT = "letter_left", _("Card or letter left")
    DISCUSSED = "discussed", _("Discussed with the professional")


class FamilyResponse(models.TextChoices):
    """What the family said, where there was contact: told apart from whether contact was made."""

    AGREED = "agreed", _("Agreed to work with us")
    UNDECIDED = "undecided", _("Not decided yet")
    DECLINED = "declined", _("Said they do not want support")
    HOSTILE = "hostile", _("Responded with hostility or abuse")


# Labels by value, made once: get_FOO_display() rebuilds the whole list of choices on every
# call, and the chronology and the flow chart show two for every attempt. The labels are lazy:
# the properties below turn them into text in the language of the moment.
KIND_LABELS = dict(AttemptKind.choices)
DELIVERY_LABELS = dict(Delivery.choices)
OUTCOME_LABELS = dict(AttemptOutcome.choices)
RESPONSE_LABELS = dict(FamilyResponse.choices)


class NonEngagementForm(models.TextChoices):
    AMBIVALENCE = "ambivalence", _("Ambivalence")
    AVOIDANCE = "avoidance", _("Avoidance")
    CONFRONTATION = "confrontation", _("Confrontation")
    REFUSAL = "refusal", _("Refusal")
    DISGUISED_COMPLIANCE = "disguised_compliance", _("Disguised compliance")
    NON_COMPLIANCE = "non_compliance", _("Non-compliance")
    HOSTILITY = "hostility", _("Hostility or violence")
    CHILD_NOT_SEEN_ALONE = "child_not_seen_alone", _("Child not seen alone")
    STAGE_MANAGED = "stage_managed", _("Visit seemed stage-managed")
    CONFLICTING_ACCOUNTS = "conflicting_accounts", _("Parent and child gave conflicting accounts")
    ALIGNING = "aligning", _("Aligning with one professional against others")
    BOMBARDING = "bombarding", _("Bombarding professionals with calls")
    COMPLAINTS_TO_CONTROL = "complaints_to_control", _("Using complaints to control")


class ChildSeen(models.TextChoices):
    NOT_APPLICABLE = "", _("Not applicable")
    NOT_SEEN = "not_seen", _("Not seen")
    SEEN = "seen", _("Seen with others")
    SEEN_ALONE = "seen_alone", _("Seen alone")


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
        help_text=_("Someone not in the family, such as the referrer or the school."),
    )
    outcome = models.CharField(max_length=30, choices=AttemptOutcome.choices)
    # Other outcomes of the same attempt, such as a card left after no answer.
    also_outcomes = models.JSONField(default=list, blank=True)
    response = models.CharField(
        _("What the family said"), max_length=20, choices=FamilyResponse.choices, blank=True, default=""
    )
    # The kind of attempt the flow chart counts it as: its own kind, or a telephone call for a
    # text to someone who prefers texts (Knowsley: "Telephone contact, including texting if
    # preferred by family"). Kept by the services when the attempt is recorded, as the person's
    # preference stood then.
    counts_as = models.CharField(max_length=30, choices=AttemptKind.choices, editable=False)
    # A call, text or visit that passed on what a letter would have said, to someone who prefers
    # to talk rather than read or who needs an interpreter: it counts as the flow chart's letter
    # (Knowsley 000: "some parents/carers are not be able to read letters").
    instead_of_letter = models.BooleanField(_("Instead of the letter"), default=False)
    notes = models.TextField(blank=True)
    non_engagement_forms = models.JSONField(default=list, blank=True)
    child_seen = models.CharField(max_length=20, choices=ChildSeen.choices, blank=True, default="")
    child_words = models.TextField(blank=True, help_text=_("The child's own words."))
    challenge = models.TextField(blank=True, help_text=_("What you challenged the family about."))
    family_response = models.TextField(blank=True, help_text=_("How the family responded to the challenge."))
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
    # The id the form (or, later, a device's outbox) made for this one save: the same id posted
    # again (a double click, a retry after a lost connection) answers with this record instead of
    # making a second one. Empty for attempts recorded before it existed or without a form.
    client_id = models.UUIDField(null=True, blank=True, editable=False)
    # For a text, email or letter sent through the system: whether it arrived, from Notify's
    # callbacks. A text counts towards the flow chart as a telephone call only once delivered, and
    # one not delivered counts towards no step (engagement.messages).
    delivery = models.CharField(
        max_length=10, choices=Delivery.choices, blank=True, default="", editable=False
    )
    history = HistoricalRecords(excluded_fields=["hostile", "counts_as", "client_id"])

    # Set by the services on the attempt they return when the client id had been saved already.
    already_saved = False

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["case", "-occurred_at"]),
            models.Index(fields=["case", "kind"]),
            models.Index(fields=["case", "occurred_at"], condition=Q(hostile=True), name="attempt_hostile"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(outcome=""), name="attempt_has_outcome"),
            models.CheckConstraint(condition=~Q(counts_as=""), name="attempt_counts_as_a_kind"),
            models.UniqueConstraint(
                fields=["case", "client_id"],
                condition=Q(client_id__isnull=False),
                name="attempt_saved_once_per_client_id",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_at:%d %b %Y}: {self.get_outcome_display()}"

    @property
    def kind_label(self) -> str:
        """As get_kind_display()."""
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def outcome_label(self) -> str:
        """As get_outcome_display(), with any other outcomes of the same attempt."""
        labels = [str(OUTCOME_LABELS.get(o, o)) for o in (self.outcome, *(self.also_outcomes or ()))]
        return labels[0] if len(labels) == 1 else f"{labels[0]} ({', '.join(labels[1:]).lower()})"

    @property
    def delivery_label(self) -> str:
        return str(DELIVERY_LABELS.get(self.delivery, ""))

    @property
    def response_label(self) -> str:
        return str(RESPONSE_LABELS.get(self.response, ""))

    @property
    def tag(self) -> tuple[str, str]:
        """The chronology's tag: (words, css class), by `rules.attempt_tag`."""
        try:
            has_agreement = self.agreement is not None
        except EngagementAgreement.DoesNotExist:
            has_agreement = False
        return rules.attempt_tag(
            kind=self.kind,
            outcome=self.outcome,
            with_person_id=self.with_person_id,
            has_agreement=has_agreement,
        )


class EngagementAgreement(models.Model):
    """A parent or carer agreed to work with the service: the only thing that ends non-engagement.

    Knowsley's flow chart lists "the minimum attempts to engage the parent" (000, Appendix 4):
    seeing the child, speaking with a professional, or speaking with a parent who declines all
    leave it running. Made by `engagement.services` only for a parent or carer of a child of the
    case (`engagement.rules`).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="engagement_agreements")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="engagement_agreements")
    agreed_at = models.DateTimeField()
    what_agreed = models.TextField(
        _("What was agreed"),
        help_text=_(
            "For example the date of the first visit, or that a working together agreement was signed."
        ),
    )
    attempt = models.OneToOneField(
        ContactAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="agreement"
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-agreed_at", "-id"]
        indexes = [models.Index(fields=["case", "agreed_at"])]
        constraints = [models.CheckConstraint(condition=~Q(what_agreed=""), name="agreement_says_what")]

    def __str__(self):
        return f"{self.person} agreed to work with us on {self.agreed_at:%d %b %Y}"


# The models of engagement's sub-packages, named here because Django finds an app's models in its
# models module. Imported after the contact attempts' own, in the order they have always registered.
from .documents.models import (  # noqa: E402
    Agreement,
    AgreementSignature,
    AgreementTemplate,
    Letter,
    LetterTemplate,
)
from .messages.models import FamilyMessage, MessageTemplate, ReceivedText  # noqa: E402
from .partners.models import PartnerReport  # noqa: E402
from .practice.models import (  # noqa: E402
    GrowGoal,
    SafetyMapping,
    SafetyRating,
    ScaleRating,
    StageOfChange,
    SupervisionAction,
    SupervisionRecord,
)
from .safety.models import HostileIncident, HostileIncidentReview, LoneWorkingWarning  # noqa: E402
from .supporting_families.models import FamilyNeed  # noqa: E402

__all__ = [
    # Contact attempts and agreements to work with the service.
    "AttemptKind",
    "AttemptOutcome",
    "ChildSeen",
    "ContactAttempt",
    "Delivery",
    "DELIVERY_LABELS",
    "EngagementAgreement",
    "FamilyResponse",
    "KIND_LABELS",
    "NonEngagementForm",
    "OUTCOME_LABELS",
    "RESPONSE_LABELS",
    "is_hostile",
    # engagement.documents
    "Agreement",
    "AgreementSignature",
    "AgreementTemplate",
    "Letter",
    "LetterTemplate",
    # engagement.messages
    "FamilyMessage",
    "MessageTemplate",
    "ReceivedText",
    # engagement.partners
    "PartnerReport",
    # engagement.practice
    "GrowGoal",
    "SafetyMapping",
    "SafetyRating",
    "ScaleRating",
    "StageOfChange",
    "SupervisionAction",
    "SupervisionRecord",
    # engagement.safety
    "HostileIncident",
    "HostileIncidentReview",
    "LoneWorkingWarning",
    # engagement.supporting_families
    "FamilyNeed",
]


OFFLINE_KEEP_MAX_DAYS = 30
# format_lazy rather than "%": the validators are made at import, before any language is chosen.
KEEP_DAYS_OUT_OF_RANGE = format_lazy(
    _("Enter a number of days from 1 to {maximum}"), maximum=OFFLINE_KEEP_MAX_DAYS
)


class OfflineSettings(models.Model):
    """How long a phone keeps the practitioner's open cases for working offline. One row."""

    keep_days = models.SmallIntegerField(
        _("Days a phone keeps the case list without its owner signing in"),
        default=7,
        validators=[
            MinValueValidator(1, KEEP_DAYS_OUT_OF_RANGE),
            MaxValueValidator(OFFLINE_KEEP_MAX_DAYS, KEEP_DAYS_OUT_OF_RANGE),
        ],
        help_text=_(
            "A phone or laptop used offline holds the practitioner's open cases' references, family "
            "names, people's names and next steps, nothing else. It deletes them this many days after the "
            "practitioner last signed in on it, and always when they sign out. Attempts recorded offline "
            "and not yet sent are kept until they are sent or the practitioner removes them."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working offline setting")
        verbose_name_plural = _("working offline settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_offline_settings_row"),
            models.CheckConstraint(
                condition=Q(keep_days__gte=1, keep_days__lte=OFFLINE_KEEP_MAX_DAYS),
                name="offline_keep_days_in_range",
            ),
        ]

    def __str__(self):
        return gettext("Phones keep the case list for %(days)s days without signing in") % {
            "days": self.keep_days
        }
