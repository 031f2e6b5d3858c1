"""Writes for working together agreements and letters to families.

Each transition starts with a guard that raises an error a person can act on. An agreement
locks and is printed when both sides have signed; a letter is printed and recorded as a contact
attempt when it is sent. A letter to someone with a domestic abuse concern waits for the team
manager's approval first, because the guidance warns a letter may increase the risk to them.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cases.access import CaseAction, can
from cases.document_services import DocumentError, document_render, document_store
from cases.models import Case, DocumentKind, Person, PersonKind, User

from .models import AttemptKind, AttemptOutcome
from .models_documents import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    Letter,
    LetterStatus,
    LetterTemplate,
    SignatureMethod,
    SignatureRole,
)
from .services import ContactAttemptError, contact_attempt_record
from .signatures import SignatureImageError, png_from_data_url


class AgreementError(Exception):
    """An agreement change that cannot happen now, with what to do about it."""


class LetterError(Exception):
    """A letter that cannot be drafted, changed, approved or sent now, with what to do about it."""


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


# --- Working together agreements --------------------------------------------------------------


def agreement_start(*, case: Case, by: User) -> Agreement:
    """Open a draft agreement for a case, its wording copied from the current template."""
    if not can(by, CaseAction.WORK, case):
        raise AgreementError("Only someone working on this case can start an agreement")
    if not case.is_open:
        raise AgreementError("This case is closed: reopen it before starting an agreement")
    if case.agreements.filter(status=AgreementStatus.DRAFT).exists():
        raise AgreementError("This case already has a draft agreement: finish that one first")
    template = AgreementTemplate.objects.first()
    if template is None:
        raise AgreementError("There is no agreement wording yet: an admin must add it in the configuration")
    now = timezone.now()
    agreement = Agreement(
        case=case,
        title=template.name,
        our_commitments=template.our_commitments,
        family_commitments=template.family_commitments,
        closing_words=template.closing_words,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    agreement._history_user = by
    agreement.save()
    return agreement


def agreement_update(
    *,
    agreement: Agreement,
    by: User,
    our_commitments: str,
    family_commitments: str,
    goals: str,
    review_on: dt.date | None,
) -> Agreement:
    """Change a draft agreement's wording, goals and review date."""
    if not can(by, CaseAction.WORK, agreement.case):
        raise AgreementError("Only someone working on this case can change its agreement")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != AgreementStatus.DRAFT:
            raise AgreementError("This agreement is signed: it can no longer be changed")
        if locked.signatures.exists():
            raise AgreementError(
                "Someone has signed this agreement already: changing it now would change what they signed"
            )
        if not _lines(our_commitments) or not _lines(family_commitments):
            raise AgreementError("Keep at least one commitment on each side of the agreement")
        agreement.our_commitments = _lines(our_commitments)
        agreement.family_commitments = _lines(family_commitments)
        agreement.goals = goals.strip()
        agreement.review_on = review_on
        agreement.updated_at = timezone.now()
        agreement._history_user = by
        agreement.save()
    return agreement


def _signature_check(
    *,
    agreement: Agreement,
    by: User,
    role: str,
    person: Person | None,
    method: str,
    typed_name: str,
    drawing: str,
) -> None:
    case = agreement.case
    if role == SignatureRole.PRACTITIONER and by.pk != case.lead_practitioner_id:
        raise AgreementError(
            f"Only the lead practitioner, {case.lead_practitioner}, can sign for the service"
        )
    if role == SignatureRole.PARENT and (
        person is None or person.case_id != case.pk or person.kind != PersonKind.ADULT
    ):
        raise AgreementError("Select the parent or carer who is signing")
    if method == SignatureMethod.TYPED and not typed_name.strip():
        raise AgreementError("Type the full name of the person signing")
    if method == SignatureMethod.DRAWN:
        if not drawing:
            raise AgreementError("Draw the signature in the box, or type a name instead")
        try:
            png_from_data_url(drawing)
        except SignatureImageError as exc:
            raise AgreementError(str(exc)) from exc
    if method not in SignatureMethod.values:
        raise AgreementError("Select how the person is signing")


def agreement_sign(
    *,
    agreement: Agreement,
    by: User,
    role: str,
    method: str,
    person: Person | None = None,
    typed_name: str = "",
    drawing: str = "",
) -> AgreementSignature:
    """Record one side's signature; when both have signed, lock the agreement and print it."""
    if not can(by, CaseAction.WORK, agreement.case):
        raise AgreementError("Only someone working on this case can record a signature")
    if role not in SignatureRole.values:
        raise AgreementError("Select who is signing")
    _signature_check(
        agreement=agreement,
        by=by,
        role=role,
        person=person,
        method=method,
        typed_name=typed_name,
        drawing=drawing,
    )
    now = timezone.now()
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != AgreementStatus.DRAFT:
            raise AgreementError("This agreement is signed by both already")
        if locked.signatures.filter(role=role).exists():
            raise AgreementError(f"The {SignatureRole(role).label.lower()} has signed already")
        if role == SignatureRole.PARENT:
            name = " ".join(typed_name.split()) or person.full_name
        else:
            name = " ".join(typed_name.split()) or by.full_name
        signature = AgreementSignature(
            agreement=agreement,
            role=role,
            person=person if role == SignatureRole.PARENT else None,
            user=by if role == SignatureRole.PRACTITIONER else None,
            name=name[:200],
            method=method,
            drawing=drawing if method == SignatureMethod.DRAWN else "",
            signed_at=now,
            recorded_by=by,
        )
        signature._history_user = by
        signature.save()
        if locked.signatures.count() == len(SignatureRole.values):
            _agreement_lock(agreement=agreement, by=by, now=now)
    return signature


def _agreement_lock(*, agreement: Agreement, by: User, now: dt.datetime) -> None:
    signatures = {s.role: s for s in agreement.signatures.select_related("person", "user")}
    agreement.status = AgreementStatus.SIGNED
    agreement.signed_at = now
    context = {
        "agreement": agreement,
        "case_reference": agreement.case.reference,
        "our_commitments": agreement.our_commitments.splitlines(),
        "family_commitments": agreement.family_commitments.splitlines(),
        "signers": [
            (signatures[SignatureRole.PARENT], "Parent or carer"),
            (signatures[SignatureRole.PRACTITIONER], "Lead practitioner"),
        ],
        "service": agreement.case.team.name,
    }
    from cases.documents import DocumentRenderError  # WeasyPrint loads only when printing

    from .signature_pdf import render_pdf_with_signatures

    try:
        try:
            pdf = render_pdf_with_signatures("pdf/agreement.html", context)
        except DocumentRenderError as exc:
            raise DocumentError(f"The agreement could not be printed ({exc}): tell an admin") from exc
        agreement.document = document_store(
            case=agreement.case,
            kind=DocumentKind.AGREEMENT,
            title=f"Working together agreement {agreement.case.reference} {agreement.case.family_name}",
            pdf_bytes=pdf,
            by=by,
            source=agreement,
            reason="Working together agreement, signed by the family and the lead practitioner",
        )
    except DocumentError as exc:
        raise AgreementError(str(exc)) from exc
    agreement.updated_at = now
    agreement._history_user = by
    agreement.save()


# --- Letters to families ----------------------------------------------------------------------


def _fill(text: str, values: dict[str, str]) -> str:
    # str.format would fail on any other brace an admin types; replace only the named fields.
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def letter_draft(*, case: Case, by: User, step: str, recipient: Person) -> Letter:
    """Start a letter for a flow chart step from the admin's wording, ready to be edited."""
    if not can(by, CaseAction.WORK, case):
        raise LetterError("Only someone working on this case can write to the family")
    if not case.is_open:
        raise LetterError("This case is closed: letters can no longer be sent from it")
    if recipient.case_id != case.pk or recipient.kind != PersonKind.ADULT:
        raise LetterError("Select an adult of this family to write to")
    template = LetterTemplate.objects.filter(step=step).first()
    if template is None:
        raise LetterError(
            "There is no wording for this letter yet: an admin must add it in the configuration"
        )
    values = {
        "family_name": case.family_name,
        "recipient": recipient.full_name,
        "practitioner": case.lead_practitioner.full_name,
        "organisation": settings.ORGANISATION_NAME,
    }
    last = case.letters.filter(recipient=recipient).exclude(address="").order_by("-created_at").first()
    now = timezone.now()
    letter = Letter(
        case=case,
        step=step,
        recipient=recipient,
        address=last.address if last else "",
        subject=_fill(template.subject, values),
        body=_fill(template.body, values),
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    letter._history_user = by
    letter.save()
    return letter


def letter_update(*, letter: Letter, by: User, address: str, subject: str, body: str) -> Letter:
    """Change a draft letter before it is sent."""
    if not can(by, CaseAction.WORK, letter.case):
        raise LetterError("Only someone working on this case can change its letters")
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.DRAFT:
            raise LetterError(
                f"This letter is {locked.get_status_display().lower()}: it can no longer be changed"
            )
        letter.address = address.strip()
        letter.subject = " ".join(subject.split())
        letter.body = body.strip()
        letter.updated_at = timezone.now()
        letter._history_user = by
        letter.save()
    return letter


def _needs_approval(letter: Letter) -> bool:
    return letter.recipient.domestic_abuse_concern


def letter_send(*, letter: Letter, by: User) -> Letter:
    """Send a letter: print, sign and keep it and record the attempt; or hold it for the manager."""
    case = letter.case
    if not can(by, CaseAction.WORK, case):
        raise LetterError("Only someone working on this case can send its letters")
    if not case.is_open:
        raise LetterError("This case is closed: letters can no longer be sent from it")
    if not letter.address.strip():
        raise LetterError("Enter the postal address before sending the letter")
    if "....." in letter.body:
        raise LetterError("Fill in the dotted gaps in the letter before sending it")
    now = timezone.now()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status == LetterStatus.DRAFT and _needs_approval(letter):
            letter.status = LetterStatus.HELD
            letter.held_at = now
            letter.updated_at = now
            letter._history_user = by
            letter.save()
            return letter
        if locked.status not in (LetterStatus.DRAFT, LetterStatus.APPROVED):
            raise LetterError(f"This letter is {locked.get_status_display().lower()}: it cannot be sent")
        pdf = document_render(
            template_name="pdf/letter.html",
            context={"letter": letter, "case_reference": case.reference, "sent_on": timezone.localdate(now)},
        )
        try:
            letter.document = document_store(
                case=case,
                kind=DocumentKind.LETTER,
                title=f"Letter to {letter.recipient.full_name} {case.reference} {letter.get_step_display()}",
                pdf_bytes=pdf,
                by=by,
                source=letter,
                reason=f"Letter to {letter.recipient.full_name}, sent by {by.full_name}",
            )
        except DocumentError as exc:
            raise LetterError(str(exc)) from exc
        try:
            letter.contact_attempt = contact_attempt_record(
                case=case,
                by=by,
                kind=AttemptKind.LETTER,
                outcome=AttemptOutcome.LETTER_SENT,
                occurred_at=now,
                with_person=letter.recipient,
                notes=f"Letter sent: {letter.subject}",
            )
        except ContactAttemptError as exc:
            raise LetterError(str(exc)) from exc
        letter.status = LetterStatus.SENT
        letter.sent_at = now
        letter.sent_by = by
        letter.updated_at = now
        letter._history_user = by
        letter.save()
    return letter


def letter_decide(*, letter: Letter, by: User, approve: bool, notes: str = "") -> Letter:
    """The team manager approves a held letter, so it can be sent, or decides it must not be sent."""
    if not can(by, CaseAction.MANAGE, letter.case):
        raise LetterError("Only the team manager can approve or refuse this letter")
    if not approve and not notes.strip():
        raise LetterError("Say why the letter must not be sent, so the practitioner can plan another way")
    now = timezone.now()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.HELD:
            raise LetterError("This letter is not waiting for approval")
        letter.status = LetterStatus.APPROVED if approve else LetterStatus.REFUSED
        letter.decided_by = by
        letter.decided_at = now
        letter.decision_notes = notes.strip()
        letter.updated_at = now
        letter._history_user = by
        letter.save()
    return letter
