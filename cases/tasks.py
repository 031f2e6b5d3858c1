"""The kernel's Celery tasks (Celery finds each app's `tasks` module; the kernel's live in its
sub-packages)."""

from celery import shared_task

from . import drafts, kept_posts
from .notifications.tasks import deliver_notification, deliver_notifications, requeue_undelivered

__all__ = [
    "deliver_notification",
    "deliver_notifications",
    "drafts_expire",
    "kept_posts_expire",
    "requeue_undelivered",
]


@shared_task
def kept_posts_expire() -> int:
    """Forms kept after a session ended, past their period: deleted even if nobody came back."""
    return kept_posts.delete_expired()


@shared_task
def drafts_expire() -> int:
    """Drafts of forms nobody has typed in for the admin's number of days: deleted."""
    return drafts.drafts_delete_expired()
