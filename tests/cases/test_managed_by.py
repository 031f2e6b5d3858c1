"""`cases.access.managed_by`: `cases_managed_by` as a condition on a row's case, for a list that
reads many kinds of row for one manager (Needs you) and joins each to its case's team."""

from cases.access import cases_managed_by, managed_by
from cases.models import Person
from tests.factories import AdultFactory, CaseFactory, ManagerFactory, PractitionerFactory, TeamFactory


def test_a_manager_gets_the_rows_of_their_teams_cases_and_nobody_else_gets_any(db):
    manager, other_manager = ManagerFactory(), ManagerFactory()
    teams = [TeamFactory(manager=manager), TeamFactory(manager=manager), TeamFactory(manager=other_manager)]
    cases = [CaseFactory(team=team, lead_practitioner=PractitionerFactory(team=team)) for team in teams]
    people = [AdultFactory(case=case) for case in cases]

    assert set(Person.objects.filter(managed_by(manager))) == set(people[:2])
    assert set(Person.objects.filter(managed_by(manager))) == set(
        Person.objects.filter(case__in=cases_managed_by(manager))
    )
    assert set(Person.objects.filter(managed_by(other_manager, "case"))) == {people[2]}
    lead = cases[0].lead_practitioner
    assert not Person.objects.filter(managed_by(lead)).exists()
