"""Every read of notifications, scoped to the person they were sent to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from .models import Notification

if TYPE_CHECKING:
    from ..models import Case, User


def notifications_for(user: User, *, readable_cases: QuerySet[Case]) -> QuerySet[Notification]:
    """The user's own notifications, newest first, each with `case_readable`: whether the reader
    may still read its case (`readable_cases`, from `cases.access.cases_notified_readable`), or it
    is about no case. One query however many there are."""
    readable = Q(case__isnull=True) | Q(case__in=readable_cases.values("pk"))
    return Notification.objects.filter(recipient=user).annotate(
        case_readable=ExpressionWrapper(readable, output_field=BooleanField())
    )
