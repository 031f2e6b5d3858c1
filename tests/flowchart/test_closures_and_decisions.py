"""Closures and decisions go through the line manager, and the agreed outcome reaches the meeting.

Knowsley, Appendix 4: "LP to discuss outcome of Family Engagement Risk Assessment with Line
Manager and future actions agreed. LP to inform Multi Agency Meeting of agreed outcome within 5
working days", and "No later than Day 15 ... Agree with Line Manager the next steps".
Everything here goes through the real services and pages, with the clock frozen.
"""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from cases import services as case_services
from cases.models import CaseStatus
from cases.notifications import Notification, NotificationKind
from flowchart import selectors, services
from flowchart.models import (
    ClosureOutcome,
    ClosureRequest,
    Decision,
    DecisionOutcome,
    Episode,
    PathwayVersion,
)
from flowchart.outcomes import CAMDEN_CODE
from flowchart.services import Considered
from insight.needs_you.selectors import needs_you
from insight.needs_you.views import PAGE_SIZE
from tests.factories import AgencyMemberFactory, CaseMembershipFactory

from .conftest import at

CHASED = ("decision_share_reminder", "decision_share_overdue")
CONSIDERED = {
    "considered_mash_referral": "no",
    "considered_multi_agency_meeting": "yes",
    "considered_level_two": "yes",
}
ANSWERED = Considered(mash_referral="no", multi_agency_meeting="yes", level_two="yes")


def date_fields(name: str, day: dt.date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


@pytest.fixture
def running(family, walk):
    """The flow chart started on Day 1, Monday 2 November 2026."""
    walk.to(at(walk.day(1), 9))
    return services.episode_start(case=family.case, by=family.lead)


def _case_notifications(case, **filters):
    return Notification.objects.filter(case=case, **filters)


# ---------------------------------------------------------------------------------------------
# 1. A case is never closed by the lead practitioner alone


def test_a_lead_practitioners_close_on_day_2_becomes_a_request_the_manager_is_told_of_once(
    family, running, walk, client
):
    """Appendix 4: "Agree with Line Manager the next steps ... Close Case". On day 2, with no
    assessment and no decision, the lead practitioner can only ask."""
    walk.to(at(walk.day(2), 11))
    with pytest.raises(case_services.CaseError, match="Only the case's line manager can close it"):
        case_services.case_close(case=family.case, by=family.lead, reason="The family moved away.")

    client.force_login(family.lead)
    close = client.get(reverse("cases:case_close", kwargs={"case_pk": family.case.pk}))
    ask = reverse("flowchart:closure_request", kwargs={"case_pk": family.case.pk})
    assert close.status_code == 302 and close["Location"] == ask
    assert "Ask your manager to close this case" in client.get(ask).content.decode()
    empty = client.post(ask, {"reason": "  "}).content.decode()
    assert "Enter why you are asking for the case to be closed" in empty
    with walk.committed():
        response = client.post(ask, {"reason": "The family moved to Wales on Saturday."})
    assert response.status_code == 302

    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.OPEN and family.case.closed_on is None
    assert Episode.objects.get(case=family.case).is_live
    request = ClosureRequest.objects.get()
    assert (request.requested_by, request.reason, request.is_open) == (
        family.lead,
        "The family moved to Wales on Saturday.",
        True,
    )
    told = Notification.objects.filter(recipient=family.manager, kind=NotificationKind.CLOSURE_REQUEST)
    assert told.count() == 1
    [email] = walk.mail_to(family.manager)
    assert family.case.reference in email.subject and "asks you to close this case" in email.subject
    # The reference, the ask and where to read the reason: never the reason (docs/security.md).
    assert "Their reason is on the request." in email.body
    assert "moved to Wales" not in email.body and family.case.family_name not in email.body
    assert reverse("flowchart:closure_decide", kwargs={"case_pk": family.case.pk, "pk": request.pk}) in (
        email.body
    )

    # A second request while the first waits is refused, saying why.
    again = client.post(ask, {"reason": "Still asking."})
    assert "already asked Morgan Manager to close this case on 3 November 2026" in again.content.decode()
    with pytest.raises(services.FlowchartError, match="wait for their decision"):
        services.closure_request_make(case=family.case, by=family.lead, reason="Still asking.")
    assert ClosureRequest.objects.count() == 1 and told.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosureRequest.objects.create(case=family.case, requested_by=family.lead, reason="Twice")


def test_the_manager_agrees_the_case_closes_the_episode_ends_and_no_reminder_follows(
    family, running, walk, client
):
    walk.to(at(walk.day(2), 11))
    request = services.closure_request_make(case=family.case, by=family.lead, reason="Moved to Wales.")
    client.force_login(family.manager)
    url = reverse("flowchart:closure_decide", kwargs={"case_pk": family.case.pk, "pk": request.pk})
    page = client.get(url).content.decode()
    assert "Decide whether to close this case" in page and "Moved to Wales." in page
    answers = {"agree": "yes", "reasons": "Confirmed with the school: moved to Cardiff.", **CONSIDERED}
    check = client.post(url, answers).content.decode()
    assert "Check your answers before recording the decision" in check
    assert "Yes, close the case" in check and "Confirmed with the school: moved to Cardiff." in check
    assert ClosureRequest.objects.get().is_open  # nothing recorded until confirmed
    with walk.committed():
        response = client.post(url, {**answers, "confirm": "yes"})
    assert response.status_code == 302

    family.case.refresh_from_db()
    assert (family.case.status, family.case.closed_on) == (CaseStatus.CLOSED, walk.day(2))
    episode = Episode.objects.get(case=family.case)
    assert (episode.ended_on, episode.end_reason, episode.next_due_on) == (walk.day(2), "decided", None)
    decision = Decision.objects.get()
    assert (decision.outcome, decision.decided_by) == (DecisionOutcome.CLOSE, family.manager)
    request.refresh_from_db()
    assert (request.outcome, request.decided_by, request.decision) == (
        ClosureOutcome.AGREED,
        family.manager,
        decision,
    )
    [answer] = Notification.objects.filter(
        recipient=family.lead, kind=NotificationKind.CLOSURE_REQUEST_DECIDED
    )
    assert "agreed" in answer.subject and "moved to Cardiff" not in answer.body

    # The closed case is nobody's live work: no reminder or escalation from any later sweep.
    closed_at = answer.created_at
    for n in range(3, 17):
        walk.to(at(walk.day(n), 9))
        walk.sweep()
    assert not Notification.objects.filter(created_at__gt=closed_at).exists()
    assert selectors.oversight_queue(family.manager) == []


def test_the_manager_does_not_agree_and_the_practitioner_is_told_why(family, running, walk, client):
    walk.to(at(walk.day(2), 11))
    request = services.closure_request_make(case=family.case, by=family.lead, reason="No answer at all.")
    client.force_login(family.manager)
    url = reverse("flowchart:closure_decide", kwargs={"case_pk": family.case.pk, "pk": request.pk})
    answers = {"agree": "no", "reasons": ""}
    assert "Enter the reasons for the decision" in client.post(url, answers).content.decode()
    answers["reasons"] = "Two days is too soon: carry on with the visits."
    check = client.post(url, answers).content.decode()
    assert "No, the case stays open" in check
    assert "Referral back to the MASH considered" not in check  # only asked when closing
    with walk.committed():
        assert client.post(url, {**answers, "confirm": "yes"}).status_code == 302

    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.OPEN
    assert Episode.objects.get(case=family.case).is_live and not Decision.objects.exists()
    request.refresh_from_db()
    assert (request.outcome, request.decision_reason) == (
        ClosureOutcome.NOT_AGREED,
        "Two days is too soon: carry on with the visits.",
    )
    [email] = [m for m in walk.mail_to(family.lead) if "request to close" in m.subject]
    assert "not agreed" in email.subject and "Two days is too soon" not in email.body
    assert "The reason is on the case." in email.body
    # Answered once: a second answer is refused; a new request can be made.
    with pytest.raises(services.FlowchartError, match="This request was answered on 3 November 2026"):
        services.closure_request_decide(request=request, by=family.manager, agree=True, reason="x")
    services.closure_request_make(case=family.case, by=family.lead, reason="Still no answer on day 2.")


def test_only_the_cases_manager_answers_a_request(family, running):
    request = services.closure_request_make(case=family.case, by=family.lead, reason="Moved away.")
    with pytest.raises(services.FlowchartError, match="Only the case's line manager"):
        services.closure_request_decide(request=request, by=family.lead, agree=True, reason="Moved.")
    with pytest.raises(services.FlowchartError, match="close it yourself"):
        services.closure_request_make(case=family.case, by=family.manager, reason="Moved away.")


def test_the_manager_closes_of_their_own_accord_through_check_answers(family, running, walk, client):
    walk.to(at(walk.day(4), 11))
    client.force_login(family.manager)
    url = reverse("flowchart:case_close", kwargs={"case_pk": family.case.pk})
    html = client.post(url, {"reasons": "Family moved away."}).content.decode()
    assert "Select whether you considered a referral back to the MASH" in html
    assert "Family moved away." in html  # kept on the error
    data = {"reasons": "Family moved away.", **CONSIDERED}
    assert "Check your answers" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 302
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.CLOSED
    assert Episode.objects.get().end_reason == "decided"


def test_a_closure_after_the_runs_decision_is_recorded_on_the_case(family, running, walk):
    """Single agency monitoring kept the case open; closing it later needs no new flow chart."""
    walk.to(at(walk.day(15), 10))
    services.decision_record(
        case=family.case,
        by=family.manager,
        outcome="single_agency",
        reasons="School monitors.",
        considered=ANSWERED,
    )
    walk.to(at(walk.day(40), 10))
    request = services.closure_request_make(case=family.case, by=family.lead, reason="Needs met.")
    services.closure_request_decide(
        request=request, by=family.manager, agree=True, reason="Attendance back to 96%.", considered=ANSWERED
    )
    family.case.refresh_from_db()
    assert (family.case.status, family.case.closure_reason) == (CaseStatus.CLOSED, "Attendance back to 96%.")
    request.refresh_from_db()
    assert request.outcome == ClosureOutcome.AGREED and request.decision is None


# ---------------------------------------------------------------------------------------------
# 2. Check your answers


def test_check_answers_shows_the_answers_and_change_keeps_them(family, running, walk, client):
    walk.to(at(walk.day(15), 10))
    client.force_login(family.manager)
    url = reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk})
    answers = {
        "outcome": "continue",
        **date_fields("review_on", dt.date(2027, 1, 4)),
        "reasons": "The family answered the day-10 letter & asked for a visit.",
        "options_notes": "Talked about a joint visit with the health visitor.",
        **CONSIDERED,
    }
    check = client.post(url, answers)
    html = check.content.decode()
    assert check.status_code == 200 and "Check your answers before recording the decision" in html
    for shown in (
        "Continue the engagement process, with a review date",
        "4 January 2027",
        "The family answered the day-10 letter &amp; asked for a visit.",
        "Talked about a joint visit with the health visitor.",
    ):
        assert shown in html
    assert html.count('name="change"') == 7  # a Change for each answer given
    assert 'formaction="#id_reasons"' in html
    assert not Decision.objects.exists()

    change = client.post(url, {**answers, "change": "reasons"}).content.decode()
    assert "There is a problem" not in change
    assert "The family answered the day-10 letter &amp; asked for a visit.</textarea>" in change
    assert re.search(r'value="continue"\s+checked="checked"', change)
    assert 'value="4"' in change and 'value="2027"' in change

    response = client.post(url, {**answers, "reasons": "Changed: they rang back.", "confirm": "yes"})
    assert response.status_code == 302
    assert Decision.objects.get().reasons == "Changed: they rang back."


def test_an_error_on_recording_shows_the_form_with_every_answer(family, running, walk, client):
    """Recorded meanwhile in another tab: the confirm fails and nothing typed is lost."""
    walk.to(at(walk.day(15), 10))
    client.force_login(family.manager)
    url = reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk})
    answers = {"outcome": "step_down", "reasons": "Level 2 can meet the needs.", **CONSIDERED}
    client.post(url, answers)  # the check page, in this tab
    services.decision_record(
        case=family.case, by=family.manager, outcome="close", reasons="x", considered=ANSWERED
    )
    html = client.post(url, {**answers, "confirm": "yes"}).content.decode()
    assert "There is a problem" in html
    assert "This case is already closed (on 20 November 2026)" in html
    assert "Level 2 can meet the needs." in html and re.search(r'value="step_down"\s+checked', html)
    assert Decision.objects.get().outcome == "close"


# ---------------------------------------------------------------------------------------------
# 3. The decisions of Appendix 4, after an escalation, and Camden's


def test_a_decision_after_an_escalation_to_the_mash_is_recorded_and_the_status_moves_on(
    family, running, walk, client
):
    """Appendix 4: "Escalate to MASH if there is an immediate safeguarding concern"; the decision
    on next steps is still the manager's to record."""
    walk.to(at(walk.day(4), 15))
    services.safeguarding_escalate(
        case=family.case, by=family.lead, concern="Bruise seen on the baby.", mash_contact="Rang at 15:00"
    )
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.ESCALATED and family.case.is_open
    assert family.case.get_status_display() == "Escalated to the MASH: awaiting the decision"
    assert Episode.objects.get().end_reason == "escalated"
    with pytest.raises(services.FlowchartError, match="records the decision before the flow chart starts"):
        services.episode_start(case=family.case, by=family.lead)

    client.force_login(family.manager)
    queue = client.get(reverse("needs_you:queue")).content.decode()
    assert "Escalated to the MASH: record the decision" in queue and family.case.reference in queue
    page = client.get(reverse("cases:case_detail", kwargs={"case_pk": family.case.pk})).content.decode()
    assert "Escalated to the MASH: awaiting the decision" in page and "Record the decision" in page

    url = reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk})
    answers = {"outcome": "step_up", "reasons": "Section 47 enquiry opened.", **CONSIDERED}
    assert client.post(url, {**answers, "confirm": "yes"}).status_code == 302
    family.case.refresh_from_db()
    assert (family.case.status, family.case.closed_on) == (CaseStatus.STEPPED_UP, walk.day(4))
    episode = Episode.objects.get()
    assert episode.end_reason == "escalated"  # history is evidence: it ended with the escalation
    assert Decision.objects.get(episode=episode).outcome == "step_up"
    with pytest.raises(services.FlowchartError, match="already stepped up"):
        services.decision_record(
            case=family.case, by=family.manager, outcome="close", reasons="x", considered=ANSWERED
        )


def test_after_an_escalation_a_decision_to_continue_opens_the_case_again(family, running, walk):
    walk.to(at(walk.day(4), 15))
    services.safeguarding_escalate(case=family.case, by=family.lead, concern="Bruise.", mash_contact="Rang.")
    services.decision_record(
        case=family.case,
        by=family.manager,
        outcome="continue",
        reasons="The MASH found no threshold for social care.",
        review_on=walk.day(20),
        considered=ANSWERED,
    )
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.OPEN
    services.episode_start(case=family.case, by=family.lead, day1=walk.day(4))


def test_single_agency_monitoring_keeps_the_case_open_and_ends_the_run(family, running, walk):
    """Appendix 4: "Single Agency monitoring"."""
    walk.to(at(walk.day(15), 10))
    services.decision_record(
        case=family.case,
        by=family.manager,
        outcome=DecisionOutcome.SINGLE_AGENCY,
        reasons="The school will monitor attendance.",
        considered=ANSWERED,
    )
    family.case.refresh_from_db()
    episode = Episode.objects.get()
    assert family.case.status == CaseStatus.OPEN and family.case.closed_on is None
    assert (episode.end_reason, episode.next_due_on) == ("decided", None)


def test_inviting_the_social_worker_needs_the_meeting_date(family, running, walk, client):
    """Appendix 4: "Invite Social Worker to attend Multi Agency Meeting meeting to discuss concerns if
    concerns may suggest level 4 but concerns are not immediate safeguarding"."""
    walk.to(at(walk.day(15), 10))
    invite = DecisionOutcome.INVITE_SOCIAL_WORKER
    with pytest.raises(services.FlowchartError, match="Enter the date of the multi-agency meeting"):
        services.decision_record(
            case=family.case, by=family.manager, outcome=invite, reasons="x", considered=ANSWERED
        )
    client.force_login(family.manager)
    url = reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk})
    answers = {"outcome": invite, "reasons": "Concerns may suggest level 4.", **CONSIDERED}
    html = client.post(url, answers).content.decode()
    assert "There is a problem" in html
    assert (
        'href="#id_social_worker_meeting_on_0">Enter the date of the multi-agency meeting the social ' in html
    )
    assert "Concerns may suggest level 4." in html
    past = client.post(url, {**answers, **date_fields("social_worker_meeting_on", walk.day(14))})
    assert "The date of the multi-agency meeting must be today or in the future" in past.content.decode()
    meeting = walk.day(18)
    answers |= date_fields("social_worker_meeting_on", meeting)
    assert f"{meeting:%-d %B %Y}" in client.post(url, answers).content.decode()
    assert client.post(url, {**answers, "confirm": "yes"}).status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.social_worker_meeting_on) == (invite, meeting)
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.OPEN
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(social_worker_meeting_on=None)


def test_camden_offers_its_three_options_and_refuses_step_up(family, walk, client):
    """Camden (004): the allocated social worker "will convene a network meeting", and the network
    "may wish to consider referring the case to the Complexity Panel"."""
    walk.to(at(walk.day(15), 10))
    services.episode_start(case=family.case, by=family.lead, pathway_code=CAMDEN_CODE, day1=walk.day(1))
    client.force_login(family.manager)
    html = client.get(
        reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk})
    ).content.decode()
    for offered in (
        "Ask the allocated social worker to review the plan",
        "Hold a network meeting",
        "Refer to the complexity panel",
    ):
        assert offered in html
    assert "Step up to children" not in html and "Review date" not in html
    with pytest.raises(services.FlowchartError, match="not a decision the Cases open to social care"):
        services.decision_record(
            case=family.case, by=family.manager, outcome="step_up", reasons="x", considered=ANSWERED
        )
    refused = client.post(
        reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk}),
        {"outcome": "step_up", "reasons": "x", **CONSIDERED},
    ).content.decode()
    assert "There is a problem" in refused and "Select one of the decisions shown" in refused
    services.decision_record(
        case=family.case,
        by=family.manager,
        outcome="network_meeting",
        reasons="Patterns differ.",
        considered=ANSWERED,
    )
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.OPEN
    # The manager can still close a Camden case: closing is open whatever the pathway offers.


def test_an_admin_set_list_of_outcomes_is_what_the_pathway_offers(family, walk):
    from flowchart.models import Pathway

    Pathway.objects.filter(is_default=True).update(decision_outcomes=["close", "single_agency"])
    walk.to(at(walk.day(15), 10))
    services.episode_start(case=family.case, by=family.lead, day1=walk.day(1))
    with pytest.raises(services.FlowchartError, match="not a decision"):
        services.decision_record(
            case=family.case, by=family.manager, outcome="step_down", reasons="x", considered=ANSWERED
        )
    services.decision_record(
        case=family.case, by=family.manager, outcome="close", reasons="x", considered=ANSWERED
    )


# ---------------------------------------------------------------------------------------------
# 4. The decision goes to the multi-agency meeting within 5 working days


@pytest.fixture
def member(family):
    school = AgencyMemberFactory(email="dsl@school.example", full_name="Dee Lead")
    CaseMembershipFactory(case=family.case, user=school)
    return school


def test_the_share_deadline_reminds_the_lead_then_escalates_to_the_manager_exactly_once(
    family, running, walk, member
):
    """Appendix 4: "LP to inform Multi Agency Meeting of agreed outcome within 5 working days"."""
    walk.to(at(walk.day(15), 10))  # Friday 20 November 2026
    decision = services.decision_record(
        case=family.case, by=family.manager, outcome="step_down", reasons="Level 2.", considered=ANSWERED
    )
    assert decision.share_due_on == dt.date(2026, 11, 27)  # 5 working days on

    def sweep_on(day: dt.date) -> None:
        for minute in (0, 5):  # twice on each day, as the beat does
            walk.to(at(day, 9, minute))
            walk.sweep()

    for day in (dt.date(2026, 11, 23), dt.date(2026, 11, 24), dt.date(2026, 11, 25)):
        sweep_on(day)
    assert not _case_notifications(family.case, kind__in=CHASED).exists()
    sweep_on(dt.date(2026, 11, 26))  # one working day before: the lead is reminded
    [reminder] = _case_notifications(family.case, kind=NotificationKind.DECISION_SHARE_REMINDER)
    assert reminder.recipient == family.lead and "by 27 November 2026" in reminder.body
    sweep_on(dt.date(2026, 11, 27))
    sweep_on(dt.date(2026, 11, 30))  # missed: the manager is told, and the lead
    sweep_on(dt.date(2026, 12, 1))
    late = _case_notifications(family.case, kind=NotificationKind.DECISION_SHARE_OVERDUE)
    assert sorted((n.recipient_id, n.is_escalation) for n in late) == sorted(
        [(family.manager.pk, True), (family.lead.pk, False)]
    )
    assert _case_notifications(family.case, kind=NotificationKind.DECISION_SHARE_REMINDER).count() == 1
    emails = [m for m in mail.outbox if "multi-agency meeting" in m.subject]
    assert len(emails) == 3

    # Shared late: nothing more is chased.
    services.decision_share(decision=decision, by=family.lead)
    sweep_on(dt.date(2026, 12, 2))
    assert _case_notifications(family.case, kind__in=CHASED).count() == 3


def test_a_decision_shared_in_time_is_not_chased_and_members_are_told_once(family, running, walk, member):
    walk.to(at(walk.day(15), 10))
    decision = services.decision_record(
        case=family.case,
        by=family.manager,
        outcome="continue",
        reasons="Mum rang back; internal note about dad's drinking.",
        review_on=dt.date(2027, 1, 4),
        options_notes="Considered a joint visit with the police.",
        considered=ANSWERED,
    )
    walk.to(at(dt.date(2026, 11, 23), 11))
    with walk.committed():
        [share] = services.decision_share(decision=decision, by=family.lead)
    assert share.member == member
    [email] = walk.mail_to(member)
    # The member reads the outcome and what happens next in the service, not in the mail.
    assert f"agreed on {walk.day(15):%-d %B %Y}" in email.body and "in the service" in email.body
    assert (
        "Continue the engagement process" not in email.body and "reviewed on 4 January 2027" not in email.body
    )
    assert "dad's drinking" not in email.body and "police" not in email.body
    with pytest.raises(services.FlowchartError, match="told of this decision already"):
        services.decision_share(decision=decision, by=family.lead)
    for day in (dt.date(2026, 11, 26), dt.date(2026, 11, 30), dt.date(2026, 12, 1)):
        walk.to(at(day, 9))
        walk.sweep()
    assert not _case_notifications(family.case, kind__in=CHASED).exists()


def test_sharing_needs_a_member_and_someone_working_on_the_case(family, running, walk):
    from tests.factories import PractitionerFactory

    walk.to(at(walk.day(15), 10))
    decision = services.decision_record(
        case=family.case, by=family.manager, outcome="close", reasons="x", considered=ANSWERED
    )
    with pytest.raises(services.FlowchartError, match="Nobody from the multi-agency meeting is on this case"):
        services.decision_share(decision=decision, by=family.lead)
    with pytest.raises(services.FlowchartError, match="Only someone working on this case"):
        services.decision_share(decision=decision, by=PractitionerFactory())


# ---------------------------------------------------------------------------------------------
# 5. Closed and escalated cases never appear as live work


def test_closed_and_escalated_cases_never_appear_as_live_work(family, walk, client):
    from insight.dashboard.selectors import team_figures
    from tests.factories import CaseFactory

    walk.to(at(walk.day(1), 9))
    cases = {
        name: CaseFactory(
            lead_practitioner=family.lead, referral_date=walk.day(1), family_name=f"{name} family"
        )
        for name in ("Live", "Closed", "Escalated", "Legacy")
    }
    for case in cases.values():
        services.episode_start(case=case, by=family.lead)
    walk.to(at(walk.day(7), 10))
    services.case_closure_record(
        case=cases["Closed"], by=family.manager, reasons="Moved away.", considered=ANSWERED
    )
    services.safeguarding_escalate(
        case=cases["Escalated"], by=family.lead, concern="Bruise.", mash_contact="Rang."
    )
    # Closed before closures went through the manager: its episode was left live.
    legacy = cases["Legacy"]
    legacy.status, legacy.closed_on = CaseStatus.CLOSED, walk.day(3)
    legacy.save()

    queue = selectors.oversight_queue(family.manager)
    assert [item.episode.case.family_name for item in queue] == ["Live family"]
    figures = team_figures(user=family.manager, team=family.team, today=walk.day(7))
    assert set(figures.cases_behind("in_flowchart")) == {cases["Live"].pk}
    assert set(figures.cases_behind("overdue")) <= {cases["Live"].pk}
    flow = selectors.my_cases_flowchart(list(cases.values()) + [family.case])
    assert set(flow) == {cases["Live"].pk}

    client.force_login(family.lead)
    page = client.get(reverse("cases:my_cases")).content.decode()
    assert "Escalated family" in page and "Escalated to the MASH: awaiting the decision" in page
    assert "Closed family" not in page and "Legacy family" not in page
    row = page.split("Escalated family")[1].split("</tr>")[0]
    assert "Not running" in row

    # Nor in the sweep: only the live case is reminded of.
    before = set(Notification.objects.values_list("pk", flat=True))
    walk.sweep()
    swept = Notification.objects.exclude(pk__in=before)
    assert set(swept.exclude(case=None).values_list("case_id", flat=True)) <= {cases["Live"].pk}
    digest = Notification.objects.get(kind=NotificationKind.DIGEST, recipient=family.lead)
    for name in ("Closed", "Escalated", "Legacy"):
        assert cases[name].reference not in digest.body


def test_the_sudden_drop_list_leaves_out_escalated_cases(family, walk):
    from cases.models import Case
    from insight.selectors import sudden_drop_cases

    walk.to(at(walk.day(4), 9))
    services.episode_start(case=family.case, by=family.lead)
    services.safeguarding_escalate(case=family.case, by=family.lead, concern="Bruise.", mash_contact="Rang.")
    assert not sudden_drop_cases(Case.objects.filter(pk=family.case.pk)).exists()


# ---------------------------------------------------------------------------------------------
# Lists stay at a constant number of queries


def test_the_oversight_queue_queries_do_not_grow_with_requests_and_escalations(
    family, walk, client, django_assert_num_queries
):
    from tests.factories import CaseFactory

    walk.to(at(walk.day(3), 9))

    def add(n: int) -> None:
        for index in range(n):
            asked = CaseFactory(lead_practitioner=family.lead, referral_date=walk.day(1))
            services.episode_start(case=asked, by=family.lead)
            services.closure_request_make(case=asked, by=family.lead, reason=f"Moved away {index}.")
            escalated = CaseFactory(lead_practitioner=family.lead, referral_date=walk.day(1))
            services.episode_start(case=escalated, by=family.lead)
            services.safeguarding_escalate(case=escalated, by=family.lead, concern="x", mash_contact="y")

    client.force_login(family.manager)
    url = reverse("needs_you:queue")
    add(1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add(30)
    with django_assert_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count("Moved away") == 0  # the reason stays on the request page
    # 31 requests to close and 31 escalations wait, paged: the first page full, the rest behind it.
    waiting = needs_you(family.manager)
    assert sum(item.kind == "closure" for item in waiting) == 31
    assert sum(item.what.startswith("Escalated to the MASH") for item in waiting) == 31
    assert f"{len(waiting)} things across your teams wait for you" in html
    assert html.count('class="app-needs-you__item') == PAGE_SIZE


def test_the_case_page_names_the_runs_pathway_and_version_and_who_asked_to_close(
    family, running, walk, client
):
    """The case page reads the latest run and the open request to close through compiled reads
    (`flowchart.selectors.episodes`): each value on its own field, a version number that is not
    its pathway's id, and the requester's name rather than their email."""
    walk.to(at(walk.day(2), 11))
    services.closure_request_make(case=family.case, by=family.lead, reason="Moved to Wales.")
    version = Episode.objects.get(case=family.case).version
    PathwayVersion.objects.filter(pk=version.pk).update(number=version.pathway_id + 6)
    client.force_login(family.manager)
    page = client.get(reverse("cases:case_detail", kwargs={"case_pk": family.case.pk})).content.decode()
    assert f"{version.pathway.name} (version {version.pathway_id + 6})" in page
    assert family.lead.full_name and f"{family.lead.full_name} asked on" in page
    assert "Moved to Wales." in page
