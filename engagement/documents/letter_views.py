"""Thin views for letters to families: check access, call a selector or service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.access import CaseAction, can, case_page_permissions, case_view
from cases.concurrency import EditGuard
from cases.documents.views import document_response
from cases.forms import form_save
from cases.http import accepts
from cases.kept_posts import posted_or_kept
from engagement.household import hold_reasons, reads_letters_another_way
from engagement.selectors import contact_safety

from . import selectors, services
from .forms import LetterDecisionForm, LetterForm, LetterOutsideForm, LetterStartForm
from .models import LetterStatus


def _posted(request):
    """What was posted; on a GET, what this user posted here when it could not be saved
    (issue 21). Call it once a request: a kept post is given back once."""
    return posted_or_kept(request)


def _detail(letter):
    return redirect("engagement:letter_detail", case_pk=letter.case_id, pk=letter.pk)


def _letter_context(case, letter) -> dict:
    """What every page about one letter shows beside it: why it is held (or would be), and the
    safe-contact plans of everyone it could reach."""
    people = list(case.people.order_by("kind", "full_name"))
    reasons = hold_reasons(letter.recipient, people)
    reach = {reason.person.pk for reason in reasons} | {letter.recipient.pk}
    return {
        "hold_reasons": reasons,
        "safety": contact_safety(case, [p for p in people if p.pk in reach]),
        "reader_needs": reads_letters_another_way(letter.recipient),
    }


def _sent_message(letter) -> str:
    if letter.outside_system:
        return _("Recorded as sent: the attempt is in the chronology.")
    return _("Letter sent: its signed PDF is kept and the attempt is in the chronology.")


HELD_MESSAGE = gettext_lazy(
    "The letter is held for the team manager's approval before it can be sent. Your manager has been "
    "told, and you will be told of their decision."
)


def _sent_or_held(request, letter):
    """Say what became of a letter given to send: sent, or held for the manager."""
    if letter.status == LetterStatus.SENT:
        messages.success(request, _sent_message(letter))
    else:
        messages.info(request, HELD_MESSAGE)
    return _detail(letter)


@accepts("GET")
@case_view(CaseAction.VIEW, what="letters")
def letter_list(request, case):
    return render(
        request,
        "engagement/letter_list.html",
        {
            "case": case,
            "letters": selectors.letters_for_case(case),
            "form": LetterStartForm(case=case),
            **case_page_permissions(request.user, case),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def letter_start(request, case):
    form = LetterStartForm(_posted(request), case=case)
    if saved := form_save(
        request,
        form,
        lambda data: services.letter_draft(case=case, by=request.user, **data),
        errors=services.LetterError,
    ):
        return redirect("engagement:letter_edit", case_pk=case.pk, pk=saved.result.pk)
    return render(
        request,
        "engagement/document_form.html",
        {"case": case, "form": form, "title": _("Write a letter"), "safety": contact_safety(case)},
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK)
def letter_outside(request, case):
    form = LetterOutsideForm(_posted(request), case=case)
    if saved := form_save(
        request,
        form,
        lambda data: services.letter_record_outside(case=case, by=request.user, **data),
        errors=services.LetterError,
    ):
        return _sent_or_held(request, saved.result)
    return render(
        request,
        "engagement/document_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Record a letter sent outside the system"),
            "intro": _(
                "For a letter written by hand or in another system. Record it before it goes: a "
                "letter that needs your manager's approval is held until they decide."
            ),
            "safety": contact_safety(case),
        },
    )


@accepts("GET")
@case_view(CaseAction.VIEW, what="letter")
def letter_detail(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    return render(
        request,
        "engagement/letter_detail.html",
        {
            "case": case,
            "letter": letter,
            "is_manager": can(request.user, CaseAction.MANAGE, case),
            **_letter_context(case, letter),
        },
    )


@accepts("GET", "POST")
@case_view(CaseAction.WORK, what="letter")
def letter_edit(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    initial = {
        "address": letter.address,
        "subject": letter.subject,
        "body": letter.body,
        "reader_note": letter.reader_note,
    }
    data = _posted(request)
    guard = EditGuard(request, letter, data=data)
    form = guard.attach(LetterForm(data, initial=initial, recipient=letter.recipient))
    if form_save(
        request,
        form,
        lambda data: services.letter_update(letter=letter, by=request.user, **data),
        errors=services.LetterError,
        guard=guard,
    ):
        messages.success(request, _("Draft letter saved."))
        return _detail(letter)
    return render(
        request,
        "engagement/document_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Letter to %(recipient)s") % {"recipient": letter.recipient},
            "letter": letter,
            **_letter_context(case, letter),
        },
    )


@accepts("POST")
@case_view(CaseAction.WORK)
def letter_send(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    try:
        letter = services.letter_send(letter=letter, by=request.user)
    except services.LetterError as error:
        messages.error(request, str(error))
        return _detail(letter)
    return _sent_or_held(request, letter)


@accepts("GET", "POST")
@case_view(CaseAction.MANAGE, what="letter")
def letter_decide(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    form = LetterDecisionForm(_posted(request))

    def decide(data):
        return services.letter_decide(
            letter=letter, by=request.user, approve=data["decision"] == "approve", notes=data["notes"]
        )

    if form_save(request, form, decide, errors=services.LetterError):
        messages.success(
            request, _("Decision recorded. The lead practitioner has been told and can see it on the letter.")
        )
        return redirect("needs_you:queue")
    return render(
        request,
        "engagement/document_form.html",
        {
            "case": case,
            "form": form,
            "title": _("Approve or refuse the letter"),
            "letter": letter,
            "deciding": True,
            **_letter_context(case, letter),
        },
    )


@accepts("GET")
@case_view(CaseAction.VIEW)
def letter_pdf(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    return document_response(request, letter.document, what="letter PDF")
