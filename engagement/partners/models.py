"""What partner agencies report about a family's non-engagement (Camden 004, section 4).

"Non-engagement with education, health and adult services must also be reported as this may be
an indication that the situation at home is deteriorating." A multi-agency meeting member
(a school, a health visitor, an adult service) reports on a case they sit on; the report goes
into the case's chronology marked with who made it and for which agency, and the lead
practitioner and the allocated social worker are told. Nothing here is deleted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Agency, Case, CaseMembership, User


class PartnerReportKind(models.TextChoices):
    """What the partner saw: what happened, never a label for the family (Leeds 003)."""

    MISSED_APPOINTMENT = "missed_appointment", _("A missed appointment")
    CHILD_NOT_BROUGHT = "child_not_brought", _("A child not brought to an appointment, nursery or school")
    HOSTILE_EXCHANGE = "hostile_exchange", _("A hostile or threatening exchange with staff")
    CONCERN = "concern", _("Another concern about engagement")


class HowKnown(models.TextChoices):
    FIRST_HAND = "first_hand", _("I saw or heard it myself")
    COLLEAGUE = "colleague", _("A colleague told me")
    RECORDS = "records", _("Our records (attendance, appointments)")
    FAMILY = "family", _("The family told us")
    OTHER = "other", _("Another way (say how in the details)")


REPORT_KIND_LABELS = dict(PartnerReportKind.choices)
HOW_KNOWN_LABELS = dict(HowKnown.choices)


class PartnerReport(models.Model):
    """One report of non-engagement from a partner agency, as its member made it."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="partner_reports")
    kind = models.CharField(_("What happened"), max_length=30, choices=PartnerReportKind.choices)
    occurred_on = models.DateField(_("When it happened"))
    occurred_time = models.TimeField(null=True, blank=True)
    how_known = models.CharField(_("How they know"), max_length=20, choices=HowKnown.choices)
    details = models.TextField()
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="partner_reports")
    # The member's place on the case, and their agency, as they were when they reported: a
    # member who later moves agency or leaves the case does not change the record.
    membership = models.ForeignKey(CaseMembership, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-reported_at", "-id"]
        indexes = [models.Index(fields=["case", "-occurred_on"], name="partner_report_case")]
        constraints = [
            models.CheckConstraint(condition=~Q(details=""), name="partner_report_has_details"),
            models.CheckConstraint(condition=~Q(kind=""), name="partner_report_has_kind"),
        ]

    def __str__(self):
        return f"{self.kind_label} on {self.occurred_on:%d %b %Y}, {self.source}"

    @property
    def kind_label(self) -> str:
        return str(REPORT_KIND_LABELS.get(self.kind, self.kind))

    @property
    def how_known_label(self) -> str:
        return str(HOW_KNOWN_LABELS.get(self.how_known, self.how_known))

    @property
    def source(self) -> str:
        """Who reported it, for which agency: "Sara School, Oakfield Primary School"."""
        return f"{self.reported_by}, {self.agency}" if self.agency_id else str(self.reported_by)
