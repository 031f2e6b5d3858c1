"""Thin views for letters to families: check access, call a selector or service, render."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.access import CaseAction, can, case_view
from cases.concurrency import EditConflict, EditGuard
from cases.document_views import document_response

from . import document_selectors as selectors
from . import document_services as services
from .document_forms import LetterDecisionForm, LetterForm, LetterStartForm
from .models_documents import LetterStatus


def _posted(request):
    return request.POST if request.method == "POST" else None


def _detail(letter):
    return redirect("engagement:letter_detail", case_pk=letter.case_id, pk=letter.pk)


@case_view(CaseAction.VIEW, what="letters")
def letter_list(request, case):
    return render(
        request,
        "engagement/letter_list.html",
        {"case": case, "letters": selectors.letters_for_case(case), "form": LetterStartForm(case=case)},
    )


@case_view(CaseAction.WORK)
def letter_start(request, case):
    form = LetterStartForm(_posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_draft(case=case, by=request.user, **form.cleaned_data)
        except services.LetterError as error:
            form.add_error(None, str(error))
        else:
            return redirect("engagement:letter_edit", case_pk=case.pk, pk=letter.pk)
    return render(
        request, "engagement/document_form.html", {"case": case, "form": form, "title": "Write a letter"}
    )


@case_view(CaseAction.VIEW, what="letter")
def letter_detail(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    return render(
        request,
        "engagement/letter_detail.html",
        {"case": case, "letter": letter, "is_manager": can(request.user, CaseAction.MANAGE, case)},
    )


@case_view(CaseAction.WORK, what="letter")
def letter_edit(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    initial = {"address": letter.address, "subject": letter.subject, "body": letter.body}
    guard = EditGuard(request, letter)
    form = guard.attach(LetterForm(_posted(request), initial=initial))
    if request.method == "POST" and form.is_valid():
        try:
            with guard.saving():
                services.letter_update(letter=letter, by=request.user, **form.cleaned_data)
        except (services.LetterError, EditConflict) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Draft letter saved.")
            return _detail(letter)
    return render(
        request,
        "engagement/document_form.html",
        {"case": case, "form": form, "title": f"Letter to {letter.recipient}", "letter": letter},
    )


@case_view(CaseAction.WORK)
@require_POST
def letter_send(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    try:
        letter = services.letter_send(letter=letter, by=request.user)
    except services.LetterError as error:
        messages.error(request, str(error))
    else:
        if letter.status == LetterStatus.SENT:
            messages.success(
                request, "Letter sent: its signed PDF is kept and the attempt is in the chronology."
            )
        else:
            messages.info(
                request, "The letter is held for the team manager's approval before it can be sent."
            )
    return _detail(letter)


@case_view(CaseAction.MANAGE, what="letter")
def letter_decide(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    form = LetterDecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_decide(
                letter=letter,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                notes=form.cleaned_data["notes"],
            )
        except services.LetterError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Decision recorded. The lead practitioner can see it on the letter.")
            return _detail(letter)
    return render(
        request,
        "engagement/document_form.html",
        {
            "case": case,
            "form": form,
            "title": "Approve or refuse the letter",
            "letter": letter,
            "deciding": True,
        },
    )


@case_view(CaseAction.VIEW)
def letter_pdf(request, case, pk):
    letter = selectors.letter_on_case(case, pk)
    return document_response(request, letter.document, what="letter PDF")
