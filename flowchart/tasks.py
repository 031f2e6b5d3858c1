"""Thin Celery tasks for the flow chart: take ids, call one service, retry on transient errors."""

from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def sweep() -> int:
    """Record due reminders and escalations once each, and re-queue mail that never went."""
    recorded = services.reminders_sweep()
    for notification_id in services.notifications_undelivered_ids():
        deliver_notification.delay(notification_id)
    return recorded
