"""Thin Celery tasks for the flow chart: take ids, call one service, retry on transient errors."""

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


@shared_task(bind=True, max_retries=5)
def deliver_notifications(self, notification_ids: list[int]) -> int:
    """Email a chunk of notifications; the ones the mail server failed on are retried later."""
    failed, error = services.notifications_deliver(notification_ids=notification_ids)
    if failed:
        countdown = get_exponential_backoff_interval(
            factor=1, retries=self.request.retries, maximum=600, full_jitter=True
        )
        raise self.retry(args=[failed], exc=error, countdown=countdown)
    return len(notification_ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def sweep() -> int:
    """Record due reminders and escalations once each (the flow chart's steps and review dates, and
    decisions not yet told to the multi-agency meeting), re-queue mail that never went, and store
    the summaries the lists read on live episodes that have none."""
    recorded = services.reminders_sweep()
    recorded += services.decision_shares_chase()
    services.notifications_queue(services.notifications_undelivered_ids())
    services.episode_summaries_fill()
    return recorded
