"""Every signed record points at its Document the same way.

Architecture, Documents: "Signed PDFs are records: rendered once at signing, signed digitally with
the organisation's certificate, stored with their hash, never regenerated." An assessment, an
agreement and a letter are each linked to that one stored document by their `document`, made by
cases.documents.document_sign_and_link, and a document that cannot be made is the record's own error.
"""

import pytest

from cases.documents.pdf import DocumentRenderError
from cases.models import Document, DocumentKind
from engagement.documents import services as documents
from engagement.documents.models import Agreement, Letter, LetterStatus
from riskassessment import services as assessments
from riskassessment.models import Assessment

from .test_agreements import _sign_both
from .test_assessment_pdf import _sign, _submitted
from .test_letters import _ready


def test_an_assessment_agreement_and_letter_each_point_at_their_document(family):
    assessment = _sign(family, _submitted(family))
    agreement = _sign_both(family, documents.agreement_start(case=family.case, by=family.lead))
    letter = documents.letter_send(letter=_ready(family), by=family.lead)

    for model, record, kind in (
        (Assessment, assessment, DocumentKind.ASSESSMENT),
        (Agreement, agreement, DocumentKind.AGREEMENT),
        (Letter, letter, DocumentKind.LETTER),
    ):
        stored = model.objects.get(pk=record.pk)
        assert stored.document == Document.objects.get(kind=kind)
        assert stored.document.source_id == str(record.pk)
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.signed_document.name == stored.document.file.name
    assert stored.signed_document_sha256 == stored.document.sha256
    # The columns signing used to copy into are left as they are: nothing writes them now.
    assert stored.copied_signed_document.name == ""
    assert stored.copied_signed_document_sha256 == ""


@pytest.fixture
def unprintable(monkeypatch):
    """Every PDF template fails to print, as one asking for a picture from another site does."""

    def refuse(*args, **kwargs):
        raise DocumentRenderError("a picture from another site")

    monkeypatch.setattr("cases.documents.pdf.render_pdf", refuse)


def test_a_letter_that_cannot_be_printed_is_the_letters_own_error(family, unprintable):
    letter = _ready(family)

    with pytest.raises(documents.LetterError, match="could not be printed .* tell an admin"):
        documents.letter_send(letter=letter, by=family.lead)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DRAFT
    assert not Document.objects.exists()


def test_an_assessment_that_cannot_be_printed_stays_submitted(family, unprintable):
    assessment = _submitted(family)

    with pytest.raises(assessments.AssessmentError, match="could not be printed .* tell an admin"):
        _sign(family, assessment)
    assert Assessment.objects.get(pk=assessment.pk).document is None
