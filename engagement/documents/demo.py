"""Demo agreements and letters: one agreement signed by both, one letter sent, one held (to the
partner of a mother with a domestic abuse concern, at the same address).

Needs the organisation's signing certificate (`manage.py make_dev_certificate`, which `make run`
runs before loading the demo).
"""

import datetime as dt
import re
from types import SimpleNamespace

from django.utils import timezone

from cases.models import PersonKind
from engagement.household import hold_reasons

from . import services
from .models import Agreement, Letter, LetterStep, SignatureMethod, SignatureRole


def _open_cases_with_adults(demo):
    return [c for c in demo.cases if c.is_open and c.people.filter(kind=PersonKind.ADULT).exists()]


def _filled(body: str, *, phone: str) -> str:
    """The wording's dotted gaps filled in as a practitioner would."""
    body = re.sub(r"call again at \.{5,}", "call again at 10am on Thursday", body)
    body = re.sub(r"visit on \.{5,} at \.{5,}", "visit on Friday at 2pm", body)
    return re.sub(r"\.{5,}", phone, body)


def _letter(case, person, *, step, address, phone):
    lead = case.lead_practitioner
    letter = services.letter_draft(case=case, by=lead, step=step, recipient=person)
    services.letter_update(
        letter=letter,
        by=lead,
        address=address,
        subject=letter.subject,
        body=_filled(letter.body, phone=phone),
    )
    return services.letter_send(letter=letter, by=lead)


def _first_parent(cases, *, held: bool):
    """The first adult of the open cases whose letter would be held (or not) for the manager."""
    for case in cases:
        people = list(case.people.all())
        for person in people:
            if person.kind == PersonKind.ADULT and bool(hold_reasons(person, people)) == held:
                return case, person
    return None, None


def seed(demo: SimpleNamespace) -> None:
    # Keyed on its own records, so a database seeded before agreements existed gets them too.
    if Agreement.objects.filter(case__in=demo.cases).exists():
        return
    cases = _open_cases_with_adults(demo)
    if not cases:
        return
    first, parent = _first_parent(cases, held=False)
    if parent:
        lead = first.lead_practitioner
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
        _letter(
            first,
            parent,
            step=LetterStep.DAY_10,
            address="14 Elm Grove\nNorthshire\nNS1 4AB",
            phone="07700 900123",
        )
    # A letter to the partner of a mother with a domestic abuse concern, at the same address: held.
    case, partner = _first_parent(cases, held=True)
    if partner and not Letter.objects.filter(case=case).exists():
        _letter(
            case,
            partner,
            step=LetterStep.DAY_5,
            address="3 Station Road\nNorthshire\nNS2 7CD",
            phone="07700 900456",
        )
