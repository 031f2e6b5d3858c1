"""Where family messages go: GOV.UK Notify through its official client, or the local outbox.

Notify sends from templates kept in its own admin. The product's wording is kept here (admins
edit it in the product, engagement.messages), so the Notify service has one text template and one
email template that pass the product's words through: the text template's body is `((body))`,
the email template's subject `((subject))` and body `((body))` (docs/notify.md). Their ids are
`NOTIFY_SMS_TEMPLATE_ID` and `NOTIFY_EMAIL_TEMPLATE_ID`.
"""

import io
import logging
import uuid
from typing import Protocol

from django.conf import settings
from django.utils.translation import gettext as _
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from .models import MessageChannel, OutboxMessage

logger = logging.getLogger(__name__)

# Notify's own words for where a message stands, and what the product makes of them (Notify's
# API reference, "Status - text and email" and "Status - letter"). A text or email fails as
# permanent-failure, temporary-failure or technical-failure. A letter fails before it is printed
# as cancelled (cancelled in Notify before printing), virus-scan-failed (the PDF had a virus),
# validation-failed (the PDF did not fit Notify's letter layout), technical-failure or
# permanent-failure; a precompiled letter is pending-virus-check, then accepted (printing), then
# received (with Royal Mail). None of the failed ones reaches the family: the step stays owed.
DELIVERED = "delivered"
FAILED_STATUSES = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
    }
)
PENDING_STATUSES = frozenset({"created", "sending", "pending", "accepted", "received", "pending-virus-check"})


class MessagingError(Exception):
    """A message Notify would not take, with what to do; `transient` when trying again may work."""

    def __init__(self, message: str, *, transient: bool = False):
        super().__init__(message)
        self.transient = transient


class Backend(Protocol):
    name: str

    def send_sms(self, *, to: str, body: str, reference: str, case=None) -> str: ...
    def send_email(self, *, to: str, subject: str, body: str, reference: str, case=None) -> str: ...
    def send_letter(self, *, pdf: bytes, reference: str, case=None) -> str: ...


class NotifyBackend:
    """GOV.UK Notify, through `notifications-python-client`. Each send returns Notify's id."""

    name = "notify"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        sms_template_id: str,
        email_template_id: str,
        timeout: int = 30,
    ):
        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.sms_template_id = sms_template_id
        self.email_template_id = email_template_id

    def _call(self, send, **arguments) -> dict:
        try:
            return send(**arguments)
        except APIError as error:
            status = getattr(error, "status_code", 0) or 0
            logger.warning("GOV.UK Notify refused a message: %s", error)
            transient = status >= 500 or status in (429, 0)
            if transient:
                words = _("GOV.UK Notify did not take the message: try again in a few minutes")
            else:
                words = _("GOV.UK Notify did not take the message (%(reason)s)") % {"reason": error.message}
            raise MessagingError(words, transient=transient) from error
        except Exception as error:  # a connection refused or timed out: requests' own errors
            logger.warning("GOV.UK Notify could not be reached: %s", error)
            raise MessagingError(
                _("GOV.UK Notify could not be reached: try again in a few minutes"), transient=True
            ) from error

    def send_sms(self, *, to: str, body: str, reference: str, case=None) -> str:
        answer = self._call(
            self.client.send_sms_notification,
            phone_number=to,
            template_id=self.sms_template_id,
            personalisation={"body": body},
            reference=reference,
        )
        return answer["id"]

    def send_email(self, *, to: str, subject: str, body: str, reference: str, case=None) -> str:
        answer = self._call(
            self.client.send_email_notification,
            email_address=to,
            template_id=self.email_template_id,
            personalisation={"subject": subject, "body": body},
            reference=reference,
        )
        return answer["id"]

    def send_letter(self, *, pdf: bytes, reference: str, case=None) -> str:
        answer = self._call(
            self.client.send_precompiled_letter_notification,
            reference=reference,
            pdf_file=io.BytesIO(pdf),
            postage="second",
        )
        return answer["id"]

    def status(self, notify_id: str) -> str:
        return self._call(self.client.get_notification_by_id, id=notify_id)["status"]


class OutboxBackend:
    """No Notify key: every message is kept in the local outbox and nothing leaves the building."""

    name = "outbox"

    def _keep(self, **values) -> str:
        message = OutboxMessage.objects.create(notify_id=uuid.uuid4(), **values)
        return str(message.notify_id)

    def send_sms(self, *, to: str, body: str, reference: str, case=None) -> str:
        return self._keep(channel=MessageChannel.SMS, to=to, body=body, reference=reference, case=case)

    def send_email(self, *, to: str, subject: str, body: str, reference: str, case=None) -> str:
        return self._keep(
            channel=MessageChannel.EMAIL, to=to, subject=subject, body=body, reference=reference, case=case
        )

    def send_letter(self, *, pdf: bytes, reference: str, case=None) -> str:
        return self._keep(channel=MessageChannel.LETTER, pdf_bytes=len(pdf), reference=reference, case=case)

    def status(self, notify_id: str) -> str:
        return "created" if OutboxMessage.objects.filter(notify_id=notify_id).exists() else ""


def backend() -> Backend:
    """Notify when `NOTIFY_API_KEY` is set, else the local outbox."""
    if settings.NOTIFY_API_KEY:
        return NotifyBackend(
            api_key=settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            sms_template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
            email_template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
        )
    return OutboxBackend()


def notify_status(status: str) -> str:
    """Notify's status as the product keeps it: 'delivered', 'failed' or 'sending'."""
    if status == DELIVERED:
        return "delivered"
    if status in FAILED_STATUSES:
        return "failed"
    return "sending"
