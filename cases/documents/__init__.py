"""Documents as case records: render a template to PDF, sign it, verify it, and keep it once.

    pdf.py       rendering, signing and verifying (WeasyPrint, pyHanko; no database)
    services.py  storing a signed PDF as a case record, and finding it again
    views.py     serving a stored document, and the page where anyone can check a PDF
    errors.py    the error a document raises when it cannot be printed

The package re-exports what the apps store and catch. `pdf` is imported by name where a PDF is
made or checked: loading WeasyPrint and pyHanko takes seconds, so nothing loads them at start-up.
"""

from .errors import DocumentRenderError as DocumentRenderError
from .services import NOT_CONFIGURED as NOT_CONFIGURED
from .services import DocumentError as DocumentError
from .services import document_for as document_for
from .services import document_render as document_render
from .services import document_sign_and_link as document_sign_and_link
from .services import document_store as document_store
from .services import source_label as source_label
