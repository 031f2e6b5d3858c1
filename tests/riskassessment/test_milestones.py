import datetime as dt

import time_machine

from riskassessment import services
from riskassessment.selectors import (
    assessment_milestones,
    case_child_protection_escalation,
    case_has_elevated_risk,
    elevated_risk_by_case,
)
from tests.factories import CaseFactory

from .conftest import fill, oversee


def test_milestones_give_submitted_and_signed_dates_per_case_in_one_query(family, django_assert_num_queries):
    other = CaseFactory()
    with time_machine.travel(dt.datetime(2026, 12, 21, 10, tzinfo=dt.UTC)):
        draft = fill(services.assessment_start(case=family.case, by=family.lead), family.lead)
        services.assessment_submit(assessment=draft, by=family.lead)
    with time_machine.travel(dt.datetime(2026, 12, 23, 10, tzinfo=dt.UTC)):
        oversee(draft, family.manager)
        services.assessment_sign(assessment=draft, by=family.manager, typed_name="Morgan Manager")

    with django_assert_num_queries(1):
        milestones = assessment_milestones([family.case.pk, other.pk])

    assert milestones == {
        family.case.pk: [("submitted", dt.date(2026, 12, 21)), ("signed", dt.date(2026, 12, 23))]
    }


def test_a_draft_is_no_milestone(draft):
    assert assessment_milestones([draft.case_id]) == {}


def test_elevated_risk_is_read_from_the_latest_version(family, draft, django_assert_num_queries):
    assert not case_has_elevated_risk(family.case)
    fill(draft, family.lead, elevated_risk=True)

    with django_assert_num_queries(1):
        by_case = elevated_risk_by_case([family.case.pk])

    assert by_case == {family.case.pk: draft}
    assert case_child_protection_escalation(family.case) == draft
