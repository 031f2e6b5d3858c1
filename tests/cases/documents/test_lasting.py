"""Signed documents that last as long as the record (issue 22): archival and accessible PDFs,
signatures with a trusted timestamp and the data to check them after the certificate expires."""

import datetime as dt
import re
from io import BytesIO

import pytest
import time_machine
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from cases.documents.pdf import (
    LEVEL_B_B,
    LEVEL_B_LT,
    TimestampUnavailable,
    sign_pdf,
    verify_pdf,
)
from tests.cases.documents.archival import assert_archival_and_tagged, external_references
from tests.cases.documents.conftest import pdf_fonts, pdf_info, pdf_metadata
from tests.cases.documents.test_signing import run_verify


@pytest.fixture
def long_term_pdf(local_tsa, sample_pdf):
    return sign_pdf(sample_pdf, reason="Signed off by the line manager", signer_name="Maya Manager")


def _fonts(listing: str) -> list[list[str]]:
    return [line.split() for line in listing.splitlines()[2:] if line.strip()]


def test_a_rendered_document_is_pdf_a_and_tagged_for_screen_readers(sample_pdf, tmp_path):
    info = pdf_info(sample_pdf, tmp_path)
    assert info["Tagged"] == "yes"
    assert info["Metadata Stream"] == "yes"
    metadata = pdf_metadata(sample_pdf, tmp_path)
    assert re.search(r'pdfaid:part="2"', metadata) and re.search(r'pdfaid:conformance="A"', metadata)
    assert 'pdfuaid:part="1"' in metadata
    assert "Chronology of contact attempts" in metadata  # the title, for a screen reader to announce
    fonts = _fonts(pdf_fonts(sample_pdf, tmp_path))
    assert fonts
    # name, type..., encoding, emb, sub, uni, object, generation: every font embedded.
    assert all(row[-5] == "yes" for row in fonts), fonts


def test_signing_keeps_the_archival_document(long_term_pdf, sample_pdf, tmp_path):
    """Signing and its validation data are incremental updates: the PDF/A bytes stay as rendered,
    and the signed file still declares PDF/A and PDF/UA and is still tagged."""
    assert long_term_pdf.startswith(sample_pdf)
    assert pdf_info(long_term_pdf, tmp_path)["Tagged"] == "yes"
    metadata = pdf_metadata(long_term_pdf, tmp_path)
    assert 'pdfaid:part="2"' in metadata and 'pdfuaid:part="1"' in metadata
    assert all(row[-5] == "yes" for row in _fonts(pdf_fonts(long_term_pdf, tmp_path)))
    # PDF/A: the information dictionary says what the XMP says.
    producer = re.search(r'pdf:Producer="([^"]+)"', metadata).group(1)
    assert pdf_info(long_term_pdf, tmp_path)["Producer"] == producer


def test_with_a_time_stamping_authority_the_signature_is_b_lt(long_term_pdf, local_tsa):
    assert local_tsa.requests >= 1  # over HTTP, as production's authority is asked
    result = verify_pdf(long_term_pdf)
    assert result.ok, result.problem
    assert result.level == LEVEL_B_LT
    stamped = dt.datetime.fromisoformat(result.timestamp)
    assert abs(dt.datetime.now(dt.UTC) - stamped) < dt.timedelta(minutes=5)
    # The file carries the validation data itself: the chain and the revocation lists.
    dss = PdfFileReader(BytesIO(long_term_pdf)).root["/DSS"]
    assert dss["/Certs"] and dss["/CRLs"]


def test_the_verify_command_prints_the_level_and_the_timestamp(long_term_pdf, tmp_path):
    path = tmp_path / "lasting.pdf"
    path.write_bytes(long_term_pdf)
    code, printed, _ = run_verify(path)
    assert code == 0
    assert printed["level"] == LEVEL_B_LT
    assert printed["timestamp"] is not None
    assert printed["timestamp"] == verify_pdf(long_term_pdf).timestamp


def test_without_an_authority_the_signature_is_b_b_and_says_so(org_certificate, sample_pdf, no_network):
    result = verify_pdf(sign_pdf(sample_pdf, reason="Signed"))
    assert result.ok
    assert result.level == LEVEL_B_B
    assert result.timestamp is None
    assert no_network == []


def test_a_b_lt_document_still_verifies_after_the_signing_certificate_expires(long_term_pdf):
    """The development certificate's two years past (a signed letter with a two-day certificate:
    tests/engagement/documents/test_lasting_signature.py)."""
    stamped = verify_pdf(long_term_pdf).timestamp
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(days=800), tick=False):
        result = verify_pdf(long_term_pdf)
    assert result.ok, result.problem
    assert result.level == LEVEL_B_LT
    assert result.timestamp == stamped is not None


def test_the_archival_check_finds_what_a_document_would_fetch_or_run(sample_pdf, tmp_path):
    """The shared check (tests/cases/documents/archival.py) passes a rendered document and fails
    one that launches another file when opened, as PDF/A forbids."""
    assert_archival_and_tagged(sample_pdf, tmp_path)
    writer = IncrementalPdfFileWriter(BytesIO(sample_pdf))
    writer.root["/OpenAction"] = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/Launch"),
            generic.NameObject("/F"): generic.TextStringObject("instructions.exe"),
        }
    )
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    problems = external_references(out.getvalue())
    assert len(problems) == 1 and problems[0].endswith(": a Launch action"), problems
    with pytest.raises(AssertionError):
        assert_archival_and_tagged(out.getvalue(), tmp_path)


def test_tampering_with_a_b_lt_document_is_still_caught(long_term_pdf, sample_pdf):
    at = len(sample_pdf) // 2  # inside the rendered document, which the signature covers
    tampered = long_term_pdf[:at] + bytes([long_term_pdf[at] ^ 1]) + long_term_pdf[at + 1 :]
    result = verify_pdf(tampered)
    assert not result.intact and not result.ok


def test_content_added_after_the_validation_data_is_caught(long_term_pdf):
    appended = long_term_pdf + b"\n1000 0 obj\n(added later)\nendobj\n"
    assert not verify_pdf(appended).ok


def test_a_timestamp_from_an_authority_not_trusted_fails(long_term_pdf, settings):
    settings.SIGNING_TSA_CERT_FILES = []
    result = verify_pdf(long_term_pdf)
    assert result.intact and not result.ok
    assert "timestamp" in result.problem


def test_an_authority_that_does_not_answer_leaves_the_document_unsigned(
    org_certificate, sample_pdf, settings
):
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens
    settings.SIGNING_TSA_TIMEOUT = 2
    with pytest.raises(TimestampUnavailable):
        sign_pdf(sample_pdf, reason="Signed")
