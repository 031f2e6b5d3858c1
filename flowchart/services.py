"""Writes for the flow chart: notifications first; pathways, episodes and decisions alongside."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, User

from .models import Notification


def notification_send(
    *,
    recipient: User,
    key: str,
    subject: str,
    body: str,
    kind: str,
    case: Case | None = None,
    url: str = "",
    is_escalation: bool = False,
) -> Notification | None:
    """Record a notification once per key and email it after commit; None if already sent."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                key=key,
                subject=subject[:200],
                body=body,
                kind=kind,
                case=case,
                url=url,
                is_escalation=is_escalation,
            )
    except IntegrityError:
        return None
    from .tasks import deliver_notification

    transaction.on_commit(lambda: deliver_notification.delay(notification.pk))
    return notification


def notification_deliver(*, notification_id: int) -> bool:
    """Email one notification unless it was emailed already. Safe to run twice."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").get(pk=notification_id)
        )
        if notification.emailed_at is not None:
            return False
        link = f"\n\n{settings.SITE_URL}{notification.url}" if notification.url else ""
        send_mail(
            subject=notification.subject,
            message=notification.body + link,
            from_email=None,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_undelivered_ids(*, older_than_seconds: int = 60) -> list[int]:
    """Notifications whose email never went (broker or worker down): the sweep re-queues them."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:500]
    )
