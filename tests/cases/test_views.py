import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases.models import AccessLogEntry, CaseMembership, CaseStatus, MembershipRole, Person
from engagement.models import AttemptOutcome
from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ContactAttemptFactory,
    PractitionerFactory,
)

from .conftest import NOW


def case_urls(case, person, membership, attempt):
    """Every URL that shows or changes one case, with the methods it answers."""
    c = {"case_pk": case.pk}
    return [
        ("GET", reverse("cases:case_detail", kwargs=c)),
        ("GET", reverse("cases:case_edit", kwargs=c)),
        ("POST", reverse("cases:case_edit", kwargs=c)),
        ("GET", reverse("cases:case_close", kwargs=c)),
        ("POST", reverse("cases:case_close", kwargs=c)),
        ("GET", reverse("cases:case_reassign", kwargs=c)),
        ("POST", reverse("cases:case_reassign", kwargs=c)),
        ("GET", reverse("cases:person_add", kwargs=c | {"kind": "adult"})),
        ("POST", reverse("cases:person_add", kwargs=c | {"kind": "child"})),
        ("GET", reverse("cases:person_edit", kwargs=c | {"pk": person.pk})),
        ("POST", reverse("cases:person_edit", kwargs=c | {"pk": person.pk})),
        ("GET", reverse("cases:membership_add", kwargs=c)),
        ("POST", reverse("cases:membership_add", kwargs=c)),
        ("POST", reverse("cases:membership_end", kwargs=c | {"pk": membership.pk})),
        ("GET", reverse("engagement:chronology", kwargs=c)),
        ("GET", reverse("engagement:chronology_csv", kwargs=c)),
        ("GET", reverse("engagement:attempt_record", kwargs=c)),
        ("POST", reverse("engagement:attempt_record", kwargs=c)),
        ("GET", reverse("engagement:attempt_detail", kwargs=c | {"pk": attempt.pk})),
        ("GET", reverse("engagement:attempt_edit", kwargs=c | {"pk": attempt.pk})),
        ("POST", reverse("engagement:attempt_edit", kwargs=c | {"pk": attempt.pk})),
    ]


@pytest.fixture
def populated(case, lead):
    person = ChildFactory(case=case, full_name="Chidi Okafor")
    membership = CaseMembershipFactory(case=case, user=AgencyMemberFactory())
    attempt = ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(hours=1))
    return case_urls(case, person, membership, attempt)


def test_a_practitioner_of_another_team_gets_404_on_every_case_url(client, populated, case):
    client.force_login(PractitionerFactory(full_name="Other Team"))
    for method, url in populated:
        response = client.get(url) if method == "GET" else client.post(url, {"reason": "x", "full_name": "x"})
        assert response.status_code == 404, f"{method} {url}"
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_a_multi_agency_member_of_the_case_gets_404_on_every_case_url(client, populated, case):
    member = CaseMembership.objects.get(case=case).user
    client.force_login(member)
    for method, url in populated:
        response = client.get(url) if method == "GET" else client.post(url, {})
        assert response.status_code == 404, f"{method} {url}"


def test_case_page_shows_people_membership_and_links_and_is_logged(lead_client, case, lead, colleague):
    child = ChildFactory(case=case, full_name="Chidi Okafor", school="Oakfield Primary")
    mum = AdultFactory(
        case=case, full_name="Grace Okafor", domestic_abuse_concern=True, lives_in_household=False
    )
    mum.relationships.create(child=child, kind="mother")
    CaseMembershipFactory(case=case, user=colleague, role=MembershipRole.CO_WORKER)
    response = lead_client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk}))
    html = response.content.decode()
    for text in [
        "Chidi Okafor",
        "Oakfield Primary",
        "Mother of Chidi Okafor",
        "does not live in the household",
        "Domestic abuse concern",
        "Co-worker",
        "Tom Reid",
        "Morgan Manager",
        reverse("engagement:chronology", kwargs={"case_pk": case.pk}),
        reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}),
    ]:
        assert text in html, text
    assert "Reassign" not in html  # only the manager may
    assert AccessLogEntry.objects.filter(user=lead, case=case, what="case").count() == 1


def test_case_page_query_count_does_not_grow_with_the_family(lead_client, case, django_assert_num_queries):
    def page():
        lead_client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk}))
        with django_assert_num_queries(QUERIES_CASE_PAGE):
            return lead_client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()

    ChildFactory(case=case)
    page()
    added = []
    for n in range(5):
        adult = AdultFactory(case=case, full_name=f"Adult {n}")
        child = ChildFactory(case=case, full_name=f"Child {n}")
        adult.relationships.create(child=child, kind="mother")
        added.append((adult, child, CaseMembershipFactory(case=case)))
    html = " ".join(page().split())
    # Each adult with their own relationship, each member with their agency: read, not just counted.
    for adult, child, membership in added:
        # The relationship is under its own adult's name, before the next person's card.
        card = html.split(f"{adult.full_name} <span", 1)[1].split("govuk-summary-card__title", 1)[0]
        assert f"Mother of {child.full_name}" in card
        assert escape(f"{membership.user.full_name}, {membership.user.agency.name}") in html
    assert html.count("Mother of") == 5


# session, user, the case (read with the access check), access log, people, relationships, live
# memberships with their users and those users' agencies (cases.selectors.case_page_people), the
# lone-working warning's incident and the Supporting Families needs (engagement/case_pages.py),
# the sudden-drop warning, the flow chart's episode and open request to close the case, the latest
# quick safety scale ratings, and the session save (savepoint, update, release)
QUERIES_CASE_PAGE = 19


def _my_cases_queries(client, lead, n, django_assert_num_queries):
    for index in range(n):
        case = CaseFactory(lead_practitioner=lead, referral_date=NOW.date() - dt.timedelta(days=3))
        ChildFactory(case=case)
        ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(hours=index + 2))
        ContactAttemptFactory(
            case=case, occurred_at=NOW - dt.timedelta(hours=1), outcome=AttemptOutcome.MESSAGE_LEFT
        )
    client.get(reverse("cases:my_cases"))
    with django_assert_num_queries(QUERIES_MY_CASES):
        response = client.get(reverse("cases:my_cases"))
    assert len(response.context["cases"]) == n
    return response


# session, user, the cases with their annotations, and the session save (savepoint, update, release)
QUERIES_MY_CASES = 7


def test_my_cases_query_count_for_1_case(lead_client, lead, frozen, django_assert_num_queries):
    response = _my_cases_queries(lead_client, lead, 1, django_assert_num_queries)
    html = response.content.decode()
    assert "5 Nov 2026, 09:30" in html
    assert "Message left" in html


def test_my_cases_query_count_for_200_cases(lead_client, lead, frozen, django_assert_num_queries):
    response = _my_cases_queries(lead_client, lead, 200, django_assert_num_queries)
    assert {c.last_attempt_outcome for c in response.context["cases"]} == {AttemptOutcome.MESSAGE_LEFT}


def test_my_cases_shows_none_yet_without_attempts(lead_client, case):
    response = lead_client.get(reverse("cases:my_cases"))
    assert "None yet" in response.content.decode()


def test_edit_keeps_what_was_typed_on_an_error(lead_client, case):
    url = reverse("cases:case_edit", kwargs={"case_pk": case.pk})
    response = lead_client.get(url)
    assert 'value="Okafor family"' in response.content.decode()
    data = {
        "family_name": "Okafor-Smith family",
        "referral_date_0": "3",
        "referral_date_1": "11",
        "referral_date_2": "2026",
        "referral_source": "school",
        "referrer_name": "Mrs Shah",
        "referrer_contact": "0161 496 0000",
        "referral_reason": "Attendance has fallen; Chidi says he is tired.",
        "threshold_level": "3",
        "is_step_down": "on",
    }
    response = lead_client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter the allocated social worker" in html
    assert 'value="Okafor-Smith family"' in html
    assert "Chidi says he is tired." in html
    data["social_worker_name"] = "Jo Bennett"
    response = lead_client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.family_name == "Okafor-Smith family" and case.social_worker_name == "Jo Bennett"


def test_close_sends_the_lead_to_ask_and_the_manager_to_decide(lead_client, client, case, manager):
    """Closing is the line manager's decision: the old "Close the case" page sends a practitioner to
    ask their manager, and the manager to record the decision."""
    url = reverse("cases:case_close", kwargs={"case_pk": case.pk})
    for method in (lead_client.get, lead_client.post):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("flowchart:closure_request", kwargs={"case_pk": case.pk})
    page = lead_client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    assert "Ask your manager to close this case" in page
    client.force_login(manager)
    response = client.get(url)
    assert response["Location"] == reverse("flowchart:case_close", kwargs={"case_pk": case.pk})
    page = client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    assert "Close the case" in page and "Ask your manager" not in page
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_the_manager_reassigns_the_lead(client, case, manager, colleague, lead):
    client.force_login(lead)
    assert client.get(reverse("cases:case_reassign", kwargs={"case_pk": case.pk})).status_code == 404
    client.force_login(manager)
    url = reverse("cases:case_reassign", kwargs={"case_pk": case.pk})
    page = client.get(url).content.decode()
    assert "Tom Reid" in page and "Priya Patel (" not in page
    response = client.post(url, {})
    assert "Select the new lead practitioner" in response.content.decode()
    response = client.post(url, {"lead_practitioner": colleague.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.lead_practitioner == colleague
    detail = client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    assert "Reassign" in detail


def test_add_an_adult_with_relationships_through_the_page(lead_client, case):
    child = ChildFactory(case=case, full_name="Mia Taylor")
    url = reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "adult"})
    page = lead_client.get(url).content.decode()
    assert "Relationship to Mia Taylor" in page
    data = {
        "full_name": "Dean Taylor",
        "lives_in_household": "False",
        "phone": "07700 900123",
        "preferred_contact_method": "text",
        "language": "English",
        "prefers_verbal_communication": "on",
        f"relationship_{child.pk}": "father",
    }
    response = lead_client.post(url, {**data, "full_name": ""})
    html = response.content.decode()
    assert "Enter the adult&#x27;s full name" in html
    assert 'value="07700 900123"' in html
    response = lead_client.post(url, data)
    assert response.status_code == 302
    dean = Person.objects.get(full_name="Dean Taylor")
    assert not dean.lives_in_household and dean.prefers_verbal_communication
    assert dean.relationships.get().kind == "father"


def test_add_and_edit_a_child_through_the_page(lead_client, case):
    url = reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "child"})
    data = {
        "full_name": "Ada Okafor",
        "date_of_birth_0": "4",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2030",
        "school": "Oakfield Nursery",
        "lives_in_household": "True",
    }
    response = lead_client.post(url, data)
    assert "The child&#x27;s date of birth must be today or in the past" in response.content.decode()
    assert 'value="Oakfield Nursery"' in response.content.decode()
    data["date_of_birth_2"] = "2021"
    assert lead_client.post(url, data).status_code == 302
    ada = Person.objects.get(full_name="Ada Okafor")
    edit = reverse("cases:person_edit", kwargs={"case_pk": case.pk, "pk": ada.pk})
    assert 'value="Oakfield Nursery"' in lead_client.get(edit).content.decode()
    assert lead_client.post(edit, {**data, "school": "Oakfield Primary"}).status_code == 302
    ada.refresh_from_db()
    assert ada.school == "Oakfield Primary" and ada.history.count() == 2


def test_unknown_kind_of_person_is_not_found(lead_client, case):
    assert lead_client.get(f"/cases/{case.pk}/people/add/pet/").status_code == 404


def test_add_and_remove_a_member_through_the_page(lead_client, case, colleague):
    url = reverse("cases:membership_add", kwargs={"case_pk": case.pk})
    response = lead_client.post(url, {"user": colleague.pk, "role": MembershipRole.AGENCY_MEMBER})
    assert "not a multi-agency member" in response.content.decode()
    response = lead_client.post(url, {"user": colleague.pk, "role": MembershipRole.CO_WORKER})
    assert response.status_code == 302
    membership = CaseMembership.objects.get(case=case, user=colleague)
    end = reverse("cases:membership_end", kwargs={"case_pk": case.pk, "pk": membership.pk})
    assert lead_client.get(end).status_code == 405
    assert lead_client.post(end).status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at == NOW


def test_case_page_warns_when_the_assessment_records_an_elevated_risk(db, client):
    from tests.factories import AssessmentFactory

    assessment = AssessmentFactory(elevated_risk=True)
    case = assessment.case
    client.force_login(case.lead_practitioner)
    response = client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk}))
    assert b"elevated risk of significant harm" in response.content
    assert (
        reverse("riskassessment:case_assessments", kwargs={"case_pk": case.pk}).encode() in response.content
    )


def test_case_page_warning_follows_the_latest_version_of_the_assessment(db, client):
    """An amended assessment that no longer records an elevated risk lifts the warning."""
    from tests.factories import AssessmentFactory, CaseFactory, ManagerFactory, TeamFactory

    case = CaseFactory(team=TeamFactory(manager=ManagerFactory()))
    first = AssessmentFactory(case=case, signed=True, elevated_risk=True, version=1)
    client.force_login(case.lead_practitioner)
    url = reverse("cases:case_detail", kwargs={"case_pk": case.pk})
    assert b"The risk assessment (version 1) records an elevated risk" in client.get(url).content
    AssessmentFactory(case=case, elevated_risk=False, version=2, previous=first)
    assert b"elevated risk of significant harm" not in client.get(url).content
