"""Case documents as records: render a template to PDF, sign it (PAdES B-B), verify it.

Pure functions, no database. A signed PDF is rendered once, at signing, and never regenerated;
its SHA-256 is what the record keeps.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import posixpath
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urljoin, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.template.loader import render_to_string
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Raised here; defined apart so that catching it loads no WeasyPrint.
from .errors import DocumentRenderError as DocumentRenderError

# Documents resolve relative and `{% static %}` URLs against an origin that can never resolve
# (RFC 2606 .invalid), so even a misconfigured fetcher could not reach a real host.
BASE_URL = "https://documents.invalid/"

SIGNATURE_FIELD = "Signature1"


class ResourceRefused(ValueError):
    """A document asked for a resource that is not one of the project's static files."""


class SigningUnavailable(ImproperlyConfigured):
    """The organisation's signing key or certificate cannot be loaded."""


@dataclass(frozen=True)
class Verification:
    """The result of checking a signed PDF."""

    intact: bool
    trusted: bool
    signer: str | None
    signed_at: str | None
    sha256: str
    problem: str | None

    @property
    def ok(self) -> bool:
        """True when the file is exactly as signed by the organisation's certificate."""
        return self.intact and self.trusted and self.problem is None

    def as_dict(self) -> dict:
        """The result as a JSON-ready dict."""
        return asdict(self)


def _outside_event_loop(function, *args, **kwargs):
    """Call one of pyHanko's synchronous wrappers, which use asyncio.run().

    asyncio.run() refuses to start inside a running event loop (an ASGI request, or a browser
    test driving the page from the same thread), so in that case run it in a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sha256_hex(data: bytes) -> str:
    """Return the SHA-256 of data as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


# --- Rendering -------------------------------------------------------------------------------


def static_file_for_url(url: str) -> Path:
    """Return the project's static file that url names, or raise ResourceRefused."""
    prefix = urljoin(BASE_URL, settings.STATIC_URL)
    if not url.startswith(prefix):
        raise ResourceRefused(f"Refused to fetch {url!r}: documents may only use the project's static files.")
    name = unquote(urlsplit(url[len(prefix) :]).path)
    segments = name.split("/")
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in segments:
        raise ResourceRefused(f"Refused to fetch {url!r}: not a static file name.")
    name = posixpath.normpath(name)
    found = finders.find(name)
    if found:
        return Path(found)
    # In production `{% static %}` gives the collected, hashed name, which only the storage knows.
    if getattr(settings, "STATIC_ROOT", None):
        try:
            if staticfiles_storage.exists(name):
                return Path(staticfiles_storage.path(name))
        except (SuspiciousFileOperation, NotImplementedError):
            pass
    raise ResourceRefused(f"Refused to fetch {url!r}: there is no such static file.")


class StaticFilesOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves the project's static files and refuses every other URL."""

    def __init__(self):
        # URLFetcher.__init__ registers HTTP(S), FTP and file handlers, and building its default
        # TLS context costs ~0.2 s per document. This fetcher needs none of them: with no handlers
        # registered it could not open a URL even if WeasyPrint went around fetch().
        request.OpenerDirector.__init__(self)
        self._timeout = 0
        self._http_headers = {}
        self._allowed_protocols = ()
        # A record must render exactly as designed, never silently without its font or logo.
        self._fail_on_errors = True
        self._request = None

    def fetch(self, url, headers=None):
        """Serve url from the project's static files; never touch the network or other files."""
        path = static_file_for_url(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


_local = threading.local()


def _font_config() -> FontConfiguration:
    # Building a FontConfiguration and loading the @font-face files costs a noticeable share of a
    # short document, so it is kept. It holds Pango/Fontconfig state that is not documented as
    # thread-safe, hence one per thread.
    config = getattr(_local, "font_config", None)
    if config is None:
        config = _local.font_config = FontConfiguration()
    return config


def render_pdf(template_name: str, context: dict, *, url_fetcher: URLFetcher | None = None) -> bytes:
    """Render a Django template to the bytes of a PDF.

    `url_fetcher` (WeasyPrint's) serves what the document refers to: by default the project's
    static files and nothing else (`StaticFilesOnlyFetcher`). A document that needs a little
    more gives a subclass of that one, as drawn signatures do; never a fetcher that follows any
    URL, which would let a document reach the network.
    """
    full_context = {
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo": settings.ORGANISATION_LOGO,
        "service_name": settings.SERVICE_NAME,
        **context,
    }
    html = render_to_string(template_name, full_context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher or StaticFilesOnlyFetcher())
    try:
        return document.write_pdf(font_config=_font_config())
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException; Django's error handling only sees Exception.
        cause = exc.__cause__
        raise DocumentRenderError(str(cause or exc)) from cause


# --- Signing ---------------------------------------------------------------------------------


def _file_key(*paths: str) -> tuple:
    # Keyed on modification times too, so a renewed certificate is picked up without a restart.
    return tuple((str(p), Path(p).stat().st_mtime_ns) for p in paths)


def _passphrase() -> bytes | None:
    passphrase = settings.SIGNING_KEY_PASSPHRASE
    if not passphrase:
        return None
    return passphrase.encode() if isinstance(passphrase, str) else passphrase


class _ParsedKeySigner(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once instead of on every signature."""

    # SimpleSigner re-parses the key for each signature, and cryptography's RSA key checks make
    # that the slowest step of signing a short document.

    @classmethod
    def from_signer(cls, signer: signers.SimpleSigner) -> _ParsedKeySigner:
        """Wrap a loaded SimpleSigner."""
        wrapped = cls(
            signing_cert=signer.signing_cert,
            signing_key=signer.signing_key,
            cert_registry=signer.cert_registry,
        )
        wrapped._private_key = serialization.load_der_private_key(signer.signing_key.dump(), password=None)
        # Reserving room for the signature up front spares pyHanko a trial signature to measure it.
        # The CMS container holds the certificates plus well under 4 KB of signature and attributes.
        certificates = [signer.signing_cert, *signer.cert_registry]
        needed = 4096 + sum(len(cert.dump()) for cert in certificates)
        wrapped.cms_bytes_reserved = -(-needed // 1024) * 1024  # pyHanko wants an even number
        return wrapped

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        """Sign data with the parsed key (RSA PKCS#1 v1.5 and ECDSA; anything else as pyHanko does)."""
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        try:
            algorithm = mechanism.signature_algo
        except ValueError:
            algorithm = mechanism["algorithm"].native
        key = self._private_key
        if algorithm == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        if algorithm == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
            return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
        return super().sign_raw(data, digest_algorithm)


_signer_lock = threading.Lock()
_signer_cache: dict[tuple, _ParsedKeySigner] = {}
_cert_cache: dict[tuple, object] = {}


def _signer() -> _ParsedKeySigner:
    key_file, cert_file = settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE
    try:
        cache_key = (*_file_key(key_file, cert_file), settings.SIGNING_KEY_PASSPHRASE)
    except OSError as exc:
        raise SigningUnavailable(
            f"Signing key or certificate missing ({exc.filename}). "
            "In development run `manage.py make_dev_certificate`."
        ) from exc
    with _signer_lock:
        signer = _signer_cache.get(cache_key)
        if signer is None:
            loaded = signers.SimpleSigner.load(key_file, cert_file, key_passphrase=_passphrase())
            if loaded is None:
                raise SigningUnavailable(
                    f"Could not load the signing key {key_file} with the certificate {cert_file} "
                    "(wrong SIGNING_KEY_PASSPHRASE, or not PEM/DER?)."
                )
            signer = _ParsedKeySigner.from_signer(loaded)
            _signer_cache.clear()
            _signer_cache[cache_key] = signer
        return signer


def _load_certificate(cert_file: str):
    try:
        cache_key = _file_key(cert_file)
    except OSError as exc:
        raise SigningUnavailable(f"Signing certificate missing ({cert_file}).") from exc
    with _signer_lock:
        cert = _cert_cache.get(cache_key)
        if cert is None:
            cert = _cert_cache[cache_key] = load_cert_from_pemder(cert_file)
        return cert


def organisation_certificate():
    """Return the organisation's current signing certificate (an asn1crypto Certificate)."""
    return _load_certificate(settings.SIGNING_CERT_FILE)


def trusted_certificates() -> list:
    """Return the certificates a signed document may carry: the current one, then any retired ones."""
    # After a certificate is renewed, documents signed with the old one must still verify:
    # list the old certificate files in SIGNING_PREVIOUS_CERT_FILES.
    previous = settings.SIGNING_PREVIOUS_CERT_FILES
    return [organisation_certificate(), *(_load_certificate(str(path)) for path in previous)]


def sign_pdf(pdf: bytes, *, reason: str, signer_name: str | None = None) -> bytes:
    """Sign a PDF (PAdES B-B) with the organisation's key and return the signed bytes."""
    signer = _signer()
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=signer_name,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    out = _outside_event_loop(
        signers.sign_pdf, writer, meta, signer=signer, bytes_reserved=signer.cms_bytes_reserved
    )
    return out.getvalue()


# --- Verification ----------------------------------------------------------------------------


def _common_name(cert) -> str | None:
    try:
        return cert.subject.native.get("common_name")
    except Exception:  # a malformed certificate must not stop verification
        return None


def verify_pdf(pdf: bytes) -> Verification:
    """Check that a PDF is exactly as signed, and signed with the organisation's certificate."""
    digest = sha256_hex(pdf)

    def failed(problem: str, signer: str | None = None, signed_at: str | None = None) -> Verification:
        return Verification(False, False, signer, signed_at, digest, problem)

    if not pdf.startswith(b"%PDF-"):
        return failed("The file is not a PDF.")
    trust_roots = trusted_certificates()
    try:
        reader = PdfFileReader(BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:  # any parse failure means a damaged file
        return failed("The file is damaged: it could not be read as a PDF.")
    if not signatures:
        return failed("The file has no digital signature.")
    if len(signatures) > 1:
        return failed("The file has more than one signature; a record carries exactly one.")

    try:
        status = _outside_event_loop(
            validate_pdf_signature,
            signatures[0],
            ValidationContext(trust_roots=trust_roots, allow_fetching=False),
        )
    except Exception:  # a malformed signature is a failed check, not a crash
        return failed("The file is damaged: its signature could not be checked.")

    signer = _common_name(status.signing_cert)
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None

    if not status.intact:
        return failed("The file has been changed since it was signed.", signer, signed_at)
    if not status.valid:
        return failed("The signature is not valid for this file.", signer, signed_at)
    if (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        or status.modification_level != ModificationLevel.NONE
    ):
        return failed("Content has been added to the file after it was signed.", signer, signed_at)

    # bottom_line, not valid: valid only says the signature's maths works on the signed bytes.
    if not (status.bottom_line and status.trusted):
        if not status.trusted:
            problem = (
                "The file is intact, but it was not signed with the organisation's certificate "
                f"(signed by {signer or 'an unnamed certificate'})."
            )
        else:
            problem = (
                "The file is intact, but its signature does not meet the organisation's signing requirements."
            )
        return Verification(True, False, signer, signed_at, digest, problem)

    # A certificate that is itself a trust root is trusted whatever its dates, so check that it
    # was within its validity period when the document says it was signed.
    validity = status.signing_cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    when = status.signer_reported_dt
    if when is None or not (not_before <= when <= not_after):
        problem = (
            f"The file is intact, but it was signed ({signed_at or 'at an unknown time'}) outside the period "
            f"its certificate was valid ({not_before:%d %B %Y} to {not_after:%d %B %Y})."
        )
        return Verification(True, False, signer, signed_at, digest, problem)
    return Verification(True, True, signer, signed_at, digest, None)
