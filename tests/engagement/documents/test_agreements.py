import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from cases.documents.pdf import DocumentRenderError, ResourceRefused, verify_pdf
from cases.models import Document, DocumentKind
from engagement.documents import services
from engagement.documents.models import AgreementStatus, AgreementTemplate, SignatureMethod, SignatureRole
from engagement.documents.signature_pdf import SignatureImageFetcher, render_pdf_with_signatures
from engagement.documents.signatures import MAX_SIGNATURE_BYTES

from .conftest import INJECTION, png_data_url, raw_text, squeeze, stored_bytes, tampered


def _parent_signs(family, agreement, *, typed_name="Dana Walsh", drawing=""):
    return services.agreement_sign(
        agreement=agreement,
        by=family.lead,
        role=SignatureRole.PARENT,
        person=family.parent,
        method=SignatureMethod.DRAWN if drawing else SignatureMethod.TYPED,
        typed_name="" if drawing else typed_name,
        drawing=drawing,
    )


def _practitioner_signs(family, agreement):
    return services.agreement_sign(
        agreement=agreement,
        by=family.lead,
        role=SignatureRole.PRACTITIONER,
        method=SignatureMethod.TYPED,
        typed_name="Priya Patel",
    )


def _sign_both(family, agreement, *, drawing=""):
    _parent_signs(family, agreement, drawing=drawing)
    _practitioner_signs(family, agreement)
    agreement.refresh_from_db()
    return agreement


def test_a_new_agreement_starts_from_the_admins_wording(family):
    template = AgreementTemplate.objects.get(language="en")
    assert "Be respectful to you and your family" in template.our_commitments
    assert "Try your best to attend any appointments" in template.family_commitments

    agreement = services.agreement_start(case=family.case, by=family.lead)

    assert agreement.our_commitments == template.our_commitments
    assert agreement.family_commitments == template.family_commitments
    assert agreement.status == AgreementStatus.DRAFT


def test_two_starts_at_once_both_get_the_one_draft(family, client, monkeypatch):
    """Finding 15: "Concurrent requests give 500s: agreement start (UNIQUE ...) on any database".

    The race is played out: a colleague's start lands between this start's check for a draft and
    its insert, so the database's one-draft constraint refuses the second row.
    """
    language = services.agreement_language
    theirs = []

    def a_colleague_starts_meanwhile(case):
        # Read after the check for a draft and before the insert: the colleague's draft lands here.
        if not theirs:
            theirs.append(None)
            theirs[0] = services.agreement_start(case=family.case, by=family.lead)
        return language(case)

    monkeypatch.setattr(services, "agreement_language", a_colleague_starts_meanwhile)
    client.force_login(family.lead)
    response = client.post(reverse("engagement:agreement_start", kwargs={"case_pk": family.case.pk}))

    assert response.status_code == 302
    (draft,) = family.case.agreements.filter(status=AgreementStatus.DRAFT)
    assert draft == theirs[0]
    assert response["Location"] == reverse(
        "engagement:agreement_edit", kwargs={"case_pk": family.case.pk, "pk": draft.pk}
    )


def test_both_signatures_lock_the_agreement_and_print_it(family, tmp_path):
    agreement = services.agreement_start(case=family.case, by=family.lead)
    services.agreement_update(
        agreement=agreement,
        by=family.lead,
        our_commitments="Be respectful\nVisit when it suits you",
        family_commitments="Be honest with us",
        goals="Connor at school every day",
        review_on=dt.date(2027, 3, 1),
    )
    agreement = _sign_both(family, agreement, drawing=png_data_url())

    assert agreement.status == AgreementStatus.SIGNED
    document = Document.objects.get(kind=DocumentKind.AGREEMENT)
    assert agreement.document == document
    pdf = stored_bytes(document)
    assert verify_pdf(pdf).ok
    assert not verify_pdf(tampered(pdf)).ok
    text = raw_text(pdf, tmp_path)
    for expected in (
        "We will",
        "Visit when it suits you",
        "We would hope you can",
        "Be honest with us",
        "Connor at school every day",
        "1 March 2027",
        "Dana Walsh",
        "Drawn on screen",
        "Priya Patel",
        "Typed name",
        "North Early Help Team",
    ):
        assert squeeze(expected) in text, expected
    images = subprocess.run(
        ["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert len(images.strip().splitlines()) >= 3  # two heading lines and the drawn signature

    with pytest.raises(services.AgreementError, match="signed"):
        services.agreement_update(
            agreement=agreement,
            by=family.lead,
            our_commitments="x",
            family_commitments="y",
            goals="",
            review_on=None,
        )


def test_free_text_is_printed_as_plain_text(family, tmp_path, client):
    agreement = services.agreement_start(case=family.case, by=family.lead)
    services.agreement_update(
        agreement=agreement,
        by=family.lead,
        our_commitments=f"O {INJECTION}",
        family_commitments=f"H {INJECTION}",
        goals=f"G {INJECTION}",
        review_on=None,
    )
    _parent_signs(family, agreement, typed_name=f"T {INJECTION}")
    _practitioner_signs(family, agreement)
    agreement.refresh_from_db()
    text = raw_text(stored_bytes(agreement.document), tmp_path)
    for prefix in ("O", "H", "G", "T"):
        assert squeeze(f"{prefix} {INJECTION}") in text, prefix

    client.force_login(family.lead)
    page = client.get(
        reverse("engagement:agreement_detail", kwargs={"case_pk": family.case.pk, "pk": agreement.pk})
    ).content.decode()
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 4


def test_only_the_lead_practitioner_signs_for_the_service(family):
    agreement = services.agreement_start(case=family.case, by=family.lead)
    with pytest.raises(services.AgreementError, match="Only the lead practitioner"):
        services.agreement_sign(
            agreement=agreement,
            by=family.manager,
            role=SignatureRole.PRACTITIONER,
            method=SignatureMethod.TYPED,
            typed_name="Morgan",
        )


def test_a_signed_draft_can_no_longer_be_reworded(family):
    agreement = services.agreement_start(case=family.case, by=family.lead)
    _parent_signs(family, agreement)
    with pytest.raises(services.AgreementError, match="would change what they signed"):
        services.agreement_update(
            agreement=agreement,
            by=family.lead,
            our_commitments="x",
            family_commitments="y",
            goals="",
            review_on=None,
        )
    with pytest.raises(services.AgreementError, match="has signed already"):
        services.agreement_sign(
            agreement=agreement,
            by=family.lead,
            role=SignatureRole.PARENT,
            person=family.parent,
            method=SignatureMethod.TYPED,
            typed_name="Dana",
        )


@pytest.mark.parametrize(
    ("drawing", "message"),
    [
        ("data:image/svg+xml;base64,PHN2Zz4=", "must be a PNG"),
        ("data:image/png;base64,not base64!!", "could not be read"),
        ("data:image/png;base64," + "QUFB" * 10, "could not be read"),
        (png_data_url(fmt="JPEG").replace("image/jpeg", "image/png"), "must be a PNG"),
        ("data:image/png;base64," + "A" * (MAX_SIGNATURE_BYTES * 2), "too large"),
    ],
)
def test_a_drawn_signature_must_be_a_real_small_png(family, drawing, message):
    agreement = services.agreement_start(case=family.case, by=family.lead)
    with pytest.raises(services.AgreementError, match=message):
        services.agreement_sign(
            agreement=agreement,
            by=family.lead,
            role=SignatureRole.PARENT,
            person=family.parent,
            method=SignatureMethod.DRAWN,
            drawing=drawing,
        )
    assert not agreement.signatures.exists()


def test_the_pdf_fetcher_lets_through_only_png_data_urls():
    fetcher = SignatureImageFetcher()
    assert fetcher.fetch(png_data_url()).read().startswith(b"\x89PNG")
    for url in (
        "data:text/html;base64,PGgxPg==",
        "data:image/svg+xml,<svg/>",
        "file:///etc/passwd",
        "http://169.254.169.254/",
    ):
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_a_document_with_another_data_url_is_not_printed(db):
    with pytest.raises(DocumentRenderError):
        render_pdf_with_signatures(
            "pdf/agreement.html",
            {
                "agreement": None,
                "signers": [
                    (
                        type(
                            "S",
                            (),
                            {
                                "method": "drawn",
                                "drawing": "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
                                "name": "x",
                            },
                        )(),
                        "x",
                    )
                ],
            },
        )


def test_signing_on_the_page_without_javascript_uses_a_typed_name(family, client):
    agreement = services.agreement_start(case=family.case, by=family.lead)
    client.force_login(family.lead)
    url = reverse("engagement:agreement_sign", kwargs={"case_pk": family.case.pk, "pk": agreement.pk})

    page = client.get(url).content.decode()
    assert 'src="/static/js/signature-pad.js"' in page
    assert "onclick" not in page

    missing = client.post(url, {"role": "parent", "method": "typed", "person": family.parent.pk})
    assert "Type the full name of the person signing" in missing.content.decode()
    assert missing.context["form"]["person"].value() == str(family.parent.pk)

    client.post(
        url, {"role": "parent", "method": "typed", "person": family.parent.pk, "typed_name": "Dana Walsh"}
    )
    response = client.post(url, {"role": "practitioner", "method": "drawn", "drawing": png_data_url()})

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    signature = agreement.signatures.get(role=SignatureRole.PRACTITIONER)
    assert (
        signature.method == SignatureMethod.DRAWN
        and signature.user == family.lead
        and signature.name == "Priya Patel"
    )


def test_the_list_page_reads_a_fixed_number_of_queries(family, client, django_assert_num_queries):
    client.force_login(family.lead)
    url = reverse("engagement:agreement_list", kwargs={"case_pk": family.case.pk})
    agreement = services.agreement_start(case=family.case, by=family.lead)
    _sign_both(family, agreement)
    client.get(url)
    with django_assert_num_queries(count := _count(client, url)):
        client.get(url)
    for _ in range(3):
        _sign_both(family, services.agreement_start(case=family.case, by=family.lead))
    with django_assert_num_queries(count):
        client.get(url)


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


def test_the_signing_page_shows_the_agreement_above_who_is_signing_then_the_drawing_box(family, client):
    """Issue 20: "the parent's signing page does not show the agreement at all; the drawing box
    comes before 'who is signing'". Content first: what the parent signs is read on the page they
    sign on; who is signing, and how, come before the drawing box."""
    agreement = services.agreement_start(case=family.case, by=family.lead)
    services.agreement_update(
        agreement=agreement,
        by=family.lead,
        our_commitments=agreement.our_commitments,
        family_commitments=agreement.family_commitments,
        goals="The children get to school on time every day.",
        review_on=dt.date(2026, 12, 1),
    )
    client.force_login(family.lead)
    url = reverse("engagement:agreement_sign", kwargs={"case_pk": family.case.pk, "pk": agreement.pk})
    html = client.get(url).content.decode()
    order = [
        html.index('<h2 class="govuk-heading-m">We will</h2>'),
        html.index("Be respectful to you and your family"),
        html.index("Try your best to attend any appointments"),
        html.index("The children get to school on time every day."),
        html.index("1 December 2026"),
        html.index('id="sign-the-agreement"'),
        html.index("Who is signing"),
        html.index("How they are signing"),
        html.index("data-signature-pad"),
        html.index("Full name, typed as the signature"),
        html.index("Record the signature"),
    ]
    assert order == sorted(order)
    # An error keeps the page in the same order, with what was chosen.
    response = client.post(url, {"role": SignatureRole.PARENT, "method": SignatureMethod.TYPED})
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Select the parent or carer who is signing" in html
    assert html.index("Be respectful to you and your family") < html.index("Who is signing")
