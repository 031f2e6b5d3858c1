"""Every kind of signed PDF is archival and tagged (issue 22), as the service that signs it makes it.

Issue 22: "every signed PDF is PDF/A (archival: fonts embedded, XMP metadata, no external
dependencies) and tagged for screen readers (PDF/UA ...); signatures carry a trusted RFC 3161
timestamp and the validation data". Signed here as production signs, with a time-stamping
authority (the local one), so the check sees the file after its validation data is added.
"""

import datetime as dt

import pytest

from cases.documents.pdf import LEVEL_B_LT, verify_pdf
from cases.subject_access import services as subject_access
from engagement.documents import services as documents
from engagement.documents.models import LetterStep, SignatureMethod, SignatureRole
from riskassessment import services as assessments
from tests.cases.documents.archival import assert_archival_and_tagged
from tests.factories import InformationGovernanceFactory
from tests.riskassessment.conftest import fill, oversee

from .conftest import png_data_url, stored_bytes


def signed_assessment(family) -> bytes:
    assessment = assessments.assessment_start(case=family.case, by=family.lead)
    fill(assessment, family.lead)
    assessments.assessment_submit(assessment=assessment, by=family.lead)
    oversee(assessment, family.manager)
    assessment = assessments.assessment_sign(
        assessment=assessment, by=family.manager, typed_name="Morgan Manager"
    )
    return stored_bytes(assessment.document)


def signed_agreement_with_a_drawn_signature(family) -> bytes:
    agreement = documents.agreement_start(case=family.case, by=family.lead)
    documents.agreement_sign(
        agreement=agreement,
        by=family.lead,
        role=SignatureRole.PARENT,
        person=family.parent,
        method=SignatureMethod.DRAWN,
        typed_name="",
        drawing=png_data_url(),
    )
    documents.agreement_sign(
        agreement=agreement,
        by=family.lead,
        role=SignatureRole.PRACTITIONER,
        method=SignatureMethod.TYPED,
        typed_name="Priya Patel",
    )
    agreement.refresh_from_db()
    return stored_bytes(agreement.document)


def sent_day_10_letter(family) -> bytes:
    letter = documents.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_10, recipient=family.parent
    )
    letter = documents.letter_update(
        letter=letter,
        by=family.lead,
        address="14 Elm Grove\nNorthshire NS1 4AB",
        subject=letter.subject,
        body="I called today. Please contact us within 5 days if you would like support.",
    )
    letter = documents.letter_send(letter=letter, by=family.lead)
    return stored_bytes(letter.document)


def released_subject_access_bundle(family) -> bytes:
    officer = InformationGovernanceFactory(full_name="Imogen Governance")
    record = subject_access.request_open(
        by=officer,
        people=[family.parent],
        subject_name="Dana Walsh",
        subject_date_of_birth=None,
        received_on=dt.date(2026, 3, 1),
        path="/subject-access/new/",
    )
    for item in record.items.all():
        subject_access.item_review(item=item, by=officer, redact={}, reason="")
    release = subject_access.request_release(request=record, by=officer)
    with release.file.open("rb") as handle:
        return handle.read()


@pytest.mark.parametrize(
    "make",
    [
        signed_assessment,
        signed_agreement_with_a_drawn_signature,
        sent_day_10_letter,
        released_subject_access_bundle,
    ],
    ids=["assessment", "agreement", "letter", "subject access bundle"],
)
def test_each_kind_of_signed_pdf_is_archival_tagged_and_b_lt(make, family, local_tsa, tmp_path):
    pdf = make(family)

    assert_archival_and_tagged(pdf, tmp_path)
    result = verify_pdf(pdf)
    assert result.ok, result.problem
    assert result.level == LEVEL_B_LT
    assert result.timestamp is not None
