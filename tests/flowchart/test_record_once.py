"""Recorded once: the flow chart's management oversight is the assessment's, "Inform your manager"
starts from what is recorded, the content comes before the control that signs or acknowledges it,
and the share mail names who did it."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from cases.notifications import Notification
from engagement.models import ContactAttempt
from flowchart import selectors, services
from flowchart.models import ClosureRequest, ManagerInformed, Oversight
from flowchart.services import Considered
from riskassessment import services as assessments
from riskassessment.models import AssessmentStatus
from riskassessment.selectors import assessment_view
from tests.factories import AgencyMemberFactory, CaseMembershipFactory, ContactAttemptFactory, parent_of
from tests.performance.test_list_queries import assert_same_queries
from tests.riskassessment.conftest import fill, oversee

from .conftest import at

pytestmark = pytest.mark.django_db(transaction=False)

GUIDANCE = (
    "Management oversight and decision making must be recorded on the Family Engagement Risk "
    "Assessment and the relevant electronic case file."
)


@pytest.fixture
def running(family, walk):
    """Day 6 of the flow chart, one phone call recorded, the assessment submitted to the manager."""
    walk.to(at(walk.day(6), 10))
    episode = services.episode_start(case=family.case, by=family.lead)
    ContactAttemptFactory(
        case=family.case,
        kind="phone_call",
        outcome="no_answer",
        with_person=parent_of(family.case),
        occurred_at=at(walk.day(1), 10),
    )
    services.episode_refresh(episode=episode)
    return episode


@pytest.fixture
def submitted(family, running):
    assessment = assessments.assessment_start(case=family.case, by=family.lead)
    fill(assessment, family.lead)
    return assessments.assessment_submit(assessment=assessment, by=family.lead)


def _flowchart_oversight(family):
    return services.oversight_record(
        case=family.case,
        by=family.manager,
        discussion="We agreed a joint visit with the school nurse.",
        risk_raised="yes",
        actions=[
            {
                "what": "Joint visit with the school nurse",
                "who": "Priya Patel",
                "by_when": dt.date(2026, 11, 13),
                "review_on": dt.date(2026, 11, 20),
            }
        ],
    )


def _sign_url(assessment):
    return reverse(
        "riskassessment:assessment_sign", kwargs={"case_pk": assessment.case_id, "pk": assessment.pk}
    )


def test_oversight_recorded_on_the_flow_chart_satisfies_the_assessments_sign_off(family, submitted):
    """Knowsley (000, section 5): "Management oversight and decision making must be recorded on the
    Family Engagement Risk Assessment and the relevant electronic case file." Recorded once on the
    case file (the flow chart), it is the assessment's oversight too: the manager signs without
    typing it again, and the signed version's oversight table holds the actions agreed."""
    with pytest.raises(assessments.AssessmentError, match="Record at least one management oversight action"):
        assessments.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")

    _flowchart_oversight(family)
    assessments.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")

    submitted.refresh_from_db()
    assert submitted.status in (AssessmentStatus.SIGNED, AssessmentStatus.SHARED)
    assert not submitted.actions.filter(kind="oversight").exists()  # nothing typed twice
    view = assessment_view(submitted)
    assert [a.what for a in view.all_oversight_actions] == ["Joint visit with the school nurse"]
    assert [table.heading for table, rows in view.action_tables if rows and table.kind == "oversight"] == [
        "Management oversight"
    ]


def test_oversight_before_this_version_was_started_or_after_it_was_signed_does_not_count(
    family, running, walk
):
    """Each version of the assessment has its own oversight (GUIDANCE): an earlier discussion
    does not sign a later version, and a later one does not change what was signed."""
    _flowchart_oversight(family)
    walk.to(at(walk.day(6), 11))
    assessment = assessments.assessment_start(case=family.case, by=family.lead)
    fill(assessment, family.lead)
    assessments.assessment_submit(assessment=assessment, by=family.lead)
    with pytest.raises(assessments.AssessmentError, match="Record at least one management oversight action"):
        assessments.assessment_sign(assessment=assessment, by=family.manager, typed_name="Morgan Manager")

    oversee(assessment, family.manager)
    assessments.assessment_sign(assessment=assessment, by=family.manager, typed_name="Morgan Manager")
    assessment.refresh_from_db()
    walk.to(at(walk.day(6), 12))
    _flowchart_oversight(family)
    assert assessment_view(assessment).recorded_oversight == []


def test_the_sign_page_shows_the_oversight_recorded_and_asks_only_for_the_name(client, family, submitted):
    """One page load, one field: the oversight recorded on the flow chart is shown (GUIDANCE),
    the assessment comes before the signature, and the name is the only field asked for."""
    _flowchart_oversight(family)
    client.force_login(family.manager)

    html = client.get(_sign_url(submitted)).content.decode()

    assert "Recorded on the flow chart by Morgan Manager" in html
    assert "We agreed a joint visit with the school nurse." in html
    assert html.index("Joint visit with the school nurse") < html.index('name="typed_name"')
    assert html.index("Analysis") < html.index('name="typed_name"')  # the assessment, then the control
    fields = set(re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', html))
    assert fields - {"csrfmiddlewaretoken", "submit"} == {"typed_name"}


def test_the_sign_page_without_oversight_asks_for_it_and_not_the_name(client, family, submitted):
    client.force_login(family.manager)
    html = client.get(_sign_url(submitted)).content.decode()
    assert "No management oversight is recorded for this version yet" in html
    assert 'name="typed_name"' not in html
    oversight_url = reverse(
        "riskassessment:assessment_oversight", kwargs={"case_pk": submitted.case_id, "pk": submitted.pk}
    )
    assert oversight_url in html


def test_a_signing_error_sits_on_the_field_that_is_wrong(client, family, submitted):
    """A wrong name is the name field's error; a problem elsewhere (no oversight yet) is not
    pinned to the name, which was right."""
    client.force_login(family.manager)
    right_name = client.post(_sign_url(submitted), {"typed_name": "Morgan Manager"})
    assert right_name.status_code == 200
    form = right_name.context["form"]
    assert form.non_field_errors() == ["Record at least one management oversight action before signing"]
    assert "typed_name" not in form.errors

    _flowchart_oversight(family)
    wrong_name = client.post(_sign_url(submitted), {"typed_name": "Someone Else"})
    form = wrong_name.context["form"]
    assert form.errors["typed_name"] == ["Type your full name exactly as Morgan Manager to sign"]
    assert not form.non_field_errors()
    html = wrong_name.content.decode()
    assert 'href="#id_typed_name"' in html and "Someone Else" in html  # nothing typed is lost


def test_inform_your_manager_is_filled_in_from_the_attempts_and_the_assessment(client, family, submitted):
    """Knowsley (000, Appendix 4): "Inform Manager of non-engagement and update on what strategies
    have been tried, share the outcome of the Family Engagement Risk Assessment". Both are
    recorded already: the form starts from them for the practitioner to check and change."""
    prefill = selectors.manager_inform_prefill(family.case)
    parent = ContactAttempt.objects.get(case=family.case).with_person
    assert prefill["strategies_tried"] == f"2 Nov 2026: Telephone call with {parent.full_name} (no answer)"
    assert prefill["fera_outcome"].startswith("Family Engagement Risk Assessment version 1 (submitted")
    assert (
        "no elevated risk of significant harm; 1 risk factor(s), 1 protective factor(s)"
        in (prefill["fera_outcome"])
    )
    assert "Analysis and conclusion: The risks outweigh" in prefill["fera_outcome"]

    client.force_login(family.lead)
    url = reverse("flowchart:manager_inform", kwargs={"case_pk": family.case.pk})
    html = client.get(url).content.decode()
    assert escape(f"Telephone call with {parent.full_name}") in html
    assert "Analysis and conclusion: The risks outweigh" in html

    edited = {
        "strategies_tried": "Calls, and a visit on day 4",
        "fera_outcome": "As the assessment says",
        "risk_increased": "no",
    }
    assert client.post(url, edited).status_code == 302
    assert ManagerInformed.objects.get().strategies_tried == "Calls, and a visit on day 4"  # what was sent


def test_inform_your_manager_with_nothing_recorded_starts_empty(family, walk):
    walk.to(at(walk.day(2), 10))
    services.episode_start(case=family.case, by=family.lead)
    assert selectors.manager_inform_prefill(family.case) == {"strategies_tried": "", "fera_outcome": ""}


def test_the_partner_is_told_who_signed_and_shared_it(family, submitted):
    """The mail named the lead practitioner ("Priya Patel shared...") when the manager signed."""
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    CaseMembershipFactory(case=family.case, user=member)
    _flowchart_oversight(family)
    mail.outbox.clear()

    assessments.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")

    body = Notification.objects.get(recipient=member).body
    assert body.startswith(f"Morgan Manager signed the assessment for {family.case.reference}")
    assert "Priya Patel" not in body


def test_a_later_share_names_who_shared_it_and_who_signed(family, submitted):
    _flowchart_oversight(family)
    assessments.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")
    submitted.refresh_from_db()
    member = AgencyMemberFactory(full_name="Sam Okafor")
    CaseMembershipFactory(case=family.case, user=member)

    assessments.assessment_share(assessment=submitted, by=family.lead)

    body = Notification.objects.get(recipient=member).body
    assert body.startswith(
        f"Priya Patel shared the assessment for {family.case.reference}, signed by Morgan Manager."
    )


def test_the_assessment_page_shows_the_assessment_before_the_managers_controls(client, family, submitted):
    """Content first (issue 20): the manager reads the assessment before the link that signs it."""
    client.force_login(family.manager)
    html = client.get(
        reverse("riskassessment:assessment_detail", kwargs={"case_pk": submitted.case_id, "pk": submitted.pk})
    ).content.decode()
    control = html.index(_sign_url(submitted))
    assert html.index("The risks outweigh what protects the children") < control
    assert html.index("Joint visit with the school nurse") < control


def test_the_managers_oversight_starts_from_the_risk_answer_given_when_they_were_informed(
    client, family, running
):
    """Knowsley (000, Appendix 4): "Inform Manager of non-engagement ... does the non-engagement
    increase the risks? - Manager to record the discussion as Manager Oversight on child's
    record." The question was answered when the manager was informed: the oversight form starts
    from that answer, for the manager to keep or change, and what they post is what is recorded."""
    url = reverse("flowchart:oversight_record", kwargs={"case_pk": family.case.pk})
    client.force_login(family.manager)
    form = client.get(url).context["form"]
    assert form["risk_raised"].value() is None  # nothing answered yet: nothing chosen

    services.manager_inform(
        case=family.case,
        by=family.lead,
        strategies_tried="Calls.",
        fera_outcome="No elevated risk.",
        risk_increased="not_sure",
    )
    response = client.get(url)
    assert response.context["form"]["risk_raised"].value() == "not_sure"
    assert re.search(r'value="not_sure"\s+checked', response.content.decode())

    posted = {
        "discussion": "We agreed a joint visit.",
        "risk_raised": "yes",
        "actions-TOTAL_FORMS": "1",
        "actions-INITIAL_FORMS": "0",
        "actions-0-what": "Joint visit",
        "actions-0-who": "Priya Patel",
        **{f"actions-0-by_when_{i}": v for i, v in enumerate(("13", "11", "2026"))},
        **{f"actions-0-review_on_{i}": v for i, v in enumerate(("20", "11", "2026"))},
    }
    assert client.post(url, posted).status_code == 302
    assert Oversight.objects.get().risk_raised == "yes"  # the manager's answer, not the prefill


def test_a_request_to_close_starts_from_the_attempts_recorded(client, family, running):
    """Knowsley (000, Appendix 4): "Agree with Line Manager the next steps". The reason starts from
    the same lines as "Inform your manager" (what was tried), for the practitioner to check and
    add what has changed; the request holds what they sent."""
    url = reverse("flowchart:closure_request", kwargs={"case_pk": family.case.pk})
    client.force_login(family.lead)
    parent = ContactAttempt.objects.get(case=family.case).with_person
    lines = selectors.manager_inform_prefill(family.case)["strategies_tried"]
    assert lines == f"2 Nov 2026: Telephone call with {parent.full_name} (no answer)"

    response = client.get(url)
    assert response.context["form"]["reason"].value() == lines
    assert escape(lines) in response.content.decode()

    assert client.post(url, {"reason": "The family moved to Wales."}).status_code == 302
    assert ClosureRequest.objects.get().reason == "The family moved to Wales."


def test_telling_the_meeting_starts_from_the_decisions_next_steps(client, family, running, walk):
    """Knowsley (000, Appendix 4): "LP to inform Multi Agency Meeting of agreed outcome within 5
    working days." The decision says what happens next: the lead practitioner's message starts
    from it, dates filled in, and what they send is what the members read."""
    decision = services.decision_record(
        case=family.case,
        by=family.manager,
        outcome="continue",
        reasons="Some engagement.",
        review_on=walk.day(20),
        considered=Considered(mash_referral="no", multi_agency_meeting="yes", level_two="yes"),
    )
    url = reverse("flowchart:decision_share", kwargs={"case_pk": family.case.pk, "pk": decision.pk})
    client.force_login(family.lead)

    form = client.get(url).context["form"]
    assert form["next_steps"].value() == (
        "The lead practitioner carries on working to engage the family. The case will be reviewed "
        f"on {walk.day(20):%-d %B %Y}."
    )
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    CaseMembershipFactory(case=family.case, user=member)
    assert client.post(url, {"next_steps": "Reviewed at the next meeting."}).status_code == 302
    decision.refresh_from_db()
    assert decision.next_steps_shared == "Reviewed at the next meeting."


def _oversight_page(assessment):
    return reverse(
        "riskassessment:assessment_oversight", kwargs={"case_pk": assessment.case_id, "pk": assessment.pk}
    )


def test_the_assessments_oversight_page_shows_the_flow_charts_and_draws_no_empty_rows(
    client, family, submitted
):
    """Knowsley (000, section 5): "Management oversight and decision making must be recorded on the
    Family Engagement Risk Assessment and the relevant electronic case file." What the manager
    recorded on the flow chart is shown as the assessment's; no empty rows wait to be filled in,
    only "Add an action", which keeps what is on the page."""
    client.force_login(family.manager)
    nothing_yet = client.get(_oversight_page(submitted))
    assert len(nothing_yet.context["form"].actions.forms) == 2  # nothing recorded: rows to fill in
    assert "Recorded on the flow chart" not in nothing_yet.content.decode()

    _flowchart_oversight(family)
    response = client.get(_oversight_page(submitted))
    html = response.content.decode()
    assert "Recorded on the flow chart by Morgan Manager" in html
    assert "We agreed a joint visit with the school nurse." in html
    assert "Joint visit with the school nurse: Priya Patel, by 13 November 2026" in html
    assert response.context["form"].actions.forms == []
    assert 'name="oversight-0-what"' not in html
    assert re.search(r'name="add"\s+value="oversight"[^>]*>Add an action<', html)

    added = client.post(
        _oversight_page(submitted),
        {"oversight-TOTAL_FORMS": "0", "oversight-INITIAL_FORMS": "0", "add": "oversight"},
    )
    assert len(added.context["form"].actions.forms) == 1  # one row, on request
    assert not submitted.actions.filter(kind="oversight").exists()  # nothing saved by adding a row


def test_the_assessments_oversight_page_reads_the_flow_charts_in_the_same_queries_however_many(
    client, family, submitted, django_assert_num_queries
):
    _flowchart_oversight(family)
    client.force_login(family.manager)

    def two_more():
        _flowchart_oversight(family)
        _flowchart_oversight(family)

    html = assert_same_queries(client, _oversight_page(submitted), two_more, django_assert_num_queries)
    assert html.count("Recorded on the flow chart by Morgan Manager") == 3


def _oversight_action(what="Joint visit with the health visitor", review=("20", "11", "2026")):
    return {
        "oversight-what": what,
        "oversight-who": "Priya Patel",
        **{f"oversight-by_when_{i}": v for i, v in enumerate(("13", "11", "2026"))},
        **{f"oversight-review_on_{i}": v for i, v in enumerate(review)},
        "record_oversight": "Save the oversight action",
    }


def test_with_no_oversight_the_sign_page_asks_for_the_action_in_place_then_for_the_name(
    client, family, submitted
):
    """Knowsley (000, section 5): "Management oversight and decision making must be recorded on the
    Family Engagement Risk Assessment". With none recorded, the sign page asks for the action
    agreed where the manager is, saves it as the assessment's oversight, and then asks for the
    signature as it does when oversight is recorded."""
    client.force_login(family.manager)
    html = client.get(_sign_url(submitted)).content.decode()
    fields = set(re.findall(r'<(?:input|textarea|select)[^>]*name="([^"]+)"', html))
    assert {"oversight-what", "oversight-who", "oversight-by_when_0", "oversight-review_on_0"} <= fields
    assert 'name="typed_name"' not in html
    assert html.index("Analysis") < html.index('name="oversight-what"')  # the assessment first

    saved = client.post(_sign_url(submitted), _oversight_action())
    assert saved.status_code == 302 and saved.url == _sign_url(submitted) + "#oversight"
    [action] = submitted.actions.filter(kind="oversight")
    assert (action.what, action.who, action.by_when, action.review_on) == (
        "Joint visit with the health visitor",
        "Priya Patel",
        dt.date(2026, 11, 13),
        dt.date(2026, 11, 20),
    )
    assert submitted.status == AssessmentStatus.SUBMITTED  # saved, not signed

    html = client.get(_sign_url(submitted)).content.decode()
    assert 'name="typed_name"' in html and 'name="oversight-what"' not in html
    assert client.post(_sign_url(submitted), {"typed_name": "Morgan Manager"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status in (AssessmentStatus.SIGNED, AssessmentStatus.SHARED)


def test_a_wrong_oversight_action_on_the_sign_page_says_what_to_do_and_keeps_what_was_typed(
    client, family, submitted
):
    client.force_login(family.manager)
    response = client.post(_sign_url(submitted), _oversight_action(review=("1", "11", "2026")))

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The review date for oversight action must be on or after the date it must be done by" in html
    assert "Joint visit with the health visitor" in html  # nothing typed is lost
    assert not response.context["form"].is_bound  # the signature was not asked for
    assert not submitted.actions.filter(kind="oversight").exists()
