"""Reads for the case's Supporting Families page and forms."""

from cases.models import Case

from .models import FamilyNeed


def family_needs(case: Case, *, live_only: bool = False) -> list[FamilyNeed]:
    """The family's needs, in the guidance's order, with who recorded what (one query)."""
    needs = FamilyNeed.objects.filter(case=case).select_related(
        "identified_by", "withdrawn_by", "outcome_recorded_by", "sustained_recorded_by"
    )
    if live_only:
        needs = needs.filter(withdrawn_at__isnull=True)
    order = list(FamilyNeed._meta.get_field("headline").choices)
    position = {value: n for n, (value, _) in enumerate(order)}
    return sorted(needs, key=lambda need: position.get(need.headline, len(position)))
