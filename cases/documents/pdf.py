"""Case documents as records: render a template to PDF, sign it, verify it.

Pure functions, no database. A signed PDF is rendered once, at signing, and never regenerated;
its SHA-256 is what the record keeps. Child-protection records are kept 35 years after closure,
so a PDF is archival (PDF/A-2a: fonts embedded, XMP metadata, nothing fetched from outside) and
tagged for screen readers (PDF/UA-1), and with a time-stamping authority configured its signature
is timestamped and carries its validation data (PAdES B-LT).
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import posixpath
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path
from urllib import request
from urllib.parse import unquote, urljoin, urlsplit

from asn1crypto import crl as asn1_crl
from asn1crypto import pem
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.metadata.model import VENDOR
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import CertificateValidator, ValidationContext
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

# PDF/A-2, level A: archival (fonts embedded, XMP metadata, an sRGB output intent, no external
# content) and tagged, with Unicode text. WeasyPrint writes one variant; the PDF/UA-1 claim
# (tags, document title shown, language) is added to the XMP by `_declare_pdf_ua`.
PDF_VARIANT = "pdf/a-2a"
_PDF_UA_IDENTIFICATION = (
    b'<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1" />'
)

# PAdES baseline levels, as `verify_pdf` reports them.
LEVEL_B_B = "PAdES B-B"  # signed; the signing time is the server's claim
LEVEL_B_T = "PAdES B-T"  # and a trusted timestamp proves when
LEVEL_B_LT = "PAdES B-LT"  # and the file carries the certificates and revocation data to check it later
LEVEL_MEANINGS = {
    LEVEL_B_B: gettext_lazy(
        "Signed. The signing time is our server's clock; there is no independent timestamp."
    ),
    LEVEL_B_T: gettext_lazy("Signed, with a timestamp from a trusted time-stamping authority proving when."),
    LEVEL_B_LT: gettext_lazy(
        "Signed, with a trusted timestamp, and the file holds what is needed to check the "
        "signature after the signing certificate expires."
    ),
}


class ResourceRefused(ValueError):
    """A document asked for a resource that is not one of the project's static files."""


class SigningUnavailable(ImproperlyConfigured):
    """The organisation's signing key or certificate cannot be loaded."""


class TimestampUnavailable(RuntimeError):
    """The time-stamping authority did not give a timestamp, or its validation data is missing:
    the document is not signed, rather than signed with less than it should have."""


@dataclass(frozen=True)
class Verification:
    """The result of checking a signed PDF."""

    intact: bool
    trusted: bool
    signer: str | None
    signed_at: str | None
    sha256: str
    problem: str | None
    level: str | None = None
    timestamp: str | None = None  # ISO 8601, from the time-stamping authority

    @property
    def level_meaning(self) -> str | None:
        """What the signature's PAdES level means, in words for the page that shows it."""
        return LEVEL_MEANINGS.get(self.level)

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


# The `lang` a printed document declares (PDF/UA asks for the document's language; WeasyPrint
# writes the <html lang> into the PDF's /Lang), by the language code it is rendered in.
DOCUMENT_LANG = {"en": "en-GB", "cy": "cy"}


def render_pdf(
    template_name: str,
    context: dict,
    *,
    url_fetcher: URLFetcher | None = None,
    language: str = "en",
) -> bytes:
    """Render a Django template to the bytes of a PDF.

    `url_fetcher` (WeasyPrint's) serves what the document refers to: by default the project's
    static files and nothing else (`StaticFilesOnlyFetcher`). A document that needs a little
    more gives a subclass of that one, as drawn signatures do; never a fetcher that follows any
    URL, which would let a document reach the network.

    `language` ("en" or "cy"): the language the document is written in. The template's own
    words ({% translate %}), dates and the declared `lang` follow it (docs/language.md).
    """
    if language not in DOCUMENT_LANG:
        raise DocumentRenderError(f"No printed documents in the language {language!r}")
    full_context = {
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo": settings.ORGANISATION_LOGO,
        "service_name": settings.SERVICE_NAME,
        "document_lang": DOCUMENT_LANG[language],
        **context,
    }
    with translation.override(language):
        html = render_to_string(template_name, full_context)
    source = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher or StaticFilesOnlyFetcher())
    try:
        document = source.render(font_config=_font_config())
        _declare_pdf_ua(document.metadata)
        return document.write_pdf(pdf_variant=PDF_VARIANT)
    except FatalURLFetchingError as exc:
        # WeasyPrint's fatal error is a BaseException; Django's error handling only sees Exception.
        cause = exc.__cause__
        raise DocumentRenderError(str(cause or exc)) from cause


def _declare_pdf_ua(metadata) -> None:
    """Add PDF/UA-1's identification to the XMP metadata WeasyPrint writes for PDF/A.

    WeasyPrint's PDF/A-2a output already has what its own PDF/UA-1 variant has (the structure
    tree, the document title shown, the language); only one variant can be asked for, so the
    second identification is added here, in the same RDF packet (WeasyPrint's own output,
    written, not parsed)."""
    generate = metadata.generate_rdf_metadata

    def with_pdf_ua(variant, version, conformance):
        rdf = generate(variant, version, conformance)
        head, closing, tail = rdf.rpartition(b"</rdf:RDF>")
        if not closing:
            raise DocumentRenderError("The PDF's XMP metadata is not an RDF packet")
        return head + _PDF_UA_IDENTIFICATION + closing + tail

    metadata.generate_rdf_metadata = with_pdf_ua


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


def _producer_as_pyhanko_writes_it(writer: IncrementalPdfFileWriter) -> None:
    """Keep the document information dictionary in step with the XMP metadata, as PDF/A asks.

    Writing a revision, pyHanko sets the XMP's producer to itself but appends itself to the
    dictionary's ("WeasyPrint ...; pyHanko ..."); a PDF/A validator would then find them
    different. Setting the dictionary's to pyHanko's first leaves the two the same."""
    try:
        info = writer.prev.trailer_view["/Info"]
    except KeyError:
        return
    updated = generic.DictionaryObject(dict(info.items()))
    updated["/Producer"] = generic.TextStringObject(VENDOR)
    writer.set_info(updated)


def _certificates(paths) -> list:
    return [_load_certificate(str(path)) for path in paths]


def _crl(path) -> asn1_crl.CertificateList:
    data = Path(path).read_bytes()
    if pem.detect(data):
        data = pem.unarmor(data)[2]
    return asn1_crl.CertificateList.load(data)


def _roots_and_intermediates(certificates: list) -> tuple[list, list]:
    roots = [cert for cert in certificates if cert.self_signed != "no"]
    return roots, [cert for cert in certificates if cert.self_signed == "no"]


def timestamp_authority_certificates() -> list:
    """The certificates of the time-stamping authority whose timestamps are trusted."""
    return _certificates(settings.SIGNING_TSA_CERT_FILES)


def _timestamper() -> HTTPTimeStamper | None:
    url = settings.SIGNING_TSA_URL
    return HTTPTimeStamper(url, timeout=settings.SIGNING_TSA_TIMEOUT) if url else None


def _long_term_context() -> ValidationContext:
    """Where a B-LT signature's validation data comes from: the signing certificate's chain and
    the time-stamping authority's, with revocation data for every certificate in them (the
    configured revocation lists, and what the certificates' own addresses give)."""
    try:
        certificates = [*_certificates(settings.SIGNING_CHAIN_FILES), *timestamp_authority_certificates()]
        crls = [_crl(path) for path in settings.SIGNING_CRL_FILES]
    except (OSError, SigningUnavailable, ValueError) as exc:
        raise SigningUnavailable(
            "The signing certificate's chain or revocation lists (SIGNING_CHAIN_FILES, "
            f"SIGNING_TSA_CERT_FILES, SIGNING_CRL_FILES) could not be read: {exc}"
        ) from exc
    roots, intermediates = _roots_and_intermediates(certificates)
    return ValidationContext(
        trust_roots=roots,
        other_certs=intermediates,
        crls=crls,
        # A timestamp already needs the network; revocation data may come from it too.
        allow_fetching=True,
        # Long-term validation data means revocation data for every certificate, not some.
        revocation_mode="require",
    )


# A timestamp token: the authority's signature, its certificates and a few hundred bytes more.
_TIMESTAMP_BYTES = 12 * 1024


def sign_pdf(pdf: bytes, *, reason: str, signer_name: str | None = None) -> bytes:
    """Sign a PDF with the organisation's key and return the signed bytes.

    With `SIGNING_TSA_URL` set the signature is PAdES B-LT: timestamped by that authority, with
    the certificates and revocation data needed to check it after the certificate expires added
    to the file's document security store (an incremental update after the signature). With none
    it is PAdES B-B, offline. Either way the rendered PDF/A bytes are untouched: signing appends.
    """
    signer = _signer()
    timestamper = _timestamper()
    long_term = timestamper is not None
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        name=signer_name,
        embed_validation_info=long_term,
        use_pades_lta=False,
        validation_context=_long_term_context() if long_term else None,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    _producer_as_pyhanko_writes_it(writer)
    try:
        out = _outside_event_loop(
            signers.sign_pdf,
            writer,
            meta,
            signer=signer,
            timestamper=timestamper,
            bytes_reserved=signer.cms_bytes_reserved + (_TIMESTAMP_BYTES if long_term else 0),
        )
    except SigningUnavailable:
        raise
    except Exception as exc:
        if not long_term:
            raise
        # The authority did not answer, refused, or a certificate's revocation data is missing.
        raise TimestampUnavailable(f"The document could not be timestamped: {exc}") from exc
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
        return failed(_("The file is not a PDF."))
    trust_roots = trusted_certificates()
    try:
        reader = PdfFileReader(BytesIO(pdf))
        signatures = reader.embedded_signatures
    except Exception:  # any parse failure means a damaged file
        return failed(_("The file is damaged: it could not be read as a PDF."))
    if not signatures:
        return failed(_("The file has no digital signature."))
    if len(signatures) > 1:
        return failed(_("The file has more than one signature; a record carries exactly one."))

    try:
        tsa_certificates = timestamp_authority_certificates()
    except SigningUnavailable:
        tsa_certificates = []
    tsa_roots, tsa_intermediates = _roots_and_intermediates(tsa_certificates)
    try:
        status = _outside_event_loop(
            validate_pdf_signature,
            signatures[0],
            ValidationContext(trust_roots=trust_roots, allow_fetching=False),
            # The authority's roots vouch for timestamps only, never for a document's signer.
            ValidationContext(trust_roots=tsa_roots, other_certs=tsa_intermediates, allow_fetching=False),
        )
    except Exception:  # a malformed signature is a failed check, not a crash
        return failed(_("The file is damaged: its signature could not be checked."))

    signer = _common_name(status.signing_cert)
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else None

    if not status.intact:
        return failed(_("The file has been changed since it was signed."), signer, signed_at)
    if not status.valid:
        return failed(_("The signature is not valid for this file."), signer, signed_at)
    # Nothing may follow the signature but, for B-LT, the validation data added to the document
    # security store (which pyHanko's difference analysis tells apart from any other change).
    covered = status.coverage == SignatureCoverageLevel.ENTIRE_FILE and (
        status.modification_level == ModificationLevel.NONE
    )
    only_validation_data = (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level == ModificationLevel.LTA_UPDATES
        and reader.xrefs.total_revisions == signatures[0].signed_revision + 2
        and _ends_at_its_last_revision(pdf, reader)
    )
    if not (covered or only_validation_data):
        return failed(_("Content has been added to the file after it was signed."), signer, signed_at)

    timestamp = status.timestamp_validity
    if timestamp is not None and not (timestamp.intact and timestamp.valid and timestamp.trusted):
        problem = _(
            "The file is intact, but its timestamp could not be checked: it was not issued by a "
            "trusted time-stamping authority, or has been damaged."
        )
        return Verification(True, False, signer, signed_at, digest, problem)
    timestamped_at = timestamp.timestamp if timestamp is not None else None

    # bottom_line, not valid: valid only says the signature's maths works on the signed bytes.
    if not (status.bottom_line and status.trusted):
        if not status.trusted:
            problem = _(
                "The file is intact, but it was not signed with the organisation's certificate "
                "(signed by %(signer)s)."
            ) % {"signer": signer or _("an unnamed certificate")}
        else:
            problem = _(
                "The file is intact, but its signature does not meet the organisation's signing requirements."
            )
        return Verification(True, False, signer, signed_at, digest, problem)

    # A certificate that is itself a trust root is trusted whatever its dates, so check that it
    # was within its validity period when the document says it was signed.
    # A timestamp proves when; without one the signer's own clock is all there is.
    validity = status.signing_cert["tbs_certificate"]["validity"]
    not_before, not_after = validity["not_before"].native, validity["not_after"].native
    when = timestamped_at or status.signer_reported_dt
    if when is None or not (not_before <= when <= not_after):
        problem = _(
            "The file is intact, but it was signed (%(when)s) outside the period its certificate was "
            "valid (%(start)s to %(end)s)."
        ) % {
            "when": when.isoformat() if when else _("at an unknown time"),
            "start": f"{not_before:%d %B %Y}",
            "end": f"{not_after:%d %B %Y}",
        }
        return Verification(True, False, signer, signed_at, digest, problem)
    if timestamped_at is None:
        level = LEVEL_B_B
    elif _validation_data_embedded(reader, status, timestamp, when):
        level = LEVEL_B_LT
    else:
        level = LEVEL_B_T
    stamped = timestamped_at.isoformat() if timestamped_at else None
    return Verification(True, True, signer, signed_at, digest, None, level=level, timestamp=stamped)


_LAST_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*\Z")


def _ends_at_its_last_revision(pdf: bytes, reader) -> bool:
    """True when nothing follows the validation data's revision. A signature covering the whole
    file shows that by itself; after the validation data is added, the file must end with that
    revision's own `startxref ... %%EOF`, so bytes appended after it (which a reader ignores, and
    the signature does not cover) fail."""
    found = _LAST_STARTXREF.search(pdf, max(0, len(pdf) - 64))
    last = reader.xrefs.get_startxref_for_revision(reader.xrefs.total_revisions - 1)
    return found is not None and int(found.group(1)) == last


def _validation_data_embedded(reader, status, timestamp, when) -> bool:
    """True when the file itself holds what checking its signer's and its timestamp authority's
    certificates needs at the time it was timestamped (chains and revocation data, PAdES B-LT):
    checked with nothing fetched and nothing but the file's document security store, against the
    configured roots (the organisation's authority, the time-stamping authority's)."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
        chain_roots, _others = _roots_and_intermediates(_certificates(settings.SIGNING_CHAIN_FILES))
        tsa_roots, _others = _roots_and_intermediates(timestamp_authority_certificates())
    except (NoDSSFoundError, SigningUnavailable):
        return False
    checks = ((status.signing_cert, chain_roots), (timestamp.signing_cert, tsa_roots))
    for certificate, roots in checks:
        if not roots:
            return False
        context = dss.as_validation_context(
            {
                "trust_roots": roots,
                "allow_fetching": False,
                "revocation_mode": "require",
                "moment": when,
                "retroactive_revinfo": True,
            }
        )
        validator = CertificateValidator(certificate, validation_context=context)
        try:
            _outside_event_loop(asyncio.run, validator.async_validate_path())
        except Exception:  # any failure means the file alone is not enough
            return False
    return True
