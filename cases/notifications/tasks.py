"""Thin Celery tasks for notifications: take ids, call one service, retry on transient errors."""

from celery import Task, shared_task
from celery.utils.time import get_exponential_backoff_interval

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def deliver_notification(notification_id: int) -> bool:
    return services.notification_deliver(notification_id=notification_id)


class _ChunkTask(Task):
    """A task taking a chunk of ids, handed out with a short description of the chunk for the
    logs and monitors: Celery otherwise writes out every id with its safe repr, which cost more
    than the rest of handing a morning's few hundred chunks to the broker."""

    def delay(self, notification_ids: list[int]):
        ids = notification_ids
        described = f"([{len(ids)} ids: {min(ids, default='')}..{max(ids, default='')}],)"
        return self.apply_async((ids,), argsrepr=described)


@shared_task(bind=True, base=_ChunkTask, max_retries=5)
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
def requeue_undelivered() -> int:
    """Queue again the mail that never went (the broker or a worker was down): nothing is lost,
    and delivery skips whatever was emailed meanwhile, so nothing goes twice."""
    return services.notifications_requeue_undelivered()
