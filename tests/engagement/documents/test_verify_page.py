from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.documents.pdf import verify_pdf
from cases.models import Document
from engagement.documents import services

from .conftest import stored_bytes, tampered

URL = reverse("engagement:document_verify")


def _signed_pdf(family):
    letter = services.letter_draft(case=family.case, by=family.lead, step="day_10", recipient=family.parent)
    services.letter_update(
        letter=letter, by=family.lead, address="1 Road", subject="Hello", body="Please ring."
    )
    return stored_bytes(services.letter_send(letter=letter, by=family.lead).document)


def _checked(client, user, pdf: bytes) -> str:
    """The verification page after `user` uploads `pdf`."""
    client.force_login(user)
    return client.post(
        URL, {"file": SimpleUploadedFile("letter.pdf", pdf, "application/pdf")}
    ).content.decode()


def test_anyone_signed_in_can_check_a_genuine_pdf(family, client):
    pdf = _signed_pdf(family)
    page = _checked(client, family.member, pdf)

    assert "The document is genuine and unchanged" in page
    assert Document.objects.get().sha256 in page
    assert Document.objects.count() == 1  # the upload is not kept


def test_a_changed_pdf_is_reported(family, client):
    pdf = tampered(_signed_pdf(family))
    page = _checked(client, family.lead, pdf)

    assert "Do not rely on this file" in page
    assert "The file has been changed since it was signed." in page


def test_no_file_gives_a_specific_error(family, client):
    client.force_login(family.lead)
    page = client.post(URL, {}).content.decode()
    assert "Select a PDF file to check" in page
    assert "govuk-error-summary" in page


def test_the_anonymous_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302


def test_the_page_reports_the_signature_level_and_the_timestamp(family, client, local_tsa):
    pdf = _signed_pdf(family)
    page = _checked(client, family.member, pdf)

    assert "The document is genuine and unchanged" in page
    assert "PAdES B-LT" in page
    assert "after the signing certificate expires" in page
    assert verify_pdf(pdf).timestamp in page


def test_without_a_time_stamping_authority_the_page_says_there_is_no_timestamp(family, client):
    pdf = _signed_pdf(family)
    page = _checked(client, family.member, pdf)

    assert "PAdES B-B" in page
    assert "there is no independent timestamp" in page
