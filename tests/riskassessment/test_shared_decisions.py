"""What a multi-agency member sees of a decision: its outcome, date and what happens next.

Knowsley, Appendix 4: "LP to inform Multi Agency Meeting of agreed outcome within 5 working days".
The member sees nothing else of the case: not the reasons, not the manager's notes.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from flowchart import services as flowchart
from tests.factories import CaseFactory, CaseMembershipFactory, EpisodeFactory

LONDON = ZoneInfo("Europe/London")
ANSWERED = flowchart.Considered(mash_referral="no", multi_agency_meeting="yes", level_two="yes")


@pytest.fixture(autouse=True)
def _november(time_machine):
    """The assessment is signed on Monday 16 November 2026 (autouse: before any fixture signs it)."""
    time_machine.move_to(dt.datetime(2026, 11, 16, 10, tzinfo=LONDON), tick=False)


@pytest.fixture
def decided(family, signed, time_machine):
    """The assessment was signed and shared; a week later the manager decides, and the lead
    practitioner tells the meeting."""
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False)
    flowchart.episode_start(case=family.case, by=family.lead, day1=family.case.referral_date)
    decision = flowchart.decision_record(
        case=family.case,
        by=family.manager,
        outcome="step_down",
        reasons="Internal: dad's drinking is not evidenced.",
        options_notes="Talked through a police welfare check.",
        considered=ANSWERED,
    )
    time_machine.move_to(dt.datetime(2026, 11, 23, 11, tzinfo=LONDON), tick=False)
    flowchart.decision_share(
        decision=decision, by=family.lead, next_steps="Family Support will visit; the school stays in touch."
    )
    return decision


def test_a_member_sees_the_shared_decision_and_404_on_the_rest(client, family, signed, decided):
    client.force_login(family.member)
    listing = client.get(reverse("riskassessment:shared_list")).content.decode()
    assert "Decisions shared with you" in listing
    assert "Step down to level 2 services" in listing and "agreed on 20 November 2026" in listing
    assert "Family Support will visit; the school stays in touch." in listing
    page = client.get(reverse("riskassessment:shared_detail", kwargs={"pk": signed.pk})).content.decode()
    assert "A decision on 20 November 2026 replaced this plan: Step down to level 2 services." in page
    for html in (listing, page):
        assert "drinking" not in html and "police welfare" not in html

    c = {"case_pk": family.case.pk}
    for url in (
        reverse("cases:case_detail", kwargs=c),
        reverse("cases:case_close", kwargs=c),
        reverse("flowchart:case_flowchart", kwargs=c),
        reverse("flowchart:evidence", kwargs=c),
        reverse("flowchart:decision_record", kwargs=c),
        reverse("flowchart:decision_share", kwargs={**c, "pk": decided.pk}),
        reverse("flowchart:case_close", kwargs=c),
        reverse("flowchart:closure_request", kwargs=c),
        reverse("engagement:chronology", kwargs=c),
        reverse("riskassessment:case_assessments", kwargs=c),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("flowchart:decision_share", kwargs={**c, "pk": decided.pk})).status_code == 404


def test_an_assessment_signed_after_the_decision_is_not_marked_replaced(client, family, signed, decided):
    signed.signed_at = decided.decided_at + dt.timedelta(days=1)
    signed.save(update_fields=["signed_at"])
    client.force_login(family.member)
    page = client.get(reverse("riskassessment:shared_detail", kwargs={"pk": signed.pk})).content.decode()
    assert "replaced this plan" not in page
    assert "Decisions about this family shared with you" in page


def test_a_decision_not_yet_shared_and_a_member_who_left_see_nothing(client, family, signed, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, tzinfo=LONDON), tick=False)
    flowchart.episode_start(case=family.case, by=family.lead, day1=family.case.referral_date)
    decision = flowchart.decision_record(
        case=family.case, by=family.manager, outcome="close", reasons="x", considered=ANSWERED
    )
    client.force_login(family.member)
    assert (
        "Decisions shared with you" not in client.get(reverse("riskassessment:shared_list")).content.decode()
    )
    flowchart.decision_share(decision=decision, by=family.lead)
    assert "Close the case" in client.get(reverse("riskassessment:shared_list")).content.decode()
    family.membership.ended_at = dt.datetime(2026, 11, 21, tzinfo=LONDON)
    family.membership.save()
    assert "Close the case" not in client.get(reverse("riskassessment:shared_list")).content.decode()


def test_the_shared_list_takes_the_same_queries_for_1_and_40_decisions(
    client, family, django_assert_num_queries
):
    from tests.factories.flowchart import DecisionFactory

    client.force_login(family.member)

    def told(case):
        decision = DecisionFactory(episode=EpisodeFactory(case=case))
        flowchart.decision_share(decision=decision, by=family.lead)

    told(family.case)
    url = reverse("riskassessment:shared_list")
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(39):
        case = CaseFactory(lead_practitioner=family.lead)
        CaseMembershipFactory(case=case, user=family.member)
        told(case)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert len(re.findall(r"Close the case</strong>", html)) == 40
