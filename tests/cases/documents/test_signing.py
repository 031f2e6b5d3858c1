import hashlib
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from io import BytesIO, StringIO
from unittest import mock

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.signers import SimpleSigner

from cases.documents.pdf import SigningUnavailable, sha256_hex, sign_pdf, verify_pdf
from tests.cases.documents.conftest import make_certificate


def certificate(path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def common_name(path) -> str:
    return certificate(path).subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


@pytest.fixture
def signed_pdf(org_certificate, sample_pdf):
    return sign_pdf(sample_pdf, reason="Signed off by the line manager", signer_name="Maya Manager")


def run_verify(path) -> tuple[int, dict | None, str]:
    out, err = StringIO(), StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_pdf", str(path), stdout=out, stderr=err)
    text = out.getvalue()
    return exit_info.value.code, json.loads(text) if text.strip() else None, err.getvalue()


def test_sha256_hex():
    assert sha256_hex(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_a_signed_document_verifies(signed_pdf, org_certificate):
    result = verify_pdf(signed_pdf)
    assert result.intact
    assert result.trusted
    assert result.ok
    assert result.problem is None
    assert result.signer == common_name(org_certificate)
    assert result.sha256 == hashlib.sha256(signed_pdf).hexdigest()
    signed_at = datetime.fromisoformat(result.signed_at)
    assert abs(datetime.now(UTC) - signed_at) < timedelta(minutes=5)


def test_signature_is_pades_and_records_reason_and_name(signed_pdf):
    sig = PdfFileReader(BytesIO(signed_pdf)).embedded_signatures[0]
    assert sig.field_name == "Signature1"
    assert sig.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig.sig_object["/Reason"] == "Signed off by the line manager"
    assert sig.sig_object["/Name"] == "Maya Manager"


def test_signing_keeps_the_document(signed_pdf, sample_pdf):
    # An incremental signature: the rendered bytes are the start of the signed file.
    assert signed_pdf.startswith(sample_pdf)


def test_changing_one_byte_of_the_signed_content_fails(signed_pdf, sample_pdf):
    # The archival PDF compresses its objects, so no text is there to change: one bit will do.
    at = len(sample_pdf) // 2
    tampered = signed_pdf[:at] + bytes([signed_pdf[at] ^ 1]) + signed_pdf[at + 1 :]
    result = verify_pdf(tampered)
    assert not result.intact
    assert not result.trusted
    assert not result.ok
    assert result.problem == "The file has been changed since it was signed."
    assert result.sha256 == sha256_hex(tampered)


def test_flipping_a_byte_inside_a_content_stream_fails(signed_pdf):
    at = signed_pdf.index(b"stream\n") + 100
    tampered = signed_pdf[:at] + bytes([signed_pdf[at] ^ 0x01]) + signed_pdf[at + 1 :]
    result = verify_pdf(tampered)
    assert not result.intact
    assert result.problem


def test_appending_bytes_fails(signed_pdf):
    result = verify_pdf(signed_pdf + b"\n% appended after signing\n")
    assert not result.intact
    assert not result.trusted
    assert result.problem == "Content has been added to the file after it was signed."


def test_an_incremental_update_after_signing_fails(signed_pdf):
    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.root["/Lang"] = generic.TextStringObject("fr")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    result = verify_pdf(out.getvalue())
    assert not result.intact
    assert result.problem == "Content has been added to the file after it was signed."


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda signed, unsigned: unsigned, "The file has no digital signature."),
        (lambda signed, unsigned: b"", "The file is not a PDF."),
        (lambda signed, unsigned: b"PK\x03\x04 a zip file", "The file is not a PDF."),
        (
            lambda signed, unsigned: signed[: len(signed) // 2],
            "The file is damaged: it could not be read as a PDF.",
        ),
        (
            lambda signed, unsigned: b"%PDF-1.7\n" + os.urandom(2000),
            "The file is damaged: it could not be read as a PDF.",
        ),
    ],
    ids=["unsigned", "empty", "not-a-pdf", "truncated", "garbage"],
)
def test_bad_files_fail_with_a_reason_not_an_exception(make, problem, signed_pdf, sample_pdf):
    data = make(signed_pdf, sample_pdf)
    result = verify_pdf(data)
    assert not result.intact
    assert not result.trusted
    assert result.problem == problem
    assert result.sha256 == sha256_hex(data)


def test_signed_by_another_certificate_is_intact_but_not_trusted(settings, tmp_path, sample_pdf):
    impostor_cert = make_certificate(settings, tmp_path / "impostor", organisation="Not The Council")
    forged = sign_pdf(sample_pdf, reason="Looks official")
    make_certificate(settings, tmp_path / "org", organisation="Demo Metropolitan Borough Council")

    result = verify_pdf(forged)
    assert result.intact
    assert not result.trusted
    assert result.signer == common_name(impostor_cert)
    assert "not signed with the organisation's certificate" in result.problem

    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    code, printed, _ = run_verify(path)
    assert code == 1
    assert printed["intact"] is True
    assert printed["trusted"] is False


def test_verify_command_accepts_a_good_file(signed_pdf, tmp_path, org_certificate):
    path = tmp_path / "good.pdf"
    path.write_bytes(signed_pdf)
    code, printed, _ = run_verify(path)
    assert code == 0
    assert printed == {
        "intact": True,
        "trusted": True,
        "signer": common_name(org_certificate),
        "signed_at": printed["signed_at"],
        "sha256": hashlib.sha256(signed_pdf).hexdigest(),
        "problem": None,
        "level": "PAdES B-B",
        "timestamp": None,
    }
    assert printed["signed_at"]


def test_verify_command_rejects_a_tampered_file(signed_pdf, tmp_path):
    path = tmp_path / "tampered.pdf"
    path.write_bytes(signed_pdf + b"x")
    code, printed, _ = run_verify(path)
    assert code == 1
    assert printed["intact"] is False
    assert printed["problem"]


def test_verify_command_exits_2_when_the_file_cannot_be_read(tmp_path, org_certificate):
    code, printed, err = run_verify(tmp_path / "missing.pdf")
    assert code == 2
    assert printed is None
    assert "Cannot read" in err
    assert len(err.strip().splitlines()) == 1


def test_signing_without_a_key_says_how_to_make_one(settings, tmp_path, sample_pdf):
    settings.SIGNING_KEY_FILE = str(tmp_path / "nothing" / "key.pem")
    settings.SIGNING_CERT_FILE = str(tmp_path / "nothing" / "cert.pem")
    with pytest.raises(SigningUnavailable, match="make_dev_certificate"):
        sign_pdf(sample_pdf, reason="x")


def test_a_renewed_certificate_is_picked_up(settings, tmp_path, sample_pdf, org_certificate):
    signed_before = sign_pdf(sample_pdf, reason="x")
    make_certificate(settings, tmp_path / "renewed", organisation="Renewed Council")
    result = verify_pdf(sign_pdf(sample_pdf, reason="x"))
    assert result.ok
    assert result.signer == "Renewed Council (development signing certificate)"

    # Documents signed before the renewal verify only while the old certificate is still listed.
    assert not verify_pdf(signed_before).trusted
    settings.SIGNING_PREVIOUS_CERT_FILES = [str(org_certificate)]
    assert verify_pdf(signed_before).ok


class TestMakeDevCertificate:
    def test_creates_a_development_signing_certificate(self, settings, tmp_path):
        settings.ORGANISATION_NAME = "Anytown Council"
        settings.SIGNING_KEY_FILE = str(tmp_path / "deep" / "signing" / "key.pem")
        settings.SIGNING_CERT_FILE = str(tmp_path / "deep" / "signing" / "cert.pem")
        out, err = StringIO(), StringIO()
        call_command("make_dev_certificate", stdout=out, stderr=err)
        assert "development only" in err.getvalue()

        key_path = tmp_path / "deep" / "signing" / "key.pem"
        assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
        cert = certificate(tmp_path / "deep" / "signing" / "cert.pem")
        assert common_name(tmp_path / "deep" / "signing" / "cert.pem") == (
            "Anytown Council (development signing certificate)"
        )
        assert cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Anytown Council"
        # Issued by the development authority, whose certificate and empty revocation list are
        # written beside it: the chain and revocation data a long-term signature carries.
        authority = certificate(tmp_path / "deep" / "signing" / "ca.pem")
        assert cert.issuer == authority.subject != cert.subject
        cert.verify_directly_issued_by(authority)
        assert authority.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        revocations = x509.load_pem_x509_crl((tmp_path / "deep" / "signing" / "crl.pem").read_bytes())
        assert revocations.is_signature_valid(authority.public_key()) and len(revocations) == 0
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
        assert usage.digital_signature
        assert usage.content_commitment
        assert not usage.key_cert_sign
        lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
        assert timedelta(days=729) < lifetime < timedelta(days=732)

    def test_a_long_organisation_name_still_fits_the_common_name(self, settings, tmp_path):
        cert_path = make_certificate(settings, tmp_path, organisation="Demo Metropolitan Borough Council")
        assert common_name(cert_path) == "Demo Metropolitan Borough Council (development)"
        cert_path = make_certificate(settings, tmp_path / "long", organisation="A" * 80)
        assert len(common_name(cert_path).encode()) <= 64
        cert_path = make_certificate(
            settings, tmp_path / "welsh", organisation="Cyngor Bwrdeistref Sirol Wrecsam ŵŷâêîôû " * 2
        )
        assert len(common_name(cert_path).encode()) <= 64

    def test_leaves_existing_files_alone_unless_forced(self, settings, tmp_path):
        cert_path = make_certificate(settings, tmp_path)
        before = cert_path.read_bytes()
        out = StringIO()
        call_command("make_dev_certificate", stdout=out, stderr=StringIO())
        assert cert_path.read_bytes() == before
        assert str(cert_path) in out.getvalue()
        assert "already exist" in out.getvalue()

        call_command("make_dev_certificate", "--force", stdout=StringIO(), stderr=StringIO())
        assert cert_path.read_bytes() != before

    def test_a_passphrase_protects_the_key(self, settings, tmp_path, sample_pdf):
        settings.SIGNING_KEY_PASSPHRASE = "correct horse battery staple"
        make_certificate(settings, tmp_path)
        assert b"ENCRYPTED PRIVATE KEY" in (tmp_path / "key.pem").read_bytes()
        assert verify_pdf(sign_pdf(sample_pdf, reason="x")).ok

        settings.SIGNING_KEY_PASSPHRASE = "wrong"
        with pytest.raises(SigningUnavailable, match="PASSPHRASE"):
            sign_pdf(sample_pdf, reason="x")


def write_certificate(settings, folder, key, common_name, not_before, not_after):
    """Write key and a self-signed certificate for it, and point the signing settings at them."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    settings.SIGNING_KEY_FILE = str(folder / "key.pem")
    settings.SIGNING_CERT_FILE = str(folder / "cert.pem")


def test_an_elliptic_curve_certificate_signs_too(settings, tmp_path, sample_pdf):
    now = datetime.now(UTC)
    write_certificate(
        settings,
        tmp_path,
        ec.generate_private_key(ec.SECP256R1()),
        "EC Council",
        now - timedelta(minutes=1),
        now + timedelta(days=1),
    )
    with mock.patch.object(SimpleSigner, "sign_raw", side_effect=AssertionError("key parsed again")):
        signed = sign_pdf(sample_pdf, reason="x")
    result = verify_pdf(signed)
    assert result.ok
    assert result.signer == "EC Council"


def test_a_document_signed_with_an_expired_certificate_is_not_trusted(settings, tmp_path, sample_pdf):
    now = datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write_certificate(
        settings, tmp_path, key, "Old Council", now - timedelta(days=30), now - timedelta(days=1)
    )
    result = verify_pdf(sign_pdf(sample_pdf, reason="x"))
    assert result.intact
    assert not result.trusted
    assert "outside the period its certificate was valid" in result.problem


def test_the_key_is_parsed_once_not_per_signature(org_certificate, sample_pdf):
    sign_pdf(sample_pdf, reason="x")
    with mock.patch("cryptography.hazmat.primitives.serialization.load_der_private_key") as load:
        assert verify_pdf(sign_pdf(sample_pdf, reason="x")).ok
    load.assert_not_called()


def test_signing_and_verifying_work_inside_a_running_event_loop(org_certificate, sample_pdf):
    """An ASGI request or a browser test has a loop running; pyHanko's asyncio.run() must not mind."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside_a_loop():
        signed = sign_pdf(sample_pdf, reason="Signed inside a loop")
        return verify_pdf(signed)

    # A thread of its own, so the test's loop never meets one a browser test left running here.
    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(asyncio.run, inside_a_loop()).result().ok
