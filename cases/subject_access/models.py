"""Subject access requests: what was gathered about one person, how each item was reviewed, and
what was released, by whom and when (docs/subject-access.md)."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..storage import documents_storage
from .choices import REDACTED_BY_DEFAULT as REDACTED_BY_DEFAULT
from .choices import REDACTION_MARK as REDACTION_MARK
from .choices import Whose as Whose


class RequestStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    RELEASED = "released", _("Released")


class SubjectAccessRequest(models.Model):
    """One person's request to see what is held about them, across every case they appear in."""

    subject_name = models.CharField(_("name of the person asking"), max_length=200)
    subject_date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # The person's records: one a case they appear on, chosen from a search across the authority.
    people = models.ManyToManyField("cases.Person", related_name="subject_access_requests")
    received_on = models.DateField(_("date the request was received"))
    notes = models.TextField(blank=True, help_text=_("How the request came in and how identity was checked."))
    status = models.CharField(max_length=20, choices=RequestStatus.choices, default=RequestStatus.IN_REVIEW)
    opened_by = models.ForeignKey("cases.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(m2m_fields=[people])

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"Subject access request {self.pk}"

    @property
    def reference(self) -> str:
        return f"SAR-{self.pk:05d}"


class GatheredItem(models.Model):
    """One record found for the request (a contact attempt, an assessment, a letter...), copied
    in parts at the time it was gathered, with the reviewer's decision."""

    request = models.ForeignKey(SubjectAccessRequest, on_delete=models.PROTECT, related_name="items")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=60)
    source_type = models.CharField(_("gathered from"), max_length=60)
    source_id = models.CharField(_("record number"), max_length=40)
    occurred_at = models.DateTimeField(null=True, blank=True)
    title = models.CharField(max_length=300)
    position = models.PositiveIntegerField(default=0)
    reviewed_by = models.ForeignKey(
        "cases.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["request", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | Q(reviewed_by__isnull=False),
                name="gathered_item_reviewed_has_who",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None


class GatheredPart(models.Model):
    """One piece of an item (a field, a note, a name), tagged with whose information it is."""

    item = models.ForeignKey(GatheredItem, on_delete=models.PROTECT, related_name="parts")
    position = models.PositiveIntegerField(default=0)
    label = models.CharField(max_length=200)
    text = models.TextField()
    whose = models.CharField(max_length=20, choices=Whose.choices)
    about = models.CharField(_("whose, in words"), max_length=200, blank=True)
    # A person's name: once redacted, it is also taken out of every kept part of the bundle.
    is_name = models.BooleanField(default=False)
    redacted_by_default = models.BooleanField(default=False)
    redact = models.BooleanField(default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "position", "id"]

    def __str__(self):
        return self.label


class SubjectAccessRelease(models.Model):
    """The bundle released for a request: the signed PDF as it was given, who released it, when."""

    request = models.OneToOneField(SubjectAccessRequest, on_delete=models.PROTECT, related_name="release")
    file = models.FileField(upload_to="subject-access/%Y/", storage=documents_storage)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    released_by = models.ForeignKey("cases.User", on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(default=timezone.now)
    items_released = models.PositiveIntegerField()
    parts_redacted = models.PositiveIntegerField()
    case_references = models.JSONField(default=list, help_text=_("The cases the bundle was gathered from."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-released_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="release_has_sha256"),
        ]

    def __str__(self):
        return f"Release of {self.request}"
