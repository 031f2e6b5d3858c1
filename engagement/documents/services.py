"""Writes for working together agreements and letters to families.

Each transition starts with a guard that raises an error a person can act on. An agreement
locks and is printed when both sides have signed; a letter is printed and recorded as a contact
attempt when it is sent. A letter to anyone in a household where someone has a domestic abuse
concern, or a safe-contact plan that rules letters out, waits for the team manager's approval
first, because the guidance warns a letter may increase the risk to them (engagement.household).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import events
from cases.access import CaseAction, can
from cases.documents import document_render, document_sign_and_link
from cases.history import create_with_history, save_with_history
from cases.models import (
    DOCUMENT_LANGUAGES,
    Case,
    DocumentKind,
    Person,
    PersonKind,
    User,
    WrittenLanguage,
    document_language,
)
from cases.notifications import (
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)
from engagement import notify, workflow
from engagement.household import HoldReason, hold_reasons, language_other_than_english
from engagement.messages.services import MessageError, letter_post
from engagement.models import AttemptKind, AttemptOutcome, Delivery
from engagement.services import ContactAttemptError, contact_attempt_record

from .models import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    AgreementTemplate,
    Letter,
    LetterStatus,
    LetterStep,
    LetterTemplate,
    SignatureMethod,
    SignatureRole,
)
from .signatures import SignatureImageError, png_from_data_url


class AgreementError(Exception):
    """An agreement change that cannot happen now, with what to do about it."""


class LetterError(Exception):
    """A letter that cannot be drafted, changed, approved or sent now, with what to do about it."""


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines() if line.strip())


# --- The wording an admin configures ----------------------------------------------------------


def wording_template_save[T: (AgreementTemplate, LetterTemplate)](*, template: T, by: User) -> T:
    """Save agreement or letter wording as an admin changed it, stamped with when; new agreements
    and letters copy it."""
    template.updated_at = timezone.now()
    return save_with_history(template, by=by)


# --- Working together agreements --------------------------------------------------------------


def agreement_language(case: Case) -> str:
    """The language a new agreement for this family starts in: Welsh when a parent or carer of
    the household chose Welsh for written information, else English."""
    adults = case.people.filter(kind=PersonKind.ADULT, lives_in_household=True)
    if adults.filter(written_language=WrittenLanguage.WELSH).exists():
        return WrittenLanguage.WELSH
    return WrittenLanguage.ENGLISH


def agreement_start(*, case: Case, by: User, language: str | None = None) -> Agreement:
    """Open a draft agreement for a case, its wording copied from the current template in the
    agreement's language (by default the family's: `agreement_language`)."""
    if not can(by, CaseAction.WORK, case):
        raise AgreementError(_("Only someone working on this case can start an agreement"))
    if not case.is_open:
        raise AgreementError(_("This case is closed: reopen it before starting an agreement"))
    if case.agreements.filter(status=AgreementStatus.DRAFT).exists():
        raise AgreementError(_("This case already has a draft agreement: finish that one first"))
    language = language or agreement_language(case)
    if language not in DOCUMENT_LANGUAGES:
        raise AgreementError(_("Select the language of the agreement: English or Welsh"))
    template = AgreementTemplate.objects.filter(language=language).first()
    if template is None:
        raise AgreementError(
            _("There is no agreement wording in %(language)s yet: an admin must add it in the configuration")
            % {"language": WrittenLanguage(language).label}
        )
    now = timezone.now()
    try:
        with transaction.atomic():
            return create_with_history(
                Agreement,
                by=by,
                case=case,
                title=template.name,
                language=language,
                our_commitments=template.our_commitments,
                family_commitments=template.family_commitments,
                closing_words=template.closing_words,
                created_by=by,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError:
        # Two starts at once (a double click, two colleagues): both passed the check above, the
        # database kept one draft. Both people get that draft to work on.
        return case.agreements.get(status=AgreementStatus.DRAFT)


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
        raise AgreementError(_("Only someone working on this case can change its agreement"))
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != AgreementStatus.DRAFT:
            raise AgreementError(_("This agreement is signed: it can no longer be changed"))
        if locked.signatures.exists():
            raise AgreementError(
                _("Someone has signed this agreement already: changing it now would change what they signed")
            )
        if not _lines(our_commitments) or not _lines(family_commitments):
            raise AgreementError(_("Keep at least one commitment on each side of the agreement"))
        agreement.our_commitments = _lines(our_commitments)
        agreement.family_commitments = _lines(family_commitments)
        agreement.goals = goals.strip()
        agreement.review_on = review_on
        agreement.updated_at = timezone.now()
        save_with_history(agreement, by=by)
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
            _("Only the lead practitioner, %(lead_practitioner)s, can sign for the service")
            % {"lead_practitioner": case.lead_practitioner}
        )
    if role == SignatureRole.PARENT and (
        person is None or person.case_id != case.pk or person.kind != PersonKind.ADULT
    ):
        raise AgreementError(_("Select the parent or carer who is signing"))
    if method == SignatureMethod.TYPED and not typed_name.strip():
        raise AgreementError(_("Type the full name of the person signing"))
    if method == SignatureMethod.DRAWN:
        if not drawing:
            raise AgreementError(_("Draw the signature in the box, or type a name instead"))
        try:
            png_from_data_url(drawing)
        except SignatureImageError as exc:
            raise AgreementError(str(exc)) from exc
    if method not in SignatureMethod.values:
        raise AgreementError(_("Select how the person is signing"))


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
        raise AgreementError(_("Only someone working on this case can record a signature"))
    if role not in SignatureRole.values:
        raise AgreementError(_("Select who is signing"))
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
            raise AgreementError(_("This agreement is signed by both already"))
        if locked.signatures.filter(role=role).exists():
            if role == SignatureRole.PARENT:
                raise AgreementError(_("The parent or carer has signed already"))
            raise AgreementError(_("The lead practitioner has signed already"))
        if role == SignatureRole.PARENT:
            name = " ".join(typed_name.split()) or person.full_name
        else:
            name = " ".join(typed_name.split()) or by.full_name
        signature = create_with_history(
            AgreementSignature,
            by=by,
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
            # Lazy: translated as the PDF renders, in the agreement's language.
            (signatures[SignatureRole.PARENT], gettext_lazy("Parent or carer")),
            (signatures[SignatureRole.PRACTITIONER], gettext_lazy("Lead practitioner")),
        ],
        "service": agreement.case.team.name,
    }
    # WeasyPrint is loaded only when a PDF is made, as cases.documents.services does: imported with
    # the URLs it would slow every start and write its log lines into `manage.py` errors.
    from .signature_pdf import render_pdf_with_signatures

    document_sign_and_link(
        source=agreement,
        kind=DocumentKind.AGREEMENT,
        title=f"Working together agreement {agreement.case.reference} {agreement.case.family_name}",
        reason="Working together agreement, signed by the family and the lead practitioner",
        by=by,
        render=lambda: render_pdf_with_signatures("pdf/agreement.html", context, language=agreement.language),
        error=AgreementError,
    )
    agreement.updated_at = now
    save_with_history(agreement, by=by)


# --- Letters to families ----------------------------------------------------------------------
#
# A letter to anyone in a household where someone has a domestic abuse concern, or a safe-contact
# plan that rules letters out, is held for the team manager (engagement.household). The manager is
# told at once; they approve or refuse it with a reason, and whoever asked, and the lead
# practitioner, are told of the decision. An approved letter can then be sent and counts as the
# flow chart's letter; a refused one closes the flow-chart step it was written for as "not sent:
# unsafe, the manager's decision" (flowchart.schedule.Status.NOT_SENT_UNSAFE).

# The day of the flow chart each letter's wording is for: a letter is linked to the step of the
# case's running flow chart that asks for a letter on that day, if there is one (Knowsley's
# day-10 letter; the day-5 letter is left at the visit, a step of its own kind).
LETTER_DAYS = {LetterStep.DAY_5: 5, LetterStep.DAY_10: 10}


def _fill(text: str, values: dict[str, str]) -> str:
    # str.format would fail on any other brace an admin types; replace only the named fields.
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _letter_new(
    *,
    case: Case,
    by: User,
    step: str,
    recipient: Person,
    subject: str,
    body: str,
    address: str = "",
    outside_system: bool = False,
    language: str = WrittenLanguage.ENGLISH,
    flow_step_order: int | None = None,
) -> Letter:
    if not can(by, CaseAction.WORK, case):
        raise LetterError(_("Only someone working on this case can write to the family"))
    if not case.is_open:
        raise LetterError(_("This case is closed: letters can no longer be sent from it"))
    if recipient.case_id != case.pk or recipient.kind != PersonKind.ADULT:
        raise LetterError(_("Select an adult of this family to write to"))
    if step not in LetterStep.values:
        raise LetterError(_("Select which letter it is"))
    episode, flow_step = workflow.letter_flow_step(
        case=case, day=LETTER_DAYS.get(step), order=flow_step_order
    )
    if Letter.objects.filter(
        case=case, recipient=recipient, step=step, flow_step=flow_step, status=LetterStatus.HELD
    ).exists():
        raise LetterError(
            _(
                "A letter to %(recipient)s for this step is already waiting for the manager's approval: "
                "wait for their decision"
            )
            % {"recipient": recipient}
        )
    now = timezone.now()
    return create_with_history(
        Letter,
        by=by,
        case=case,
        step=step,
        recipient=recipient,
        address=address,
        subject=subject,
        body=body,
        language=language,
        outside_system=outside_system,
        episode=episode,
        flow_step=flow_step,
        created_by=by,
        created_at=now,
        updated_at=now,
    )


def letter_draft(
    *, case: Case, by: User, step: str, recipient: Person, flow_step_order: int | None = None
) -> Letter:
    """Start a letter for a flow chart step from the admin's wording, ready to be edited.

    `flow_step_order`: the step of the running flow chart the letter is for; by default the one
    that asks for a letter on the letter's day (the day-10 letter), if there is one.
    """
    # In the recipient's language when the wording exists in it (Welsh), else in English.
    language = document_language(recipient)
    wordings = {t.language: t for t in LetterTemplate.objects.filter(step=step)}
    template = wordings.get(language) or wordings.get(WrittenLanguage.ENGLISH)
    if template is None:
        raise LetterError(
            _("There is no wording for this letter yet: an admin must add it in the configuration")
        )
    values = {
        "family_name": case.family_name,
        "recipient": recipient.full_name,
        "practitioner": case.lead_practitioner.full_name,
        "organisation": settings.ORGANISATION_NAME,
    }
    last = case.letters.filter(recipient=recipient).exclude(address="").order_by("-created_at").first()
    return _letter_new(
        case=case,
        by=by,
        step=step,
        recipient=recipient,
        subject=_fill(template.subject, values),
        body=_fill(template.body, values),
        address=last.address if last else "",
        language=template.language,
        flow_step_order=flow_step_order,
    )


def letter_record_outside(
    *,
    case: Case,
    by: User,
    step: str,
    recipient: Person,
    address: str,
    subject: str,
    body: str,
    flow_step_order: int | None = None,
) -> Letter:
    """Record a letter written by hand or in another system, before it goes.

    It goes through the same gate as a letter written here: held for the manager when the
    household needs it (then marked sent once approved), or recorded as sent at once.
    """
    if not " ".join(subject.split()):
        raise LetterError(_("Enter the heading of the letter"))
    if not body.strip():
        raise LetterError(_("Enter what the letter says"))
    letter = _letter_new(
        case=case,
        by=by,
        step=step,
        recipient=recipient,
        subject=" ".join(subject.split())[:200],
        body=body.strip(),
        address=address.strip(),
        outside_system=True,
        flow_step_order=flow_step_order,
    )
    return letter_send(letter=letter, by=by)


def reader_note_offered(person: Person) -> bool:
    """Whether a letter to this person offers a version in their language or in easy read."""
    return bool(language_other_than_english(person) or person.prefers_verbal_communication)


def reader_note_line(person: Person, letter_language: str = WrittenLanguage.ENGLISH) -> str:
    """The line a letter gains when it offers a translated or easy-read version (no machine
    translation: the service arranges one if asked). A letter in Welsh offers easy read, in Welsh."""
    if letter_language == WrittenLanguage.WELSH:
        return (
            "Os hoffech gael y llythyr hwn mewn fersiwn hawdd ei ddarllen, neu os byddai'n well gennych i "
            "mi ei ddarllen gyda chi, rhowch wybod i mi a byddaf yn trefnu hynny."
        )
    language = language_other_than_english(person)
    if language:
        return (
            f"If you would like this letter in {language}, or in easy read, please tell me and I will "
            "arrange it. I can also bring an interpreter when we meet."
        )
    return (
        "If you would like this letter in easy read, or would rather I read it through with you, "
        "please tell me and I will arrange it."
    )


# How a letter signs off, in English and Welsh: the reader note goes just before.
CLOSINGS = ("with best wishes", "yours", "gyda dymuniadau gorau", "yn gywir", "yr eiddoch")


def _with_reader_note(body: str, line: str, wanted: bool) -> str:
    paragraphs = [p for p in body.replace("\r\n", "\n").split("\n\n") if p.strip() != line]
    if wanted:
        closing = next(
            (n for n, p in enumerate(paragraphs) if p.strip().lower().startswith(CLOSINGS)),
            len(paragraphs),
        )
        paragraphs.insert(closing, line)
    return "\n\n".join(paragraphs).strip()


def letter_update(
    *, letter: Letter, by: User, address: str, subject: str, body: str, reader_note: bool = False
) -> Letter:
    """Change a draft letter before it is sent.

    `reader_note`: offer a version in the person's language or in easy read: a line in the
    letter, and a mark on the record.
    """
    if not can(by, CaseAction.WORK, letter.case):
        raise LetterError(_("Only someone working on this case can change its letters"))
    if reader_note and not reader_note_offered(letter.recipient):
        raise LetterError(
            _(
                "%(recipient)s's language is recorded as English and they read letters: untick the offer "
                "of a translated or easy-read version"
            )
            % {"recipient": letter.recipient}
        )
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.DRAFT:
            raise LetterError(
                # Translators: the letter's status in lower case, such as "sent".
                _("This letter is %(status)s: it can no longer be changed")
                % {"status": locked.get_status_display().lower()}
            )
        letter.address = address.strip()
        letter.subject = " ".join(subject.split())
        letter.body = body.strip()
        if reader_note_offered(letter.recipient):
            line = reader_note_line(letter.recipient, letter.language)
            letter.body = _with_reader_note(letter.body, line, reader_note)
        letter.reader_note = reader_note
        letter.updated_at = timezone.now()
        save_with_history(letter, by=by)
    return letter


def letter_hold_reasons(letter: Letter) -> list[HoldReason]:
    """Why this letter needs the manager's approval (the household's records); empty if it does not."""
    return hold_reasons(letter.recipient, list(letter.case.people.all()))


def _letter_url(letter: Letter, name: str = "engagement:letter_detail") -> str:
    return reverse(name, kwargs={"case_pk": letter.case_id, "pk": letter.pk})


def _hold(letter: Letter, *, by: User, now) -> Letter:
    case = letter.case
    manager = case.team.manager
    if manager is None:
        raise LetterError(
            _(
                "This letter needs the team manager's approval and the team has no manager: ask an admin "
                "to set one"
            )
        )
    letter.status = LetterStatus.HELD
    letter.held_at = now
    letter.held_by = by
    letter.updated_at = now
    save_with_history(letter, by=by)
    message = notify.letter_held(letter, by=by)
    notification_send(
        recipient=manager,
        key=f"letter_held:{letter.pk}",
        subject=message.subject,
        body=message.body,
        kind=NotificationKind.LETTER_HELD,
        case=case,
        url=_letter_url(letter, "engagement:letter_decide"),
        task=Task(NotificationTask.DECIDE_LETTER, letter.pk),
    )
    return letter


def letter_send(*, letter: Letter, by: User) -> Letter:
    """Send a letter: print, sign and keep it and record the attempt; or hold it for the manager.

    A letter written outside the system is recorded as sent, with no PDF of ours.
    """
    case = letter.case
    if not can(by, CaseAction.WORK, case):
        raise LetterError(_("Only someone working on this case can send its letters"))
    if not case.is_open:
        raise LetterError(_("This case is closed: letters can no longer be sent from it"))
    if not letter.address.strip():
        raise LetterError(_("Enter the postal address before sending the letter"))
    if "....." in letter.body:
        raise LetterError(_("Fill in the dotted gaps in the letter before sending it"))
    now = timezone.now()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status == LetterStatus.DRAFT and letter_hold_reasons(letter):
            return _hold(letter, by=by, now=now)
        if locked.status not in (LetterStatus.DRAFT, LetterStatus.APPROVED):
            raise LetterError(
                # Translators: the letter's status in lower case, such as "approved by the manager".
                _("This letter is %(status)s: it cannot be sent")
                % {"status": locked.get_status_display().lower()}
            )
        document = None
        if not letter.outside_system:
            document = document_sign_and_link(
                source=letter,
                kind=DocumentKind.LETTER,
                title=f"Letter to {letter.recipient.full_name} {case.reference} {letter.get_step_display()}",
                reason=f"Letter to {letter.recipient.full_name}, sent by {by.full_name}",
                by=by,
                render=lambda: document_render(
                    template_name="pdf/letter.html",
                    context={
                        "letter": letter,
                        "case_reference": case.reference,
                        "sent_on": timezone.localdate(now),
                    },
                    language=letter.language,
                ),
                error=LetterError,
            )
        notes = [f"Letter sent: {letter.subject}."]
        if letter.outside_system:
            notes.append("Written outside the system.")
        if letter.reader_note:
            notes.append("It offers a translated or easy-read version.")
        if locked.status == LetterStatus.APPROVED:
            notes.append(f"Approved by {letter.decided_by}.")
        try:
            letter.contact_attempt = contact_attempt_record(
                case=case,
                by=by,
                kind=AttemptKind.LETTER,
                outcome=AttemptOutcome.LETTER_SENT,
                occurred_at=now,
                with_person=letter.recipient,
                notes=" ".join(notes),
                letter=locked,
                delivery=Delivery.SENDING if document is not None else "",
            )
        except ContactAttemptError as exc:
            raise LetterError(str(exc)) from exc
        if document is not None:
            # The signed PDF goes to the post through GOV.UK Notify (or the local outbox);
            # a returned letter marks the attempt not delivered (engagement.messages).
            try:
                letter_post(letter=letter, attempt=letter.contact_attempt, document=document, by=by)
            except MessageError as exc:
                raise LetterError(str(exc)) from exc
        letter.status = LetterStatus.SENT
        letter.sent_at = now
        letter.sent_by = by
        letter.updated_at = now
        save_with_history(letter, by=by)
    return letter


def letter_decide(*, letter: Letter, by: User, approve: bool, notes: str = "") -> Letter:
    """The team manager approves a held letter, so it can be sent, or decides it must not be sent.

    Whoever asked for it, and the lead practitioner, are told. A refused letter closes the
    flow-chart step it was for as not sent, unsafe: not overdue, and no reminder follows.
    """
    if not can(by, CaseAction.MANAGE, letter.case):
        raise LetterError(_("Only the team manager can approve or refuse this letter"))
    if not approve and not notes.strip():
        raise LetterError(_("Say why the letter must not be sent, so the practitioner can plan another way"))
    now = timezone.now()
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter.pk)
        if locked.status != LetterStatus.HELD:
            raise LetterError(_("This letter is not waiting for approval"))
        letter.status = LetterStatus.APPROVED if approve else LetterStatus.REFUSED
        letter.decided_by = by
        letter.decided_at = now
        letter.decision_notes = notes.strip()
        letter.updated_at = now
        save_with_history(letter, by=by)
        notifications_task_done(task=Task(NotificationTask.DECIDE_LETTER, letter.pk), when=now)
        if not approve and letter.flow_step_id is not None:
            events.records_changed(case=letter.case, by=by)
        _tell_of_decision(letter, by=by)
    return letter


def _tell_of_decision(letter: Letter, *, by: User) -> None:
    case = letter.case
    if letter.status == LetterStatus.APPROVED:
        message, kind = notify.letter_approved(letter, by=by), NotificationKind.LETTER_APPROVED
    else:
        message, kind = notify.letter_refused(letter, by=by), NotificationKind.LETTER_REFUSED
    told = []
    for person in (letter.held_by or letter.created_by, case.lead_practitioner):
        if person is None or person.pk == by.pk or person in told:
            continue
        told.append(person)
        notification_send(
            recipient=person,
            key=f"letter_decided:{letter.pk}:{person.pk}",
            subject=message.subject,
            body=message.body,
            kind=kind,
            case=case,
            url=_letter_url(letter),
        )
