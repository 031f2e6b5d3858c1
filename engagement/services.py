"""Every write to the chronology of contact attempts."""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import events
from cases.history import create_with_history, save_with_history
from cases.models import Case, ContactMethod, Person, PersonKind, SafeContact, User

from . import rules
from .documents.models import Letter, LetterStatus
from .household import hold_reasons, reads_letters_another_way
from .models import (
    OUTCOME_LABELS,
    AttemptKind,
    AttemptOutcome,
    ChildSeen,
    ContactAttempt,
    Delivery,
    EngagementAgreement,
    FamilyResponse,
    NonEngagementForm,
    is_hostile,
)
from .selectors import people_who_can_make_attempts, relationship_kinds_of


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
    "also_outcomes",
    "response",
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
    "instead_of_letter",
)


O, K = AttemptOutcome, AttemptKind  # noqa: E741 (short names keep the table below readable)
_VISIT_OUTCOMES = frozenset(
    {
        O.SEEN,
        O.SPOKE,
        O.NO_ANSWER,
        O.NOT_AT_HOME,
        O.REFUSED_ENTRY,
        O.DOOR_NOT_OPENED,
        O.VISIT_CUT_SHORT,
        O.CANCELLED_BY_FAMILY,
        O.APPOINTMENT_MISSED,
        O.LETTER_LEFT,
        O.MESSAGE_LEFT,
    }
)
# What can happen with each kind of attempt: a telephone call cannot be "refused entry", a
# letter cannot be "seen".
OUTCOMES_FOR_KIND = {
    K.PHONE_CALL: frozenset({O.SPOKE, O.NO_ANSWER, O.MESSAGE_LEFT, O.CANCELLED_BY_FAMILY}),
    K.TEXT_MESSAGE: frozenset({O.SPOKE, O.MESSAGE_LEFT, O.NO_ANSWER, O.CANCELLED_BY_FAMILY}),
    K.EMAIL: frozenset({O.SPOKE, O.MESSAGE_LEFT, O.NO_ANSWER, O.CANCELLED_BY_FAMILY}),
    K.LETTER: frozenset({O.LETTER_SENT}),
    K.ANNOUNCED_VISIT: _VISIT_OUTCOMES,
    K.UNANNOUNCED_VISIT: _VISIT_OUTCOMES,
    K.JOINT_VISIT: _VISIT_OUTCOMES,
    K.APPOINTMENT: frozenset(
        {O.SEEN, O.SPOKE, O.VISIT_CUT_SHORT, O.CANCELLED_BY_FAMILY, O.APPOINTMENT_MISSED, O.MESSAGE_LEFT}
    ),
    K.LIAISON: frozenset({O.DISCUSSED, O.SPOKE, O.SEEN, O.NO_ANSWER, O.MESSAGE_LEFT}),
    K.MULTI_AGENCY_MEETING: frozenset(
        {O.DISCUSSED, O.SEEN, O.SPOKE, O.CANCELLED_BY_FAMILY, O.APPOINTMENT_MISSED}
    ),
}
# What can be left behind as well as the main outcome: "no answer, and a card left".
ALSO_OUTCOMES = frozenset({O.LETTER_LEFT, O.MESSAGE_LEFT})
# Outcomes after which the family may have said something: someone came to the door or the phone.
RESPONSE_OUTCOMES = frozenset({O.SEEN, O.SPOKE, O.REFUSED_ENTRY, O.VISIT_CUT_SHORT})


def _kind_label(kind: str) -> str:
    """'a telephone call', 'an unannounced home visit'."""
    label = str(dict(AttemptKind.choices)[kind]).lower()
    if label[0] in "aeiou":
        # Translators: a kind of attempt after "an", such as "an unannounced home visit".
        return _("an %(kind)s") % {"kind": label}
    # Translators: a kind of attempt after "a", such as "a telephone call".
    return _("a %(kind)s") % {"kind": label}


def _check_outcomes(*, kind: str, outcome: str, also_outcomes: list[str], response: str, with_person) -> None:
    """Refuse combinations that cannot happen, with what to do instead."""
    allowed = OUTCOMES_FOR_KIND[kind]
    if outcome not in allowed:
        raise ContactAttemptError(
            # Translators: "A telephone call cannot be 'refused entry': select what happened, such as
            # message left or no answer or spoke with them".
            _("%(kind)s cannot be '%(outcome)s': select what happened, such as %(examples)s")
            % {
                "kind": _kind_label(kind).capitalize(),
                "outcome": str(OUTCOME_LABELS[outcome]).lower(),
                "examples": " or ".join(sorted(str(OUTCOME_LABELS[o]).lower() for o in allowed)[:3]),
            }
        )
    for other in also_outcomes:
        if other not in OUTCOME_LABELS:
            raise ContactAttemptError(_("Select what else happened from the list"))
        if other not in ALSO_OUTCOMES or other not in allowed or other == outcome:
            raise ContactAttemptError(
                _(
                    "'%(other)s' cannot go with '%(outcome)s' on %(kind)s: untick it, or record it as an "
                    "attempt of its own"
                )
                % {
                    "other": OUTCOME_LABELS[other],
                    "outcome": str(OUTCOME_LABELS[outcome]).lower(),
                    "kind": _kind_label(kind),
                }
            )
    if response and response not in FamilyResponse.values:
        raise ContactAttemptError(_("Select what the family said from the list"))
    if response and outcome not in RESPONSE_OUTCOMES:
        raise ContactAttemptError(
            _(
                "There was no contact ('%(outcome)s'), so there is no response to record: leave "
                "'What the family said' empty"
            )
            % {"outcome": str(OUTCOME_LABELS[outcome]).lower()}
        )
    if response and (kind in rules.PROFESSIONAL_KINDS or with_person is None):
        raise ContactAttemptError(
            _(
                "'What the family said' is for contact with someone in the family: choose who you spoke "
                "with, or leave it empty for a professional"
            )
        )
    needs_response = (
        outcome in rules.CONTACT_OUTCOMES
        and kind not in rules.PROFESSIONAL_KINDS
        and with_person is not None
        and with_person.kind == PersonKind.ADULT
    )
    if needs_response and not response:
        raise ContactAttemptError(
            _(
                "Select what %(with_person)s said: agreed to work with us, not decided yet, said they do "
                "not want support, or responded with hostility or abuse"
            )
            % {"with_person": with_person}
        )


# What can take the place of a letter for someone who prefers to talk or needs an interpreter,
# and what must have happened for it to have passed on what the letter would have said.
INSTEAD_OF_LETTER_KINDS = frozenset(
    {K.PHONE_CALL, K.TEXT_MESSAGE, K.ANNOUNCED_VISIT, K.UNANNOUNCED_VISIT, K.JOINT_VISIT}
)
INSTEAD_OF_LETTER_OUTCOMES = frozenset({O.SEEN, O.SPOKE, O.MESSAGE_LEFT})


def counts_as_for(
    *, kind: str, with_person: Person | None, instead_of_letter: bool = False, delivery: str = ""
) -> str:
    """The kind of attempt the flow chart counts this one as.

    Knowsley (000, section 9): "Telephone contact, including texting if preferred by family".
    A text to someone whose preferred way to be contacted is text, or whose safe-contact plan
    allows texts only, counts as a telephone call.

    Knowsley (000): "some parents/carers are not be able to read letters"; Coventry (001):
    "Consider language barriers". A call, text or visit made instead of the letter, to someone
    who prefers to talk rather than read or who needs an interpreter, counts as the letter.

    `delivery`: a text sent through the system counts as a telephone call only once Notify says it
    was delivered (engagement.messages); until then, and if it never arrives, it is a text.
    """
    if delivery and delivery != Delivery.DELIVERED:
        return kind
    if (
        instead_of_letter
        and kind in INSTEAD_OF_LETTER_KINDS
        and with_person is not None
        and reads_letters_another_way(with_person)
    ):
        return AttemptKind.LETTER
    if (
        kind == AttemptKind.TEXT_MESSAGE
        and with_person is not None
        and (
            with_person.preferred_contact_method == ContactMethod.TEXT
            or SafeContact.TEXT_ONLY in (with_person.safe_contact or ())
        )
    ):
        return AttemptKind.PHONE_CALL
    return kind


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
    also_outcomes: list[str] = (),
    response: str = "",
    instead_of_letter: bool = False,
    letter_approved: bool = False,
) -> None:
    if not case.is_open:
        raise ContactAttemptError(
            _("This case was closed on %(closed_on)s: attempts can no longer be recorded on it")
            % {"closed_on": f"{case.closed_on:%-d %B %Y}"}
        )
    if timezone.is_naive(occurred_at):
        raise ContactAttemptError(_("Give the time of the attempt with its time zone"))
    if occurred_at > timezone.now():
        raise ContactAttemptError(_("The time of the attempt must be now or in the past"))
    if timezone.localdate(occurred_at) < case.referral_date:
        raise ContactAttemptError(
            _("The attempt must be on or after the referral date, %(referral_date)s")
            % {"referral_date": f"{case.referral_date:%-d %B %Y}"}
        )
    if kind not in AttemptKind.values:
        raise ContactAttemptError(_("Select the kind of attempt"))
    if outcome not in AttemptOutcome.values:
        raise ContactAttemptError(_("Select the outcome of the attempt"))
    if with_person is not None and with_person.case_id != case.pk:
        raise ContactAttemptError(
            _("%(with_person)s is not part of this family: choose someone on the case")
            % {"with_person": with_person}
        )
    if not people_who_can_make_attempts(case).filter(pk=made_by.pk).exists():
        raise ContactAttemptError(
            _("%(made_by)s does not work on this case: choose who made the attempt") % {"made_by": made_by}
        )
    unknown = set(non_engagement_forms) - set(NonEngagementForm.values)
    if unknown:
        raise ContactAttemptError(_("Select forms of non-engagement from the list"))
    if child_seen not in ChildSeen.values:
        raise ContactAttemptError(_("Select whether the child was seen"))
    _check_outcomes(
        kind=kind,
        outcome=outcome,
        also_outcomes=list(also_outcomes),
        response=response,
        with_person=with_person,
    )
    if instead_of_letter:
        _check_instead_of_letter(kind=kind, outcomes=[outcome, *also_outcomes], with_person=with_person)
    if kind == AttemptKind.LETTER and not letter_approved:
        _check_letter_hold(case=case, with_person=with_person)


def _check_instead_of_letter(*, kind: str, outcomes: list[str], with_person: Person | None) -> None:
    if kind not in INSTEAD_OF_LETTER_KINDS:
        raise ContactAttemptError(
            _(
                "Only a telephone call, a text message or a home visit can take the place of the letter: "
                "untick 'Instead of the letter'"
            )
        )
    if with_person is None or not reads_letters_another_way(with_person):
        raise ContactAttemptError(
            _(
                "'Instead of the letter' is for someone who prefers to talk rather than read letters, or "
                "who needs an interpreter: choose them under 'With whom in the family', or untick it"
            )
        )
    if not INSTEAD_OF_LETTER_OUTCOMES & set(outcomes):
        raise ContactAttemptError(
            _(
                "A call, text or visit takes the place of the letter only if it passed on what the letter "
                "would have said: record that you spoke with them, saw them or left a message, or untick "
                "'Instead of the letter'"
            )
        )


def _check_letter_hold(*, case: Case, with_person: Person | None) -> None:
    """A "Letter" attempt cannot be recorded around the manager's approval (engagement.household):
    a letter to a household that needs it goes through the letter flow."""
    if hold_reasons(with_person, list(case.people.all())):
        raise ContactAttemptError(
            _(
                "A letter to this household needs the team manager's approval first, because someone "
                "living there has a domestic abuse concern or a safe-contact plan that rules letters out: "
                "write the letter under Letters, or record a letter sent outside the system there, and it "
                "will go to your manager"
            )
        )


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
    also_outcomes: Iterable[str] = (),
    response: str = "",
    what_agreed: str = "",
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
    instead_of_letter: bool = False,
    letter: Letter | None = None,
    client_id: uuid.UUID | None = None,
    delivery: str = "",
) -> ContactAttempt:
    """Record one attempt to reach the family, made by `made_by` (the recorder unless given).

    `client_id`: the id the form or device made for this one save. Saved once per case: the same
    id again (a double click, two tabs, a retry) returns the first record, marked `already_saved`,
    unchanged and without checking it again, never a second record.

    A response of "agreed" from a parent or carer records their agreement to work with us
    (`what_agreed` says what), which ends non-engagement.

    `instead_of_letter`: a call, text or visit that passed on what the letter would have said,
    to someone who prefers to talk or needs an interpreter; it counts as the letter.
    `letter`: the letter being sent (engagement.documents.services.letter_send), which a letter
    to a household that needs the manager's approval must have.
    `delivery`: for a message sent through GOV.UK Notify (engagement.messages), "sending".
    """
    earlier = _attempt_saved_already(case, client_id)
    if earlier is not None:
        return earlier
    made_by = made_by or by
    forms = list(dict.fromkeys(non_engagement_forms))
    also = list(dict.fromkeys(also_outcomes))
    _check(
        case=case,
        occurred_at=occurred_at,
        made_by=made_by,
        kind=kind,
        outcome=outcome,
        with_person=with_person,
        non_engagement_forms=forms,
        child_seen=child_seen,
        also_outcomes=also,
        response=response,
        instead_of_letter=instead_of_letter,
        letter_approved=_approved(letter, case),
    )
    if response == FamilyResponse.AGREED:
        _check_agreement(case=case, person=with_person, what_agreed=what_agreed)
    try:
        # A savepoint: when the same client id is being saved at this moment by another request,
        # the loser's insert fails on the constraint and the first record is the answer.
        with transaction.atomic():
            attempt = create_with_history(
                ContactAttempt,
                by=by,
                case=case,
                client_id=client_id,
                occurred_at=occurred_at,
                made_by=made_by,
                kind=kind,
                with_person=with_person,
                with_other=with_other,
                outcome=outcome,
                also_outcomes=also,
                response=response,
                counts_as=counts_as_for(
                    kind=kind, with_person=with_person, instead_of_letter=instead_of_letter, delivery=delivery
                ),
                delivery=delivery,
                instead_of_letter=instead_of_letter,
                notes=notes,
                non_engagement_forms=forms,
                hostile=_hostile(forms, response),
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
    except IntegrityError:
        earlier = _attempt_saved_already(case, client_id)
        if earlier is None:
            raise
        return earlier
    if response == FamilyResponse.AGREED:
        _agreement_save(
            case=case,
            person=with_person,
            what_agreed=what_agreed,
            agreed_at=occurred_at,
            attempt=attempt,
            by=by,
        )
    events.records_changed(case=attempt.case, by=by)
    return attempt


def _attempt_saved_already(case: Case, client_id: uuid.UUID | None) -> ContactAttempt | None:
    """The attempt already saved on the case with this client id, marked `already_saved`."""
    if client_id is None:
        return None
    attempt = ContactAttempt.objects.filter(case=case, client_id=client_id).first()
    if attempt is not None:
        attempt.already_saved = True
    return attempt


def _approved(letter: Letter | None, case: Case) -> bool:
    """Whether the attempt is the sending of a letter the manager approved (read from the record,
    not from what the caller holds)."""
    return (
        letter is not None
        and letter.case_id == case.pk
        and Letter.objects.filter(pk=letter.pk, status=LetterStatus.APPROVED).exists()
    )


def _hostile(forms: list[str], response: str) -> bool:
    return is_hostile(forms) or response == FamilyResponse.HOSTILE


def _check_agreement(*, case: Case, person: Person | None, what_agreed: str) -> None:
    if person is None or person.case_id != case.pk:
        raise ContactAttemptError(_("Choose the parent or carer who agreed to work with us"))
    if not rules.is_parent_or_carer(relationship_kinds_of(person)):
        raise ContactAttemptError(
            _(
                "%(person)s is not recorded as a parent or carer of the children, and only a parent or "
                "carer can agree for the family: record what they said as 'Not decided yet', or correct "
                "their relationship on the case"
            )
            % {"person": person}
        )
    if not what_agreed.strip():
        raise ContactAttemptError(
            _(
                "Enter what was agreed, for example the date of the first visit or that a working together "
                "agreement was signed"
            )
        )


def _agreement_save(
    *, case: Case, person: Person, what_agreed: str, agreed_at: dt.datetime, attempt, by: User
) -> EngagementAgreement:
    return create_with_history(
        EngagementAgreement,
        by=by,
        case=case,
        person=person,
        agreed_at=agreed_at,
        what_agreed=what_agreed.strip(),
        attempt=attempt,
        recorded_by=by,
        recorded_at=timezone.now(),
    )


@transaction.atomic
def engagement_agreement_record(
    *, case: Case, by: User, person: Person | None, what_agreed: str, agreed_at: dt.datetime
) -> EngagementAgreement:
    """Record that a parent or carer agreed to work with us: the flow chart ends as engaged that day."""
    if not case.is_open:
        raise ContactAttemptError(_("This case is closed: an agreement can no longer be recorded on it"))
    if timezone.is_naive(agreed_at):
        raise ContactAttemptError(_("Give the time of the agreement with its time zone"))
    if agreed_at > timezone.now():
        raise ContactAttemptError(_("The date of the agreement must be today or in the past"))
    if timezone.localdate(agreed_at) < case.referral_date:
        raise ContactAttemptError(
            _("The agreement must be on or after the referral date, %(referral_date)s")
            % {"referral_date": f"{case.referral_date:%-d %B %Y}"}
        )
    _check_agreement(case=case, person=person, what_agreed=what_agreed)
    agreement = _agreement_save(
        case=case, person=person, what_agreed=what_agreed, agreed_at=agreed_at, attempt=None, by=by
    )
    events.records_changed(case=case, by=by)
    return agreement


@transaction.atomic
def contact_attempt_update(
    *, attempt: ContactAttempt, by: User, what_agreed: str = "", **changes
) -> ContactAttempt:
    """Correct a recorded attempt; the earlier version stays in its history with who changed it."""
    unknown = set(changes) - set(ATTEMPT_FIELDS)
    if unknown:
        raise TypeError(f"Not an attempt field: {', '.join(sorted(unknown))}")
    attempt = ContactAttempt.objects.select_for_update().select_related("case").get(pk=attempt.pk)
    had_agreement = EngagementAgreement.objects.filter(attempt=attempt).exists()
    before = (attempt.kind, attempt.with_person_id)
    for name, value in changes.items():
        setattr(attempt, name, value)
    # A letter already recorded keeps its place; one newly made a letter, or sent to someone else,
    # goes through the household's hold like any other.
    from_letter_flow = Letter.objects.filter(contact_attempt=attempt).exists()
    letter_unchanged = before == (attempt.kind, attempt.with_person_id)
    attempt.non_engagement_forms = list(dict.fromkeys(attempt.non_engagement_forms or []))
    attempt.also_outcomes = list(dict.fromkeys(attempt.also_outcomes or []))
    attempt.hostile = _hostile(attempt.non_engagement_forms, attempt.response)
    attempt.counts_as = counts_as_for(
        kind=attempt.kind,
        with_person=attempt.with_person,
        instead_of_letter=attempt.instead_of_letter,
        delivery=attempt.delivery,
    )
    _check(
        case=attempt.case,
        occurred_at=attempt.occurred_at,
        made_by=attempt.made_by,
        kind=attempt.kind,
        outcome=attempt.outcome,
        with_person=attempt.with_person,
        non_engagement_forms=attempt.non_engagement_forms,
        child_seen=attempt.child_seen,
        also_outcomes=attempt.also_outcomes,
        response=attempt.response,
        instead_of_letter=attempt.instead_of_letter,
        letter_approved=from_letter_flow or letter_unchanged,
    )
    if had_agreement and attempt.response != FamilyResponse.AGREED:
        # The agreement is evidence the flow chart ended on: it is never taken back by an edit.
        raise ContactAttemptError(
            _(
                "This attempt records an agreement to work with us, which cannot be changed: record what "
                "happened since as a new attempt"
            )
        )
    adds_agreement = attempt.response == FamilyResponse.AGREED and not had_agreement
    if adds_agreement:
        _check_agreement(case=attempt.case, person=attempt.with_person, what_agreed=what_agreed)
    attempt.edited_by = by
    attempt.edited_at = timezone.now()
    save_with_history(attempt, by=by)
    if adds_agreement:
        _agreement_save(
            case=attempt.case,
            person=attempt.with_person,
            what_agreed=what_agreed,
            agreed_at=attempt.occurred_at,
            attempt=attempt,
            by=by,
        )
    events.records_changed(case=attempt.case, by=by)
    return attempt
