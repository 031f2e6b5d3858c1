"""The kernel's Celery tasks (Celery finds each app's `tasks` module; the kernel's live in its
sub-packages)."""

from .notifications.tasks import deliver_notification, deliver_notifications, requeue_undelivered

__all__ = ["deliver_notification", "deliver_notifications", "requeue_undelivered"]
