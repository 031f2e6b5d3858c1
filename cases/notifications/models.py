"""One message to one person, recorded once and emailed once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    """One message to one person: shown in their notification list and emailed once.

    `key` makes each reminder exactly-once: whoever sweeps twice finds the row already there.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
    )
    kind = models.CharField(max_length=50)
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    is_escalation = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "flowchart_notification"  # made by the flow chart, which sent the first ones
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["emailed_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
