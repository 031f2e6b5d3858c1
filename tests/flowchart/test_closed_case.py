"""A closed case accepts no workflow actions (finding 18).

The issue: "'Inform manager' and 'escalate to the MASH' are still accepted on a closed case, and
send notifications." What a closed case still allows: reading it, telling the multi-agency
meeting the decision and sharing a signed assessment (their deadlines run on after the closure),
and a member acknowledging or commenting on what was shared with them.
"""

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import CaseStatus
from cases.notifications import Notification
from cases.services import case_status_change
from flowchart import services
from riskassessment import services as assessment_services
from tests.factories import AssessmentFactory

from .conftest import at


@pytest.fixture
def closed(family, time_machine):
    """Priya's case with its flow chart running, closed on Friday 13 November 2026 regardless."""
    time_machine.move_to(at(dt.date(2026, 11, 13)))
    services.episode_start(case=family.case, by=family.lead)
    case_status_change(case=family.case, to=CaseStatus.CLOSED, by=family.manager, reason="Family moved away.")
    return family


ACTIONS = {
    "inform the manager": lambda f: services.manager_inform(
        case=f.case, by=f.lead, strategies_tried="Calls, letters", fera_outcome="", risk_increased="no"
    ),
    "escalate to the MASH": lambda f: services.safeguarding_escalate(
        case=f.case, by=f.lead, concern="Bruising seen", mash_contact="Phoned the MASH at 10am"
    ),
    "record management oversight": lambda f: services.oversight_record(
        case=f.case,
        by=f.manager,
        discussion="Talked",
        risk_raised="no",
        actions=[
            {
                "what": "Visit",
                "who": "Priya",
                "by_when": dt.date(2026, 11, 20),
                "review_on": dt.date(2026, 11, 27),
            }
        ],
    ),
    "record a step as not possible": lambda f: services.step_not_possible_record(
        case=f.case, by=f.lead, order=1, reason="Referrer unreachable"
    ),
}


@pytest.mark.parametrize("doing", sorted(ACTIONS))
def test_a_closed_case_takes_no_workflow_action_and_nobody_is_told(closed, doing):
    notifications = Notification.objects.count()
    with pytest.raises(
        services.FlowchartError,
        match=f"This case was closed on 13 November 2026: you cannot {doing} on a closed case",
    ):
        ACTIONS[doing](closed)
    assert Notification.objects.count() == notifications


def test_the_page_says_why_and_keeps_what_was_typed(closed, client):
    client.force_login(closed.lead)
    url = reverse("flowchart:manager_inform", kwargs={"case_pk": closed.case.pk})
    response = client.post(
        url,
        {"strategies_tried": "Calls and two letters", "fera_outcome": "Not engaging", "risk_increased": "no"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "you cannot inform the manager on a closed case" in html
    assert "Calls and two letters" in html
    assert not Notification.objects.filter(recipient=closed.manager).exists()


def test_an_assessment_on_a_closed_case_cannot_be_changed_submitted_or_amended(closed):
    assessment = AssessmentFactory(case=closed.case, signed=True)
    for doing, act in {
        "submit an assessment": assessment_services.assessment_submit,
        "amend an assessment": assessment_services.assessment_amend,
    }.items():
        with pytest.raises(assessment_services.AssessmentError, match=f"you cannot {doing} on a closed case"):
            act(assessment=assessment, by=closed.lead)
