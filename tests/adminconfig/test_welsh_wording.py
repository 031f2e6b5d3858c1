"""An admin edits the Welsh wording of letters and agreements like the English (issue 23).

Issue 23: "Welsh versions of the letters, the working together agreement [...] ship with the
product and an admin can edit them".
"""

from django.urls import reverse

from cases.models import WrittenLanguage
from engagement.documents import services
from engagement.documents.models import AgreementTemplate, LetterStep, LetterTemplate
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory

from .conftest import form_data, last_history


def test_the_admin_lists_the_welsh_wording_beside_the_english(admin_client):
    page = admin_client.get(reverse("admin:engagement_lettertemplate_changelist")).content.decode()
    assert "Welsh (Cymraeg)" in page and "Cysylltwch â mi, os gwelwch yn dda" in page
    page = admin_client.get(reverse("admin:engagement_agreementtemplate_changelist")).content.decode()
    assert "Ein cytundeb gweithio gyda&#x27;n gilydd" in page


def test_an_admin_edits_the_welsh_day_10_letter_and_the_next_welsh_letter_uses_it(admin_client, admin_user):
    template = LetterTemplate.objects.get(step=LetterStep.DAY_10, language="cy")
    url = reverse("admin:engagement_lettertemplate_change", args=[template.pk])
    page = admin_client.get(url).content.decode()
    assert "Annwyl {recipient}," in page
    body = "Annwyl {recipient},\n\nFfoniwch {practitioner} yn {organisation}.\n\n{practitioner}"
    data = form_data(admin_client.get(url)) | {"subject": "Cysylltwch â ni", "body": body}

    assert admin_client.post(url, data).status_code == 302

    template.refresh_from_db()
    assert (template.subject, template.body, template.language) == ("Cysylltwch â ni", body, "cy")
    assert last_history(template).history_user == admin_user
    assert LetterTemplate.objects.get(step=LetterStep.DAY_10, language="en").body.startswith("Dear")
    lead = PractitionerFactory(full_name="Priya Patel")
    case = CaseFactory(lead_practitioner=lead)
    rhian = AdultFactory(case=case, full_name="Rhian Jones", written_language=WrittenLanguage.WELSH)
    letter = services.letter_draft(case=case, by=lead, step=LetterStep.DAY_10, recipient=rhian)
    assert letter.subject == "Cysylltwch â ni"
    assert letter.body.startswith("Annwyl Rhian Jones,\n\nFfoniwch Priya Patel yn ")


def test_welsh_letter_wording_is_checked_like_the_english(admin_client):
    template = LetterTemplate.objects.get(step=LetterStep.DAY_5, language="cy")
    url = reverse("admin:engagement_lettertemplate_change", args=[template.pk])
    data = form_data(admin_client.get(url)) | {"body": "Annwyl {derbynnydd},"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "{derbynnydd} is not something the service can fill in" in response.content.decode()


def test_a_second_wording_for_a_step_in_the_same_language_is_refused(admin_client):
    add = reverse("admin:engagement_lettertemplate_add")
    response = admin_client.post(
        add, {"step": "day_5", "language": "cy", "subject": "Helo", "body": "Annwyl {recipient},"}
    )

    assert response.status_code == 200
    assert "There is wording for this step in this language already" in response.content.decode()
    assert LetterTemplate.objects.filter(step="day_5", language="cy").count() == 1


def test_an_admin_edits_the_welsh_agreement_and_new_welsh_agreements_copy_it(admin_client, admin_user):
    template = AgreementTemplate.objects.get(language="cy")
    url = reverse("admin:engagement_agreementtemplate_change", args=[template.pk])
    data = form_data(admin_client.get(url)) | {"our_commitments": "Gwrando arnoch chi\nBod yn onest"}

    assert admin_client.post(url, data).status_code == 302

    template.refresh_from_db()
    assert last_history(template).history_user == admin_user
    lead = PractitionerFactory()
    case = CaseFactory(lead_practitioner=lead)
    AdultFactory(case=case, written_language=WrittenLanguage.WELSH)
    agreement = services.agreement_start(case=case, by=lead)
    assert agreement.our_commitments == "Gwrando arnoch chi\nBod yn onest"
    english = services.agreement_start(case=CaseFactory(lead_practitioner=lead), by=lead)
    assert english.our_commitments.startswith("Be respectful")
