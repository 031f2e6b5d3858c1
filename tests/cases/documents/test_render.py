import re
import subprocess

import pytest
from django.contrib.staticfiles import finders

from cases.documents.pdf import (
    BASE_URL,
    DocumentRenderError,
    ResourceRefused,
    StaticFilesOnlyFetcher,
    render_pdf,
)
from tests.cases.documents.conftest import pdf_fonts, pdf_info, pdf_text
from tests.cases.documents.sample import SAMPLE_ROWS, sample_context


def test_sample_is_three_a4_pages(sample_pdf, tmp_path):
    info = pdf_info(sample_pdf, tmp_path)
    assert info["Pages"] == "3"
    assert "(A4)" in info["Page size"]
    assert info["Title"] == "Chronology of contact attempts"


def test_every_page_has_marking_header_and_numbered_footer(sample_pdf, tmp_path, settings):
    for page in (1, 2, 3):
        text = pdf_text(sample_pdf, tmp_path, first=page, last=page)
        assert text.count("OFFICIAL-SENSITIVE") == 2, f"top and bottom marking on page {page}"
        assert settings.ORGANISATION_NAME in text
        assert "Case EF-2026-0042" in text
        assert f"Page {page} of 3" in text
        # The table's column headings repeat on every page it runs onto.
        assert "What happened" in text


def test_every_row_is_printed_once_and_never_split(sample_pdf, tmp_path):
    pages = [pdf_text(sample_pdf, tmp_path, first=p, last=p) for p in (1, 2, 3)]
    found = [int(n) for page in pages for n in re.findall(r"Row (\d+):", page)]
    assert found == list(range(1, SAMPLE_ROWS + 1))
    for page in pages:
        # A row's last words are on the same page as its first.
        assert page.count("Row ") == page.count("number to call.")


def test_fonts_are_the_projects_own_and_embedded(sample_pdf, tmp_path):
    fonts = pdf_fonts(sample_pdf, tmp_path)
    assert "Record-Sans" in fonts
    assert "Record-Sans-Bold" in fonts
    for line in fonts.splitlines()[2:]:
        assert " yes yes " in line, f"font not embedded and subset: {line}"


def test_user_text_is_printed_literally_not_as_markup(tmp_path):
    injected = "<script>alert(1)</script><b>x</b>"
    pdf = render_pdf("pdf/sample.html", sample_context(rows=1, text=injected))
    assert injected in pdf_text(pdf, tmp_path)


def test_organisation_logo_is_loaded_from_static(settings, tmp_path):
    logo = "govuk/assets/images/govuk-icon-180.png"  # any PNG among the static files will do
    assert finders.find(logo), f"{logo} is no longer among the static files: point this test at another PNG"
    settings.ORGANISATION_LOGO = ""
    without = render_pdf("pdf/sample.html", sample_context(rows=1))
    path = tmp_path / "logo.pdf"
    path.write_bytes(without)
    assert (
        "image"
        not in subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    )
    settings.ORGANISATION_LOGO = logo
    pdf = render_pdf("pdf/sample.html", sample_context(rows=1))
    path.write_bytes(pdf)
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) == 3  # two header lines, then the logo


class TestFetcher:
    def test_serves_a_static_file(self):
        response = StaticFilesOnlyFetcher().fetch(f"{BASE_URL}static/fonts/DejaVuSans.ttf")
        assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font

    def test_serves_collected_hashed_names_in_production(self, settings, tmp_path):
        settings.STATIC_ROOT = str(tmp_path)
        (tmp_path / "fonts").mkdir()
        (tmp_path / "fonts" / "DejaVuSans.0123abcd.ttf").write_bytes(b"collected")
        response = StaticFilesOnlyFetcher().fetch(f"{BASE_URL}static/fonts/DejaVuSans.0123abcd.ttf")
        assert response.read() == b"collected"

    @pytest.mark.parametrize(
        "url",
        [
            "http://169.254.169.254/latest/meta-data/",
            "https://example.com/static/fonts/DejaVuSans.ttf",
            "file:///etc/passwd",
            "file:///static/fonts/DejaVuSans.ttf",
            f"{BASE_URL}etc/passwd",
            f"{BASE_URL}static/../../../../etc/passwd",
            f"{BASE_URL}static/fonts/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            f"{BASE_URL}static//etc/passwd",
            f"{BASE_URL}static/no-such-file.css",
            "data:text/plain,hello",
            "ftp://example.com/x",
        ],
    )
    def test_refuses_anything_else(self, url, no_network):
        with pytest.raises(ResourceRefused):
            StaticFilesOnlyFetcher().fetch(url)
        assert no_network == []

    @pytest.mark.parametrize(
        "src",
        ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "/etc/passwd", "../../etc/passwd"],
    )
    def test_a_document_asking_for_another_url_does_not_render(self, src, settings, no_network):
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "APP_DIRS": False,
                "OPTIONS": {
                    **settings.TEMPLATES[0]["OPTIONS"],
                    "loaders": [
                        (
                            "django.template.loaders.locmem.Loader",
                            {
                                "pdf/fetch.html": '{% extends "pdf/base.html" %}'
                                '{% block content %}<img src="{{ src }}">{% endblock %}'
                            },
                        ),
                        "django.template.loaders.filesystem.Loader",
                    ],
                },
            }
        ]
        with pytest.raises(DocumentRenderError, match="Refused"):
            render_pdf("pdf/fetch.html", {"src": src})
        assert no_network == []
