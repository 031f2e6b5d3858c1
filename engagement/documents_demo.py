"""Demo agreements and letters: one agreement signed by both, one letter sent, one held.

Needs the organisation's signing certificate (`manage.py make_dev_certificate`, which `make run`
runs before loading the demo).
"""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from cases.models import PersonKind

from . import document_services as services
from .models_documents import Agreement, Letter, LetterStep, SignatureMethod, SignatureRole


def _open_cases_with_adults(demo):
    return [c for c in demo.cases if c.is_open and c.people.filter(kind=PersonKind.ADULT).exists()]


def seed(demo: SimpleNamespace) -> None:
    # Keyed on its own records, so a database seeded before agreements existed gets them too.
    if Agreement.objects.filter(case__in=demo.cases).exists():
        return
    cases = _open_cases_with_adults(demo)
    if not cases:
        return
    first = cases[0]
    lead = first.lead_practitioner
    parent = first.people.filter(kind=PersonKind.ADULT, domestic_abuse_concern=False).first()
    if parent:
        agreement = services.agreement_start(case=first, by=lead)
        services.agreement_update(
            agreement=agreement,
            by=lead,
            our_commitments=agreement.our_commitments,
            family_commitments=agreement.family_commitments,
            goals="The children get to school on time every day.\nWe meet every two weeks at a time that suits you.",
            review_on=timezone.localdate() + dt.timedelta(days=42),
        )
        services.agreement_sign(
            agreement=agreement,
            by=lead,
            role=SignatureRole.PARENT,
            method=SignatureMethod.TYPED,
            person=parent,
            typed_name=parent.full_name,
        )
        services.agreement_sign(
            agreement=agreement,
            by=lead,
            role=SignatureRole.PRACTITIONER,
            method=SignatureMethod.TYPED,
            typed_name=lead.full_name,
        )
        letter = services.letter_draft(case=first, by=lead, step=LetterStep.DAY_10, recipient=parent)
        services.letter_update(
            letter=letter,
            by=lead,
            address="14 Elm Grove\nNorthshire\nNS1 4AB",
            subject=letter.subject,
            body=letter.body.replace("........................", "07700 900123"),
        )
        services.letter_send(letter=letter, by=lead)
    guarded = next(
        (p for c in cases for p in c.people.filter(kind=PersonKind.ADULT, domestic_abuse_concern=True)), None
    )
    if guarded and not Letter.objects.filter(recipient=guarded).exists():
        case = guarded.case
        letter = services.letter_draft(
            case=case, by=case.lead_practitioner, step=LetterStep.DAY_5, recipient=guarded
        )
        body = letter.body.replace(
            "I called, and I will call again at ............................................................",
            "I called, and I will call again at 10am on Thursday",
        ).replace(
            "I will visit on ........................ at ........................",
            "I will visit on Friday at 2pm",
        )
        services.letter_update(
            letter=letter,
            by=case.lead_practitioner,
            address="3 Station Road\nNorthshire\nNS2 7CD",
            subject=letter.subject,
            body=body.replace("........................", "07700 900456"),
        )
        services.letter_send(letter=letter, by=case.lead_practitioner)
