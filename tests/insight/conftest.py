"""A small hand-built autumn of work in two teams, whose figures are worked out in the tests.

Friday 20 November 2026 is today. North (Morgan Manager) has Priya and Pat; South (Sam Manager)
has Quinn. The figures are read from 1 September to 20 November 2026, by month.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engagement import rules
from engagement.models import AttemptKind, AttemptOutcome
from insight.selectors import InsightFilter, Period
from riskassessment.models import AssessmentStatus
from tests.factories import (
    AdminFactory,
    AgencyMemberFactory,
    AssessmentFactory,
    CaseFactory,
    ContactAttemptFactory,
    DecisionFactory,
    EpisodeFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
    parent_of,
)

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 20, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()
FROM = dt.date(2026, 9, 1)


def at(month: int, day: int, hour: int = 10, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=LONDON)


def autumn(**kwargs) -> InsightFilter:
    return InsightFilter(date_from=FROM, date_to=TODAY, period=Period.MONTH, **kwargs)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def people(db, frozen):
    morgan = ManagerFactory(full_name="Morgan Manager", email="morgan@example.test")
    north = TeamFactory(name="North Early Help Team", manager=morgan)
    sam = ManagerFactory(full_name="Sam Manager", email="sam@example.test")
    south = TeamFactory(name="South Early Help Team", manager=sam)
    return SimpleNamespace(
        morgan=morgan,
        sam=sam,
        north=north,
        south=south,
        priya=PractitionerFactory(full_name="Priya Patel", team=north),
        pat=PractitionerFactory(full_name="Pat Jones", team=north),
        quinn=PractitionerFactory(full_name="Quinn Reid", team=south),
        admin=AdminFactory(full_name="Ada Admin"),
        member=AgencyMemberFactory(full_name="Sara School"),
    )


def family_adult(case):
    """The case's first adult, a mother made for it if it has none."""
    return case.people.filter(kind="adult").first() or parent_of(case)


def attempt(case, when, kind=AttemptKind.PHONE_CALL, outcome=AttemptOutcome.NO_ANSWER, forms=()):
    """An attempt with a parent, or with a professional for a liaison call or a meeting."""
    return ContactAttemptFactory(
        case=case,
        occurred_at=when,
        kind=kind,
        outcome=outcome,
        non_engagement_forms=list(forms),
        with_person=None if kind in rules.PROFESSIONAL_KINDS else family_adult(case),
    )


def signed(case, *, signed_at, due_on, shared_at=None):
    """A signed assessment as the services leave it, shared or not."""
    return AssessmentFactory(
        case=case,
        status=AssessmentStatus.SHARED if shared_at else AssessmentStatus.SIGNED,
        assessment_date=signed_at.date(),
        analysis="Risks outweigh the protective factors.",
        elevated_risk=False,
        submitted_at=signed_at,
        submitted_by=case.lead_practitioner,
        signed_at=signed_at,
        signed_by=case.team.manager,
        signed_name=case.team.manager.full_name,
        share_due_on=due_on,
        shared_at=shared_at,
    )


def decided(case, outcome, when):
    return DecisionFactory(episode=EpisodeFactory(case=case), outcome=outcome, decided_at=when)


@pytest.fixture
def autumn_work(people):
    """The data set. Each figure's expected numbers are worked out beside its test."""
    P = AttemptKind
    O = AttemptOutcome  # noqa: E741
    a = CaseFactory(
        lead_practitioner=people.priya, family_name="Adams family", referral_date=dt.date(2026, 9, 1)
    )
    b = CaseFactory(
        lead_practitioner=people.pat, family_name="Brown family", referral_date=dt.date(2026, 9, 15)
    )
    c = CaseFactory(
        lead_practitioner=people.priya, family_name="Clarke family", referral_date=dt.date(2026, 10, 1)
    )
    d = CaseFactory(
        lead_practitioner=people.quinn, family_name="Davies family", referral_date=dt.date(2026, 10, 5)
    )
    # Referred before the dates: its attempts in the dates count, its referral does not.
    e = CaseFactory(
        lead_practitioner=people.priya, family_name="Evans family", referral_date=dt.date(2026, 8, 1)
    )
    g = CaseFactory(
        lead_practitioner=people.pat, family_name="Green family", referral_date=dt.date(2026, 7, 1)
    )

    attempt(a, at(9, 1), P.PHONE_CALL, O.NO_ANSWER)
    attempt(a, at(9, 3), P.PHONE_CALL, O.SPOKE)  # first success: 2 days after referral
    attempt(a, at(9, 10), P.UNANNOUNCED_VISIT, O.SEEN)
    attempt(a, at(10, 2), P.LETTER, O.LETTER_SENT)
    attempt(b, at(9, 16), P.PHONE_CALL, O.NO_ANSWER, ["avoidance"])
    attempt(b, at(9, 20), P.UNANNOUNCED_VISIT, O.DOOR_NOT_OPENED, ["avoidance", "hostility"])
    attempt(b, at(10, 25), P.ANNOUNCED_VISIT, O.SEEN)  # first success: 40 days after referral
    attempt(c, at(10, 2), P.PHONE_CALL, O.NO_ANSWER, ["refusal"])  # never reached
    attempt(d, at(10, 6), P.PHONE_CALL, O.SPOKE, ["confrontation"])  # South: 1 day
    attempt(e, at(8, 20), P.PHONE_CALL, O.SPOKE, ["hostility"])  # before the dates
    attempt(e, at(9, 1, 15), P.PHONE_CALL, O.SPOKE)

    signed(a, signed_at=at(9, 2), due_on=dt.date(2026, 9, 9), shared_at=at(9, 9, 16))  # on time
    signed(b, signed_at=at(9, 21), due_on=dt.date(2026, 9, 28), shared_at=at(9, 30))  # late
    signed(c, signed_at=at(11, 2), due_on=dt.date(2026, 11, 9))  # not shared, overdue
    signed(e, signed_at=at(11, 18), due_on=dt.date(2026, 11, 25))  # not shared, not yet due
    signed(g, signed_at=at(8, 3), due_on=dt.date(2026, 8, 10), shared_at=at(8, 4))  # before the dates
    signed(d, signed_at=at(10, 7), due_on=dt.date(2026, 10, 14), shared_at=at(10, 20))  # South, late

    decided(a, "close", at(9, 16))
    decided(b, "continue", at(10, 15))
    decided(c, "step_up", at(11, 17))
    decided(e, "step_down", at(8, 20))  # before the dates
    decided(d, "step_down", at(10, 20))  # South
    return SimpleNamespace(a=a, b=b, c=c, d=d, e=e, g=g)


@pytest.fixture
def morgan_client(client, people):
    client.force_login(people.morgan)
    return client


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client
