"""Printing drawn signatures: a PDF fetcher that also serves checked PNG data URLs.

The project's PDF fetcher serves only static files. A drawn signature is a PNG data URL, so
agreements render through a fetcher that also serves `data:image/png;base64,` URLs, and only
after the same checks the form applies: a real PNG, no bigger than the cap.
"""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcherResponse

from cases.documents.pdf import (
    BASE_URL,
    DocumentRenderError,
    ResourceRefused,
    StaticFilesOnlyFetcher,
    _font_config,
)

from .signatures import SignatureImageError, png_from_data_url


class SignatureImageFetcher(StaticFilesOnlyFetcher):
    """The static-files-only fetcher, plus checked `data:image/png` URLs for drawn signatures."""

    def fetch(self, url, headers=None):
        """Serve a checked PNG data URL, or a static file; refuse everything else."""
        if url.startswith("data:"):
            try:
                body = png_from_data_url(url)
            except SignatureImageError as exc:
                raise ResourceRefused(f"Refused a data URL: {exc}") from exc
            return URLFetcherResponse(url, body=body, headers={"Content-Type": "image/png"})
        return super().fetch(url, headers)


def render_pdf_with_signatures(template_name: str, context: dict) -> bytes:
    """Render a template to PDF as `render_pdf` does, letting drawn signatures through."""
    full_context = {
        "organisation_name": settings.ORGANISATION_NAME,
        "organisation_logo": settings.ORGANISATION_LOGO,
        "service_name": settings.SERVICE_NAME,
        **context,
    }
    html = render_to_string(template_name, full_context)
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=SignatureImageFetcher())
    try:
        return document.write_pdf(font_config=_font_config())
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        raise DocumentRenderError(str(cause or exc)) from cause
