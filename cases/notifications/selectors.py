"""Every read of notifications, scoped to the person they were sent to."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, CharField, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models import Case as Choose

from .models import Notification

if TYPE_CHECKING:
    from ..models import Case, User


def notifications_for(
    user: User, *, readable_cases: QuerySet[Case], named_cases: QuerySet[Case] | None = None
) -> QuerySet[Notification]:
    """The user's own notifications, newest first, each with `case_readable`: whether the reader
    may still read its case (`readable_cases`, from `cases.access.cases_notified_readable`), or it
    is about no case; and `family_name`: the family's name where the reader knows it
    (`named_cases`, from `cases.access.cases_named_to`; empty otherwise, or without it). One query
    however many there are."""
    readable = Q(case__isnull=True) | Q(case__in=readable_cases.values("pk"))
    named = (
        Value("")
        if named_cases is None
        else Choose(
            When(Q(case__in=named_cases.values("pk")) & readable, then=F("case__family_name")),
            default=Value(""),
            output_field=CharField(),
        )
    )
    return Notification.objects.filter(recipient=user).annotate(
        case_readable=ExpressionWrapper(readable, output_field=BooleanField()), family_name=named
    )
