"""Who sees which case, read as the union of each way of seeing one (cases.access)."""

import datetime as dt

from django.utils import timezone

from cases.access import CaseAction, can, case_for, cases_visible_to
from cases.models import MembershipRole
from tests.factories import (
    CaseFactory,
    CaseMembershipFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)


def test_a_practitioner_sees_the_cases_they_lead_and_co_work_and_no_others(world):
    co_worked = CaseFactory()
    CaseMembershipFactory(case=co_worked, user=world.lead, role=MembershipRole.CO_WORKER)
    ended = CaseFactory()
    CaseMembershipFactory(
        case=ended,
        user=world.lead,
        role=MembershipRole.CO_WORKER,
        ended_at=timezone.now() - dt.timedelta(days=1),
    )
    someone_elses = CaseFactory(lead_practitioner=PractitionerFactory(team=world.team))
    visible = set(cases_visible_to(world.lead))
    assert visible == {world.case, co_worked}
    # The scope still narrows and counts like any queryset.
    assert cases_visible_to(world.lead).filter(pk=co_worked.pk).count() == 1
    assert can(world.lead, CaseAction.VIEW, co_worked)
    assert not can(world.lead, CaseAction.VIEW, ended)
    assert not can(world.lead, CaseAction.VIEW, someone_elses)
    assert case_for(world.lead, co_worked.pk) == co_worked


def test_a_manager_sees_their_teams_cases_and_any_they_lead(world):
    team_case = CaseFactory(lead_practitioner=PractitionerFactory(team=world.team))
    other_team = TeamFactory(name="South", manager=ManagerFactory())
    led_elsewhere = CaseFactory(lead_practitioner=world.manager, team=other_team)
    not_theirs = CaseFactory(lead_practitioner=PractitionerFactory(team=other_team))
    visible = set(cases_visible_to(world.manager))
    assert visible == {world.case, team_case, led_elsewhere}
    assert not_theirs not in visible


def test_each_user_gets_their_own_cases_from_the_union_written_once(world):
    """The union's SQL is written once a process and each user's id put in its place: after the
    first practitioner and manager, the next ones see their own cases, not the first's."""
    CaseMembershipFactory(case=world.case, user=world.lead, role=MembershipRole.CO_WORKER)
    assert set(cases_visible_to(world.lead)) == {world.case}
    assert set(cases_visible_to(world.manager)) == {world.case}
    other = PractitionerFactory(team=world.team)
    led = CaseFactory(lead_practitioner=other)
    co_worked = CaseFactory(lead_practitioner=PractitionerFactory(team=world.team))
    CaseMembershipFactory(case=co_worked, user=other, role=MembershipRole.CO_WORKER)
    other_manager = ManagerFactory()
    south = TeamFactory(name="South", manager=other_manager)
    south_case = CaseFactory(lead_practitioner=PractitionerFactory(team=south), team=south)
    assert set(cases_visible_to(other)) == {led, co_worked}
    assert set(cases_visible_to(other_manager)) == {south_case}
    assert set(cases_visible_to(world.manager)) == {world.case, led, co_worked}
    assert not cases_visible_to(PractitionerFactory(team=world.team)).exists()


def test_someone_with_no_case_role_sees_none(world):
    assert not cases_visible_to(world.member).exists()
