"""What the returns need about a person: recorded on their own page, optional, checked, shown only
there, logged when read, kept in history and disposed of with the case.

Issue 22: "optional and sensitive-marked fields ... with 'not known' and 'refused' as real answers,
never required to record an attempt"; "recorded, shown only where needed, logged when read,
covered by retention".
"""

import datetime as dt

from django.urls import reverse

from cases import retention
from cases.models import SENSITIVE_FIELDS, AccessLogEntry, Person
from tests.factories import AdminFactory, CaseFactory, ChildFactory
from tests.security.test_data_safety import closed_case

UPN = "A123456789012"
NHS = "9434765919"
ANSWERS = {
    "sex": "F",
    "gender": "I",
    "ethnicity": "MWBA",
    "disability": "refused",
    "upn": UPN,
    "nhs_number": NHS,
}


def _page(person):
    return reverse("cases:person_returns", kwargs={"case_pk": person.case_id, "pk": person.pk})


def test_recorded_on_the_persons_own_page_which_logs_each_reading(client, db):
    child = ChildFactory()
    lead = child.case.lead_practitioner
    client.force_login(lead)
    before = AccessLogEntry.objects.count()
    assert client.get(_page(child)).status_code == 200
    row = AccessLogEntry.objects.order_by("-pk").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (row.user, row.case, row.what, row.object_id) == (
        lead,
        child.case,
        "person's details for returns",
        str(child.pk),
    )
    response = client.post(_page(child), {**ANSWERS, "nhs_number": "943 476 5919", "upn": "a123456789012"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert {name: getattr(child, name) for name in SENSITIVE_FIELDS} == ANSWERS
    assert child.history.first().history_user == lead
    page = client.get(_page(child)).content.decode()
    assert UPN in page and NHS in page


def test_nothing_is_required_and_not_known_and_refused_are_answers(client, db):
    child = ChildFactory()
    client.force_login(child.case.lead_practitioner)
    assert client.post(_page(child), {}).status_code == 302
    answers = {
        "sex": "U",
        "gender": "R",
        "ethnicity": "NOBT",
        "disability": "not_known",
        "upn": "",
        "nhs_number": "",
    }
    assert client.post(_page(child), answers).status_code == 302
    child.refresh_from_db()
    assert (child.sex, child.gender, child.ethnicity, child.disability) == ("U", "R", "NOBT", "not_known")


def test_a_wrong_number_is_refused_with_what_to_do_and_what_was_typed_kept(client, db):
    child = ChildFactory()
    client.force_login(child.case.lead_practitioner)
    response = client.post(_page(child), {"sex": "M", "upn": "B123456789012", "nhs_number": "9434765918"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "This is not a valid unique pupil number: check it against the school&#x27;s records" in page
    assert "This is not a valid NHS number" in page
    assert 'value="B123456789012"' in page and 'value="9434765918"' in page
    child.refresh_from_db()
    assert child.sex == ""


def test_never_shown_in_the_case_page_or_a_list_of_cases(client, db):
    child = ChildFactory(**ANSWERS)
    client.force_login(child.case.lead_practitioner)
    for url in (reverse("cases:case_detail", kwargs={"case_pk": child.case_id}), reverse("cases:my_cases")):
        page = client.get(url).content.decode()
        assert UPN not in page and NHS not in page and "White and Black African" not in page, url
    # The case page links to the person's own page for them.
    assert (
        _page(child)
        in client.get(reverse("cases:case_detail", kwargs={"case_pk": child.case_id})).content.decode()
    )


def test_a_closed_case_can_still_be_put_right_for_a_return(client, db):
    case = closed_case(dt.date(2026, 3, 2))
    child = case.people.get()
    client.force_login(case.lead_practitioner)
    assert client.post(_page(child), {"sex": "F", "ethnicity": "WBRI"}).status_code == 302
    codes = reverse("cases:case_episode_codes", kwargs={"case_pk": case.pk})
    assert client.post(codes, {"referral_reason_code": "N4", "end_reason_code": "EH1"}).status_code == 302
    case.refresh_from_db()
    assert (case.referral_reason_code, case.end_reason_code) == ("N4", "EH1")


def test_an_open_case_has_no_end_reason_yet(client, db):
    case = CaseFactory()
    client.force_login(case.lead_practitioner)
    codes = reverse("cases:case_episode_codes", kwargs={"case_pk": case.pk})
    response = client.post(codes, {"referral_reason_code": "N4", "end_reason_code": "EH1"})
    assert "This case is still open: record why the episode ended when it closes" in response.content.decode()


def test_disposed_of_with_the_case_and_its_history(db):
    case = closed_case(dt.date(2019, 1, 7))
    child = case.people.get()
    for name, value in ANSWERS.items():
        setattr(child, name, value)
    child.save()
    retention.case_dispose(case=case, by=AdminFactory(), authority="Schedule 4.2", today=dt.date(2050, 1, 3))
    assert not Person.objects.filter(upn=UPN).exists()
    assert not Person.history.filter(upn=UPN).exists()
    assert not Person.history.filter(nhs_number=NHS).exists()
