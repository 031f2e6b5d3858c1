from types import SimpleNamespace

import pytest

from cases import demo as cases_demo
from riskassessment import demo
from riskassessment.models import Assessment, AssessmentStatus, Share


@pytest.mark.django_db
def test_demo_has_a_draft_a_submitted_and_a_signed_assessment_shared_with_the_demo_member():
    first = SimpleNamespace()
    cases_demo.seed(first)
    demo.seed(first)

    draft = Assessment.objects.get(status=AssessmentStatus.DRAFT)
    shared = Assessment.objects.get(status=AssessmentStatus.SHARED)
    assert draft.case != shared.case
    assert draft.case.lead_practitioner.email == "practitioner@demo.local"
    assert [s.member.email for s in Share.objects.filter(assessment=shared)] == ["agency@demo.local"]
    assert shared.signed_by.email == "manager@demo.local"
    submitted = Assessment.objects.get(status=AssessmentStatus.SUBMITTED)
    assert submitted.case not in (draft.case, shared.case)
    assert submitted.manager.email == "manager@demo.local"

    again = SimpleNamespace()
    cases_demo.seed(again)
    demo.seed(again)
    assert Assessment.objects.count() == 3
