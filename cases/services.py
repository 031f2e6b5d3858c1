"""Every write to the case record."""

from django.db import transaction
from django.utils import timezone

from .models import Case, Role, User


class CaseError(Exception):
    """A change to a case that cannot be made, with a message the person can act on."""


def _next_reference(year: int) -> str:
    prefix = f"EF{year}-"
    last = (
        Case.objects.select_for_update()
        .filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def case_open(*, by: User, lead_practitioner: User | None = None, **details) -> Case:
    """Open a case from a referral; the referral date is Day 1."""
    lead = lead_practitioner or by
    if lead.role not in (Role.LEAD_PRACTITIONER, Role.LINE_MANAGER):
        raise CaseError("Choose a lead practitioner: only practitioners and managers can lead a case")
    if lead.team_id is None:
        raise CaseError(f"{lead} is not in a team yet: ask an admin to add them to one")
    now = timezone.now()
    return Case.objects.create(
        reference=_next_reference(details["referral_date"].year),
        team_id=lead.team_id,
        lead_practitioner=lead,
        opened_by=by,
        created_at=now,
        updated_at=now,
        **details,
    )
