"""Every write about texts, emails and letters to families, and what GOV.UK Notify reports back.

Safety first (Knowsley 000, Appendix 4: "if DV ensure your letter would not increase risk";
Camden 004: contact the victim "without the perpetrator's knowledge"): what holds a letter holds a
text or an email to the same household, and a person's safe-contact plan and preferred way of
contact are honoured before anything is sent.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases import events
from cases.access import CaseAction, can
from cases.history import create_with_history, save_with_history
from cases.messaging import MessagingError, backend, normalise_uk_phone, notify_status
from cases.models import Case, CaseStatus, ContactMethod, Person, PersonKind, SafeContact, User
from cases.notifications import (
    NotificationKind,
    NotificationTask,
    Task,
    notification_send,
    notifications_task_done,
)

from .. import notify
from ..household import ContactPlan, HoldReason, contact_plans, household_of
from ..models import AttemptKind, AttemptOutcome, ContactAttempt, Delivery
from ..services import ContactAttemptError, contact_attempt_record, counts_as_for
from .models import (
    PLACEHOLDERS,
    Channel,
    FamilyMessage,
    MessageStatus,
    MessageTemplate,
    ReceivedText,
    TemplateLanguage,
)

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\(\(([^()]*)\)\)")
SMS_MAX_CHARACTERS = 918  # Notify's limit: 6 fragments of 153 characters
KIND_FOR_CHANNEL = {Channel.SMS: AttemptKind.TEXT_MESSAGE, Channel.EMAIL: AttemptKind.EMAIL}


class MessageError(Exception):
    """A message that cannot be sent as asked, with a message the person can act on."""


# Parts of a safe-contact plan that rule out each way of writing to someone: through a third
# party means not directly at all; texts only and their own mobile only leave no room for email.
RULES_OUT = {
    Channel.SMS: frozenset({SafeContact.THROUGH_THIRD_PARTY}),
    Channel.EMAIL: frozenset(
        {SafeContact.THROUGH_THIRD_PARTY, SafeContact.TEXT_ONLY, SafeContact.PHONE_ONLY}
    ),
}
# A recorded preferred way of contact that allows each: someone who asked for letters or visits is
# not texted or emailed instead. With no preference recorded, either may be used.
PREFERENCES_ALLOWING = {
    Channel.SMS: frozenset({"", ContactMethod.TEXT, ContactMethod.PHONE}),
    Channel.EMAIL: frozenset({"", ContactMethod.EMAIL}),
}


def ruled_out_because(person: Person, channel: str) -> str:
    """Why nothing of this kind may be sent to this person, or "" if it may."""
    text = channel == Channel.SMS
    if person.kind != PersonKind.ADULT:
        if text:
            return _("%(person)s is a child: a text message from the service goes to an adult") % {
                "person": person
            }
        return _("%(person)s is a child: an email from the service goes to an adult") % {"person": person}
    labels = dict(SafeContact.choices)
    plan = [str(labels[c]).lower() for c in person.safe_contact or () if c in RULES_OUT[channel]]
    if plan:
        # Translators: the parts of the safe-contact plan, such as "through a third party".
        if text:
            message = _("%(person)s's safe-contact plan says %(plan)s: do not send them a text message")
        else:
            message = _("%(person)s's safe-contact plan says %(plan)s: do not send them an email")
        return message % {"person": person, "plan": ", ".join(plan)}
    if person.preferred_contact_method not in PREFERENCES_ALLOWING[channel]:
        preferred = ContactMethod(person.preferred_contact_method).label.lower()
        # Translators: the way of contact the person asked for, such as "letter" or "home visit".
        return _(
            "%(person)s prefers to be contacted by %(preferred)s: contact them that way, or correct their "
            "preferred way of contact on the case if they have asked for this"
        ) % {"person": person, "preferred": preferred}
    if text and not normalise_uk_phone(person.phone):
        return _("No phone number is recorded for %(person)s: add it to their details on the case") % {
            "person": person
        }
    if channel == Channel.EMAIL and not person.email:
        return _("No email address is recorded for %(person)s: add it to their details on the case") % {
            "person": person
        }
    return ""


def message_risk(person: Person) -> str:
    """What about this person's record makes a text or email to their household need the manager."""
    reasons = []
    if person.domestic_abuse_concern:
        reasons.append(_("a domestic abuse concern is recorded"))
    if SafeContact.NOT_WHEN_PARTNER_PRESENT in (person.safe_contact or ()):
        reasons.append(_("their safe-contact plan says not when their partner is there"))
    return "; ".join(reasons)


def message_hold_reasons(person: Person, people: list[Person]) -> list[HoldReason]:
    """Why a text or email to `person` needs the team manager's approval: anyone in their household
    with a domestic abuse concern (the household-wide hold letters have), or their own plan."""
    reach = household_of(person, people)
    if person not in reach:
        reach = [person, *reach]
    return [HoldReason(p, because) for p in reach if (because := message_risk(p))]


@dataclass
class SafetyCheck:
    """What the practitioner sees before sending: why not, why held, and the plans to honour."""

    ruled_out: str
    held_because: list[HoldReason] = field(default_factory=list)
    plans: list[ContactPlan] = field(default_factory=list)


def message_safety(person: Person, channel: str) -> SafetyCheck:
    people = list(person.case.people.all())
    return SafetyCheck(
        ruled_out=ruled_out_because(person, channel),
        held_because=message_hold_reasons(person, people),
        plans=contact_plans(household_of(person, people) if person.lives_in_household else [person]),
    )


def placeholder_values(
    *, person: Person, by: User, on: dt.date | None, language: str = TemplateLanguage.ENGLISH
) -> dict[str, str]:
    """What each ((placeholder)) is filled with; the date is written in the message's language."""
    return {
        "name": person.full_name,
        "practitioner_name": by.full_name,
        "practitioner_phone": by.work_phone,
        "date": _long_date(on, language) if on else "",
    }


def _long_date(on: dt.date, language: str) -> str:
    """Monday 7 December 2026, or in Welsh Dydd Llun 7 Rhagfyr 2026 (Django's Welsh names)."""
    with translation.override(language):
        return date_format(on, "l j F Y")


def message_fill(text: str, values: dict[str, str]) -> str:
    """The template's words with each ((placeholder)) filled in; refuses one it cannot fill."""
    for name in _PLACEHOLDER.findall(text):
        if name not in PLACEHOLDERS:
            raise MessageError(
                _("((%(name)s)) is not something the message can fill in: use %(placeholders)s")
                % {"name": name, "placeholders": ", ".join(f"(({p}))" for p in PLACEHOLDERS)}
            )
        if not values.get(name):
            if name == "date":
                raise MessageError(_("Enter the date the message gives"))
            if name == "practitioner_phone":
                raise MessageError(
                    _("Your work phone number is not recorded: ask an admin to add it, or remove it")
                )
            raise MessageError(_("There is nothing to fill ((%(name)s)) with") % {"name": name})
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def _check(*, case: Case, person: Person, by: User, channel: str, body: str, subject: str) -> None:
    if not can(by, CaseAction.WORK, case):
        raise MessageError(_("Only someone working on this case can send messages from it"))
    if not case.is_open:
        raise MessageError(_("This case is closed: messages can no longer be sent from it"))
    if person.case_id != case.pk:
        raise MessageError(
            _("%(person)s is not part of this family: choose someone on the case") % {"person": person}
        )
    if channel not in (Channel.SMS, Channel.EMAIL):
        raise MessageError(_("Choose a text message or an email"))
    because = ruled_out_because(person, channel)
    if because:
        raise MessageError(because)
    if not body.strip():
        raise MessageError(_("Enter the message"))
    if _PLACEHOLDER.search(body):
        raise MessageError(_("Fill in every ((placeholder)) before sending"))
    if channel == Channel.SMS and len(body) > SMS_MAX_CHARACTERS:
        raise MessageError(
            _("A text can be at most %(limit)s characters: shorten it") % {"limit": SMS_MAX_CHARACTERS}
        )
    if channel == Channel.EMAIL and not subject.strip():
        raise MessageError(_("Enter the email's subject"))


@transaction.atomic
def message_send(
    *,
    case: Case,
    person: Person,
    by: User,
    channel: str,
    body: str,
    subject: str = "",
    template: MessageTemplate | None = None,
) -> FamilyMessage:
    """Send one text or email to a family member, or hold it for the team manager.

    Sent: through GOV.UK Notify (or the local outbox), recorded as a contact attempt "sending"
    with Notify's id and the words as sent. Held: when anyone in the household has a domestic
    abuse concern, or the person's plan says not when their partner is there; the manager is told.
    """
    body = body.strip().replace("\r\n", "\n")
    subject = " ".join(subject.split())
    _check(case=case, person=person, by=by, channel=channel, body=body, subject=subject)
    # Why it is held is kept on the message as the record has it, in the service's own language.
    with translation.override(settings.LANGUAGE_CODE):
        held = message_hold_reasons(person, list(case.people.all()))
        held_because = "\n".join(str(r) for r in held)
    to = normalise_uk_phone(person.phone) if channel == Channel.SMS else person.email
    message = create_with_history(
        FamilyMessage,
        by=by,
        case=case,
        person=person,
        channel=channel,
        template=template,
        to=to,
        subject=subject if channel == Channel.EMAIL else "",
        body=body,
        status=MessageStatus.HELD if held else MessageStatus.SENDING,
        held_because=held_because,
        written_by=by,
    )
    if held:
        _hold(message, by=by)
        return message
    return _dispatch(message, by=by)


def _hold(message: FamilyMessage, *, by: User) -> None:
    manager = message.case.team.manager
    if manager is None:
        raise MessageError(
            _(
                "This message needs the team manager's approval and the team has no manager: ask an admin to set one"
            )
        )
    wording = notify.message_held(message, by=by)
    notification_send(
        recipient=manager,
        key=f"message_held:{message.pk}",
        subject=wording.subject,
        body=wording.body,
        kind=NotificationKind.MESSAGE_HELD,
        case=message.case,
        url=reverse("engagement:message_detail", kwargs={"case_pk": message.case_id, "pk": message.pk}),
        task=Task(NotificationTask.DECIDE_MESSAGE, message.pk),
    )


def _dispatch(message: FamilyMessage, *, by: User) -> FamilyMessage:
    """Hand the message to Notify and record it as a contact attempt, in the caller's transaction:
    if Notify refuses it, nothing is recorded as sent."""
    case = message.case
    now = timezone.now()
    message.reference = f"{case.reference}-M{message.pk}"
    sender = backend()
    try:
        if message.channel == Channel.SMS:
            notify_id = sender.send_sms(
                to=message.to, body=message.body, reference=message.reference, case=case
            )
        else:
            notify_id = sender.send_email(
                to=message.to,
                subject=message.subject,
                body=message.body,
                reference=message.reference,
                case=case,
            )
    except MessagingError as error:
        raise MessageError(str(error)) from error
    # The chronology's words are the record's, in the service's own language.
    with translation.override(settings.LANGUAGE_CODE):
        what = message.get_channel_display()
    try:
        attempt = contact_attempt_record(
            case=case,
            by=by,
            made_by=message.written_by,
            kind=KIND_FOR_CHANNEL[message.channel],
            outcome=AttemptOutcome.MESSAGE_LEFT,
            occurred_at=now,
            with_person=message.person,
            notes=f"{what} sent through GOV.UK Notify to {message.to}:\n\n{message.body}",
            delivery=Delivery.SENDING,
        )
    except ContactAttemptError as error:
        raise MessageError(str(error)) from error
    message.notify_id = notify_id
    message.attempt = attempt
    message.status = MessageStatus.SENDING
    message.sent_at = now
    message.status_at = now
    save_with_history(message, by=by)
    return message


def message_decide(*, message: FamilyMessage, by: User, approve: bool, notes: str = "") -> FamilyMessage:
    """The team manager sends a held text or email, or decides it must not be sent."""
    if not can(by, CaseAction.MANAGE, message.case):
        raise MessageError(_("Only the team manager can approve or refuse this message"))
    if not approve and not notes.strip():
        raise MessageError(
            _("Say why the message must not be sent, so the practitioner can plan another way")
        )
    now = timezone.now()
    with transaction.atomic():
        locked = (
            FamilyMessage.objects.select_for_update(of=("self",))
            .select_related("case", "person")
            .get(pk=message.pk)
        )
        if locked.status != MessageStatus.HELD:
            raise MessageError(_("This message is not waiting for approval"))
        locked.decided_by = by
        locked.decided_at = now
        locked.decision_notes = notes.strip()
        if approve:
            _dispatch(locked, by=by)
        else:
            locked.status = MessageStatus.REFUSED
            save_with_history(locked, by=by)
        notifications_task_done(task=Task(NotificationTask.DECIDE_MESSAGE, locked.pk), when=now)
        wording = notify.message_decided(locked, by=by, approved=approve)
        for person in {locked.written_by, locked.case.lead_practitioner}:
            if person.pk == by.pk:
                continue
            notification_send(
                recipient=person,
                key=f"message_decided:{locked.pk}:{person.pk}",
                subject=wording.subject,
                body=wording.body,
                kind=NotificationKind.MESSAGE_DECIDED,
                case=locked.case,
                url=reverse("engagement:message_detail", kwargs={"case_pk": locked.case_id, "pk": locked.pk}),
            )
    return locked


def message_status_record(*, notify_id: str, status: str, returned: bool = False) -> FamilyMessage | None:
    """What a Notify callback says about one message: delivered, or not (a failure, a returned
    letter). Used for status only. The same callback again changes nothing; an id the service
    never sent is logged and ignored (None)."""
    now = timezone.now()
    with transaction.atomic():
        message = (
            # Only the message is locked: PostgreSQL cannot lock the empty side of the join to an
            # attempt a message may not have.
            FamilyMessage.objects.select_for_update(of=("self",))
            .select_related("case", "person", "attempt", "case__lead_practitioner")
            .filter(notify_id=notify_id)
            .first()
        )
        if message is None:
            logger.warning("Notify callback for an unknown notification id %s: ignored", notify_id)
            return None
        new = "failed" if returned else notify_status(status)
        if message.channel == Channel.LETTER and status == "received":
            new = "delivered"  # Royal Mail has it: as far as Notify can follow a letter
        if message.status not in (MessageStatus.SENDING, MessageStatus.DELIVERED) or (
            message.status == new or new == "sending"
        ):
            return message
        if message.status == MessageStatus.DELIVERED and not returned:
            return message  # delivered is final, except for a letter that comes back
        message.status = MessageStatus.DELIVERED if new == "delivered" else MessageStatus.FAILED
        message.notify_status = "returned-letter" if returned else status
        message.status_at = now
        save_with_history(message, by=None)
        attempt = message.attempt
        if attempt is not None:
            attempt.delivery = Delivery.DELIVERED if new == "delivered" else Delivery.FAILED
            attempt.counts_as = counts_as_for(
                kind=attempt.kind,
                with_person=attempt.with_person,
                instead_of_letter=attempt.instead_of_letter,
                delivery=attempt.delivery,
            )
            save_with_history(attempt, by=None)
            events.records_changed(case=message.case, by=None)
        if message.status == MessageStatus.FAILED:
            _tell_of_failure(message)
    return message


def _tell_of_failure(message: FamilyMessage) -> None:
    wording = notify.message_failed(message)
    for person in {message.written_by, message.case.lead_practitioner}:
        notification_send(
            recipient=person,
            key=f"message_failed:{message.pk}:{person.pk}",
            subject=wording.subject,
            body=wording.body,
            kind=NotificationKind.MESSAGE_FAILED,
            case=message.case,
            url=reverse("engagement:chronology", kwargs={"case_pk": message.case_id}),
        )


def _match(number: str) -> Person | None:
    """The person whose number this is: the one last texted at it, else the only person on an open
    case with it recorded; None when nobody or more than one matches."""
    texted = (
        FamilyMessage.objects.filter(channel=Channel.SMS, to=number, case__status__in=_OPEN)
        .select_related("person")
        .order_by("-created_at", "-id")
        .first()
    )
    if texted is not None:
        return texted.person
    tail = number[-9:]
    found = [
        pk
        for pk, phone in Person.objects.filter(case__status__in=_OPEN, phone__contains=tail[-4:]).values_list(
            "pk", "phone"
        )
        if normalise_uk_phone(phone) == number
    ]
    return Person.objects.get(pk=found[0]) if len(found) == 1 else None


_OPEN = [s for s in CaseStatus.values if s != CaseStatus.CLOSED]


def text_receive(*, notify_id: str, from_number: str, body: str, received_at: dt.datetime) -> ReceivedText:
    """A text a family member sent (Notify's inbound callback): kept once, against the person whose
    number it is, and the lead practitioner told. No match: kept for review and logged."""
    existing = ReceivedText.objects.filter(notify_id=notify_id).first()
    if existing is not None:
        return existing
    number = normalise_uk_phone(from_number)
    person = _match(number) if number else None
    text = ReceivedText(
        notify_id=notify_id,
        from_number=from_number[:50],
        normalised_number=number,
        body=body,
        received_at=received_at,
    )
    try:
        with transaction.atomic():
            if person is not None:
                _text_into_chronology(text, person=person, by=None)
            else:
                save_with_history(text, by=None)
    except IntegrityError:
        return ReceivedText.objects.get(notify_id=notify_id)
    if person is None:
        logger.warning(
            "Text %s received from a number matching nobody on an open case: kept for review", notify_id
        )
    return text


def _text_into_chronology(text: ReceivedText, *, person: Person, by: User | None) -> ReceivedText:
    """Put a received text against the person who sent it: it is in their case's chronology from
    then on, the change is kept in its history, and the case's lead practitioner is told. The one
    way a text gets a case, whether Notify's number matched or a manager placed it."""
    text.person = person
    text.case = person.case
    save_with_history(text, by=by)
    wording = notify.text_received(text)
    notification_send(
        recipient=person.case.lead_practitioner,
        key=f"text_received:{text.pk}",
        subject=wording.subject,
        body=wording.body,
        kind=NotificationKind.MESSAGE_RECEIVED,
        case=person.case,
        url=reverse("engagement:chronology", kwargs={"case_pk": person.case_id}),
    )
    return text


def received_text_place(*, text: ReceivedText, person: Person, by: User) -> ReceivedText:
    """A line manager puts a text from a number nobody matched on a case they manage, against the
    person who sent it: recorded as a matched text is, and the lead practitioner told. Once only."""
    case = person.case
    if not can(by, CaseAction.MANAGE, case):
        raise MessageError(
            _("Only the team manager of a case can put a text on it: choose one of your cases")
        )
    if not case.is_open:
        raise MessageError(
            _("Case %(reference)s is closed: choose someone on an open case") % {"reference": case.reference}
        )
    with transaction.atomic():
        locked = ReceivedText.objects.select_for_update().get(pk=text.pk)
        if locked.person_id is not None:
            raise MessageError(_("This text has already been put on a case: it is in that case's chronology"))
        return _text_into_chronology(locked, person=person, by=by)


def letter_post(*, letter, attempt: ContactAttempt, document, by: User) -> FamilyMessage:
    """Send a signed letter's PDF as a precompiled letter through GOV.UK Notify (or keep it in the
    local outbox), in the caller's transaction. Called by engagement.documents' letter_send, after
    the household's hold: the letter went to the manager first if it needed to."""
    message = create_with_history(
        FamilyMessage,
        by=by,
        case=letter.case,
        person=letter.recipient,
        channel=Channel.LETTER,
        to="",
        subject=letter.subject,
        body=letter.body,
        status=MessageStatus.SENDING,
        letter=letter,
        attempt=attempt,
        written_by=by,
    )
    message.reference = f"{letter.case.reference}-L{letter.pk}"
    with document.file.open("rb") as handle:
        pdf = handle.read()
    try:
        notify_id = backend().send_letter(pdf=pdf, reference=message.reference, case=letter.case)
    except MessagingError as error:
        raise MessageError(str(error)) from error
    now = timezone.now()
    message.notify_id = notify_id
    message.sent_at = message.status_at = now
    save_with_history(message, by=by)
    return message
