"""Letter and agreement wording: changed in the admin, checked for gaps the service cannot fill."""

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils.html import escape

from engagement.documents import services as document_services
from engagement.documents.models import LETTER_PLACEHOLDERS, AgreementTemplate, LetterTemplate
from engagement.documents.selectors import SAMPLE_LETTER_VALUES
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory

from .conftest import assert_refused, form_data, last_history

DAY_5 = "Dear {recipient},\n\nI called at your home today. I am {practitioner} from {organisation}.\n\n{practitioner}"


@pytest.fixture
def letter(db):
    template, _ = LetterTemplate.objects.get_or_create(
        step="day_5", language="en", defaults={"subject": "I called to see you today", "body": DAY_5}
    )
    return template


@pytest.fixture
def agreement(db):
    template = AgreementTemplate.objects.filter(language="en").first()
    if template is None:
        template = AgreementTemplate.objects.create(
            name="Our working together agreement",
            our_commitments="Be respectful to you and your family",
            family_commitments="Try your best to attend any appointments",
        )
    return template


def _letter_url(letter):
    return reverse("admin:engagement_lettertemplate_change", args=[letter.pk])


def _agreement_url(agreement):
    return reverse("admin:engagement_agreementtemplate_change", args=[agreement.pk])


def test_letter_wording_with_every_known_gap_saves_and_is_kept_in_history(admin_client, admin_user, letter):
    body = "Dear {recipient},\n\nWe would like to help the {family_name}.\n\n{practitioner}, {organisation}"
    data = form_data(admin_client.get(_letter_url(letter))) | {
        "subject": "Help for the {family_name}",
        "body": body,
    }

    response = admin_client.post(_letter_url(letter), data)

    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.subject, letter.body) == ("Help for the {family_name}", body)
    assert last_history(letter).history_user == admin_user
    history = admin_client.get(reverse("admin:engagement_lettertemplate_history", args=[letter.pk]))
    assert "Sam Systemowner" in history.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "body",
            "Dear {child_name},\n\nPlease call us.",
            "{child_name} is not something the service can fill in: use only {family_name}, {recipient}, "
            "{practitioner} or {organisation}, or leave a dotted line (.........) for the practitioner to complete",
        ),
        (
            "subject",
            "Help for the {Family Name}",
            "{Family Name} is not something the service can fill in: write {family_name} instead",
        ),
        ("body", "   ", "Enter the wording of the letter"),
        ("subject", "", "Enter the subject of the letter"),
    ],
)
def test_letter_wording_with_an_unknown_gap_or_nothing_is_refused(
    admin_client, letter, field, value, message
):
    before = (letter.subject, letter.body)
    history_rows = letter.history.count()
    data = form_data(admin_client.get(_letter_url(letter))) | {field: value}

    response = admin_client.post(_letter_url(letter), data)

    assert_refused(response, message)
    letter.refresh_from_db()
    assert (letter.subject, letter.body) == before
    assert letter.history.count() == history_rows


def test_every_gap_the_admin_may_use_is_filled_in_on_a_new_letter(letter, pathways):
    letter.body = " ".join(f"[{{{name}}}]" for name in LETTER_PLACEHOLDERS)
    letter.save()
    lead = PractitionerFactory(full_name="Priya Patel")
    case = CaseFactory(lead_practitioner=lead, family_name="Walsh family")
    mother = AdultFactory(case=case, full_name="Dana Walsh")

    drafted = document_services.letter_draft(case=case, by=lead, step="day_5", recipient=mother)

    assert "{" not in drafted.body
    assert "[Walsh family] [Dana Walsh] [Priya Patel]" in drafted.body


def test_agreement_wording_saves_one_commitment_a_line_and_is_kept_in_history(
    admin_client, admin_user, agreement
):
    data = form_data(admin_client.get(_agreement_url(agreement))) | {
        "our_commitments": "Be honest\n\n   Listen to you   \n",
        "family_commitments": "Tell us what you need",
    }

    response = admin_client.post(_agreement_url(agreement), data)

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.our_commitments == "Be honest\nListen to you"
    assert last_history(agreement).history_user == admin_user


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "closing_words",
            "We look forward to working with the {family_name}.",
            "Remove {family_name}: nothing in this wording is filled in for you. Leave a dotted line (.........) "
            "for a gap the practitioner completes",
        ),
        ("our_commitments", " \n  \n", "Enter at least one commitment, one a line"),
        ("family_commitments", "", "Enter at least one commitment, one a line"),
        ("name", "  ", "Enter the title the agreements will have"),
    ],
)
def test_agreement_wording_with_a_gap_or_no_commitments_is_refused(
    admin_client, agreement, field, value, message
):
    before = (
        agreement.name,
        agreement.our_commitments,
        agreement.family_commitments,
        agreement.closing_words,
    )
    history_rows = agreement.history.count()
    data = form_data(admin_client.get(_agreement_url(agreement))) | {field: value}

    response = admin_client.post(_agreement_url(agreement), data)

    assert_refused(response, message)
    agreement.refresh_from_db()
    after = (agreement.name, agreement.our_commitments, agreement.family_commitments, agreement.closing_words)
    assert after == before
    assert agreement.history.count() == history_rows


# Previews with made-up sample values, never a family's.


def test_the_letter_wording_page_previews_the_letter_with_sample_values(admin_client, letter):
    letter.body = DAY_5  # the seeded wording may differ: preview known wording
    letter.save()
    # A name no help text uses as an example (the factory may draw "Smith", which one does).
    family = CaseFactory(family_name="Okonkwo-Llewellyn family").family_name

    page = admin_client.get(_letter_url(letter)).content.decode()

    assert "As a new letter starts" in page
    assert f"Dear {SAMPLE_LETTER_VALUES['recipient']}," in page
    assert f"I am {SAMPLE_LETTER_VALUES['practitioner']} from {escape(settings.ORGANISATION_NAME)}." in page
    assert escape(family) not in page


def test_a_saved_change_shows_in_the_preview(admin_client, letter):
    letter.body = "Dear {recipient},\n\nPlease call {practitioner} about the {family_name}."
    letter.save()

    page = admin_client.get(_letter_url(letter)).content.decode()

    assert "Please call Sam Practitioner about the Sample family." in page


def test_the_agreement_wording_page_previews_the_agreement(admin_client, agreement):
    page = admin_client.get(_agreement_url(agreement)).content.decode()

    assert "As a new agreement starts" in page
    first = agreement.our_commitments.splitlines()[0].strip()
    assert f"<li>{escape(first)}</li>" in page


# "Preview": the wording as typed, shown with sample values, and nothing saved or lost.


def test_preview_shows_the_letter_as_typed_with_sample_values_and_saves_nothing(admin_client, letter):
    before = (letter.subject, letter.body)
    history_rows = letter.history.count()
    # A surname of its own: a random one can be the help text's example ("Smith family").
    family = CaseFactory(surname="Adebayo-Lindqvist").family_name
    typed = "Dear {recipient},\n\nPlease call {practitioner} about the {family_name} this week."
    data = form_data(admin_client.get(_letter_url(letter))) | {
        "subject": "A word about the {family_name}",
        "body": typed,
        "_preview": "Preview",
    }

    response = admin_client.post(_letter_url(letter), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing is saved until you choose Save" in page
    assert "Please call Sam Practitioner about the Sample family this week." in page
    assert "<strong>A word about the Sample family</strong>" in page
    assert escape(typed) in page  # what was typed stays in the box, gaps and all
    assert escape(family) not in page  # sample values only, never a family's
    letter.refresh_from_db()
    assert (letter.subject, letter.body) == before
    assert letter.history.count() == history_rows
    assert not LogEntry.objects.exists()  # no change recorded either

    saved = admin_client.post(_letter_url(letter), {k: v for k, v in data.items() if k != "_preview"})
    assert saved.status_code == 302
    letter.refresh_from_db()
    assert letter.body == typed


def test_preview_of_wording_with_a_gap_the_service_cannot_fill_says_so_and_saves_nothing(
    admin_client, letter
):
    before = letter.body
    data = form_data(admin_client.get(_letter_url(letter))) | {
        "body": "Dear {child_name},\n\nPlease call us.",
        "_preview": "Preview",
    }

    response = admin_client.post(_letter_url(letter), data)

    assert_refused(response, "{child_name} is not something the service can fill in")
    assert "Please call us." in response.content.decode()
    letter.refresh_from_db()
    assert letter.body == before


def test_preview_shows_the_agreement_as_typed_and_saves_nothing(admin_client, agreement):
    before = agreement.our_commitments
    data = form_data(admin_client.get(_agreement_url(agreement))) | {
        "our_commitments": "Be honest\nListen to you",
        "_preview": "Preview",
    }

    response = admin_client.post(_agreement_url(agreement), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<li>Be honest</li><li>Listen to you</li>" in page
    agreement.refresh_from_db()
    assert agreement.our_commitments == before


def test_new_letter_wording_can_be_previewed_before_it_is_first_saved(admin_client, pathways):
    LetterTemplate.objects.filter(step="day_5").delete()
    add = reverse("admin:engagement_lettertemplate_add")
    assert "choose &#x27;Preview&#x27; to see it here" in admin_client.get(add).content.decode()

    response = admin_client.post(
        add,
        {
            "step": "day_5",
            "subject": "Hello",
            "body": "Dear {recipient},\n\nWe called.",
            "_preview": "Preview",
        },
    )

    assert response.status_code == 200
    assert "Dear Alex Sample," in response.content.decode()
    assert not LetterTemplate.objects.filter(step="day_5").exists()
