from io import StringIO

import pytest
from django.core.management import call_command

from cases.documents.pdf import verify_pdf
from cases.models import Document, DocumentKind
from engagement.documents.models import Agreement, AgreementStatus, Letter, LetterStatus
from engagement.documents.services import letter_hold_reasons
from riskassessment.models import Assessment

from .conftest import stored_bytes


@pytest.mark.django_db
def test_the_demo_has_a_signed_agreement_a_sent_letter_a_held_letter_and_signed_pdfs(org_certificate):
    call_command("seed_demo", stdout=StringIO())

    agreement = Agreement.objects.get()
    assert agreement.status == AgreementStatus.SIGNED
    assert agreement.signatures.count() == 2
    assert Letter.objects.filter(status=LetterStatus.SENT).count() == 1
    held = Letter.objects.get(status=LetterStatus.HELD)
    # To the partner of a mother with a domestic abuse concern, at the same address.
    assert not held.recipient.domestic_abuse_concern
    assert [r.person.domestic_abuse_concern for r in letter_hold_reasons(held)] == [True]
    signed = Assessment.objects.exclude(signed_at=None).get()
    assert signed.signed_document_sha256
    for kind in (DocumentKind.AGREEMENT, DocumentKind.LETTER, DocumentKind.ASSESSMENT):
        assert verify_pdf(stored_bytes(Document.objects.get(kind=kind))).ok

    call_command("seed_demo", stdout=StringIO())
    assert Document.objects.count() == 3
