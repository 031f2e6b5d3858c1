"""Message templates an admin edits, each message sent to a family, and texts received from them."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Case, Person, User

# Words an admin may put in a template, each between double brackets as Notify writes them.
PLACEHOLDERS = {
    "name": _("the family member's name"),
    "practitioner_name": _("your name"),
    "practitioner_phone": _("your work phone number"),
    "date": _("the date you choose"),
}


class TemplateKind(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")


class TemplateLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    WELSH = "cy", _("Welsh")


class MessageTemplate(models.Model):
    """Wording for a text or an email to a family, kept by the admin; placeholders such as
    ((name)) are filled in when the practitioner writes the message."""

    name = models.CharField(max_length=100, help_text=_("What practitioners choose it by."))
    kind = models.CharField(max_length=10, choices=TemplateKind.choices)
    language = models.CharField(
        max_length=5, choices=TemplateLanguage.choices, default=TemplateLanguage.ENGLISH
    )
    subject = models.CharField(max_length=200, blank=True, help_text=_("For an email only."))
    body = models.TextField(
        help_text=_("You can use ((name)), ((practitioner_name)), ((practitioner_phone)) and ((date)).")
    )
    in_use = models.BooleanField(default=True, help_text=_("Untick to stop practitioners choosing it."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name", "language"]
        verbose_name = _("text or email template")
        verbose_name_plural = _("text and email templates")
        constraints = [
            models.UniqueConstraint(fields=["name", "kind", "language"], name="message_template_once"),
            models.CheckConstraint(condition=~Q(body=""), name="message_template_has_body"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()}, {self.get_language_display()})"


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class MessageStatus(models.TextChoices):
    HELD = "held", _("Held for the manager's approval")
    REFUSED = "refused", _("Not to be sent: the manager's decision")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")


class FamilyMessage(models.Model):
    """One text, email or letter to a family member, kept as written: held, or sent and becoming
    a contact attempt whose delivery Notify's callbacks report."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="family_messages")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="family_messages")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    template = models.ForeignKey(
        MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to = models.CharField(_("To"), max_length=320, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices)
    # Notify's own word for the last status it reported, such as "permanent-failure".
    notify_status = models.CharField(max_length=40, blank=True)
    notify_id = models.UUIDField(null=True, blank=True, unique=True)
    reference = models.CharField(max_length=100, blank=True)
    attempt = models.OneToOneField(
        "engagement.ContactAttempt", null=True, blank=True, on_delete=models.PROTECT, related_name="message"
    )
    letter = models.OneToOneField(
        "engagement.Letter", null=True, blank=True, on_delete=models.PROTECT, related_name="message"
    )
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    held_because = models.TextField(blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_notes = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["case", "-created_at"]), models.Index(fields=["channel", "sent_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} to {self.person} ({self.get_status_display().lower()})"


class ReceivedText(models.Model):
    """A text a family member sent to the service's number, from Notify's inbound callback. Matched
    to the person whose number it is; with no match it is kept for review, never dropped."""

    notify_id = models.UUIDField(unique=True)
    from_number = models.CharField(max_length=50)
    normalised_number = models.CharField(max_length=50, db_index=True)
    body = models.TextField()
    received_at = models.DateTimeField()
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="received_texts"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="received_texts"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # An unmatched text may later be placed on a case: that change is kept, as any record's is.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-id"]

    def __str__(self):
        return f"Text from {self.person or 'an unknown number'} on {self.received_at:%d %b %Y}"
