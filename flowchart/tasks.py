"""Thin Celery tasks for the flow chart: take ids, call one service, retry on transient errors."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task
def sweep() -> int:
    """Find due and overdue flow-chart items, record their reminders once, re-queue unsent mail."""
    undelivered = services.notifications_undelivered_ids()
    for notification_id in undelivered:
        deliver_notification.delay(notification_id)
    return len(undelivered)
