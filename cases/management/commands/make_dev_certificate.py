"""Create a self-signed certificate and key for signing documents in development."""

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand

VALID_FOR = dt.timedelta(days=730)
COMMON_NAME_MAX = 64  # ub-common-name in RFC 5280, counted in UTF-8 bytes by cryptography


def _fits(value: str) -> bool:
    return len(value.encode()) <= COMMON_NAME_MAX


def _shortened(text: str, room: int) -> str:
    while len(text.encode()) > room:
        text = text[:-1]
    return text.rstrip()


def development_common_name(organisation: str) -> str:
    """Return the certificate's common name, shortened to fit X.509's 64-byte limit."""
    for candidate in (
        f"{organisation} (development signing certificate)",
        f"{organisation} (development)",
    ):
        if _fits(candidate):
            return candidate
    suffix = "… (development)"
    return _shortened(organisation, COMMON_NAME_MAX - len(suffix.encode())) + suffix


def make_certificate(organisation: str) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """Return a new RSA key and a self-signed document-signing certificate for it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, development_common_name(organisation)),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _shortened(organisation, COMMON_NAME_MAX)),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A little in the past, so a machine with a slightly slow clock still accepts it.
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALID_FOR)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # nonRepudiation
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


class Command(BaseCommand):
    help = "Create a self-signed development certificate and key for signing documents (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Replace an existing key and certificate.")

    def handle(self, *args, force=False, **options):
        key_file, cert_file = Path(settings.SIGNING_KEY_FILE), Path(settings.SIGNING_CERT_FILE)
        if key_file.exists() and cert_file.exists() and not force:
            self.stdout.write(
                f"A signing key and certificate already exist:\n  key:  {key_file}\n  cert: {cert_file}\n"
                "Use --force to replace them (documents signed with the old one will no longer be trusted)."
            )
            return

        key, cert = make_certificate(settings.ORGANISATION_NAME)
        passphrase = settings.SIGNING_KEY_PASSPHRASE
        encryption = (
            serialization.BestAvailableEncryption(passphrase.encode())
            if passphrase
            else serialization.NoEncryption()
        )
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)

        for path in (key_file, cert_file):
            path.parent.mkdir(parents=True, exist_ok=True)
        # Created owner-only from the start, not chmod-ed after being readable for a moment.
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key_pem)
        os.chmod(key_file, 0o600)
        cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))

        self.stderr.write(
            self.style.WARNING(
                "WARNING: this self-signed certificate is for development only. In production set "
                "SIGNING_KEY_FILE and SIGNING_CERT_FILE to the organisation's own document-signing certificate."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a development signing certificate:\n  key:  {key_file}\n  cert: {cert_file}"
            )
        )
