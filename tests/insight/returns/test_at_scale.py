"""Each return from 2,000 families and from the demo data, validated against its schema, at a
constant number of queries.

Issue 22: "Each return produced from the demo data and from a seeded set of 2,000 families in a
test, validated against its schema".
"""

import datetime as dt

from django.core.management import call_command

from cases.models import Case, CaseStatus, Person, PersonKind, User
from insight.returns import selectors
from insight.returns.common import Period
from riskassessment.models import Assessment
from tests.factories import ManagerFactory, PerformanceOfficerFactory, PractitionerFactory, TeamFactory

from .conftest import NOW

FAMILIES = 2000
ETHNICITIES = ["WBRI", "BAFR", "APKN", "WOTH", "MWBC", "CHNE", "NOBT", "REFU"]


def _seed(manager: User, lead: User, families: int, start: int = 0) -> None:
    """`families` cases of two children each, a third closed by a step up and a half with an
    assessment in the last six months: in a few inserts."""
    first = dt.date(2026, 1, 5)
    cases = Case.objects.bulk_create(
        Case(
            reference=f"EF2026-{n + 1:05d}",
            family_name=f"Family {n}",
            referral_date=first + dt.timedelta(days=n % 200),
            referral_source="school",
            referrer_name="A referrer",
            referrer_contact="01632 960018",
            referral_reason="Attendance",
            threshold_level=3,
            team_id=lead.team_id,
            lead_practitioner=lead,
            opened_by=lead,
            referral_reason_code="N4",
            status=CaseStatus.STEPPED_UP if n % 3 == 0 else CaseStatus.OPEN,
            closed_on=dt.date(2026, 10, 1) if n % 3 == 0 else None,
        )
        for n in range(start, start + families)
    )
    Person.objects.bulk_create(
        Person(
            case=case,
            kind=PersonKind.CHILD,
            full_name=f"Child {n}-{k} Family",
            date_of_birth=dt.date(2012 + k, 1 + n % 12, 1 + n % 28),
            sex="MF"[k],
            ethnicity=ETHNICITIES[n % len(ETHNICITIES)],
        )
        for n, case in enumerate(cases, start=start)
        for k in (0, 1)
    )
    Assessment.objects.bulk_create(
        Assessment(
            case=case,
            assessment_date=dt.date(2026, 6, 1) + dt.timedelta(days=n % 150),
            lead_practitioner=lead,
            manager=manager,
            created_by=lead,
        )
        for n, case in enumerate(cases, start=start)
        if n % 2 == 0
    )


def _check(user, slug, period):
    return selectors.check_return(selectors.return_for(slug), user, period)


def test_each_return_from_2000_families_passes_its_schema_at_constant_queries(
    db, today, django_assert_num_queries
):
    manager = ManagerFactory()
    lead = PractitionerFactory(team=TeamFactory(name="North Early Help", manager=manager))
    performance = PerformanceOfficerFactory()
    year = Period(dt.date(2025, 11, 21), dt.date(2026, 11, 20))
    six_months = Period(dt.date(2026, 5, 21), dt.date(2026, 11, 20))

    _seed(manager, lead, 3)
    with django_assert_num_queries(2):  # one read of the children for each of the SSD's two files
        small = _check(manager, "ssd-early-help", year)
    with django_assert_num_queries(3):  # the assessments, their named children, their case's children
        _check(manager, "annex-a-list-2", six_months)
    assert [len(t.rows) for t in small.tables] == [6, 6]

    _seed(manager, lead, FAMILIES - 3, start=3)
    with django_assert_num_queries(2):
        ssd = _check(performance, "ssd-early-help", year)
    with django_assert_num_queries(3):
        annex_a = _check(manager, "annex-a-list-2", six_months)

    assert [len(t.rows) for t in ssd.tables] == [2 * FAMILIES, 2 * FAMILIES]
    assert ssd.errors == []
    stepped_up = [r for r in ssd.tables[0].rows if r.values["earl_episode_end_date"]]
    assert len(stepped_up) == 2 * 667 and {r.values["earl_episode_end_reason"] for r in stepped_up} == {"EH2"}
    assert len(annex_a.tables[0].rows) == FAMILIES  # half the families, two children each
    assert annex_a.errors == []


def test_each_return_from_the_demo_data(db, today, client):
    """The demo leaves one child's details unrecorded: the check lists that row, and only it."""
    call_command("seed_demo", stdout=None)
    manager = User.objects.get(email="manager@demo.local")
    performance = PerformanceOfficerFactory()
    period = Period(dt.date(2025, 11, 21), NOW.date())

    ssd = _check(performance, "ssd-early-help", period)
    children = Person.objects.filter(kind=PersonKind.CHILD).count()
    assert [len(t.rows) for t in ssd.tables] == [children, children]
    assert {(table, e.record.split(": ")[1], e.column) for table, e in ssd.errors} == {
        ("ssd_person", "Lily Campbell", "pers_sex"),
        ("ssd_person", "Lily Campbell", "pers_gender"),
        ("ssd_person", "Lily Campbell", "pers_ethnicity"),
    }
    annex_a = _check(manager, "annex-a-list-2", Period(dt.date(2026, 5, 21), NOW.date()))
    assert annex_a.tables[0].rows  # the demo's assessments started in the last six months
    assert {e.column for _, e in annex_a.errors} <= {"Gender", "Ethnicity"}
    client.force_login(manager)
    page = client.get("/returns/ssd-early-help/")
    assert page.status_code == 200
