"""A small team whose dashboard figures are known by hand, on Wednesday 18 November 2026.

Days are working days in England (the default setting); November 2026 has no bank holiday.
"""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases.models import CaseMembership
from flowchart.models import Episode, ManagerInformed, Oversight
from flowchart.services import episode_refresh
from riskassessment.models import Share
from tests.factories import (
    AgencyMemberFactory,
    AssessmentFactory,
    CaseFactory,
    CaseMembershipFactory,
    ContactAttemptFactory,
    EngagementAgreementFactory,
    EpisodeFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)
from tests.factories.flowchart import ensure_pathways

LONDON = ZoneInfo("Europe/London")
TODAY = dt.date(2026, 11, 18)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def frozen(db, time_machine):
    time_machine.move_to(at(TODAY), tick=False)
    ensure_pathways()


def signed_assessment(case, *, due_on: dt.date, shared: bool = False, previous=None):
    """A signed version of the case's FERA, made directly: the sign-off itself is tested elsewhere."""
    now = timezone.now()
    manager = case.team.manager
    return AssessmentFactory(
        case=case,
        version=previous.version + 1 if previous else 1,
        previous=previous,
        status="shared" if shared else "signed",
        analysis="Risks outweigh the protective factors.",
        elevated_risk=False,
        submitted_at=now,
        submitted_by=case.lead_practitioner,
        signed_at=now,
        signed_by=manager,
        signed_name=manager.full_name,
        share_due_on=due_on,
        shared_at=now if shared else None,
    )


def share(assessment, *, member_name: str, opened: bool = False, acknowledged: bool = False):
    membership = CaseMembershipFactory(case=assessment.case, user=AgencyMemberFactory(full_name=member_name))
    now = timezone.now()
    return Share.objects.create(
        assessment=assessment,
        team=assessment.case.team,
        member=membership.user,
        membership=membership,
        shared_at=now,
        due_on=assessment.share_due_on,
        opened_at=now if opened or acknowledged else None,
        acknowledged_at=now if acknowledged else None,
    )


def hostile_attempt(case, on: dt.date, forms=("hostility",), *, hour: int = 10, minute: int = 0):
    return ContactAttemptFactory(
        case=case,
        occurred_at=at(on, hour, minute),
        kind="unannounced_visit",
        outcome="refused_entry",
        non_engagement_forms=list(forms),
    )


@pytest.fixture
def team(frozen):
    """North team (Morgan manages it; Priya and Sam lead its cases) and South, another manager's.

    | case | lead | what it holds | figures it belongs to |
    | --- | --- | --- | --- |
    | Adams | Priya | Day 1 2 Nov (day 13), no attempts, manager informed 17 Nov | day 13, overdue, awaiting oversight, decision due soon |
    | Baker | Priya | Day 1 today | day 1 |
    | Clark | Sam | Day 1 17 Nov (day 2) | day 2 |
    | Davis | Sam | Day 1 19 Oct (day 23), oversight recorded | beyond day 15, overdue, decision overdue |
    | Evans | Priya | episode ended with a decision | none |
    | Foster | Priya | live episode with no stored summary, but the mother agreed to work with us on 12 Nov | none |
    | Green | Priya | FERA signed, due to be shared 10 Nov, shared with nobody | share late |
    | Hughes | Sam | FERA shared, due 11 Nov: one member never opened it, one acknowledged, one left the case | share not acknowledged |
    | Irwin | Sam | FERA shared, due 25 Nov, not yet acknowledged | none (not due yet) |
    | Jones | Priya | v1 signed, never shared; v2 shared and acknowledged | none (v1 is replaced) |
    | King | Sam | hostility 10 and 40 days ago | hostile |
    | Lewis | Sam | hostility 40 days ago; confrontation 5 days ago | none |
    | Owen | Quinn (South) | day 13, informed, FERA late, hostility 5 days ago | none on North's dashboard |
    """
    manager = ManagerFactory(email="morgan@example.test", full_name="Morgan Manager")
    north = TeamFactory(name="North Early Help Team", manager=manager)
    priya = PractitionerFactory(email="priya@example.test", full_name="Priya Patel", team=north)
    sam = PractitionerFactory(email="sam@example.test", full_name="Sam Singh", team=north)
    other_manager = ManagerFactory(email="olu@example.test", full_name="Olu Other")
    south = TeamFactory(name="South Early Help Team", manager=other_manager)
    quinn = PractitionerFactory(email="quinn@example.test", full_name="Quinn Quayle", team=south)

    def case(name, lead, day1=TODAY):
        return CaseFactory(family_name=f"{name} family", lead_practitioner=lead, referral_date=day1)

    cases = SimpleNamespace()
    cases.adams = case("Adams", priya, dt.date(2026, 11, 2))
    adams = EpisodeFactory(case=cases.adams)
    ManagerInformed.objects.create(
        episode=adams,
        informed_by=priya,
        manager=manager,
        informed_at=at(dt.date(2026, 11, 17)),
        strategies_tried="Calls at different times.",
        fera_outcome="Risks outweigh protective factors.",
        risk_increased="yes",
    )
    cases.baker = case("Baker", priya)
    EpisodeFactory(case=cases.baker)
    cases.clark = case("Clark", sam, dt.date(2026, 11, 17))
    EpisodeFactory(case=cases.clark)
    cases.davis = case("Davis", sam, dt.date(2026, 10, 19))
    davis = EpisodeFactory(case=cases.davis)
    Oversight.objects.create(
        episode=davis,
        manager=manager,
        recorded_at=at(dt.date(2026, 11, 5)),
        discussion="Agreed a joint visit.",
        risk_raised="no",
    )
    cases.evans = case("Evans", priya, dt.date(2026, 11, 2))
    evans = EpisodeFactory(case=cases.evans)
    type(evans).objects.filter(pk=evans.pk).update(ended_on=dt.date(2026, 11, 13), end_reason="decided")
    cases.foster = case("Foster", priya, dt.date(2026, 11, 9))
    foster = EpisodeFactory(case=cases.foster)
    # As after the upgrade that added stored summaries: none stored yet, so the dashboard
    # derives the flow chart from the records, which show the end already (the attempt is
    # recorded without the refresh the services would run).
    type(foster).objects.filter(pk=foster.pk).update(summary={})
    EngagementAgreementFactory(case=cases.foster, agreed_at=at(dt.date(2026, 11, 12)))

    cases.green = case("Green", priya, dt.date(2026, 10, 1))
    signed_assessment(cases.green, due_on=dt.date(2026, 11, 10))
    cases.hughes = case("Hughes", sam, dt.date(2026, 10, 1))
    hughes = signed_assessment(cases.hughes, due_on=dt.date(2026, 11, 11), shared=True)
    share(hughes, member_name="Dana Designated")
    share(hughes, member_name="Harry Health", acknowledged=True)
    left = share(hughes, member_name="Lee Left")
    CaseMembership.objects.filter(pk=left.membership_id).update(ended_at=at(dt.date(2026, 11, 12)))
    cases.irwin = case("Irwin", sam, dt.date(2026, 10, 1))
    share(signed_assessment(cases.irwin, due_on=dt.date(2026, 11, 25), shared=True), member_name="Ivy Ives")
    cases.jones = case("Jones", priya, dt.date(2026, 10, 1))
    first = signed_assessment(cases.jones, due_on=dt.date(2026, 10, 20))
    share(
        signed_assessment(cases.jones, due_on=dt.date(2026, 11, 12), shared=True, previous=first),
        member_name="Jo Jenkins",
        acknowledged=True,
    )

    cases.king = case("King", sam, dt.date(2026, 10, 1))
    hostile_attempt(cases.king, days_ago(10))
    hostile_attempt(cases.king, days_ago(40))
    cases.lewis = case("Lewis", sam, dt.date(2026, 10, 1))
    hostile_attempt(cases.lewis, days_ago(40))
    hostile_attempt(cases.lewis, days_ago(5), forms=("confrontation",))

    cases.owen = case("Owen", quinn, dt.date(2026, 11, 2))
    owen = EpisodeFactory(case=cases.owen)
    ManagerInformed.objects.create(
        episode=owen,
        informed_by=quinn,
        manager=other_manager,
        informed_at=at(dt.date(2026, 11, 17)),
        strategies_tried="Calls.",
        fera_outcome="Unclear.",
        risk_increased="not_sure",
    )
    signed_assessment(cases.owen, due_on=dt.date(2026, 11, 10))
    hostile_attempt(cases.owen, days_ago(5))
    # The milestones above were made directly: refresh each flow chart as the services do after
    # every record, except Foster's, which stands for an episode never refreshed.
    for episode in Episode.objects.filter(ended_on__isnull=True).exclude(case=cases.foster):
        episode_refresh(episode=episode)

    return SimpleNamespace(
        manager=manager,
        north=north,
        priya=priya,
        sam=sam,
        other_manager=other_manager,
        south=south,
        quinn=quinn,
        cases=cases,
    )
