import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from cases import demo as cases_demo
from engagement import demo as engagement_demo
from engagement.demo import DEMO_CALENDAR
from engagement.models import AttemptKind, ContactAttempt, EngagementAgreement
from engagement.rules import family_contact_q
from flowchart.models import Episode

from .conftest import LONDON

# Late on a Friday, so each family's plan up to today has happened.
EVENING = dt.datetime(2026, 11, 20, 18, 0, tzinfo=LONDON)


def day_of(attempt):
    return DEMO_CALENDAR.day_number(attempt.case.referral_date, attempt.occurred_at.astimezone(LONDON).date())


LABELS = ("uncooperative", "non-compliant", "hostile family", "difficult", "resistant")


@pytest.fixture
def seeded(db):
    with time_machine.travel(EVENING, tick=False):
        demo = SimpleNamespace()
        cases_demo.seed(demo)
        engagement_demo.seed(demo)
        yield demo


def test_each_family_has_a_chronology_up_to_its_day(seeded):
    by_family = {case.family_name: case for case in seeded.cases}
    assert ContactAttempt.objects.filter(case=by_family["Okafor family"]).count() == 1
    for case in seeded.cases:
        attempts = ContactAttempt.objects.filter(case=case)
        assert attempts.exists(), case.family_name
        assert all(dt.date(2026, 11, 20) >= a.occurred_at.date() >= case.referral_date for a in attempts)
        # Nothing on a weekend: the plan counts working days.
        assert all(a.occurred_at.astimezone(LONDON).weekday() < 5 for a in attempts)


def test_the_flow_chart_steps_are_followed(seeded):
    evans = next(c for c in seeded.cases if c.family_name == "Evans family")
    attempts = ContactAttempt.objects.filter(case=evans)
    assert sum(1 for a in attempts if a.kind == AttemptKind.PHONE_CALL and day_of(a) < 5) >= 4
    assert {(day_of(a), a.kind) for a in attempts} >= {
        (5, AttemptKind.UNANNOUNCED_VISIT),
        (5, AttemptKind.LETTER),
        (7, AttemptKind.ANNOUNCED_VISIT),
        (10, AttemptKind.LETTER),
    }


def test_one_family_is_reached_on_day_6_and_agrees_to_work_with_us(seeded):
    reached = ContactAttempt.objects.filter(family_contact_q())
    assert {(a.case.family_name, day_of(a)) for a in reached} == {("Hussain family", 6)}
    agreed = EngagementAgreement.objects.get()
    assert (agreed.case.family_name, agreed.person.full_name) == ("Hussain family", "Farah Hussain")


def test_seeing_the_child_at_school_leaves_the_walsh_flow_chart_running(seeded):
    """Knowsley 000, Appendix 4: the steps are "the minimum attempts to engage the parent".
    Connor was seen at school; Siobhan was never seen."""
    walsh = next(c for c in seeded.cases if c.family_name == "Walsh family")
    walsh.refresh_from_db()
    assert walsh.status == "open"
    assert not Episode.objects.filter(case=walsh, end_reason="engaged").exists()


def test_notes_describe_behaviour_not_labels(seeded):
    for attempt in ContactAttempt.objects.all():
        assert not any(label in attempt.notes.lower() for label in LABELS), attempt.notes


def test_seeding_twice_adds_nothing(seeded):
    count = ContactAttempt.objects.count()
    with time_machine.travel(EVENING, tick=False):
        demo = SimpleNamespace()
        cases_demo.seed(demo)
        engagement_demo.seed(demo)
    assert demo.already_seeded
    assert ContactAttempt.objects.count() == count
