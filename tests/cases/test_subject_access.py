"""Subject access requests (issue 22): everything held about one person, across every case they
appear on, reviewed item by item and released as a signed PDF with third parties' information
left out of the file."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cases.documents.pdf import LEVEL_B_LT, verify_pdf
from cases.models import AccessLogEntry, RelationshipKind
from cases.subject_access import services
from cases.subject_access.models import (
    REDACTION_MARK,
    GatheredItem,
    GatheredPart,
    RequestStatus,
    SubjectAccessRelease,
    Whose,
)
from engagement.models import AttemptKind, AttemptOutcome
from tests.cases.documents.archival import assert_archival_and_tagged
from tests.cases.documents.conftest import local_tsa as local_tsa  # noqa: F401 (a fixture)
from tests.cases.documents.conftest import org_certificate as org_certificate  # noqa: F401
from tests.cases.documents.conftest import pdf_text
from tests.factories import (
    CaseFactory,
    ChildFactory,
    InformationGovernanceFactory,
    RelationshipFactory,
)
from tests.factories.engagement import ContactAttemptFactory
from tests.factories.riskassessment import AssessmentFactory, FactorFactory

MOTHER = "Dana Whitfield"
FATHER = "Lorcan Ashby"
BORN = dt.date(1990, 4, 12)


@pytest.fixture
def ig(db):
    return InformationGovernanceFactory(full_name="Imogen Governance")


@pytest.fixture
def family(db):
    """Dana Whitfield, on two cases: with Lorcan Ashby and their child on the first, alone with
    another child on the second."""
    first = CaseFactory(family_name="Whitfield-Ashby family", referrer_name="Rhiannon Referrer")
    child = ChildFactory(case=first, full_name="Milo Ashby")
    mother = RelationshipFactory(
        adult__case=first,
        adult__full_name=MOTHER,
        adult__date_of_birth=BORN,
        child=child,
        kind=RelationshipKind.MOTHER,
    ).adult
    father = RelationshipFactory(
        adult__case=first, adult__full_name=FATHER, child=child, kind=RelationshipKind.FATHER
    ).adult
    ContactAttemptFactory(
        case=first,
        with_person=mother,
        kind=AttemptKind.UNANNOUNCED_VISIT,
        outcome=AttemptOutcome.SEEN,
        notes="Dana said she wants help with the school run. Lorcan was out.",
    )
    ContactAttemptFactory(
        case=first,
        with_person=father,
        notes="Lorcan spoke about his drinking and his court date.",
    )
    assessment = AssessmentFactory(case=first, analysis="Dana is engaging; the worry is the home.")
    FactorFactory(assessment=assessment, description="Mother keeps the children's health appointments")
    second = CaseFactory(family_name="Whitfield family", lead_practitioner=first.lead_practitioner)
    other_child = ChildFactory(case=second, full_name="Nia Whitfield")
    mother_again = RelationshipFactory(
        adult__case=second, adult__full_name=MOTHER, adult__date_of_birth=BORN, child=other_child
    ).adult
    ContactAttemptFactory(case=second, with_person=mother_again, notes="Dana asked about nursery places.")
    return {"cases": (first, second), "mother": (mother, mother_again), "father": father}


def _open(family, ig):
    return services.request_open(
        by=ig,
        people=list(family["mother"]),
        subject_name=MOTHER,
        subject_date_of_birth=BORN,
        received_on=dt.date(2026, 3, 1),
        path="/subject-access/new/",
    )


def _review_all(record, by):
    for item in record.items.all():
        services.item_review(item=item, by=by, redact={}, reason="")


def test_everything_is_gathered_across_both_cases_the_person_appears_on(family, ig):
    """The issue: "gathers everything held about one person, on every case they appear in"."""
    record = _open(family, ig)
    first, second = family["cases"]
    items = list(record.items.all())
    by_case = {case.pk: [i.kind for i in items if i.case_id == case.pk] for case in (first, second)}
    for case in (first, second):
        assert "Personal details" in by_case[case.pk]
        assert "Referral" in by_case[case.pk]
        assert "Contact attempt" in by_case[case.pk]
    assert by_case[first.pk].count("Contact attempt") == 2
    assert "Family Engagement Risk Assessment" in by_case[first.pk]
    # Gathering read both cases: each case's access log says so.
    for case in (first, second):
        assert AccessLogEntry.objects.filter(
            case=case, user=ig, what="subject access gathering", object_id=str(record.pk)
        ).exists()


def test_third_parties_are_marked_for_redaction_by_default(family, ig):
    """The issue: "third parties' information (other family members, staff other than the
    author, referrers) is marked for redaction by default"."""
    record = _open(family, ig)
    parts = GatheredPart.objects.filter(item__request=record)
    father_name = parts.get(text=FATHER, item__kind="Family")
    assert father_name.whose == Whose.THIRD_PARTY and father_name.redact and father_name.is_name
    about_him = parts.get(text__startswith="Lorcan spoke")
    assert about_him.whose == Whose.THIRD_PARTY and about_him.redact
    assert parts.get(text="Rhiannon Referrer").redact
    own = parts.get(text__startswith="Dana said")
    assert own.whose == Whose.SUBJECT and not own.redact


def test_release_is_refused_until_every_item_is_reviewed(family, ig):
    """The issue: "Nothing is released without the review"."""
    record = _open(family, ig)
    first, *rest = list(record.items.all())
    services.item_review(item=first, by=ig, redact={}, reason="")
    with pytest.raises(services.SubjectAccessError, match=f"{len(rest)} still to review"):
        services.request_release(request=record, by=ig)
    assert not SubjectAccessRelease.objects.exists()
    assert not AccessLogEntry.objects.filter(what="subject access release").exists()


def test_the_release_button_refuses_on_the_page_before_the_review(family, ig, client):
    record = _open(family, ig)
    client.force_login(ig)
    response = client.post(reverse("subject_access:request_release", kwargs={"pk": record.pk}))
    assert response.status_code == 200
    assert "Review every item before releasing the bundle" in response.content.decode()
    record.refresh_from_db()
    assert record.status == RequestStatus.IN_REVIEW


def test_keeping_a_third_partys_information_needs_a_reason(family, ig):
    record = _open(family, ig)
    part = GatheredPart.objects.get(item__request=record, text=FATHER, item__kind="Family")
    with pytest.raises(services.SubjectAccessError, match="Say why"):
        services.item_review(item=part.item, by=ig, redact={part.pk: False}, reason="")
    services.item_review(item=part.item, by=ig, redact={part.pk: False}, reason="He consented in writing")
    part.refresh_from_db()
    assert not part.redact
    assert part.history.count() == 2  # the change is kept, with who made it
    assert part.history.first().history_user == ig


@pytest.fixture
def released(family, ig):
    record = _open(family, ig)
    _review_all(record, ig)
    release = services.request_release(request=record, by=ig)
    return record, release, release.file.open("rb").read()


def test_the_other_parent_is_redacted_in_the_released_pdf(released, family, tmp_path):
    """The issue: "a subject access request for one parent in a two-parent family: the other
    parent's name and notes about them are redacted in the released PDF (checked by reading the
    PDF's text)"."""
    record, release, pdf = released
    text = re.sub(r"\s+", " ", pdf_text(pdf, tmp_path))
    assert "Lorcan" not in text and "Ashby" not in text  # his name, and his first name in her notes
    assert "drinking" not in text and "court date" not in text  # the notes about him
    assert "Rhiannon Referrer" not in text  # the referrer
    assert "Milo" not in text  # the child is a third party too
    assert REDACTION_MARK in text
    # The requested parent's own data is present.
    assert MOTHER in text
    assert "wants help with the school run" in text
    assert "asked about nursery places" in text  # from the second case
    assert "12 April 1990" in text
    for case in family["cases"]:
        assert case.reference in text


def test_the_release_is_recorded_and_in_the_access_log(released, family, ig):
    """The issue: "recorded with who released what and when ... the access log lists the release"."""
    record, release, pdf = released
    assert release.released_by == ig and release.released_at is not None
    assert release.items_released == record.items.count()
    assert (
        release.parts_redacted == GatheredPart.objects.filter(item__request=record, redact=True).count() > 0
    )
    assert sorted(release.case_references) == sorted(c.reference for c in family["cases"])
    record.refresh_from_db()
    assert record.status == RequestStatus.RELEASED
    for case in family["cases"]:
        entry = AccessLogEntry.objects.get(case=case, what="subject access release")
        assert entry.user == ig and entry.object_id == str(release.pk)
    # Released once: it is never released again, nor its review changed.
    with pytest.raises(services.SubjectAccessError, match="released"):
        services.request_release(request=record, by=ig)
    with pytest.raises(services.SubjectAccessError, match="released"):
        services.item_review(item=record.items.first(), by=ig, redact={}, reason="")


def test_the_bundle_is_archival_tagged_and_signed(released, tmp_path):
    """As every signed PDF (docs/signed-documents.md): PDF/A identification and XMP, a structure
    tree (`Tagged: yes`), fonts embedded, nothing outside the file, and a signature `verify_pdf`
    verifies (the shared check, tests/cases/documents/archival.py)."""
    _, release, pdf = released
    assert_archival_and_tagged(pdf, tmp_path)
    result = verify_pdf(pdf)
    assert result.ok, result.problem
    assert result.sha256 == release.sha256


def test_with_a_time_stamping_authority_the_bundle_is_b_lt(family, ig, local_tsa):  # noqa: F811
    record = _open(family, ig)
    _review_all(record, ig)
    release = services.request_release(request=record, by=ig)
    result = verify_pdf(release.file.open("rb").read())
    assert result.ok, result.problem
    assert result.level == LEVEL_B_LT


def test_the_bundle_downloads_for_the_officer_and_is_logged(released, client, ig):
    record, release, pdf = released
    client.force_login(ig)
    response = client.get(reverse("subject_access:bundle_pdf", kwargs={"pk": record.pk}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert AccessLogEntry.objects.filter(
        user=ig, what="subject access bundle", object_id=str(release.pk)
    ).exists()


def test_the_officer_finds_the_person_and_opens_a_request_through_the_pages(family, ig, client):
    client.force_login(ig)
    url = (
        reverse("subject_access:request_new")
        + "?name=whitfield&date_of_birth_0=12&date_of_birth_1=4&date_of_birth_2=1990"
    )
    page = client.get(url).content.decode()
    for case in family["cases"]:
        assert case.reference in page
    assert FATHER not in page  # he does not match the search
    response = client.post(
        url,
        {
            "people": [str(p.pk) for p in family["mother"]],
            "received_on_0": "1",
            "received_on_1": "3",
            "received_on_2": "2026",
            "notes": "By email; passport seen",
        },
    )
    assert response.status_code == 302
    item = GatheredItem.objects.filter(request__subject_name=MOTHER).first()
    review_url = reverse("subject_access:item_review", kwargs={"pk": item.request_id, "item_pk": item.pk})
    assert client.get(review_url).status_code == 200
    assert client.get(reverse("home")).url == reverse("subject_access:request_list")


def test_nobody_but_the_information_governance_officer_reaches_the_pages(family, client):
    client.force_login(family["cases"][0].lead_practitioner)
    assert client.get(reverse("subject_access:request_list")).status_code == 404


def _text(item) -> str:
    return "\n".join(f"{p.label}: {p.text}" for p in item.parts.order_by("pk"))


def test_the_persons_details_for_returns_are_gathered_and_released(family, ig, tmp_path):
    """The issue: "gathers everything held about one person": the details the returns need
    (sex, gender, ethnicity, disability, UPN, NHS number) are held about her, so they are in her
    personal details as they are now, labelled as her page for returns labels them."""
    from cases.services import person_returns_details_record

    mother = family["mother"][0]
    person_returns_details_record(
        person=mother,
        by=mother.case.lead_practitioner,
        sex="F",
        gender="I",
        ethnicity="BCRB",
        disability="refused",
        upn="A123456789012",
        nhs_number="9434765919",
    )
    record = _open(family, ig)
    details = record.items.get(kind="Personal details", case=mother.case)
    parts = {p.label: p for p in details.parts.all()}
    expected = {
        "Sex": "Female",
        "Gender, if different from sex": "In another way (for example non-binary)",
        "Ethnicity": "Black or Black British: Caribbean",
        "Disability": "Refused: they chose not to say",
        "Unique pupil number (UPN)": "A123456789012",
        "NHS number": "9434765919",
    }
    for label, text in expected.items():
        assert parts[label].text == text
        assert parts[label].whose == Whose.SUBJECT and not parts[label].redact
    _review_all(record, ig)
    release = services.request_release(request=record, by=ig)
    text = re.sub(r"\s+", " ", pdf_text(release.file.open("rb").read(), tmp_path))
    for label, value in expected.items():
        assert f"{label}" in text
        assert value in text


def test_letters_agreements_documents_history_and_the_access_log_are_gathered(family, ig, tmp_path):
    """The issue: "records, attempts, assessments, letters, documents, history, the access log of
    who read their record"."""
    from django.core.files.base import ContentFile

    from cases.models import Document, DocumentKind
    from cases.services import person_returns_details_record
    from engagement.documents import services as documents
    from engagement.documents.models import LetterStep
    from tests.factories import PractitionerFactory

    first, _ = family["cases"]
    mother = family["mother"][0]
    lead = first.lead_practitioner
    documents.letter_record_outside(
        case=first,
        by=lead,
        step=LetterStep.DAY_10,
        recipient=mother,
        address="1 Canal Street",
        subject="Please contact us",
        body="Dear Dana, please ring us about the school run.",
    )
    agreement = documents.agreement_start(case=first, by=lead)
    documents.agreement_update(
        agreement=agreement,
        by=lead,
        our_commitments=agreement.our_commitments,
        family_commitments=agreement.family_commitments,
        goals="Milo gets to school on time.",
        review_on=None,
    )
    pdf = b"%PDF-1.7 a signed agreement"
    document = Document(
        case=first,
        kind=DocumentKind.AGREEMENT,
        title="The signed agreement",
        sha256="a" * 64,
        size=len(pdf),
        source_type="engagement.documents.agreement",
        source_id=str(agreement.pk),
        created_by=lead,
    )
    document.file.save("agreement.pdf", ContentFile(pdf), save=True)
    person_returns_details_record(person=mother, by=lead, sex="F")
    reader = PractitionerFactory(full_name="Rowan Reader")
    AccessLogEntry.objects.create(user=reader, case=first, what="case page", path="/cases/1/")

    record = _open(family, ig)
    on_first = {i.kind: i for i in record.items.filter(case=first)}
    assert "Dear Dana, please ring us about the school run." in _text(on_first["Letter"])
    assert "Milo gets to school on time." in _text(on_first["Working together agreement"])
    assert "The signed agreement" in _text(on_first["Signed documents"])
    assert "Sex: (blank) → F" in _text(on_first["History"])
    log = _text(on_first["Access log"])
    assert "Rowan Reader" in log and "case page" in log
    assert "Who read the record" in on_first["Access log"].title


def test_staff_other_than_the_author_are_marked_for_redaction_and_left_out(family, ig, tmp_path):
    """The issue: "third parties' information (other family members, staff other than the author,
    referrers) is marked for redaction by default"."""
    first, _ = family["cases"]
    first.social_worker_name = "Saoirse Socialworker"
    first.save()
    record = _open(family, ig)
    part = GatheredPart.objects.get(item__request=record, text="Saoirse Socialworker")
    assert part.whose == Whose.OTHER_STAFF and part.redact and part.is_name
    # The author of a record is not redacted: the lead practitioner who made the attempts.
    author = GatheredPart.objects.filter(
        item__request=record, item__kind="Contact attempt", label="Made by"
    ).first()
    assert author.whose == Whose.AUTHOR and not author.redact
    _review_all(record, ig)
    release = services.request_release(request=record, by=ig)
    text = re.sub(r"\s+", " ", pdf_text(release.file.open("rb").read(), tmp_path))
    assert "Saoirse" not in text
    assert author.text in text
