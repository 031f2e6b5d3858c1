"""The demo shows the day's work to whoever signs in, whenever `make run` seeded it.

Each demo family's dates are counted back from the day it is seeded, in working days, so the
same work is waiting whatever the date: the demo manager has an assessment to sign, a held letter
to decide, a hostile incident to review and a request to close a case; the demo practitioner has
a step overdue, one due today and one due later in the working week. Each is read here through
the selector of the page that shows it.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from cases.calendar import Calendar
from cases.models import User
from cases.notifications.models import Notification, NotificationKind
from cases.selectors import my_cases
from engagement.documents.selectors import held_letters_queue
from engagement.safety.selectors import incidents_to_review
from flowchart.case_pages import case_list_flowchart
from flowchart.schedule import Status
from flowchart.selectors.oversight import closure_requests_awaiting
from riskassessment.models import Assessment, AssessmentStatus
from tests.factories.flowchart import ensure_pathways

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Early on a Monday (nothing of today's plan has happened yet, and last week is over a weekend)
# and late on a Friday (everything of today's plan has happened).
SEEDED_AT = [
    dt.datetime(2026, 11, 16, 7, 30, tzinfo=LONDON),
    dt.datetime(2026, 11, 20, 18, 0, tzinfo=LONDON),
]


@pytest.fixture(params=SEEDED_AT, ids=["monday-morning", "friday-evening"])
def seeded(request, db):
    ensure_pathways()
    with time_machine.travel(request.param, tick=False):
        call_command("seed_demo", stdout=None)
        yield request.param.date()


def _user(email: str) -> User:
    return User.objects.get(email=email)


def test_the_demo_manager_has_an_assessment_to_sign_a_held_letter_a_hostile_incident_and_a_closure_request(
    seeded,
):
    manager = _user("manager@demo.local")
    to_sign = Assessment.objects.filter(status=AssessmentStatus.SUBMITTED, manager=manager)
    assert [a.case.family_name for a in to_sign] == ["Walsh family"]
    assert Notification.objects.filter(
        recipient=manager, kind=NotificationKind.FERA_SUBMITTED, case=to_sign[0].case, read_at__isnull=True
    ).exists()
    held = held_letters_queue(manager)
    assert [(h.letter.case.family_name, h.letter.recipient.full_name) for h in held] == [
        ("Walsh family", "Lee Parker")
    ]
    incidents = list(incidents_to_review(manager))
    assert [(i.case.family_name, i.attempt is not None) for i in incidents] == [("Walsh family", True)]
    closures = closure_requests_awaiting(manager)
    assert [(c.case.family_name, c.requested_by.email) for c in closures] == [
        ("Begum family", "practitioner@demo.local")
    ]


def test_the_demo_practitioner_has_work_overdue_due_today_and_due_this_week(seeded):
    """What the due column of My cases shows for each family: its next step and when it is due."""
    today = seeded
    week_end = Calendar(working_days=True).add(today, 5)
    cases = list(my_cases(_user("practitioner@demo.local")))
    case_list_flowchart(cases)
    next_steps = {
        case.family_name: case.flowchart_progress.next_step
        for case in cases
        if case.flowchart_progress and case.flowchart_progress.next_step
    }
    overdue = [f for f, s in next_steps.items() if s.status == Status.OVERDUE]
    due_today = [f for f, s in next_steps.items() if s.status == Status.DUE_TODAY]
    this_week = [f for f, s in next_steps.items() if s.status == Status.UPCOMING and s.due_on <= week_end]
    assert overdue, next_steps
    assert all(next_steps[f].due_on < today for f in overdue)
    assert due_today, next_steps
    assert all(next_steps[f].due_on == today for f in due_today)
    assert this_week, next_steps
    assert all(today < next_steps[f].due_on <= week_end for f in this_week)
