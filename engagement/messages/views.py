"""Writing a text or email to a family member, the manager's decision on a held one, and Notify's
callbacks. Thin: access, service, render."""

import datetime as dt
import json
import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from cases.access import CaseAction, case_for, case_view, log_access, role_view
from cases.forms import form_save
from cases.http import accepts
from cases.messaging import DELIVERY_CALLBACK, INBOUND_CALLBACK, callback_refused, callback_token_ok
from cases.models import Person, Role

from . import selectors, services
from .forms import MessageDecisionForm, MessageForm, PlaceTextForm
from .models import Channel, MessageStatus, TemplateLanguage

logger = logging.getLogger(__name__)


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="message to a family member")
def message_write(request, case, person_pk):
    """Choose a text or an email and its wording, preview it with the person's safe-contact plan,
    then send it (or, for a household that needs it, ask the manager)."""
    person = get_object_or_404(Person, case=case, pk=person_pk)
    posted = request.POST if request.method == "POST" else None
    sending = posted is not None and "send" in posted
    form = MessageForm(
        posted, person=person, initial={"channel": _channel_default(person)}, previewed=posted is not None
    )
    preview = None
    channel = (posted or {}).get("channel") or _channel_default(person)
    safety = services.message_safety(person, channel if channel in Channel.values else Channel.SMS)
    if posted is not None and not sending and form.is_valid():
        preview = _preview(form, person=person, by=request.user)
    if sending:
        saved = form_save(
            request,
            form,
            lambda data: services.message_send(
                case=case,
                person=person,
                by=request.user,
                channel=data["channel"],
                body=data["body"],
                subject=data["subject"],
                template=data["template"],
            ),
            errors=services.MessageError,
        )
        if saved is not None:
            message = saved.result
            if message.status == MessageStatus.HELD:
                messages.success(
                    request,
                    _(
                        "The message is held for your team manager's approval: you will be told when they decide."
                    ),
                )
                return redirect("engagement:message_detail", case_pk=case.pk, pk=message.pk)
            if message.channel == Channel.SMS:
                sent = _("Text message sent to %(person)s. It is in the chronology.")
            else:
                sent = _("Email sent to %(person)s. It is in the chronology.")
            messages.success(request, sent % {"person": person})
            return redirect("engagement:chronology", case_pk=case.pk)
    return render(
        request,
        "engagement/message_write.html",
        {
            "case": case,
            "person": person,
            "form": form,
            "preview": preview,
            "safety": safety,
            "language": TemplateLanguage(form.language),
        },
    )


def _channel_default(person: Person) -> str:
    return Channel.EMAIL if person.preferred_contact_method == "email" else Channel.SMS


def _preview(form: MessageForm, *, person, by) -> dict | None:
    """Fill the chosen wording in; what will be sent is then in the form, to check or change."""
    data = form.cleaned_data
    template = data["template"]
    body, subject = data["body"], data["subject"]
    try:
        language = template.language if template is not None else form.language
        values = services.placeholder_values(person=person, by=by, on=data.get("date"), language=language)
        if template is not None and not body.strip():
            body = services.message_fill(template.body, values)
            subject = subject or services.message_fill(template.subject, values)
        else:
            body = services.message_fill(body, values)
    except services.MessageError as error:
        form.add_error(None, str(error))
        return None
    form.data = form.data.copy()
    form.data["body"], form.data["subject"] = body, subject
    if not body.strip():
        form.add_error("body", _("Enter the message, or choose wording to start from"))
        return None
    return {
        "body": body,
        "subject": subject,
        "channel": data["channel"],
        "length": len(body),
        "language": TemplateLanguage(language),
    }


@accepts("GET", "POST")
@case_view(CaseAction.VIEW, what="message to a family member")
def message_detail(request, case, pk):
    """One message as written and where it stands; the manager decides a held one here."""
    message = selectors.message_on_case(case, pk)
    form = MessageDecisionForm(request.POST if request.method == "POST" else None)
    saved = form_save(
        request,
        form,
        lambda data: services.message_decide(
            message=message, by=request.user, approve=data["decision"] == "approve", notes=data["notes"]
        ),
        errors=services.MessageError,
    )
    if saved is not None:
        messages.success(request, _("Decision saved. The practitioner has been told."))
        return redirect("engagement:message_detail", case_pk=case.pk, pk=message.pk)
    log_access(request, case=case, what="message to a family member", object_id=message.pk)
    return render(
        request,
        "engagement/message_detail.html",
        {
            "case": case,
            "message": message,
            "form": form,
            "can_decide": message.status == MessageStatus.HELD and request.user.pk == case.team.manager_id,
            "safety": services.message_safety(message.person, message.channel)
            if message.channel in (Channel.SMS, Channel.EMAIL)
            else None,
        },
    )


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def message_costs(request):
    """The manager's panel: texts sent by their teams since 1 April, and the council's against
    GOV.UK Notify's free allowance and what texts beyond it cost. Texts are never sent in bulk."""
    return render(
        request,
        "engagement/message_costs.html",
        {"costs": selectors.text_costs(request.user, timezone.localdate())},
    )


UNMATCHED_PAGE_SIZE = 25


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def unmatched_texts(request):
    """Texts from numbers we do not know: kept for review, newest first, for a manager to place.
    They have no case, so any line manager reads them; each read is logged, with no case."""
    page = Paginator(selectors.unmatched_texts(), UNMATCHED_PAGE_SIZE).get_page(request.GET.get("page"))
    log_access(request, case=None, what="texts from numbers we do not know", object_id=f"page {page.number}")
    return render(request, "engagement/unmatched_texts.html", {"page_obj": page, "texts": page.object_list})


@accepts("GET", "POST")
@role_view(Role.LINE_MANAGER)
def unmatched_text_place(request, pk):
    """Put one text from an unknown number on a case the manager manages, against its sender."""
    text = selectors.unmatched_text(pk)
    posted = request.POST if request.method == "POST" else None
    chosen = (posted or {}).get("person", "")
    if chosen.isdigit() and (case_id := selectors.case_id_of_person(chosen)) is not None:
        # A person on a case they do not manage: 404, and the refusal logged, as for the case itself.
        case_for(request.user, case_id, CaseAction.MANAGE, request=request)
    form = PlaceTextForm(posted, people=selectors.people_to_place_texts_on(request.user))
    saved = form_save(
        request,
        form,
        lambda data: services.received_text_place(text=text, person=data["person"], by=request.user),
        errors=services.MessageError,
    )
    if saved is not None:
        placed = saved.result
        messages.success(
            request,
            _(
                "The text is in the chronology of case %(reference)s, from %(person)s. "
                "%(lead_practitioner)s has been told."
            )
            % {
                "reference": placed.case.reference,
                "person": placed.person,
                "lead_practitioner": placed.case.lead_practitioner,
            },
        )
        return redirect("engagement:chronology", case_pk=placed.case_id)
    log_access(request, case=None, what="text from a number we do not know", object_id=text.pk)
    return render(request, "engagement/unmatched_text_place.html", {"text": text, "form": form})


# Notify's callbacks: not pages. Each carries the bearer token the service gave Notify for it:
# NOTIFY_CALLBACK_TOKEN for delivery receipts and returned letters, NOTIFY_INBOUND_CALLBACK_TOKEN
# for received texts.


def _callback(request, what: str, handle, *, token_setting: str = DELIVERY_CALLBACK) -> HttpResponse:
    if not callback_token_ok(request, token_setting=token_setting):
        callback_refused(request, what=what)
        return HttpResponse("Unauthorised", status=401, content_type="text/plain")
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError:
        return HttpResponse("Not JSON", status=400, content_type="text/plain")
    if not isinstance(payload, dict):
        return HttpResponse("Not a JSON object", status=400, content_type="text/plain")
    try:
        handle(payload)
    except (KeyError, TypeError, ValueError) as error:
        logger.warning("Notify %s callback without what it needs: %s", what, type(error).__name__)
        return HttpResponse("Missing fields", status=400, content_type="text/plain")
    return JsonResponse({"result": "ok"})


def _when(value) -> dt.datetime:
    parsed = parse_datetime(value or "") if isinstance(value, str) else None
    if parsed is None:
        return timezone.now()
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, dt.UTC)


@csrf_exempt
@accepts("POST")
def delivery_callback(request):
    """Notify's delivery receipt for a text, email or letter: used for its status only."""
    return _callback(
        request,
        "delivery",
        lambda p: services.message_status_record(notify_id=_uuid(p["id"]), status=str(p["status"])),
    )


@csrf_exempt
@accepts("POST")
def returned_letter_callback(request):
    """Notify's returned-letter callback: the letter did not reach the family."""
    return _callback(
        request,
        "returned letter",
        lambda p: services.message_status_record(
            notify_id=_uuid(p.get("notification_id") or p["id"]), status="returned", returned=True
        ),
    )


@csrf_exempt
@accepts("POST")
def inbound_callback(request):
    """Notify's received text message: into the chronology against the person whose number it is."""
    return _callback(
        request,
        "inbound text",
        lambda p: services.text_receive(
            notify_id=_uuid(p["id"]),
            from_number=str(p["source_number"]),
            body=str(p["message"]),
            received_at=_when(p.get("date_received")),
        ),
        token_setting=INBOUND_CALLBACK,
    )


def _uuid(value) -> str:
    import uuid

    return str(uuid.UUID(str(value)))
