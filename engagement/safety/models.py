"""Staff safety: hostile incidents, their reviews, and the lone-working warning they put on a case.

Coventry (001): "If a violent incident occurs, make a judgement without delay and contact a
manager immediately". Camden (004, section 7): report any incident of hostility to the line
manager and to the allocated social worker, "who may convene a risk management meeting".

Every write goes through `engagement.safety.services`; docs/safety.md says who is told of what.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, Person, User


class HostileIncident(models.Model):
    """Threats, intimidation or violence towards someone working with the family: its own record."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="hostile_incidents")
    occurred_at = models.DateTimeField(_("When it happened"))
    place = models.CharField(
        _("Where it happened"),
        max_length=200,
        help_text=_("For example 'On the doorstep of the family home'."),
    )
    people = models.ManyToManyField(
        Person, related_name="hostile_incidents", help_text=_("Who from the family was involved.")
    )
    what_happened = models.TextField(_("What happened"))
    threats = models.BooleanField(_("Threats were made"), default=False)
    violence = models.BooleanField(_("Violence"), default=False)
    weapon = models.BooleanField(_("A weapon was used or shown"), default=False)
    animals = models.BooleanField(_("Animals were used to intimidate, or were a danger"), default=False)
    police_called = models.BooleanField(_("The police were called"), default=False)
    police_reference = models.CharField(_("Police reference"), max_length=100, blank=True)
    staff_affected = models.ManyToManyField(
        User,
        related_name="hostile_incidents_affected",
        blank=True,
        help_text=_("Who from our side was affected."),
    )
    others_affected = models.CharField(
        _("Anyone else affected"),
        max_length=300,
        blank=True,
        help_text=_("Someone not on the case, such as an interpreter or a colleague from another agency."),
    )
    # The attempt whose record of hostility led here, if it came from one.
    attempt = models.OneToOneField(
        "engagement.ContactAttempt",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hostile_incident",
    )
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[people, staff_affected])

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(what_happened=""), name="hostile_incident_says_what"),
            models.CheckConstraint(condition=~Q(place=""), name="hostile_incident_says_where"),
            models.CheckConstraint(
                condition=Q(police_called=True) | Q(police_reference=""),
                name="hostile_incident_reference_only_if_police_called",
            ),
        ]

    def __str__(self):
        return f"Hostile incident on {timezone.localtime(self.occurred_at):%d %b %Y}"

    @property
    def what_it_involved(self) -> list[str]:
        """Short words for what the incident involved, for tags and lists."""
        flags = (
            (self.threats, gettext("Threats")),
            (self.violence, gettext("Violence")),
            (self.weapon, gettext("A weapon")),
            (self.animals, gettext("Animals")),
            (self.police_called, gettext("Police called")),
        )
        return [words for present, words in flags if present]


class HostileIncidentReview(models.Model):
    """The line manager's (or the allocated social worker's) review after a hostile incident.

    Camden (004, section 7): the social worker "may convene a risk management meeting to include
    all members of the professional network", to establish "what strategies should be used to
    keep professionals safe whilst still forwarding work with the family".
    """

    incident = models.ForeignKey(HostileIncident, on_delete=models.PROTECT, related_name="reviews")
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    meeting_held = models.BooleanField(_("A risk management meeting was held"))
    meeting_on = models.DateField(_("Date of the risk management meeting"), null=True, blank=True)
    safety_plan = models.TextField(
        _("The safety plan"), help_text=_("How people will stay safe while the work with the family goes on.")
    )
    # Whether the reviewer thinks the lone-working warning should stay; empty when none was live.
    warning_stays = models.BooleanField(_("The lone-working warning should stay"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reviewed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(safety_plan=""), name="hostile_review_has_safety_plan"),
            models.CheckConstraint(
                condition=Q(meeting_held=True, meeting_on__isnull=False)
                | Q(meeting_held=False, meeting_on__isnull=True),
                name="hostile_review_meeting_date_if_held",
            ),
        ]

    def __str__(self):
        return f"Review of the {self.incident} by {self.reviewed_by}"


class LoneWorkingWarning(models.Model):
    """ "Visit in pairs": on the case from a hostile incident until the line manager lifts it.

    A case has at most one live warning. An incident recorded while one is live is added to that
    warning's incidents rather than raising a second: the case shows one warning, and lifting it
    is one judgement over every incident it covers.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="lone_working_warnings")
    # The incident that raised it; `incidents` holds it and every later one while it was live.
    incident = models.ForeignKey(HostileIncident, on_delete=models.PROTECT, related_name="warnings_raised")
    incidents = models.ManyToManyField(HostileIncident, related_name="lone_working_warnings")
    raised_on = models.DateField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lift_reason = models.TextField(_("Why the warning can be lifted"), blank=True)
    history = HistoricalRecords(m2m_fields=[incidents])

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(lifted_at__isnull=True), name="one_live_lone_working_warning"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True, lifted_by__isnull=True)
                | Q(lifted_at__isnull=False, lifted_by__isnull=False) & ~Q(lift_reason=""),
                name="lone_working_warning_lift_has_who_and_why",
            ),
        ]

    def __str__(self):
        state = f"lifted {timezone.localtime(self.lifted_at):%d %b %Y}" if self.lifted_at else "live"
        return f"Visit in pairs on {self.case.reference} from {self.raised_on:%d %b %Y} ({state})"

    @property
    def is_live(self) -> bool:
        return self.lifted_at is None
