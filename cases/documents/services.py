"""Storing signed PDFs as case records, and reading them back.

A document is signed, hashed and saved once; there is no update path. A later change to its
source makes a new source version with a document of its own.
"""

from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..history import save_with_history
from ..models import Case, Document, User
from .errors import DocumentRenderError

# cases.documents.pdf (WeasyPrint, pyHanko) is imported where it is used: loading it at start-up would
# slow every command and log WeasyPrint's set-up on the console.


class DocumentError(Exception):
    """A document that cannot be made now, with what to do about it."""


NOT_CONFIGURED = gettext_lazy(
    "Documents cannot be signed yet: an admin must install the organisation's signing certificate"
)

NO_TIMESTAMP = gettext_lazy(
    "The document could not be signed just now: the time-stamping service did not answer. "
    "Try again in a few minutes; if it keeps happening, tell an admin"
)


def source_label(source) -> str:
    """The `source_type` that names a model instance, for example 'riskassessment.assessment'."""
    return source._meta.label_lower


def _printed(render: Callable[[], bytes]) -> bytes:
    """Run a PDF renderer, as a DocumentError a person can report if it fails."""
    try:
        return render()
    except DocumentRenderError as exc:
        raise DocumentError(
            _("The document could not be printed (%(problem)s): tell an admin") % {"problem": exc}
        ) from exc


def document_render(*, template_name: str, context: dict, language: str = "en") -> bytes:
    """Render a PDF template in a language ("en", "cy"), as a DocumentError a person can report
    if it fails."""
    from .pdf import render_pdf

    return _printed(lambda: render_pdf(template_name, context, language=language))


def document_store(
    *, case: Case, kind: str, title: str, pdf_bytes: bytes, by: User, source, reason: str
) -> Document:
    """Sign a rendered PDF with the organisation's certificate, hash it and keep it. Once."""
    if Document.objects.filter(source_type=source_label(source), source_id=str(source.pk)).exists():
        raise DocumentError(_("This record already has its signed document: it is never made twice"))
    from .pdf import SigningUnavailable, TimestampUnavailable, sha256_hex, sign_pdf

    try:
        signed = sign_pdf(pdf_bytes, reason=reason, signer_name=by.full_name)
    except SigningUnavailable as exc:
        raise DocumentError(NOT_CONFIGURED) from exc
    except TimestampUnavailable as exc:
        # Never a weaker signature in its place: the record waits until it can be signed properly.
        raise DocumentError(NO_TIMESTAMP) from exc
    now = timezone.now()
    name = f"{slugify(case.reference)}-{kind}-{source.pk}-{now:%Y%m%d%H%M%S}.pdf"
    document = Document(
        case=case,
        kind=kind,
        title=title[:300],
        sha256=sha256_hex(signed),
        size=len(signed),
        signed=True,
        source_type=source_label(source),
        source_id=str(source.pk),
        created_at=now,
        created_by=by,
    )
    with transaction.atomic():
        document.file.save(name, ContentFile(signed), save=False)
        save_with_history(document, by=by)
    return document


def document_sign_and_link(
    *,
    source,
    kind: str,
    title: str,
    reason: str,
    by: User,
    render: Callable[[], bytes],
    error: type[Exception],
) -> Document:
    """Print a record, sign and keep the PDF, and point the record's `document` at it: the one way
    a signed record is linked to its document.

    `render` prints the record's PDF. Anything that stops the document being made (a template that
    will not print, no signing certificate, a document already made) is raised as the caller's own
    `error`, with what to do about it. The record is not saved here: the caller saves it with the
    rest of the transition, inside its transaction.
    """
    try:
        source.document = document_store(
            case=source.case,
            kind=kind,
            title=title,
            pdf_bytes=_printed(render),
            by=by,
            source=source,
            reason=reason,
        )
    except DocumentError as exc:
        raise error(str(exc)) from exc
    return source.document


def document_for(source) -> Document | None:
    """The signed document made from this record, if there is one."""
    return Document.objects.filter(source_type=source_label(source), source_id=str(source.pk)).first()
