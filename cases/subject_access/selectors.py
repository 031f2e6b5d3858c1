"""Reads for the subject access pages. Only the information governance officer reaches them
(views.py); what they show of a case is logged there."""

from django.db.models import Count, Q, QuerySet

from ..models import Person
from .models import GatheredItem, SubjectAccessRequest

SEARCH_LIMIT = 50


def people_search(*, name: str, date_of_birth=None) -> list[Person]:
    """The people recorded on any case in the authority whose name contains `name` (and, given,
    whose date of birth is `date_of_birth`), with their case: at most SEARCH_LIMIT."""
    people = Person.objects.filter(full_name__icontains=name.strip()).select_related("case")
    if date_of_birth is not None:
        people = people.filter(date_of_birth=date_of_birth)
    return list(people.order_by("full_name", "date_of_birth", "case__reference", "pk")[:SEARCH_LIMIT])


def requests_list() -> QuerySet[SubjectAccessRequest]:
    return SubjectAccessRequest.objects.select_related("opened_by", "release__released_by").annotate(
        item_count=Count("items"), unreviewed=Count("items", filter=Q(items__reviewed_at__isnull=True))
    )


def request_items(request: SubjectAccessRequest) -> list[GatheredItem]:
    return list(
        request.items.select_related("case", "reviewed_by").annotate(
            redacted=Count("parts", filter=Q(parts__redact=True)), part_count=Count("parts")
        )
    )
