"""Deadlines, reminders and notifications. (Pathways and episodes live here too.)"""

from django.db import models
from django.utils import timezone

from cases.models import Case, User


class Notification(models.Model):
    """One message to one person: shown in their notification list and emailed once.

    `key` makes each reminder exactly-once: whoever sweeps twice finds the row already there.
    """

    recipient = models.ForeignKey(User, on_delete=models.PROTECT, related_name="notifications")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="notifications"
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
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["emailed_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unsent"
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
