"""Reads of agreements and letters, scoped to a case already checked for the user."""

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from cases.access import cases_managed_by
from cases.models import Case, Person, PersonKind, User, WrittenLanguage

from .models import Agreement, AgreementSignature, Letter, LetterStatus


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


def welsh_readers(case: Case) -> list[Person]:
    """The family's adults who chose Welsh for letters and written information."""
    return list(case.people.filter(kind=PersonKind.ADULT, written_language=WrittenLanguage.WELSH))


def letters_for_case(case: Case) -> QuerySet[Letter]:
    """A case's letters, newest first, with who they are to and who decided, in one query."""
    return case.letters.select_related("recipient", "decided_by", "sent_by", "document", "flow_step")


def letter_on_case(case: Case, pk) -> Letter:
    try:
        return letters_for_case(case).select_related("case__team", "case__lead_practitioner").get(pk=pk)
    except (Letter.DoesNotExist, ValueError, TypeError):
        raise Http404("No such letter") from None


def letters_awaiting_approval(manager: User) -> QuerySet[Letter]:
    """Letters held for this manager's approval on their team's cases, oldest first, with the
    case's people (for the safe-contact plans beside each letter): two queries however many."""
    return (
        Letter.objects.filter(status=LetterStatus.HELD, case__in=cases_managed_by(manager))
        .select_related("case__lead_practitioner", "recipient", "held_by", "created_by", "flow_step")
        .prefetch_related(Prefetch("case__people", queryset=Person.objects.order_by("kind", "full_name")))
        .order_by("held_at", "id")
    )


# What the wording's preview fills the letter's gaps with: made-up values, never a case's.
SAMPLE_LETTER_VALUES = {
    "family_name": "Sample family",
    "recipient": "Alex Sample",
    "practitioner": "Sam Practitioner",
}


def letter_wording_preview(subject: str, body: str) -> tuple[str, str]:
    """The letter's subject and body as a practitioner would start from them, the gaps filled
    with sample values (the organisation's own name is the real one)."""
    values = {**SAMPLE_LETTER_VALUES, "organisation": settings.ORGANISATION_NAME}
    for key, value in values.items():
        subject = subject.replace("{" + key + "}", value)
        body = body.replace("{" + key + "}", value)
    return subject, body
