"""What the returns need about a person: recorded on their own page, optional, checked, shown only
there, logged when read, kept in history and disposed of with the case.

Issue 22: "optional and sensitive-marked fields ... with 'not known' and 'refused' as real answers,
never required to record an attempt"; "recorded, shown only where needed, logged when read,
covered by retention".
"""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from cases import retention
from cases import services as case_services
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
    "upn_status": "",
    "nhs_number": NHS,
    "nhs_number_status": "",
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


def test_not_known_and_refused_are_answers_for_the_upn_and_the_nhs_number(client, db):
    """The issue: "with 'not known' and 'refused' as real answers"; for the identifiers too."""
    child = ChildFactory()
    client.force_login(child.case.lead_practitioner)
    response = client.post(_page(child), {"upn_status": "refused", "nhs_number_status": "not_known"})
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.upn, child.upn_status, child.nhs_number, child.nhs_number_status) == (
        "",
        "refused",
        "",
        "not_known",
    )
    assert child.history.first().upn_status == "refused"
    page = client.get(_page(child)).content.decode()
    assert re.search(r'name="upn_status"[^>]*value="refused"[^>]*checked', page), page
    assert re.search(r'name="nhs_number_status"[^>]*value="not_known"[^>]*checked', page)
    # Recording the number later: "recorded" is the number itself, with no answer beside it.
    response = client.post(
        _page(child),
        {"upn_status": "recorded", "upn": UPN, "nhs_number_status": "recorded", "nhs_number": NHS},
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert (child.upn, child.upn_status, child.nhs_number, child.nhs_number_status) == (UPN, "", NHS, "")


def test_a_number_typed_with_refused_chosen_is_a_clear_error_and_nothing_is_lost(client, db):
    child = ChildFactory()
    client.force_login(child.case.lead_practitioner)
    response = client.post(
        _page(child),
        {"sex": "F", "upn_status": "refused", "upn": UPN, "nhs_number_status": "recorded", "nhs_number": ""},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "You chose &#x27;refused&#x27; for the unique pupil number: clear the number" in page
    assert "Enter the NHS number, or choose &#x27;not known&#x27; or &#x27;refused&#x27;" in page
    assert f'value="{UPN}"' in page
    child.refresh_from_db()
    assert (child.sex, child.upn, child.upn_status) == ("", "", "")


def test_a_number_and_an_answer_in_its_place_are_never_both_kept(db):
    child = ChildFactory()
    lead = child.case.lead_practitioner
    with pytest.raises(case_services.CaseError, match="NHS number is entered and 'Not known' chosen"):
        case_services.person_returns_details_record(
            person=child, by=lead, nhs_number=NHS, nhs_number_status="not_known"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(pk=child.pk).update(upn=UPN, upn_status="refused")


def test_an_attempt_is_recorded_for_a_person_with_every_returns_field_empty(db):
    """The issue: "never required to record an attempt"."""
    from engagement.models import AttemptKind, AttemptOutcome
    from engagement.services import contact_attempt_record

    child = ChildFactory()
    assert all(getattr(child, name) == "" for name in SENSITIVE_FIELDS)
    attempt = contact_attempt_record(
        case=child.case,
        by=child.case.lead_practitioner,
        kind=AttemptKind.UNANNOUNCED_VISIT,
        outcome=AttemptOutcome.SEEN,
        occurred_at=timezone.now(),
        with_person=child,
        notes="Saw Amara at home.",
    )
    assert attempt.pk and attempt.with_person == child


def test_the_answers_in_place_of_a_number_are_disposed_of_with_the_case(db):
    case = closed_case(dt.date(2019, 1, 7))
    child = case.people.get()
    case_services.person_returns_details_record(
        person=child, by=case.lead_practitioner, upn_status="refused", nhs_number_status="not_known"
    )
    assert Person.history.filter(id=child.pk, upn_status="refused").exists()
    retention.case_dispose(case=case, by=AdminFactory(), authority="Schedule 4.2", today=dt.date(2050, 1, 3))
    assert not Person.history.filter(upn_status="refused").exists()
    assert not Person.history.filter(nhs_number_status="not_known").exists()
