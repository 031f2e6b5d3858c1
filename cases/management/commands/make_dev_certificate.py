"""Create a certificate and key for signing documents in development, issued by a development
certificate authority whose certificate and revocation list are written beside them (the chain and
revocation data a long-term signature embeds)."""

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


def _name(common_name: str, organisation: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, _shortened(organisation, COMMON_NAME_MAX)),
        ]
    )


def _key_usage(**wanted) -> x509.KeyUsage:
    usages = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    return x509.KeyUsage(**(usages | wanted))


def make_authority(
    common_name: str, organisation: str, *, valid_for: dt.timedelta = VALID_FOR
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """Return a new key and a self-signed certificate authority that issues certificates and CRLs."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name(_shortened(common_name, COMMON_NAME_MAX), organisation)
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + valid_for + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def issue_certificate(
    authority: tuple[rsa.RSAPrivateKey, x509.Certificate],
    name: x509.Name,
    *,
    time_stamping: bool = False,
    valid_for: dt.timedelta = VALID_FOR,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """Return a new key and a certificate for it issued by authority: a document-signing one
    (digitalSignature + nonRepudiation), or a time-stamping authority's."""
    ca_key, ca_cert = authority
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        # A little in the past, so a machine with a slightly slow clock still accepts it.
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + valid_for)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            _key_usage(digital_signature=True, content_commitment=not time_stamping), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    if time_stamping:
        # RFC 3161: a TSA's certificate has exactly this one extended key usage, critical.
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return key, builder.sign(ca_key, hashes.SHA256())


def make_crl(authority: tuple[rsa.RSAPrivateKey, x509.Certificate]) -> x509.CertificateRevocationList:
    """Return the authority's list of revoked certificates: none, valid as long as the authority.

    A document signed with a timestamp carries this list (PAdES B-LT), so it can be checked
    after the signing certificate has expired."""
    ca_key, ca_cert = authority
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now - dt.timedelta(minutes=5))
        .next_update(ca_cert.not_valid_after_utc)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )


def make_certificate(
    organisation: str,
) -> tuple[rsa.RSAPrivateKey, x509.Certificate, x509.Certificate, object]:
    """Return a new RSA key, its document-signing certificate, the development certificate
    authority that issued it, and that authority's (empty) revocation list.

    The authority's own key is not kept: it signs the certificate and the list, and is gone."""
    authority = make_authority(f"{organisation} (development certificate authority)", organisation)
    key, cert = issue_certificate(authority, _name(development_common_name(organisation), organisation))
    return key, cert, authority[1], make_crl(authority)


def development_chain_files(cert_file: Path) -> tuple[Path, Path]:
    """Where the development authority's certificate and revocation list go: beside the
    signing certificate (settings SIGNING_CHAIN_FILES and SIGNING_CRL_FILES name them)."""
    return cert_file.with_name("ca.pem"), cert_file.with_name("crl.pem")


class Command(BaseCommand):
    help = "Create a development certificate and key for signing documents (development only)."

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

        key, cert, authority, crl = make_certificate(settings.ORGANISATION_NAME)
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
        chain_file, crl_file = development_chain_files(cert_file)
        chain_file.write_bytes(authority.public_bytes(serialization.Encoding.PEM))
        crl_file.write_bytes(crl.public_bytes(serialization.Encoding.PEM))

        self.stderr.write(
            self.style.WARNING(
                "WARNING: this certificate and its authority are for development only. In production set "
                "SIGNING_KEY_FILE and SIGNING_CERT_FILE to the organisation's own document-signing certificate."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created a development signing certificate:\n  key:  {key_file}\n  cert: {cert_file}\n"
                f"  its authority: {chain_file}\n  revocation list: {crl_file}"
            )
        )
