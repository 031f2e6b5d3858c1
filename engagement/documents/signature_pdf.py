"""Printing drawn signatures: a PDF fetcher that also serves checked PNG data URLs.

The project's PDF fetcher serves only static files. A drawn signature is a PNG data URL, so
agreements render through a fetcher that also serves `data:image/png;base64,` URLs, and only
after the same checks the form applies: a real PNG, no bigger than the cap.
"""

from weasyprint.urls import URLFetcherResponse

from cases.documents.pdf import ResourceRefused, StaticFilesOnlyFetcher, render_pdf

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


def render_pdf_with_signatures(template_name: str, context: dict, *, language: str = "en") -> bytes:
    """Render a template to PDF with the kernel's `render_pdf`, letting drawn signatures through."""
    return render_pdf(template_name, context, url_fetcher=SignatureImageFetcher(), language=language)
