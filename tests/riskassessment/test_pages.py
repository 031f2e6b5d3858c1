"""The pages: the long form round trip, lists with constant queries, the multi-agency member's view."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLogEntry
from riskassessment import services
from riskassessment.models import (
    ActionKind,
    Assessment,
    AssessmentStatus,
    Comment,
    Factor,
    FactorCategory,
    FactorSide,
    Share,
)
from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    AssessmentFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    PractitionerFactory,
)

from .conftest import fill, oversee, risk


def _url(name, assessment, **extra):
    return reverse(
        f"riskassessment:{name}", kwargs={"case_pk": assessment.case_id, "pk": assessment.pk, **extra}
    )


def _date(prefix, value):
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def _management(prefix, total, initial=0):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial)}


def _action_rows(prefix, count, ids=()):
    data = {}
    for i in range(count):
        data.update(
            {
                f"{prefix}-{i}-id": str(ids[i]) if ids else "",
                f"{prefix}-{i}-what": f"Action number {i} to take",
                f"{prefix}-{i}-who": f"Worker {i}",
                **_date(f"{prefix}-{i}-by_when", dt.date(2027, 1, 1) + dt.timedelta(days=i)),
                **_date(f"{prefix}-{i}-review_on", dt.date(2027, 2, 1) + dt.timedelta(days=i)),
            }
        )
    return data


def test_the_retired_edit_page_address_opens_the_drafts_task_list(client, family, draft):
    """Old bookmarks to the one-page edit form still reach the draft, as its task list."""
    client.force_login(family.lead)

    response = client.get(_url("assessment_edit_moved", draft))

    assert response.status_code == 302
    assert response["Location"] == _url("assessment_tasks", draft)


def test_the_retired_edit_page_address_hides_what_the_person_may_not_see(client, family, draft):
    """Another team's practitioner, a missing draft, or the draft under another case: 404. A post
    to the retired form is refused (405), so nothing typed into an old tab is dropped silently."""
    client.force_login(PractitionerFactory())
    assert client.get(_url("assessment_edit_moved", draft)).status_code == 404

    client.force_login(family.lead)
    missing = reverse(
        "riskassessment:assessment_edit_moved", kwargs={"case_pk": draft.case_id, "pk": draft.pk + 1000}
    )
    assert client.get(missing).status_code == 404
    elsewhere = CaseFactory(lead_practitioner=family.lead)
    moved = reverse("riskassessment:assessment_edit_moved", kwargs={"case_pk": elsewhere.pk, "pk": draft.pk})
    assert client.get(moved).status_code == 404
    assert client.post(_url("assessment_edit_moved", draft), {"analysis": "Typed"}).status_code == 405
    draft.refresh_from_db()
    assert draft.analysis != "Typed"


def test_the_form_warns_when_no_protective_factor_is_recorded(client, family):
    assessment = services.assessment_start(case=family.case, by=family.lead)
    client.force_login(family.lead)

    html = client.get(_url("assessment_factors", assessment, side="protective")).content.decode()
    assert "No protective factor is recorded yet" in html
    html = client.get(_url("assessment_submit", assessment)).content.decode()
    assert "No protective factor is recorded. You can still submit" in html


def test_submitting_from_the_page_then_signing_from_the_page(client, family, draft):
    client.force_login(family.lead)
    assert client.post(_url("assessment_submit", draft)).status_code == 302
    client.force_login(family.manager)
    oversight = {
        **_management("oversight", 2),
        **_action_rows("oversight", 1),
        "oversight-1-what": "",
        "then": "save",
    }
    assert client.post(_url("assessment_oversight", draft), oversight).status_code == 302

    wrong = client.post(_url("assessment_sign", draft), {"typed_name": "Someone Else"})
    assert "Type your full name exactly as Morgan Manager" in wrong.content.decode()
    response = client.post(_url("assessment_sign", draft), {"typed_name": "Morgan Manager"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SHARED
    page = client.get(_url("assessment_detail", draft)).content.decode()
    assert "Alex Adeyemi" in page and "Not yet" in page


def test_a_signed_assessment_cannot_be_edited_from_the_page(client, family, signed):
    client.force_login(family.lead)
    response = client.post(
        _url("assessment_analysis", signed), {"analysis": "Rewritten", "elevated_risk": "no"}
    )
    assert response["Location"] == _url("assessment_detail", signed)
    signed.refresh_from_db()
    assert signed.analysis.startswith("The risks outweigh")


def test_amending_shows_what_changed_between_versions(client, family, signed):
    client.force_login(family.lead)
    response = client.post(_url("assessment_amend", signed))
    new = Assessment.objects.get(previous=signed)
    assert response.url == _url("assessment_tasks", new)
    factors = {f.side: f for f in new.factors.all()}
    plan = new.actions.get(kind=ActionKind.PLAN)
    fill(
        new,
        family.lead,
        analysis="Engagement has improved since the joint visit.",
        plan_actions=[
            services.ActionData(
                id=plan.pk, what=plan.what, who=plan.who, by_when=plan.by_when, review_on=plan.review_on
            )
        ],
        factors=[
            services.FactorData(
                id=factors["risk"].pk,
                side="risk",
                timeframe="historical",
                basis="evidenced",
                description=factors["risk"].description,
                evidence=factors["risk"].evidence,
            ),
            services.FactorData(
                side="protective",
                timeframe="current",
                basis="grey_area",
                description="Mother now answers texts",
            ),
        ],
    )

    html = client.get(_url("assessment_changes", new)).content.decode()

    assert "Engagement has improved since the joint visit." in html
    assert "Historical or current" in html and "Historical" in html
    assert "Added</strong>" in html and "Mother now answers texts" in html
    assert "Removed</strong>" in html and "Grandmother collects the children daily" in html
    assert "Joint visit with the school nurse" not in html  # unchanged rows are not listed
    old_page = client.get(_url("assessment_detail", signed)).content.decode()
    assert "A later version replaces this one" in old_page
    assert "The risks outweigh" in old_page


def _signed_for(case, *, version=1, previous=None, member=None):
    now = timezone.now()
    assessment = AssessmentFactory(
        case=case,
        version=version,
        previous=previous,
        status=AssessmentStatus.SHARED,
        analysis="Signed",
        elevated_risk=False,
        submitted_at=now,
        submitted_by=case.lead_practitioner,
        signed_at=now,
        signed_by=case.team.manager,
        signed_name="Morgan Manager",
        share_due_on=dt.date(2027, 1, 4),
        shared_at=now,
    )
    if member is not None:
        membership = case.memberships.get(user=member)
        Share.objects.create(
            assessment=assessment,
            team=assessment.case.team,
            member=member,
            membership=membership,
            due_on=dt.date(2027, 1, 4),
        )
    return assessment


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_case_list_of_versions_takes_the_same_queries_for_1_and_200(
    client, family, django_assert_num_queries
):
    client.force_login(family.lead)
    url = reverse("riskassessment:case_assessments", kwargs={"case_pk": family.case.pk})
    previous = _signed_for(family.case, member=family.member)
    one = _count(client, url)
    for version in range(2, 201):
        previous = _signed_for(family.case, version=version, previous=previous, member=family.member)

    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.content.decode().count("Version ") >= 200


def test_the_shared_list_takes_the_same_queries_for_1_and_200(client, family, django_assert_num_queries):
    client.force_login(family.member)
    url = reverse("riskassessment:shared_list")
    _signed_for(family.case, member=family.member)
    one = _count(client, url)
    for _ in range(199):
        case = CaseFactory(lead_practitioner=family.lead)
        CaseMembershipFactory(case=case, user=family.member)
        _signed_for(case, member=family.member)

    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(re.findall(r"/assessments/shared/\d+/", response.content.decode())) == 200


# The multi-agency member sees only what was shared with them.


@pytest.fixture
def member_client(client, family):
    client.force_login(family.member)
    return client


def test_the_member_reads_a_shared_assessment_and_opening_is_recorded(member_client, family, signed):
    AdultFactory(case=family.case, full_name="Siobhan Walsh", phone="07700 900123")

    response = member_client.get(reverse("riskassessment:shared_detail", kwargs={"pk": signed.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The risks outweigh" in html and "Connor Walsh" in html
    assert "07700 900123" not in html and "Siobhan Walsh" not in html  # nothing else of the case
    assert "2012" not in html  # not even a child's date of birth
    assert "@media print" in html
    share = Share.objects.get(assessment=signed, member=family.member)
    assert share.opened_at is None  # reading changes no record but the access log
    assert AccessLogEntry.objects.filter(
        user=family.member, case=family.case, object_id=str(signed.pk)
    ).exists()
    listing = member_client.get(reverse("riskassessment:shared_list")).content.decode()
    assert f"/assessments/shared/{signed.pk}/" in listing


def test_the_member_acknowledges_and_comments_and_the_team_sees_both(member_client, client, family, signed):
    url = reverse("riskassessment:shared_acknowledge", kwargs={"pk": signed.pk})
    assert member_client.post(url).status_code == 302
    empty = member_client.post(
        reverse("riskassessment:shared_comment", kwargs={"pk": signed.pk}), {"body": ""}
    )
    assert empty.status_code == 200 and "Enter your comment" in empty.content.decode()
    member_client.post(
        reverse("riskassessment:shared_comment", kwargs={"pk": signed.pk}),
        {"body": "Connor is settled at school."},
    )

    assert Share.objects.get(assessment=signed).acknowledged_at is not None
    assert Comment.objects.get().author == family.member
    for who in (family.lead, family.manager):
        client.force_login(who)
        html = client.get(_url("assessment_detail", signed)).content.decode()
        assert "Connor is settled at school." in html


def test_the_member_gets_404_for_anything_not_shared_with_them(member_client, family, signed):
    # Another case's assessment, shared with someone else.
    other_member = AgencyMemberFactory()
    other_case = CaseFactory(lead_practitioner=family.lead)
    ChildFactory(case=other_case)
    CaseMembershipFactory(case=other_case, user=other_member)
    other = services.assessment_start(case=other_case, by=family.lead)
    fill(other, family.lead)
    services.assessment_submit(assessment=other, by=family.lead)
    oversee(other, family.manager)
    services.assessment_sign(assessment=other, by=family.manager, typed_name="Morgan Manager")
    # A draft on their own case: version 2 of the shared one.
    draft = services.assessment_start(case=CaseFactory(lead_practitioner=family.lead), by=family.lead)
    amended = services.assessment_amend(assessment=signed, by=family.lead)

    for pk in (other.pk, draft.pk, amended.pk, 999_999):
        for name, method in (
            ("shared_detail", "get"),
            ("shared_acknowledge", "post"),
            ("shared_comment", "post"),
        ):
            url = reverse(f"riskassessment:{name}", kwargs={"pk": pk})
            assert getattr(member_client, method)(url, {"body": "x"}).status_code == 404, (name, pk)
    for url in (
        _url("assessment_detail", signed),
        reverse("riskassessment:case_assessments", kwargs={"case_pk": family.case.pk}),
        reverse("cases:case_detail", kwargs={"case_pk": family.case.pk}),
    ):
        assert member_client.get(url).status_code == 404
    listing = member_client.get(reverse("riskassessment:shared_list")).content.decode()
    assert f"/assessments/shared/{other.pk}/" not in listing


def test_a_member_who_has_left_the_case_loses_sight_of_it(member_client, family, signed):
    family.membership.ended_at = timezone.now()
    family.membership.save()

    assert (
        member_client.get(reverse("riskassessment:shared_detail", kwargs={"pk": signed.pk})).status_code
        == 404
    )
    assert (
        "Nothing has been shared with you yet"
        in member_client.get(reverse("riskassessment:shared_list")).content.decode()
    )


def test_a_retired_example_factor_stays_on_the_factors_that_use_it(client, family):
    assessment = services.assessment_start(case=family.case, by=family.lead)
    retired = FactorCategory.objects.filter(kind="risk").first()
    fill(assessment, family.lead, factors=[risk(category=retired)])
    used = Factor.objects.get(assessment=assessment, side=FactorSide.RISK)
    FactorCategory.objects.filter(pk=retired.pk).update(is_active=False)
    client.force_login(family.lead)

    change = _url("assessment_factor_change", assessment, side="risk", factor_pk=used.pk)
    assert f'<option value="{retired.pk}" selected>' in client.get(change).content.decode()
    new = services.assessment_start(case=CaseFactory(lead_practitioner=family.lead), by=family.lead)
    add = _url("assessment_factor_add", new, side="risk")
    assert f'<option value="{retired.pk}"' not in client.get(add).content.decode()


@pytest.mark.parametrize(
    ("section", "overrides", "message"),
    [
        (
            "assessment_about",
            {"assessment_date_0": "1", "assessment_date_1": "1", "assessment_date_2": "0001"},
            "The date of the assessment must be on or after 1 January 2000",
        ),
        (
            "assessment_about",
            {"assessment_date_2": "9" * 30},
            "The year of the date of the assessment must include 4 numbers, for example 2026",
        ),
        (
            "assessment_analysis",
            {"analysis": "a" * 10_001},
            "Analysis and conclusion must be 10,000 characters or less",
        ),
    ],
)
def test_an_impossible_date_or_an_endless_analysis_is_refused_and_kept(
    client, family, section, overrides, message
):
    """Findings 13 and 14: "an assessment dated 1/1/0001" was signed into a PDF; "2.3 MB in the
    analysis made the manager's signing take 43 s of worker CPU"."""
    assessment = services.assessment_start(case=family.case, by=family.lead)
    client.force_login(family.lead)
    typed = {
        "children": [str(c.pk) for c in family.children],
        **_date("assessment_date", dt.date(2026, 11, 20)),
        "participants": "Priya Patel, lead practitioner\nAlex Adeyemi, school",
        "with_multi_agency_meeting": "yes",
        "service": "Locality 3 outreach",
        "analysis": "A long analysis weighing everything above.",
        "elevated_risk": "no",
    }

    response = client.post(_url(section, assessment), typed | overrides)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    kept = "Locality 3 outreach" if section == "assessment_about" else "a" * 10_001
    assert kept in html, "what was typed is kept"
    assessment.refresh_from_db()
    assert assessment.analysis == "" and assessment.assessment_date.year == timezone.localdate().year
