"""Notifications: each app words its own messages and sends them through here, recorded once per
key and emailed after commit. The model is also `cases.models.Notification`."""

from .models import Notification, NotificationKind, NotificationTask
from .selectors import notifications_for
from .services import (
    DELIVERY_CHUNK,
    Message,
    NotificationError,
    Outgoing,
    Task,
    notification_deliver,
    notification_mark_read,
    notification_message_id,
    notification_send,
    notifications_deliver,
    notifications_keyed_done,
    notifications_queue,
    notifications_requeue_undelivered,
    notifications_send_many,
    notifications_task_done,
    notifications_undelivered_ids,
)

__all__ = [
    "DELIVERY_CHUNK",
    "Message",
    "Notification",
    "NotificationError",
    "NotificationKind",
    "NotificationTask",
    "Outgoing",
    "Task",
    "notification_deliver",
    "notification_mark_read",
    "notification_message_id",
    "notification_send",
    "notifications_deliver",
    "notifications_for",
    "notifications_queue",
    "notifications_requeue_undelivered",
    "notifications_send_many",
    "notifications_keyed_done",
    "notifications_task_done",
    "notifications_undelivered_ids",
]
