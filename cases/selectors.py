"""Every read of the case record, scoped to the user asking."""

from django.db.models import Count, Q, QuerySet

from .access import cases_visible_to
from .models import OPEN_STATUSES, Case, User


def my_cases(user: User, *, include_closed: bool = False) -> QuerySet[Case]:
    """The cases a user works on, with what the list page shows, in one query."""
    qs = cases_visible_to(user).select_related("lead_practitioner", "team")
    if not include_closed:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.annotate(
        children_count=Count("people", filter=Q(people__kind="child"), distinct=True),
    ).order_by("referral_date", "id")


def case_detail(case: Case) -> Case:
    return Case.objects.select_related("team__manager", "lead_practitioner").get(pk=case.pk)
