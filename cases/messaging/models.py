"""The local outbox: what would have been sent to families had GOV.UK Notify been configured."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageChannel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class OutboxMessage(models.Model):
    """One message the local outbox kept instead of sending: with no Notify API key set, nothing
    leaves the building. Kept, never deleted, so a demonstration shows what a family would get."""

    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="outbox_messages"
    )
    channel = models.CharField(max_length=10, choices=MessageChannel.choices)
    to = models.CharField(_("To"), max_length=320, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    # A letter's PDF is not copied here: its size says what would have gone.
    pdf_bytes = models.PositiveIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=100)
    notify_id = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message in the local outbox")
        verbose_name_plural = _("messages in the local outbox")

    def __str__(self):
        return f"{self.get_channel_display()} to {self.to or 'the postal address'} ({self.reference})"
