import datetime as dt
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from pyhanko.sign.timestamps import DummyTimeStamper

from cases.documents.pdf import render_pdf
from cases.management.commands.make_dev_certificate import issue_certificate, make_authority, make_crl
from tests.cases.documents.sample import sample_context


def make_certificate(settings, folder: Path, organisation: str | None = None) -> Path:
    """Point the signing settings at folder and create a development certificate there."""
    if organisation:
        settings.ORGANISATION_NAME = organisation
    settings.SIGNING_KEY_FILE = str(folder / "key.pem")
    settings.SIGNING_CERT_FILE = str(folder / "cert.pem")
    settings.SIGNING_CHAIN_FILES = [str(folder / "ca.pem")]
    settings.SIGNING_CRL_FILES = [str(folder / "crl.pem")]
    call_command("make_dev_certificate", stdout=StringIO(), stderr=StringIO())
    return Path(settings.SIGNING_CERT_FILE)


@pytest.fixture
def org_certificate(settings, tmp_path):
    """The organisation's signing key and certificate, made for this test."""
    return make_certificate(settings, tmp_path / "org")


@pytest.fixture(scope="module")
def sample_pdf():
    """The three-page sample document, rendered once per module (rendering takes most of a second)."""
    return render_pdf("pdf/sample.html", sample_context())


@pytest.fixture
def no_network(monkeypatch):
    """Fail the test if anything opens a network connection."""
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"network connection attempted to {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


def pdf_text(pdf: bytes, tmp_path: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The text of a PDF as poppler's pdftotext reads it."""
    path = tmp_path / "text.pdf"
    path.write_bytes(pdf)
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_info(pdf: bytes, tmp_path: Path) -> dict[str, str]:
    """pdfinfo's fields for a PDF."""
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return {
        key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())
    }


def pdf_fonts(pdf: bytes, tmp_path: Path) -> str:
    """pdffonts' listing for a PDF."""
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def pdf_metadata(pdf: bytes, tmp_path: Path) -> str:
    """The PDF's XMP metadata, as pdfinfo -meta prints it."""
    path = tmp_path / "meta.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", "-meta", str(path)], check=True, capture_output=True, text=True).stdout


TSA_VALID_FOR = dt.timedelta(days=3650)


class _TimeStampingAuthority(BaseHTTPRequestHandler):
    """RFC 3161 over HTTP, as a real authority answers: a DER TimeStampReq posted, a DER
    TimeStampResp back, signed by the test authority's own key (pyHanko's DummyTimeStamper)."""

    stamper = None
    requests = 0

    def do_POST(self):  # noqa: N802 (the handler's name is the HTTP method)
        request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests += 1
        body = self.stamper.request_tsa_response(request).dump()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_tsa(settings, tmp_path, org_certificate):
    """A time-stamping authority on a local HTTP port, with its own root and revocation list,
    configured as production's would be: the URL, the root to trust, and the list to embed."""
    folder = tmp_path / "tsa"
    folder.mkdir()
    # An authority's certificates outlast a document-signing certificate, as real ones do.
    authority = make_authority("Test time-stamping root", "Test Trust Services", valid_for=TSA_VALID_FOR)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test time-stamping authority")])
    key, cert = issue_certificate(authority, name, time_stamping=True, valid_for=TSA_VALID_FOR)
    (folder / "root.pem").write_bytes(authority[1].public_bytes(serialization.Encoding.PEM))
    (folder / "crl.pem").write_bytes(make_crl(authority).public_bytes(serialization.Encoding.PEM))
    der = serialization.Encoding.DER
    handler = type(
        "Authority",
        (_TimeStampingAuthority,),
        {
            "stamper": DummyTimeStamper(
                tsa_cert=asn1_x509.Certificate.load(cert.public_bytes(der)),
                tsa_key=keys.PrivateKeyInfo.load(
                    key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
                ),
                certs_to_embed=[asn1_x509.Certificate.load(authority[1].public_bytes(der))],
            ),
            "requests": 0,
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SIGNING_TSA_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.SIGNING_TSA_CERT_FILES = [str(folder / "root.pem")]
    settings.SIGNING_CRL_FILES = [*settings.SIGNING_CRL_FILES, str(folder / "crl.pem")]
    yield handler
    server.shutdown()
    server.server_close()
    thread.join()


SHORT_LIVED_FOR = dt.timedelta(days=2)


@pytest.fixture
def short_lived_certificate(settings, tmp_path, local_tsa):
    """A document-signing certificate valid for two days only, issued by a certificate authority
    made for the test (its root and revocation list configured as production's would be), with
    the local time-stamping authority's list kept. Returns the certificate (cryptography's)."""
    folder = tmp_path / "short-lived"
    folder.mkdir()
    authority = make_authority("Test document-signing root", "Test Borough Council")
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Test Borough Council (short-lived signing certificate)"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Borough Council"),
        ]
    )
    key, cert = issue_certificate(authority, name, valid_for=SHORT_LIVED_FOR)
    pem = serialization.Encoding.PEM
    (folder / "key.pem").write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(pem))
    (folder / "ca.pem").write_bytes(authority[1].public_bytes(pem))
    (folder / "crl.pem").write_bytes(make_crl(authority).public_bytes(pem))
    settings.SIGNING_KEY_PASSPHRASE = ""
    settings.SIGNING_KEY_FILE = str(folder / "key.pem")
    settings.SIGNING_CERT_FILE = str(folder / "cert.pem")
    settings.SIGNING_CHAIN_FILES = [str(folder / "ca.pem")]
    settings.SIGNING_CRL_FILES = [str(folder / "crl.pem"), str(tmp_path / "tsa" / "crl.pem")]
    return cert
