"""What engagement's notifications say: letters held and decided, partners' reports, staff safety.

One function a message, named for what happened; the services send them through
`cases.notifications`.
"""

import datetime as dt

from django.utils.translation import gettext as _

from cases.models import Case, User
from cases.notifications import Message
from engagement.documents.models import Letter
from engagement.partners.models import PartnerReport

# Worded with gettext when sent, not lazily: the notification is stored and mailed as text. A
# text, an email and a letter each have their own sentences, so no translator fits one into another.


def hostile_incident_recorded(*, case: Case, by: User, on: dt.datetime) -> Message:
    return Message(
        subject=_("%(reference)s: a hostile incident was recorded") % {"reference": case.reference},
        body=_(
            "%(by)s recorded a hostile incident on case %(reference)s, on %(date)s at %(time)s.\n\n"
            "The case shows a lone-working warning: visit in pairs. Open the record to read it and "
            "record your review."
        )
        % {"by": by, "reference": case.reference, "date": f"{on:%-d %B %Y}", "time": f"{on:%H:%M}"},
    )


def hostile_incident_reviewed(*, case: Case, by: User, on: dt.datetime, lift_suggested: bool) -> Message:
    words = {"by": by, "reference": case.reference, "date": f"{on:%-d %B %Y}"}
    reviewed = (
        _("%(by)s recorded a review of the hostile incident of %(date)s on case %(reference)s.") % words
    )
    if lift_suggested:
        reviewed += " " + _(
            "They think the lone-working warning can be lifted: only the line manager can lift it."
        )
    return Message(
        subject=_("%(reference)s: the hostile incident of %(date)s was reviewed") % words,
        body=reviewed + "\n\n" + _("Open the record to read the safety plan."),
    )


def lone_working_warning_lifted(*, case: Case, by: User) -> Message:
    return Message(
        subject=_("%(reference)s: the lone-working warning was lifted") % {"reference": case.reference},
        body=_(
            "%(by)s lifted the lone-working warning (visit in pairs) on case %(reference)s.\n\n"
            "Open the case to read why."
        )
        % {"by": by, "reference": case.reference},
    )


def partner_report_recorded(report: PartnerReport) -> Message:
    case = report.case
    words = {
        "what": report.kind_label[0].lower() + report.kind_label[1:],
        "reference": case.reference,
        "date": f"{report.occurred_on:%-d %B %Y}",
        "agency": report.agency,
    }
    if report.agency_id:
        # Translators: %(what)s is what the partner reported, such as "a missed appointment".
        body = _(
            "%(agency)s reported %(what)s for case %(reference)s: it happened on %(date)s.\n\n"
            "Read the report on the case before you next contact the family."
        )
    else:
        # Translators: %(what)s is what the partner reported, such as "a missed appointment".
        body = _(
            "A multi-agency member reported %(what)s for case %(reference)s: it happened on %(date)s.\n\n"
            "Read the report on the case before you next contact the family."
        )
    # Translators: %(what)s is what the partner reported, such as "a missed appointment".
    subject = _("%(reference)s: a partner agency reported %(what)s")
    return Message(subject=subject % words, body=body % words)


def letter_held(letter: Letter, *, by: User) -> Message:
    case = letter.case
    return Message(
        subject=_("%(reference)s: a letter is waiting for your approval") % {"reference": case.reference},
        # Translators: %(step)s is the letter's step in lower case, such as "day 10: please contact us
        # within 5 days".
        body=_(
            "%(by)s asked to send a letter on case %(reference)s (%(step)s). Someone in the household has "
            "a domestic abuse concern or a safe-contact plan that rules letters out, so the letter is held "
            "until you approve or refuse it.\n\n"
            "It is in your oversight queue, with the household's safe-contact plans beside it."
        )
        % {"by": by, "reference": case.reference, "step": letter.get_step_display().lower()},
    )


def letter_approved(letter: Letter, *, by: User) -> Message:
    case = letter.case
    return Message(
        subject=_("%(reference)s: your letter was approved") % {"reference": case.reference},
        body=_(
            "%(by)s approved the letter on case %(reference)s (%(step)s). You can send it now from its page."
        )
        % {"by": by, "reference": case.reference, "step": letter.get_step_display().lower()},
    )


def letter_refused(letter: Letter, *, by: User) -> Message:
    case = letter.case
    body = _(
        "%(by)s decided the letter on case %(reference)s (%(step)s) must not be sent, because it could put "
        "someone at risk. The reason, and how else to reach the family, are on the letter's page."
    ) % {"by": by, "reference": case.reference, "step": letter.get_step_display().lower()}
    if letter.flow_step_id is not None:
        body += "\n\n" + _(
            "The flow-chart step it was for is closed as not sent: unsafe, the manager's decision. It will "
            "not go overdue."
        )
    return Message(
        subject=_("%(reference)s: your letter is not to be sent") % {"reference": case.reference}, body=body
    )


def sustained_outcome_due(*, case: Case, closed_on: dt.date, due_on: dt.date) -> Message:
    """Supporting Families, six months after closure: says which case and when, never the needs."""
    return Message(
        subject=_("%(reference)s: record whether the family's outcomes were sustained")
        % {"reference": case.reference},
        body=_(
            "Case %(reference)s closed on %(closed_on)s. Six months on (%(due_on)s), record for each need "
            "whose outcome was achieved or partly achieved at closure whether that outcome was sustained, "
            "and the evidence.\n\n"
            "Open the case's Supporting Families page to record it."
        )
        % {
            "reference": case.reference,
            "closed_on": f"{closed_on:%-d %B %Y}",
            "due_on": f"{due_on:%-d %B %Y}",
        },
    )


def message_held(message, *, by: User) -> Message:
    words = {"by": by, "reference": message.case.reference}
    if message.channel == "sms":
        subject = _("%(reference)s: a text message is waiting for your approval")
        body = _(
            "%(by)s wrote a text message to a family member on case %(reference)s. Someone in the "
            "household has a domestic abuse concern, or their safe-contact plan asks for care, so it is "
            "held until you approve or refuse it.\n\n"
            "Open it to read the words and the household's safe-contact plans."
        )
    else:
        subject = _("%(reference)s: an email is waiting for your approval")
        body = _(
            "%(by)s wrote an email to a family member on case %(reference)s. Someone in the household has "
            "a domestic abuse concern, or their safe-contact plan asks for care, so it is held until you "
            "approve or refuse it.\n\n"
            "Open it to read the words and the household's safe-contact plans."
        )
    return Message(subject=subject % words, body=body % words)


def message_decided(message, *, by: User, approved: bool) -> Message:
    words = {"by": by, "reference": message.case.reference}
    text = message.channel == "sms"
    if approved and text:
        subject = _("%(reference)s: your text message was approved and sent")
        body = _("%(by)s approved your text message on case %(reference)s. It has been sent.")
    elif approved:
        subject = _("%(reference)s: your email was approved and sent")
        body = _("%(by)s approved your email on case %(reference)s. It has been sent.")
    elif text:
        subject = _("%(reference)s: your text message is not to be sent")
        body = _(
            "%(by)s decided your text message on case %(reference)s must not be sent, because it could put "
            "someone at risk. Their reasons are on the message's page."
        )
    else:
        subject = _("%(reference)s: your email is not to be sent")
        body = _(
            "%(by)s decided your email on case %(reference)s must not be sent, because it could put someone "
            "at risk. Their reasons are on the message's page."
        )
    return Message(subject=subject % words, body=body % words)


def message_failed(message) -> Message:
    # %(status)s below is GOV.UK Notify's own word for what happened, such as "permanent-failure".
    words = {"reference": message.case.reference, "status": message.notify_status or "failed"}
    if message.channel == "sms":
        subject = _("%(reference)s: your text message was not delivered")
        body = _(
            "GOV.UK Notify could not deliver your text message on case %(reference)s (%(status)s). Check "
            "the number recorded for them and try another way: the flow-chart step it was for is still owed."
        )
    elif message.channel == "email":
        subject = _("%(reference)s: your email was not delivered")
        body = _(
            "GOV.UK Notify could not deliver your email on case %(reference)s (%(status)s). Check the "
            "address recorded for them and try another way: the flow-chart step it was for is still owed."
        )
    else:
        subject = _("%(reference)s: your letter was not delivered")
        body = _(
            "GOV.UK Notify could not deliver your letter on case %(reference)s (%(status)s). Check the "
            "address recorded for them and try another way: the flow-chart step it was for is still owed."
        )
    return Message(subject=subject % words, body=body % words)


def text_received(text) -> Message:
    when = text.received_at
    return Message(
        subject=_("%(reference)s: a family member sent a text") % {"reference": text.case.reference},
        body=_(
            "A family member sent a text to the service on %(date)s at %(time)s. It is in the chronology of "
            "case %(reference)s."
        )
        % {"date": f"{when:%-d %B %Y}", "time": f"{when:%H:%M}", "reference": text.case.reference},
    )
