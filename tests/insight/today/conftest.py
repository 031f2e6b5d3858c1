"""My work today: Priya's families on Thursday 5 November 2026, each at another point of the flow chart.

- Okafor: referred Tuesday 3 November (day 3): "Telephone the family" (before day 3) is overdue.
- Brown: referred Wednesday 4 November (day 2): the same step is due today.
- Carter: referred today (day 1): the step is due tomorrow, Friday: this week.
- Doyle: escalated to the MASH, its flow chart not running: the rest.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import CaseStatus
from tests.factories import CaseFactory, EpisodeFactory, ManagerFactory, PractitionerFactory, TeamFactory
from tests.factories.flowchart import ensure_pathways

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 11, 5, 10, 30, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def priya(db, frozen):
    ensure_pathways()
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    manager.team = team
    manager.save()
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    return SimpleNamespace(lead=lead, manager=manager, team=team)


def running(lead, family_name: str, day1: dt.date):
    case = CaseFactory(lead_practitioner=lead, referral_date=day1, family_name=family_name)
    EpisodeFactory(case=case)
    return case


@pytest.fixture
def families(priya):
    return SimpleNamespace(
        okafor=running(priya.lead, "Okafor family", dt.date(2026, 11, 3)),
        brown=running(priya.lead, "Brown family", dt.date(2026, 11, 4)),
        carter=running(priya.lead, "Carter family", TODAY),
        doyle=CaseFactory(
            lead_practitioner=priya.lead,
            referral_date=dt.date(2026, 10, 1),
            family_name="Doyle family",
            status=CaseStatus.ESCALATED,
        ),
    )
