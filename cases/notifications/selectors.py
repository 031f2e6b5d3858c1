"""Every read of notifications, scoped to the person they were sent to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Notification

if TYPE_CHECKING:
    from ..models import User


def notifications_for(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first, with their cases."""
    return Notification.objects.filter(recipient=user).select_related("case")
