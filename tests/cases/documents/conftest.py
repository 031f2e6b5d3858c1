import socket
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from cases.documents.pdf import render_pdf
from tests.cases.documents.sample import sample_context


def make_certificate(settings, folder: Path, organisation: str | None = None) -> Path:
    """Point the signing settings at folder and create a development certificate there."""
    if organisation:
        settings.ORGANISATION_NAME = organisation
    settings.SIGNING_KEY_FILE = str(folder / "key.pem")
    settings.SIGNING_CERT_FILE = str(folder / "cert.pem")
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
