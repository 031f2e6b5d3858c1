"""What engagement's notifications say: letters held and decided, partners' reports, staff safety.

One function a message, named for what happened; the services send them through
`cases.notifications`.
"""

import datetime as dt

from cases.models import Case, User
from cases.notifications import Message
from engagement.documents.models import Letter
from engagement.partners.models import PartnerReport


def hostile_incident_recorded(*, case: Case, by: User, on: dt.datetime) -> Message:
    return Message(
        subject=f"{case.reference}: a hostile incident was recorded",
        body=(
            f"{by} recorded a hostile incident on case {case.reference}, on {on:%-d %B %Y at %H:%M}.\n\n"
            "The case shows a lone-working warning: visit in pairs. Open the record to read it and "
            "record your review."
        ),
    )


def hostile_incident_reviewed(*, case: Case, by: User, on: dt.datetime, lift_suggested: bool) -> Message:
    lift_note = (
        " They think the lone-working warning can be lifted: only the line manager can lift it."
        if lift_suggested
        else ""
    )
    return Message(
        subject=f"{case.reference}: the hostile incident of {on:%-d %B %Y} was reviewed",
        body=(
            f"{by} recorded a review of the hostile incident of {on:%-d %B %Y} on case {case.reference}."
            f"{lift_note}\n\nOpen the record to read the safety plan."
        ),
    )


def lone_working_warning_lifted(*, case: Case, by: User) -> Message:
    return Message(
        subject=f"{case.reference}: the lone-working warning was lifted",
        body=(
            f"{by} lifted the lone-working warning (visit in pairs) on case {case.reference}.\n\n"
            "Open the case to read why."
        ),
    )


def partner_report_recorded(report: PartnerReport) -> Message:
    case = report.case
    what = report.kind_label[0].lower() + report.kind_label[1:]
    source = str(report.agency) if report.agency_id else "A multi-agency member"
    when = f"{report.occurred_on:%-d %B %Y}"
    return Message(
        subject=f"{case.reference}: a partner agency reported {what}",
        body=(
            f"{source} reported {what} for case {case.reference}: it happened on {when}.\n\n"
            "Read the report on the case before you next contact the family."
        ),
    )


def letter_held(letter: Letter, *, by: User) -> Message:
    case = letter.case
    return Message(
        subject=f"{case.reference}: a letter is waiting for your approval",
        body=(
            f"{by} asked to send a letter on case {case.reference} ({letter.get_step_display().lower()}). "
            "Someone in the household has a domestic abuse concern or a safe-contact plan that rules "
            "letters out, so the letter is held until you approve or refuse it.\n\n"
            "It is in your oversight queue, with the household's safe-contact plans beside it."
        ),
    )


def letter_approved(letter: Letter, *, by: User) -> Message:
    case = letter.case
    what = letter.get_step_display().lower()
    return Message(
        subject=f"{case.reference}: your letter was approved",
        body=f"{by} approved the letter on case {case.reference} ({what}). You can send it now from its page.",
    )


def letter_refused(letter: Letter, *, by: User) -> Message:
    case = letter.case
    what = letter.get_step_display().lower()
    body = (
        f"{by} decided the letter on case {case.reference} ({what}) must not be sent, because it "
        "could put someone at risk. The reason, and how else to reach the family, are on the "
        "letter's page."
    )
    if letter.flow_step_id is not None:
        body += (
            "\n\nThe flow-chart step it was for is closed as not sent: unsafe, the manager's "
            "decision. It will not go overdue."
        )
    return Message(subject=f"{case.reference}: your letter is not to be sent", body=body)


def sustained_outcome_due(*, case: Case, closed_on: dt.date, due_on: dt.date) -> Message:
    """Supporting Families, six months after closure: says which case and when, never the needs."""
    return Message(
        subject=f"{case.reference}: record whether the family's outcomes were sustained",
        body=(
            f"Case {case.reference} closed on {closed_on:%-d %B %Y}. Six months on ({due_on:%-d %B %Y}), "
            "record for each need whose outcome was achieved or partly achieved at closure whether "
            "that outcome was sustained, and the evidence.\n\n"
            "Open the case's Supporting Families page to record it."
        ),
    )


def message_held(message, *, by: User) -> Message:
    case = message.case
    what = message.get_channel_display().lower()
    return Message(
        subject=f"{case.reference}: a {what} is waiting for your approval",
        body=(
            f"{by} wrote a {what} to a family member on case {case.reference}. Someone in the household "
            "has a domestic abuse concern, or their safe-contact plan asks for care, so it is held until "
            "you approve or refuse it.\n\nOpen it to read the words and the household's safe-contact plans."
        ),
    )


def message_decided(message, *, by: User, approved: bool) -> Message:
    case = message.case
    what = message.get_channel_display().lower()
    if approved:
        return Message(
            subject=f"{case.reference}: your {what} was approved and sent",
            body=f"{by} approved your {what} on case {case.reference}. It has been sent.",
        )
    return Message(
        subject=f"{case.reference}: your {what} is not to be sent",
        body=(
            f"{by} decided your {what} on case {case.reference} must not be sent, "
            "because it could put someone at risk. Their reasons are on the message's page."
        ),
    )


def message_failed(message) -> Message:
    case = message.case
    what = message.get_channel_display().lower()
    return Message(
        subject=f"{case.reference}: your {what} was not delivered",
        body=(
            f"GOV.UK Notify could not deliver your {what} on case {case.reference} "
            f"({message.notify_status or 'failed'}). Check the {'number' if message.channel == 'sms' else 'address'} "
            "recorded for them and try another way: the flow-chart step it was for is still owed."
        ),
    )


def text_received(text) -> Message:
    case = text.case
    return Message(
        subject=f"{case.reference}: a family member sent a text",
        body=(
            f"A family member sent a text to the service on {text.received_at:%-d %B %Y at %H:%M}. It is in "
            f"the chronology of case {case.reference}."
        ),
    )
