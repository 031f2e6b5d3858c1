import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from cases.calendar import Calendar
from cases.notifications import tasks as notification_tasks
from flowchart import services, tasks
from tests.factories import (
    CaseFactory,
    ContactAttemptFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)
from tests.factories.flowchart import ensure_pathways

LONDON = ZoneInfo("Europe/London")
WORKING = Calendar()


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def pathways(db):
    ensure_pathways()


@pytest.fixture
def family(pathways):
    """A lead practitioner, their line manager, and a case referred on Monday 2 November 2026."""
    manager = ManagerFactory(email="manager@example.test", full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(email="lead@example.test", full_name="Priya Patel", team=team)
    case = CaseFactory(lead_practitioner=lead, referral_date=dt.date(2026, 11, 2))
    return SimpleNamespace(manager=manager, team=team, lead=lead, case=case, day1=case.referral_date)


@pytest.fixture
def walk(family, time_machine, django_capture_on_commit_callbacks):
    """Move the clock, record attempts and run the sweep as the beat would."""

    class Walk:
        def day(self, n: int) -> dt.date:
            return WORKING.date_of_day(family.day1, n)

        def to(self, when: dt.datetime) -> None:
            time_machine.move_to(when, tick=False)

        def sweep(self) -> None:
            with django_capture_on_commit_callbacks(execute=True):
                tasks.sweep.delay()
                notification_tasks.requeue_undelivered.delay()

        def attempt(self, kind: str, outcome: str = "no_answer", case=None):
            case = case or family.case
            with django_capture_on_commit_callbacks(execute=True):
                attempt = ContactAttemptFactory(case=case, kind=kind, outcome=outcome)
                services.case_flowchart_refresh(case=case)
            return attempt

        def agree(self, person, what: str = "A home visit tomorrow at 11am", case=None):
            """A parent or carer agrees to work with us, through the service, now."""
            from engagement.services import engagement_agreement_record

            with django_capture_on_commit_callbacks(execute=True):
                return engagement_agreement_record(
                    case=case or family.case,
                    by=family.lead,
                    person=person,
                    what_agreed=what,
                    agreed_at=timezone.now(),
                )

        def committed(self):
            """Run on-commit work (delivery) at the end of the block, as a real commit would."""
            return django_capture_on_commit_callbacks(execute=True)

        def mail_to(self, user, *, escalations_only: bool = False) -> list:
            return [
                m
                for m in mail.outbox
                if m.to == [user.email]
                and (not escalations_only or m.subject.split(": ", 1)[1].startswith("overdue"))
            ]

    return Walk()
