"""Every write to the chronology of contact attempts."""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from cases.models import Case, Person, User
from flowchart.services import case_flowchart_refresh

from .models import AttemptKind, AttemptOutcome, ChildSeen, ContactAttempt, NonEngagementForm, is_hostile
from .selectors import people_who_can_make_attempts


class ContactAttemptError(Exception):
    """An attempt that cannot be recorded as given, with a message the person can act on."""


# The fields a practitioner fills in; everything else on the record is set by the service.
ATTEMPT_FIELDS = (
    "occurred_at",
    "made_by",
    "kind",
    "with_person",
    "with_other",
    "outcome",
    "notes",
    "non_engagement_forms",
    "child_seen",
    "child_words",
    "challenge",
    "family_response",
    "purpose",
    "what_was_done",
    "what_is_required",
    "required_by_whom",
    "required_by_when",
    "next_contact_at",
)


def _check(
    *,
    case: Case,
    occurred_at: dt.datetime,
    made_by: User,
    kind: str,
    outcome: str,
    with_person: Person | None,
    non_engagement_forms: Iterable[str],
    child_seen: str,
) -> None:
    if not case.is_open:
        raise ContactAttemptError(
            f"This case was closed on {case.closed_on:%-d %B %Y}: attempts can no longer be recorded on it"
        )
    if timezone.is_naive(occurred_at):
        raise ContactAttemptError("Give the time of the attempt with its time zone")
    if occurred_at > timezone.now():
        raise ContactAttemptError("The time of the attempt must be now or in the past")
    if timezone.localdate(occurred_at) < case.referral_date:
        raise ContactAttemptError(
            f"The attempt must be on or after the referral date, {case.referral_date:%-d %B %Y}"
        )
    if kind not in AttemptKind.values:
        raise ContactAttemptError("Select the kind of attempt")
    if outcome not in AttemptOutcome.values:
        raise ContactAttemptError("Select the outcome of the attempt")
    if with_person is not None and with_person.case_id != case.pk:
        raise ContactAttemptError(f"{with_person} is not part of this family: choose someone on the case")
    if not people_who_can_make_attempts(case).filter(pk=made_by.pk).exists():
        raise ContactAttemptError(f"{made_by} does not work on this case: choose who made the attempt")
    unknown = set(non_engagement_forms) - set(NonEngagementForm.values)
    if unknown:
        raise ContactAttemptError("Select forms of non-engagement from the list")
    if child_seen not in ChildSeen.values:
        raise ContactAttemptError("Select whether the child was seen")


@transaction.atomic
def contact_attempt_record(
    *,
    case: Case,
    by: User,
    kind: str,
    outcome: str,
    occurred_at: dt.datetime,
    made_by: User | None = None,
    with_person: Person | None = None,
    with_other: str = "",
    notes: str = "",
    non_engagement_forms: Iterable[str] = (),
    child_seen: str = "",
    child_words: str = "",
    challenge: str = "",
    family_response: str = "",
    purpose: str = "",
    what_was_done: str = "",
    what_is_required: str = "",
    required_by_whom: str = "",
    required_by_when: dt.date | None = None,
    next_contact_at: dt.datetime | None = None,
) -> ContactAttempt:
    """Record one attempt to reach the family, made by `made_by` (the recorder unless given)."""
    made_by = made_by or by
    forms = list(dict.fromkeys(non_engagement_forms))
    _check(
        case=case,
        occurred_at=occurred_at,
        made_by=made_by,
        kind=kind,
        outcome=outcome,
        with_person=with_person,
        non_engagement_forms=forms,
        child_seen=child_seen,
    )
    attempt = ContactAttempt(
        case=case,
        occurred_at=occurred_at,
        made_by=made_by,
        kind=kind,
        with_person=with_person,
        with_other=with_other,
        outcome=outcome,
        notes=notes,
        non_engagement_forms=forms,
        hostile=is_hostile(forms),
        child_seen=child_seen,
        child_words=child_words,
        challenge=challenge,
        family_response=family_response,
        purpose=purpose,
        what_was_done=what_was_done,
        what_is_required=what_is_required,
        required_by_whom=required_by_whom,
        required_by_when=required_by_when,
        next_contact_at=next_contact_at,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    attempt._history_user = by
    attempt.save()
    case_flowchart_refresh(case=attempt.case, by=by)
    return attempt


@transaction.atomic
def contact_attempt_update(*, attempt: ContactAttempt, by: User, **changes) -> ContactAttempt:
    """Correct a recorded attempt; the earlier version stays in its history with who changed it."""
    unknown = set(changes) - set(ATTEMPT_FIELDS)
    if unknown:
        raise TypeError(f"Not an attempt field: {', '.join(sorted(unknown))}")
    attempt = ContactAttempt.objects.select_for_update().select_related("case").get(pk=attempt.pk)
    for name, value in changes.items():
        setattr(attempt, name, value)
    attempt.non_engagement_forms = list(dict.fromkeys(attempt.non_engagement_forms or []))
    attempt.hostile = is_hostile(attempt.non_engagement_forms)
    _check(
        case=attempt.case,
        occurred_at=attempt.occurred_at,
        made_by=attempt.made_by,
        kind=attempt.kind,
        outcome=attempt.outcome,
        with_person=attempt.with_person,
        non_engagement_forms=attempt.non_engagement_forms,
        child_seen=attempt.child_seen,
    )
    attempt.edited_by = by
    attempt.edited_at = timezone.now()
    attempt._history_user = by
    attempt.save()
    case_flowchart_refresh(case=attempt.case, by=by)
    return attempt
