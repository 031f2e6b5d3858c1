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

from cases.models import User
from cases.notifications.models import Notification, NotificationKind
from engagement.safety.selectors import incidents_to_review
from flowchart.selectors.oversight import closure_requests_awaiting
from insight.needs_you.selectors import LETTER, needs_you
from insight.today.selectors import Group, my_work_today
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
    held = [item for item in needs_you(manager, seeded) if item.kind == LETTER]
    assert [(h.case.family_name, h.what) for h in held] == [
        ("Walsh family", "Letter held for your approval: to Lee Parker")
    ]
    incidents = list(incidents_to_review(manager))
    assert [(i.case.family_name, i.attempt is not None) for i in incidents] == [("Walsh family", True)]
    closures = closure_requests_awaiting(manager)
    assert [(c.case.family_name, c.requested_by.email) for c in closures] == [
        ("Begum family", "practitioner@demo.local")
    ]


def test_the_demo_practitioner_has_work_overdue_due_today_and_due_this_week(seeded):
    """What "My work today" shows the demo practitioner: something in each of its first three sections."""
    today = seeded
    sections = {s.group: s.cards for s in my_work_today(_user("practitioner@demo.local"), today)}
    next_due = {
        group: [card.summary.next_step.due_on for card in sections.get(group, [])]
        for group in (Group.OVERDUE, Group.DUE_TODAY, Group.THIS_WEEK)
    }
    assert next_due[Group.OVERDUE] and all(due < today for due in next_due[Group.OVERDUE]), next_due
    assert next_due[Group.DUE_TODAY] and all(due == today for due in next_due[Group.DUE_TODAY]), next_due
    assert next_due[Group.THIS_WEEK], next_due
    assert all(today < due <= today + dt.timedelta(days=7) for due in next_due[Group.THIS_WEEK])
