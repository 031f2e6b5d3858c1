"""Letters and working together agreements in Welsh for a person who chose Welsh (issue 23).

Issue 23: "Welsh councils must ask a person's language and send system-generated letters in
Welsh"; "a family-facing message or document goes in the person's language". Knowsley 000,
Appendix 4, day 10: "Send the family a letter asking them to contact us within 5 days".
"""

import importlib
import re
from io import BytesIO

import pytest
from django.apps import apps
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from cases.documents.pdf import verify_pdf
from cases.models import Document, DocumentKind, WrittenLanguage
from engagement.documents import services
from engagement.documents.models import (
    AgreementStatus,
    AgreementTemplate,
    LetterStatus,
    LetterStep,
    LetterTemplate,
    SignatureMethod,
    SignatureRole,
)

from .conftest import pdf_text, stored_bytes

welsh_wording = importlib.import_module("engagement.migrations.0017_welsh_wording")

DOTS = re.compile(r"\.{5,}")


def _lang(pdf: bytes) -> str:
    """The document language the PDF declares (its catalogue's /Lang), as PDF/UA asks."""
    return str(PdfFileReader(BytesIO(pdf)).root["/Lang"])


def _text(pdf: bytes, tmp_path) -> str:
    return " ".join(pdf_text(pdf, tmp_path).split())


@pytest.fixture
def welsh(family):
    family.parent.written_language = WrittenLanguage.WELSH
    family.parent.save()
    return family


def _send_letter(family, step=LetterStep.DAY_10):
    letter = services.letter_draft(case=family.case, by=family.lead, step=step, recipient=family.parent)
    letter = services.letter_update(
        letter=letter,
        by=family.lead,
        address="14 Stryd y Castell\nCaerdydd CF10 1AA",
        subject=letter.subject,
        body=DOTS.sub("01632 960123", letter.body),
    )
    return services.letter_send(letter=letter, by=family.lead)


def test_a_welsh_day_10_letter_is_written_signed_and_printed_in_welsh(welsh, tmp_path):
    """Issue 23, must show: "A Welsh day-10 letter rendered, signed and checked with pdftotext"."""
    letter = _send_letter(welsh)

    assert letter.status == LetterStatus.SENT
    assert letter.language == WrittenLanguage.WELSH
    pdf = stored_bytes(Document.objects.get(kind=DocumentKind.LETTER))
    assert verify_pdf(pdf).ok
    assert _lang(pdf) == "cy"
    text = _text(pdf, tmp_path)
    for welsh_words in (
        "Cysylltwch â mi, os gwelwch yn dda",  # the heading
        "Annwyl Dana Walsh,",
        "Fy enw i yw Priya Patel",
        "Cysylltwch â mi o fewn 5 diwrnod",
        "Gyda dymuniadau gorau,",
        f"Achos {welsh.case.reference}",  # the running header
        "Tudalen 1 o 1",  # the page numbers
    ):
        assert welsh_words in text, welsh_words
    # The date in Welsh: the month's Welsh name (Ionawr ... Rhagfyr), not the English one.
    assert re.search(
        r"\b\d{1,2} (Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) \d{4}\b",
        text,
    )
    for english in (
        "Dear",
        "Please get in touch",
        "My name is",
        "within 5 days",
        "With best wishes",
        "Page 1 of",
        "Case ",
        "January|February|March|April|June|July|August|September|October|November|December",
    ):
        assert not re.search(english, text), english


def test_a_letter_to_someone_who_chose_english_stays_english(family, tmp_path):
    letter = _send_letter(family)

    assert letter.language == WrittenLanguage.ENGLISH
    pdf = stored_bytes(letter.document)
    assert _lang(pdf) == "en-GB"
    text = _text(pdf, tmp_path)
    assert "Dear Dana Walsh," in text and "Page 1 of 1" in text
    assert "Annwyl" not in text


def test_the_welsh_day_5_letter_keeps_every_gap_of_the_english(welsh):
    letter = services.letter_draft(
        case=welsh.case, by=welsh.lead, step=LetterStep.DAY_5, recipient=welsh.parent
    )

    assert letter.language == WrittenLanguage.WELSH
    assert letter.subject == "Hoffwn siarad â chi"
    assert letter.body.startswith("Annwyl Dana Walsh,")
    assert "Byddaf yn galw eto am ....." in letter.body
    assert "{" not in letter.body


def test_someone_who_chose_another_language_gets_english_offering_a_translation(family):
    family.parent.written_language = WrittenLanguage.OTHER
    family.parent.language = "Polish"
    family.parent.save()
    letter = services.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_10, recipient=family.parent
    )

    assert letter.language == WrittenLanguage.ENGLISH
    letter = services.letter_update(
        letter=letter, by=family.lead, address="x", subject=letter.subject, body=letter.body, reader_note=True
    )
    assert "If you would like this letter in Polish" in letter.body


def test_a_welsh_letter_offers_easy_read_in_welsh_before_it_signs_off(welsh):
    """Coventry 001: "Consider language barriers or learning difficulties"."""
    welsh.parent.prefers_verbal_communication = True
    welsh.parent.save()
    letter = services.letter_draft(
        case=welsh.case, by=welsh.lead, step=LetterStep.DAY_10, recipient=welsh.parent
    )
    letter = services.letter_update(
        letter=letter, by=welsh.lead, address="x", subject=letter.subject, body=letter.body, reader_note=True
    )

    paragraphs = letter.body.split("\n\n")
    assert paragraphs[-3].startswith("Os hoffech gael y llythyr hwn mewn fersiwn hawdd ei ddarllen")
    assert paragraphs[-2] == "Gyda dymuniadau gorau,"
    assert "easy read" not in letter.body


def test_without_welsh_wording_a_letter_falls_back_to_english(welsh):
    LetterTemplate.objects.filter(language=WrittenLanguage.WELSH).delete()

    letter = services.letter_draft(
        case=welsh.case, by=welsh.lead, step=LetterStep.DAY_10, recipient=welsh.parent
    )

    assert letter.language == WrittenLanguage.ENGLISH
    assert letter.body.startswith("Dear Dana Walsh,")


def _sign_both(family, agreement):
    for role, extra in (
        (SignatureRole.PARENT, {"person": family.parent, "typed_name": "Dana Walsh"}),
        (SignatureRole.PRACTITIONER, {"typed_name": "Priya Patel"}),
    ):
        services.agreement_sign(
            agreement=agreement, by=family.lead, role=role, method=SignatureMethod.TYPED, **extra
        )
    agreement.refresh_from_db()
    return agreement


def test_the_agreement_is_in_welsh_for_a_parent_who_chose_welsh(welsh, tmp_path):
    """Issue 23, must show: "the agreement in Welsh for a parent who chose Welsh"."""
    agreement = services.agreement_start(case=welsh.case, by=welsh.lead)

    assert agreement.language == WrittenLanguage.WELSH
    assert agreement.title == "Ein cytundeb gweithio gyda'n gilydd"
    assert "Bod yn barchus tuag atoch chi a'ch teulu" in agreement.our_commitments
    services.agreement_update(
        agreement=agreement,
        by=welsh.lead,
        our_commitments=agreement.our_commitments,
        family_commitments=agreement.family_commitments,
        goals="Connor yn mynd i'r ysgol bob dydd",
        review_on=None,
    )
    agreement = _sign_both(welsh, agreement)

    assert agreement.status == AgreementStatus.SIGNED
    pdf = stored_bytes(agreement.document)
    assert verify_pdf(pdf).ok
    assert _lang(pdf) == "cy"
    text = _text(pdf, tmp_path)
    for welsh_words in (
        "Ein cytundeb gweithio gyda'n gilydd",
        "Walsh family, cytunwyd ar",
        "Byddwn ni'n",
        "Bod yn onest ac yn agored bob amser",
        "Rydym yn gobeithio y gallwch chi",
        "Gwneud eich gorau i ddod i unrhyw apwyntiadau",
        "Yr hyn rydym yn cytuno i weithio tuag ato",
        "Connor yn mynd i'r ysgol bob dydd",
        "Pryd y byddwn yn edrych ar hyn eto",
        "Ni osodwyd dyddiad adolygu.",
        "Drwy weithio gyda'n gilydd fel hyn",
        "Rhiant neu ofalwr",
        "Ymarferydd arweiniol",
        "Enw wedi'i deipio",
        f"Achos {welsh.case.reference}",
    ):
        assert welsh_words in text, welsh_words
    for english in (
        "We will",
        "We would hope you can",
        "agreed on",
        "What we agree",
        "No review date",
        "Parent or carer",
        "Lead practitioner",
        "Typed name",
        "Be respectful",
        "Page 1 of",
    ):
        assert english not in text, english


def test_an_english_agreement_still_reads_in_english(family, tmp_path):
    agreement = _sign_both(family, services.agreement_start(case=family.case, by=family.lead))

    pdf = stored_bytes(agreement.document)
    assert _lang(pdf) == "en-GB"
    text = _text(pdf, tmp_path)
    assert "We would hope you can" in text and "Parent or carer" in text
    assert "Byddwn" not in text


def test_the_practitioner_chooses_the_agreements_language_when_a_parent_chose_welsh(welsh, family, client):
    client.force_login(welsh.lead)
    page = client.get(
        reverse("engagement:agreement_list", kwargs={"case_pk": welsh.case.pk})
    ).content.decode()
    assert "Which language should the agreement be written in?" in page
    assert 'value="cy" checked' in page
    assert "Chose Welsh for letters and written information: Dana Walsh." in page

    response = client.post(
        reverse("engagement:agreement_start", kwargs={"case_pk": welsh.case.pk}), {"language": "en"}
    )

    assert response.status_code == 302
    agreement = welsh.case.agreements.get()
    assert agreement.language == WrittenLanguage.ENGLISH
    assert agreement.title == "Our working together agreement"


def test_no_language_choice_when_nobody_chose_welsh(family, client):
    client.force_login(family.lead)
    page = client.get(
        reverse("engagement:agreement_list", kwargs={"case_pk": family.case.pk})
    ).content.decode()
    assert "Which language should the agreement be written in?" not in page


def test_an_unknown_language_is_refused_with_a_message(family):
    with pytest.raises(services.AgreementError, match="Select the language of the agreement"):
        services.agreement_start(case=family.case, by=family.lead, language="fr")


@pytest.mark.django_db
def test_the_welsh_wording_has_exactly_the_gaps_of_the_english():
    """Placeholders stay identical: the service fills the same {gaps} in either language."""
    gaps = re.compile(r"\{[^{}]*\}")
    for step in LetterStep.values:
        english = LetterTemplate.objects.get(step=step, language="en")
        welsh = LetterTemplate.objects.get(step=step, language="cy")
        assert sorted(gaps.findall(welsh.body)) == sorted(gaps.findall(english.body))
        assert len(DOTS.findall(welsh.body)) == len(DOTS.findall(english.body))
        welsh.full_clean()
    agreement = AgreementTemplate.objects.get(language="cy")
    agreement.full_clean()
    english = AgreementTemplate.objects.get(language="en")
    assert len(agreement.our_commitments.splitlines()) == len(english.our_commitments.splitlines())
    assert len(agreement.family_commitments.splitlines()) == len(english.family_commitments.splitlines())


@pytest.mark.django_db
def test_seeding_again_adds_nothing_and_going_back_keeps_what_an_admin_changed():
    welsh_wording.seed(apps, None)
    assert LetterTemplate.objects.filter(language="cy").count() == 2
    assert AgreementTemplate.objects.filter(language="cy").count() == 1

    LetterTemplate.objects.filter(step="day_5", language="cy").update(body="Geiriau'r gweinyddwr.")
    with pytest.raises(RuntimeError, match="Welsh wording an admin has changed"):
        welsh_wording.unseed(apps, None)
    assert LetterTemplate.objects.filter(step="day_5", language="cy").exists()

    LetterTemplate.objects.filter(step="day_5", language="cy").delete()
    welsh_wording.unseed(apps, None)
    assert not LetterTemplate.objects.filter(language="cy").exists()
    assert not AgreementTemplate.objects.filter(language="cy").exists()
