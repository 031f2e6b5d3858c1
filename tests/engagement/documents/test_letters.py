import pytest
from django.urls import reverse

from cases.documents.pdf import verify_pdf
from cases.models import Document, DocumentKind
from engagement.documents import services
from engagement.documents.models import LetterStatus, LetterStep, LetterTemplate
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt

from .conftest import INJECTION, raw_text, squeeze, stored_bytes, tampered


def _ready(family, person=None, step=LetterStep.DAY_10, **changes):
    letter = services.letter_draft(
        case=family.case, by=family.lead, step=step, recipient=person or family.parent
    )
    values = {
        "address": "14 Elm Grove\nNorthshire NS1 4AB",
        "subject": letter.subject,
        "body": "Please ring me.",
    }
    values.update(changes)
    return services.letter_update(letter=letter, by=family.lead, **values)


def test_letters_start_from_the_admins_plain_wording(family):
    day_5 = services.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_5, recipient=family.parent
    )
    day_10 = services.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_10, recipient=family.parent
    )

    assert day_5.body.startswith("Dear Dana Walsh,")
    assert "I will call again at" in day_5.body
    assert "I will visit on" in day_5.body
    assert "Priya Patel" in day_5.body
    assert "Please get in touch within 5 days" in day_10.body
    assert "{" not in day_5.body + day_10.body
    assert LetterTemplate.objects.filter(language="en").count() == 2


def test_the_gaps_must_be_filled_in_before_sending(family):
    letter = services.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_5, recipient=family.parent
    )
    services.letter_update(
        letter=letter, by=family.lead, address="1 Road", subject=letter.subject, body=letter.body
    )
    with pytest.raises(services.LetterError, match="dotted gaps"):
        services.letter_send(letter=letter, by=family.lead)


def test_sending_keeps_a_signed_pdf_and_records_the_attempt(family, tmp_path):
    letter = _ready(family, body="I called today. Please contact us within 5 days if you would like support.")

    letter = services.letter_send(letter=letter, by=family.lead)

    assert letter.status == LetterStatus.SENT
    document = Document.objects.get(kind=DocumentKind.LETTER)
    assert letter.document == document
    pdf = stored_bytes(document)
    assert verify_pdf(pdf).ok
    assert not verify_pdf(tampered(pdf)).ok
    text = raw_text(pdf, tmp_path)
    for expected in (
        "Dana Walsh",
        "14 Elm Grove",
        "Please get in touch",
        "within 5 days",
        family.case.reference,
    ):
        assert squeeze(expected) in text, expected
    attempt = ContactAttempt.objects.get()
    assert attempt == letter.contact_attempt
    assert (attempt.kind, attempt.outcome) == (AttemptKind.LETTER, AttemptOutcome.LETTER_SENT)
    assert attempt.with_person == family.parent
    assert attempt.made_by == family.lead
    with pytest.raises(services.LetterError, match="sent"):
        services.letter_update(letter=letter, by=family.lead, address="x", subject="y", body="z")
    with pytest.raises(services.LetterError):
        services.letter_send(letter=letter, by=family.lead)
    assert Document.objects.count() == 1


def test_a_domestic_abuse_concern_holds_the_letter_for_the_manager(family, client):
    letter = services.letter_send(letter=_ready(family, person=family.guarded), by=family.lead)

    assert letter.status == LetterStatus.HELD
    assert not Document.objects.exists()
    assert not ContactAttempt.objects.exists()

    client.force_login(family.lead)
    detail = reverse("engagement:letter_detail", kwargs={"case_pk": family.case.pk, "pk": letter.pk})
    page = client.get(detail).content.decode()
    assert "A letter may increase the risk" in page
    decide = reverse("engagement:letter_decide", kwargs={"case_pk": family.case.pk, "pk": letter.pk})
    assert client.get(decide).status_code == 404
    with pytest.raises(services.LetterError, match="Only the team manager"):
        services.letter_decide(letter=letter, by=family.lead, approve=True)

    client.force_login(family.manager)
    refused = client.post(decide, {"decision": "refuse"})
    assert "Say why the letter must not be sent" in refused.content.decode()
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.APPROVED and letter.decided_by == family.manager

    letter = services.letter_send(letter=letter, by=family.lead)
    assert letter.status == LetterStatus.SENT
    assert ContactAttempt.objects.get().kind == AttemptKind.LETTER


def test_a_refused_letter_is_never_sent(family):
    letter = services.letter_send(letter=_ready(family, person=family.guarded), by=family.lead)
    services.letter_decide(letter=letter, by=family.manager, approve=False, notes="Ring her at work instead.")
    letter.refresh_from_db()
    with pytest.raises(services.LetterError, match="cannot be sent"):
        services.letter_send(letter=letter, by=family.lead)
    assert not Document.objects.exists()


def test_free_text_is_printed_as_plain_text(family, tmp_path, client):
    letter = _ready(family, address=f"D {INJECTION}", subject=f"S {INJECTION}", body=f"B {INJECTION}")
    letter = services.letter_send(letter=letter, by=family.lead)
    text = raw_text(stored_bytes(letter.document), tmp_path)
    for prefix in ("D", "S", "B"):
        assert squeeze(f"{prefix} {INJECTION}") in text, prefix

    client.force_login(family.lead)
    page = client.get(
        reverse("engagement:letter_detail", kwargs={"case_pk": family.case.pk, "pk": letter.pk})
    ).content.decode()
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 3


def test_the_edit_form_keeps_what_was_typed_on_error(family, client):
    letter = services.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_10, recipient=family.parent
    )
    client.force_login(family.lead)
    url = reverse("engagement:letter_edit", kwargs={"case_pk": family.case.pk, "pk": letter.pk})

    response = client.post(url, {"address": "", "subject": "Hello", "body": "My words"})

    page = response.content.decode()
    assert "Enter the postal address" in page
    assert "govuk-error-summary" in page
    assert "My words" in page


def test_sending_from_the_page(family, client):
    letter = _ready(family)
    client.force_login(family.lead)
    url = reverse("engagement:letter_send", kwargs={"case_pk": family.case.pk, "pk": letter.pk})
    response = client.post(url, follow=True)
    assert "Letter sent" in response.content.decode()
    pdf = client.get(reverse("engagement:letter_pdf", kwargs={"case_pk": family.case.pk, "pk": letter.pk}))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")


def test_the_list_page_reads_a_fixed_number_of_queries(family, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(family.lead)
    url = reverse("engagement:letter_list", kwargs={"case_pk": family.case.pk})
    _ready(family)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    for _ in range(5):
        _ready(family, person=family.guarded)
    with django_assert_num_queries(len(queries)):
        client.get(url)
