"""What engagement holds about a person, for a subject access request (cases/subject_access/):
contact attempts, working together agreements and letters on each of their cases."""

from django.conf import settings
from django.utils import translation

from cases.subject_access.choices import Whose
from cases.subject_access.registry import Gathered, Subject

from .documents.models import Agreement, Letter
from .models import ContactAttempt


def _attempt(attempt: ContactAttempt, subject: Subject) -> Gathered:
    item = Gathered(
        kind="Contact attempt",
        title=f"{attempt.kind_label}: {attempt.outcome_label}",
        source_type="engagement.contactattempt",
        source_id=str(attempt.pk),
        case_id=attempt.case_id,
        occurred_at=attempt.occurred_at,
    )
    whose = subject.whose_person(attempt.with_person_id)
    person = attempt.with_person
    if person is not None:
        about = person.full_name if whose == Whose.THIRD_PARTY else ""
        item.add("With", person.full_name, whose, about=about, is_name=whose == Whose.THIRD_PARTY)
    else:
        item.add("With", "The family", Whose.FAMILY)
    item.add(
        "With someone outside the family",
        attempt.with_other,
        Whose.THIRD_PARTY,
        about="someone outside the family",
        is_name=True,
    )
    item.add("Made by", attempt.made_by.full_name, Whose.AUTHOR)
    item.add("What the family said", attempt.response_label, whose)
    about = person.full_name if whose == Whose.THIRD_PARTY else ""
    for label, text in (
        ("Purpose", attempt.purpose),
        ("Notes", attempt.notes),
        ("Challenge", attempt.challenge),
        ("How the family responded", attempt.family_response),
        ("What was done", attempt.what_was_done),
        ("What is required", attempt.what_is_required),
        ("Required of", attempt.required_by_whom),
    ):
        item.add(label, text, whose, about=about)
    # A child's own words are the child's information, whoever the attempt was with.
    item.add("The child's own words", attempt.child_words, Whose.THIRD_PARTY, about="a child")
    return item


def _agreement(agreement: Agreement, subject: Subject) -> Gathered:
    item = Gathered(
        kind="Working together agreement",
        title=agreement.title,
        source_type="engagement.documents.agreement",
        source_id=str(agreement.pk),
        case_id=agreement.case_id,
        occurred_at=agreement.signed_at or agreement.created_at,
    )
    item.add("Status", agreement.get_status_display(), Whose.FAMILY)
    item.add("What we will do", agreement.our_commitments, Whose.FAMILY)
    item.add("What we would hope you can do", agreement.family_commitments, Whose.FAMILY)
    item.add("What we agree to work towards", agreement.goals, Whose.FAMILY)
    item.add("Review date", agreement.review_on and f"{agreement.review_on:%-d %B %Y}", Whose.FAMILY)
    for signature in agreement.signatures.all():
        if signature.person_id is not None:
            whose = subject.whose_person(signature.person_id)
            about = signature.name if whose == Whose.THIRD_PARTY else ""
            item.add(
                f"Signed for the family ({signature.signed_at:%-d %B %Y})",
                signature.name,
                whose,
                about=about,
                is_name=whose == Whose.THIRD_PARTY,
            )
        else:
            item.add(
                f"Signed for the service ({signature.signed_at:%-d %B %Y})", signature.name, Whose.AUTHOR
            )
    return item


def _letter(letter: Letter, subject: Subject) -> Gathered:
    whose = subject.whose_person(letter.recipient_id)
    third = whose == Whose.THIRD_PARTY
    about = letter.recipient.full_name if third else ""
    item = Gathered(
        kind="Letter",
        title=f"Letter ({letter.get_status_display().lower()})",
        source_type="engagement.documents.letter",
        source_id=str(letter.pk),
        case_id=letter.case_id,
        occurred_at=letter.sent_at or letter.created_at,
    )
    item.add("To", letter.recipient.full_name, whose, about=about, is_name=third)
    item.add("Address", letter.address, whose, about=about)
    item.add("Subject", letter.subject, whose, about=about)
    item.add("Letter", letter.body, whose, about=about)
    item.add("Written by", letter.created_by.full_name, Whose.AUTHOR)
    item.add("Manager's decision notes", letter.decision_notes, whose, about=about)
    return item


def collect(subject: Subject) -> list[Gathered]:
    # What is gathered is kept as the record of what was found, so it is written in the service's
    # own language whatever the page's, labels of kinds, outcomes and statuses included.
    with translation.override(settings.LANGUAGE_CODE):
        return list(_gathered(subject))


def _gathered(subject: Subject):
    attempts = ContactAttempt.objects.filter(case_id__in=subject.case_ids).select_related(
        "with_person", "made_by"
    )
    for attempt in attempts.order_by("occurred_at", "pk"):
        yield _attempt(attempt, subject)
    agreements = Agreement.objects.filter(case_id__in=subject.case_ids).prefetch_related("signatures")
    for agreement in agreements.order_by("created_at", "pk"):
        yield _agreement(agreement, subject)
    letters = Letter.objects.filter(case_id__in=subject.case_ids).select_related("recipient", "created_by")
    for letter in letters.order_by("created_at", "pk"):
        yield _letter(letter, subject)
