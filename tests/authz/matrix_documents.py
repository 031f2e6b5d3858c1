"""Signed PDFs, working together agreements, letters and the document check page."""

from engagement.documents import services
from engagement.documents.models import LetterStep, SignatureMethod, SignatureRole
from tests.factories import AdultFactory

from .entries import AGENCY, CASE_TEAM, MANAGER, SIGNED_IN, Entry


def _case(w):
    return {"case_pk": w.case.pk}


def _signed_agreement(w):
    # Printed on first use only: most matrix rows never need it, and a PDF takes a moment.
    if not hasattr(w, "signed_agreement"):
        lead = w.users["lead"]
        agreement = services.agreement_start(case=w.case, by=lead)
        services.agreement_sign(
            agreement=agreement,
            by=lead,
            role=SignatureRole.PARENT,
            method=SignatureMethod.TYPED,
            person=w.parent,
            typed_name="Dana Parent",
        )
        services.agreement_sign(
            agreement=agreement,
            by=lead,
            role=SignatureRole.PRACTITIONER,
            method=SignatureMethod.TYPED,
            typed_name="Practitioner A",
        )
        w.signed_agreement = agreement
    return {"case_pk": w.case.pk, "pk": w.signed_agreement.pk}


def _draft_agreement(w):
    _signed_agreement(w)
    if not hasattr(w, "draft_agreement"):
        w.draft_agreement = services.agreement_start(case=w.case, by=w.users["lead"])
    return {"case_pk": w.case.pk, "pk": w.draft_agreement.pk}


def _letter(w, *, held=False, sent=False):
    if held and hasattr(w, "held_letter"):
        # One letter per person and step waits for the manager at a time: asked for again, the same.
        return {"case_pk": w.case.pk, "pk": w.held_letter.pk}
    lead = w.users["lead"]
    person = w.guarded_parent if held else w.parent
    letter = services.letter_draft(case=w.case, by=lead, step=LetterStep.DAY_10, recipient=person)
    services.letter_update(
        letter=letter,
        by=lead,
        address="1 High Street\nTown",
        subject=letter.subject,
        body="Please contact us.",
    )
    if held or sent:
        services.letter_send(letter=letter, by=lead)
    if held:
        w.held_letter = letter
    return {"case_pk": w.case.pk, "pk": letter.pk}


def _agreement_data(w):
    return {
        "our_commitments": "Be respectful",
        "family_commitments": "Be honest with us",
        "goals": "Children at school every day",
        "review_on_0": "1",
        "review_on_1": "3",
        "review_on_2": "2027",
    }


def _signature_data(w):
    return {"role": "parent", "person": w.parent.pk, "method": "typed", "typed_name": "Dana Parent"}


def _signed_assessment(w):
    return {"case_pk": w.case.pk, "pk": w.signed_assessment.pk}


ENTRIES = {
    "engagement:agreement_list": Entry(CASE_TEAM, kwargs=_case),
    "engagement:agreement_start": Entry(
        CASE_TEAM,
        kwargs=_case,
    ),
    "engagement:agreement_detail": Entry(CASE_TEAM, kwargs=_signed_agreement),
    "engagement:agreement_edit": Entry(CASE_TEAM, kwargs=_draft_agreement, data=_agreement_data),
    "engagement:agreement_sign": Entry(CASE_TEAM, kwargs=_draft_agreement, data=_signature_data),
    "engagement:agreement_pdf": Entry(CASE_TEAM, kwargs=_signed_agreement),
    "engagement:letter_list": Entry(CASE_TEAM, kwargs=_case),
    "engagement:letter_start": Entry(
        CASE_TEAM,
        kwargs=_case,
        data=lambda w: {"step": LetterStep.DAY_5, "recipient": w.parent.pk},
    ),
    "engagement:letter_outside": Entry(
        CASE_TEAM,
        kwargs=_case,
        data=lambda w: {
            "step": LetterStep.DAY_5,
            "recipient": w.parent.pk,
            "address": "1 High Street\nTown",
            "subject": "Hello",
            "body": "Written by hand and left at the door.",
        },
    ),
    "engagement:letter_detail": Entry(CASE_TEAM, kwargs=lambda w: _letter(w)),
    "engagement:letter_edit": Entry(
        CASE_TEAM,
        kwargs=lambda w: _letter(w),
        data=lambda w: {"address": "2 Low Road", "subject": "Hello", "body": "We would like to help."},
    ),
    "engagement:letter_send": Entry(
        CASE_TEAM,
        kwargs=lambda w: _letter(w),
    ),
    "engagement:letter_decide": Entry(
        MANAGER,
        kwargs=lambda w: _letter(w, held=True),
        data=lambda w: {"decision": "approve"},
    ),
    "engagement:letter_pdf": Entry(CASE_TEAM, kwargs=lambda w: _letter(w, sent=True)),
    "engagement:document_verify": Entry(
        SIGNED_IN,
    ),
    "riskassessment:assessment_pdf": Entry(CASE_TEAM, kwargs=_signed_assessment),
    "riskassessment:shared_pdf": Entry(AGENCY, kwargs=lambda w: {"pk": w.signed_assessment.pk}),
}


def extend_world(world):
    """Two adults of the family, one with a domestic abuse concern recorded."""
    world.parent = AdultFactory(case=world.case, full_name="Dana Parent")
    # Sam lives at another address: Dana's letters are sent at once, Sam's held for the manager.
    world.guarded_parent = AdultFactory(
        case=world.case, full_name="Sam Parent", domestic_abuse_concern=True, lives_in_household=False
    )
