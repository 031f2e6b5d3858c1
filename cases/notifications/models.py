"""One message to one person, recorded once and emailed once."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationKind(models.TextChoices):
    """What a notification is about: each app sends its own kinds, worded in its own notify.py."""

    # The flow chart (flowchart/).
    STEP_DUE = "step_due", "Flow-chart step due"
    STEP_OVERDUE = "step_overdue", "Flow-chart step overdue"
    DIGEST = "digest", "Morning summary"
    STEP_NOT_POSSIBLE = "step_not_possible", "Step recorded as not possible"
    MANAGER_INFORMED = "manager_informed", "Manager informed of the non-engagement"
    DECISION = "decision", "Decision on next steps"
    DECISION_SHARED = "decision_shared", "Decision shared"
    DECISION_SHARE_REMINDER = "decision_share_reminder", "Shared decision not yet acknowledged"
    DECISION_SHARE_OVERDUE = "decision_share_overdue", "Shared decision late"
    CLOSURE_REQUEST = "closure_request", "Request to close a case"
    CLOSURE_REQUEST_DECIDED = "closure_request_decided", "Answer to a request to close a case"
    CASE_CLOSED = "case_closed", "Case closed"
    ESCALATION = "escalation", "Safeguarding concern escalated to the MASH"
    REVIEW_DUE = "review_due", "Review due"
    # The Family Engagement Risk Assessment (riskassessment/).
    FERA_SUBMITTED = "fera_submitted", "Assessment to sign"
    FERA_RETURNED = "fera_returned", "Assessment returned for changes"
    FERA_ELEVATED_RISK = "fera_elevated_risk", "Elevated risk of significant harm"
    FERA_SHARED = "fera_shared", "Assessment shared"
    FERA_COMMENT = "fera_comment", "Comment on an assessment"
    FERA_SHARE_REMINDER = "fera_share_reminder", "Shared assessment not yet acknowledged"
    FERA_SHARE_OVERDUE = "fera_share_overdue", "Shared assessment late"
    # Engagement (engagement/): letters, partners' reports, staff safety.
    LETTER_HELD = "letter_held", "Letter held for the manager"
    LETTER_APPROVED = "letter_approved", "Letter approved"
    LETTER_REFUSED = "letter_refused", "Letter not to be sent"
    PARTNER_REPORT = "partner_report", "Report from a partner agency"
    HOSTILE_INCIDENT = "hostile_incident", "Hostile incident"
    HOSTILE_REVIEW = "hostile_review", "Hostile incident reviewed"
    WARNING_LIFTED = "warning_lifted", "Lone-working warning lifted"
    SUSTAINED_OUTCOME_DUE = (
        "sustained_outcome_due",
        "Supporting Families: record whether outcomes were sustained",
    )
    MESSAGE_HELD = "message_held", "Text or email held for the manager"
    MESSAGE_DECIDED = "message_decided", "Held text or email decided"
    MESSAGE_FAILED = "message_failed", "Text, email or letter not delivered"
    MESSAGE_RECEIVED = "message_received", "Text received from the family"
    # The kernel (cases/).
    CO_WORKER_REQUEST = "co_worker_request", "Co-worker from another team to approve"
    CO_WORKER_DECIDED = "co_worker_decided", "Co-worker request answered"


class NotificationTask(models.TextChoices):
    """What a notification asks its reader to do, when it asks for something. The notification is
    marked done (never deleted) when the service records that task done, by whoever does it."""

    SIGN_ASSESSMENT = "sign_assessment", "Review and sign the assessment"
    ACKNOWLEDGE_ASSESSMENT = "acknowledge_assessment", "Read and acknowledge the shared assessment"
    SHARE_DECISION = "share_decision", "Share the decision with the multi-agency meeting"
    DECIDE_NEXT_STEPS = "decide_next_steps", "Record the decision on next steps"
    DECIDE_LETTER = "decide_letter", "Approve or refuse the held letter"
    DECIDE_MESSAGE = "decide_message", "Approve or refuse the held text or email"
    DECIDE_CLOSURE = "decide_closure", "Answer the request to close the case"
    DECIDE_CO_WORKER = "decide_co_worker", "Approve or refuse the co-worker"
    REVIEW_HOSTILE_INCIDENT = "review_hostile_incident", "Review the hostile incident"


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
