"""Reads of agreements and letters, scoped to a case already checked for the user."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cases.models import Case, User

from .models_documents import Agreement, AgreementSignature, Letter, LetterStatus


def agreements_for_case(case: Case) -> QuerySet[Agreement]:
    """A case's agreements, newest first, with their signatures, in two queries."""
    return case.agreements.select_related("document").prefetch_related(
        Prefetch("signatures", queryset=AgreementSignature.objects.order_by("signed_at", "id"))
    )


def agreement_on_case(case: Case, pk) -> Agreement:
    try:
        return agreements_for_case(case).select_related("case__team", "case__lead_practitioner").get(pk=pk)
    except (Agreement.DoesNotExist, ValueError, TypeError):
        raise Http404("No such agreement") from None


def letters_for_case(case: Case) -> QuerySet[Letter]:
    """A case's letters, newest first, with who they are to and who decided, in one query."""
    return case.letters.select_related("recipient", "decided_by", "sent_by", "document")


def letter_on_case(case: Case, pk) -> Letter:
    try:
        return letters_for_case(case).select_related("case__team", "case__lead_practitioner").get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError):
        raise Http404("No such letter") from None


def letters_awaiting_approval(manager: User) -> QuerySet[Letter]:
    """Letters held for this manager's approval on their team's cases."""
    return Letter.objects.filter(status=LetterStatus.HELD, case__team__manager=manager).select_related(
        "case", "recipient"
    )
