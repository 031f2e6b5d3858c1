"""One message to one person, recorded once and emailed once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about: each app sends its own kinds, worded in its own notify.py."""

    # The flow chart (flowchart/).
    STEP_DUE = "step_due", _("Flow-chart step due")
    STEP_OVERDUE = "step_overdue", _("Flow-chart step overdue")
    DIGEST = "digest", _("Morning summary")
    STEP_NOT_POSSIBLE = "step_not_possible", _("Step recorded as not possible")
    MANAGER_INFORMED = "manager_informed", _("Manager informed of the non-engagement")
    DECISION = "decision", _("Decision on next steps")
    DECISION_SHARED = "decision_shared", _("Decision shared")
    DECISION_SHARE_REMINDER = "decision_share_reminder", _("Shared decision not yet acknowledged")
    DECISION_SHARE_OVERDUE = "decision_share_overdue", _("Shared decision late")
    CLOSURE_REQUEST = "closure_request", _("Request to close a case")
    CLOSURE_REQUEST_DECIDED = "closure_request_decided", _("Answer to a request to close a case")
    CASE_CLOSED = "case_closed", _("Case closed")
    ESCALATION = "escalation", _("Safeguarding concern escalated to the MASH")
    REVIEW_DUE = "review_due", _("Review due")
    # The Family Engagement Risk Assessment (riskassessment/).
    FERA_SUBMITTED = "fera_submitted", _("Assessment to sign")
    FERA_RETURNED = "fera_returned", _("Assessment returned for changes")
    FERA_ELEVATED_RISK = "fera_elevated_risk", _("Elevated risk of significant harm")
    FERA_SHARED = "fera_shared", _("Assessment shared")
    FERA_COMMENT = "fera_comment", _("Comment on an assessment")
    FERA_SHARE_REMINDER = "fera_share_reminder", _("Shared assessment not yet acknowledged")
    FERA_SHARE_OVERDUE = "fera_share_overdue", _("Shared assessment late")
    # Engagement (engagement/): letters, partners' reports, staff safety.
    LETTER_HELD = "letter_held", _("Letter held for the manager")
    LETTER_APPROVED = "letter_approved", _("Letter approved")
    LETTER_REFUSED = "letter_refused", _("Letter not to be sent")
    PARTNER_REPORT = "partner_report", _("Report from a partner agency")
    HOSTILE_INCIDENT = "hostile_incident", _("Hostile incident")
    HOSTILE_REVIEW = "hostile_review", _("Hostile incident reviewed")
    WARNING_LIFTED = "warning_lifted", _("Lone-working warning lifted")
    SUSTAINED_OUTCOME_DUE = (
        "sustained_outcome_due",
        _("Supporting Families: record whether outcomes were sustained"),
    )
    MESSAGE_HELD = "message_held", _("Text or email held for the manager")
    MESSAGE_DECIDED = "message_decided", _("Held text or email decided")
    MESSAGE_FAILED = "message_failed", _("Text, email or letter not delivered")
    MESSAGE_RECEIVED = "message_received", _("Text received from the family")
    # The kernel (cases/).
    CO_WORKER_REQUEST = "co_worker_request", _("Co-worker from another team to approve")
    CO_WORKER_DECIDED = "co_worker_decided", _("Co-worker request answered")


class NotificationTask(models.TextChoices):
    """What a notification asks its reader to do, when it asks for something. The notification is
    marked done (never deleted) when the service records that task done, by whoever does it."""

    SIGN_ASSESSMENT = "sign_assessment", _("Review and sign the assessment")
    ACKNOWLEDGE_ASSESSMENT = "acknowledge_assessment", _("Read and acknowledge the shared assessment")
    SHARE_DECISION = "share_decision", _("Share the decision with the multi-agency meeting")
    DECIDE_NEXT_STEPS = "decide_next_steps", _("Record the decision on next steps")
    DECIDE_LETTER = "decide_letter", _("Approve or refuse the held letter")
    DECIDE_MESSAGE = "decide_message", _("Approve or refuse the held text or email")
    DECIDE_CLOSURE = "decide_closure", _("Answer the request to close the case")
    DECIDE_CO_WORKER = "decide_co_worker", _("Approve or refuse the co-worker")
    REVIEW_HOSTILE_INCIDENT = "review_hostile_incident", _("Review the hostile incident")


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
    kind = models.CharField(max_length=50, choices=NotificationKind.choices)
    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True)
    is_escalation = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Mail that could not be built (a header the mail library refuses): recorded once, with why,
    # and never queued again; the rest of its batch goes on.
    failed_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True, db_default="")  # the sweep inserts in SQL
    read_at = models.DateTimeField(null=True, blank=True)
    # The task the notification asks for, and the record it is about (the assessment, the share,
    # the letter...): `done_at` is set when the service records that task done. Notifications
    # that ask for nothing (a message that something happened) have no task.
    task = models.CharField(
        max_length=40, choices=NotificationTask.choices, blank=True, db_default=""
    )  # db_default: the sweep inserts in SQL
    task_object_id = models.PositiveBigIntegerField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "flowchart_notification"  # made by the flow chart, which sent the first ones
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(
                fields=["emailed_at"],
                condition=models.Q(emailed_at__isnull=True, failed_at__isnull=True),
                name="notification_unsent",
            ),
            models.Index(
                fields=["task", "task_object_id"],
                condition=models.Q(done_at__isnull=True) & ~models.Q(task=""),
                name="notification_task_open",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"
