import datetime as dt

import pytest
from django.urls import reverse

from cases.documents.pdf import verify_pdf
from cases.models import AccessLogEntry, Document, DocumentKind
from riskassessment import services
from riskassessment.models import AssessmentStatus, Basis, FactorSide, Timeframe
from tests.riskassessment.conftest import fill, oversee, protective, risk

from .conftest import INJECTION, pdf_text, raw_text, squeeze, stored_bytes, tampered


def _submitted(family, **overrides):
    assessment = services.assessment_start(case=family.case, by=family.lead)
    fill(assessment, family.lead, **overrides)
    services.assessment_submit(assessment=assessment, by=family.lead)
    oversee(assessment, family.manager)
    return assessment


def _sign(family, assessment):
    return services.assessment_sign(assessment=assessment, by=family.manager, typed_name="Morgan Manager")


def test_signing_prints_signs_and_keeps_the_pdf(family, tmp_path):
    assessment = _sign(family, _submitted(family))

    document = Document.objects.get()
    pdf = stored_bytes(document)
    assert document.kind == DocumentKind.ASSESSMENT
    assert document.case == family.case
    assert document.source_type == "riskassessment.assessment"
    assert document.source_id == str(assessment.pk)
    assert document.size == len(pdf)
    assert assessment.signed_document.name == document.file.name
    assert assessment.signed_document_sha256 == document.sha256

    result = verify_pdf(pdf)
    assert result.ok, result.problem
    assert result.sha256 == document.sha256

    text = " ".join(pdf_text(pdf, tmp_path).split())
    for expected in (
        "Family Engagement Risk Assessment, version 1",
        "Connor Walsh",
        "Risk and vulnerability factors",
        "Protective and resilient factors",
        "Evidenced: current",
        "Grey areas: historical",
        "Parental substance misuse",
        "Police attended twice in October.",
        "Grandmother collects the children daily",
        "The risks outweigh what protects the children",
        "Joint visit with the school nurse",
        "Discuss in supervision",
        "Manager's sign-off",
        "Morgan Manager",
        family.case.reference,
        "OFFICIAL-SENSITIVE",
    ):
        assert expected in text, expected


def test_one_changed_byte_fails_verification(family):
    _sign(family, _submitted(family))
    pdf = stored_bytes(Document.objects.get())

    result = verify_pdf(tampered(pdf))

    assert not result.ok
    assert not result.intact


def test_without_a_certificate_nothing_is_signed(family, settings, tmp_path):
    assessment = _submitted(family)
    settings.SIGNING_CERT_FILE = str(tmp_path / "missing.pem")
    settings.SIGNING_KEY_FILE = str(tmp_path / "missing-key.pem")

    with pytest.raises(services.AssessmentError, match="an admin must install the organisation's signing"):
        _sign(family, assessment)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.signed_document.name == ""
    assert not Document.objects.exists()
    assert not assessment.shares.exists()


def test_an_amended_version_gets_its_own_pdf_and_the_first_stays(family):
    first = _sign(family, _submitted(family))
    first_document = Document.objects.get()
    first_bytes = stored_bytes(first_document)

    second = services.assessment_amend(assessment=first, by=family.lead)
    services.assessment_update(
        assessment=second,
        by=family.lead,
        children=[family.child],
        assessment_date=second.assessment_date,
        participants="Priya Patel",
        with_multi_agency_meeting=True,
        service="North",
        analysis="Version two: the family now engages.",
        elevated_risk=False,
        factors=[risk(), protective()],
        plan_actions=[
            services.ActionData(
                what="Weekly call with the mother",
                who="Priya",
                by_when=dt.date(2026, 12, 8),
                review_on=dt.date(2026, 12, 22),
            )
        ],
    )
    services.assessment_submit(assessment=second, by=family.lead)
    _sign(family, second)

    assert Document.objects.count() == 2
    first_document.refresh_from_db()
    assert stored_bytes(first_document) == first_bytes
    second.refresh_from_db()
    assert second.signed_document_sha256 != first.signed_document_sha256


def test_free_text_is_printed_as_plain_text(family, tmp_path, client):
    factor = services.FactorData(
        side=FactorSide.RISK,
        timeframe=Timeframe.HISTORICAL,
        basis=Basis.EVIDENCED,
        description=f"F {INJECTION}",
        evidence=f"E {INJECTION}",
    )
    action = services.ActionData(
        what=f"A {INJECTION}",
        who=f"W {INJECTION}",
        by_when=dt.date(2026, 12, 1),
        review_on=dt.date(2026, 12, 15),
    )
    assessment = _submitted(
        family,
        participants=f"P {INJECTION}",
        service=f"S {INJECTION}",
        analysis=f"N {INJECTION}",
        factors=[factor, protective()],
        plan_actions=[action],
    )
    assessment = _sign(family, assessment)
    text = raw_text(stored_bytes(Document.objects.get()), tmp_path)
    for prefix in ("F", "E", "A", "W", "P", "S", "N"):
        assert squeeze(f"{prefix} {INJECTION}") in text, prefix

    client.force_login(family.lead)
    page = client.get(
        reverse("riskassessment:assessment_detail", kwargs={"case_pk": family.case.pk, "pk": assessment.pk})
    ).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_case_team_downloads_the_pdf_and_the_access_is_logged(family, client):
    assessment = _sign(family, _submitted(family))
    document = Document.objects.get()
    url = reverse("riskassessment:assessment_pdf", kwargs={"case_pk": family.case.pk, "pk": assessment.pk})
    client.force_login(family.lead)

    detail = client.get(
        reverse("riskassessment:assessment_detail", kwargs={"case_pk": family.case.pk, "pk": assessment.pk})
    )
    response = client.get(url)

    assert url in detail.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == stored_bytes(document)
    assert AccessLogEntry.objects.filter(user=family.lead, what="signed assessment PDF").exists()


def test_a_member_downloads_only_what_was_shared_with_them(family, client):
    assessment = _sign(family, _submitted(family))
    document = Document.objects.get()
    client.force_login(family.member)
    url = reverse("riskassessment:shared_pdf", kwargs={"pk": assessment.pk})

    page = client.get(reverse("riskassessment:shared_detail", kwargs={"pk": assessment.pk})).content.decode()
    response = client.get(url)

    assert url in page
    assert b"".join(response.streaming_content) == stored_bytes(document)
    staff_url = reverse(
        "riskassessment:assessment_pdf", kwargs={"case_pk": family.case.pk, "pk": assessment.pk}
    )
    assert client.get(staff_url).status_code == 404


def test_a_draft_has_no_pdf_to_download(family, client):
    assessment = _submitted(family)
    client.force_login(family.lead)
    url = reverse("riskassessment:assessment_pdf", kwargs={"case_pk": family.case.pk, "pk": assessment.pk})
    assert client.get(url).status_code == 404


def test_when_the_time_stamping_authority_does_not_answer_nothing_is_signed(family, settings):
    """A configured authority that is down never leaves a weaker signature in its place."""
    assessment = _submitted(family)
    settings.SIGNING_TSA_URL = "http://127.0.0.1:9/"  # the discard port: nothing listens
    settings.SIGNING_TSA_TIMEOUT = 2

    with pytest.raises(services.AssessmentError, match="the time-stamping service did not answer"):
        _sign(family, assessment)

    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert not Document.objects.exists()
