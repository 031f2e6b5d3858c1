"""Two people starting or amending the same case's assessment at once (issue finding 15).

"Concurrent requests give 500s ... concurrent duplicates answered with the existing record or a
friendly message". The race is played out by letting both requests past the service's check for
an open assessment: the second insert then meets the database's constraint, as it would when two
requests check at the same moment.
"""

import pytest
from django.db.models import QuerySet
from django.urls import reverse

from riskassessment import services
from riskassessment.models import Assessment, AssessmentStatus


@pytest.fixture
def checks_see_nothing(monkeypatch):
    """Every "is there an assessment already?" check answers no, as for two requests at once."""
    exists = QuerySet.exists

    def blind():
        monkeypatch.setattr(QuerySet, "exists", lambda self: self.model is not Assessment and exists(self))

    return blind


def test_a_second_start_at_the_same_moment_gets_the_first_draft(family, client, checks_see_nothing):
    first = services.assessment_start(case=family.case, by=family.lead)
    checks_see_nothing()
    client.force_login(family.lead)

    response = client.post(reverse("riskassessment:assessment_start", kwargs={"case_pk": family.case.pk}))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "riskassessment:assessment_tasks", kwargs={"case_pk": family.case.pk, "pk": first.pk}
    )
    assert list(Assessment.objects.all()) == [first]


def test_a_second_amendment_at_the_same_moment_is_told_what_happened(family, signed, checks_see_nothing):
    theirs = services.assessment_amend(assessment=signed, by=family.lead)
    checks_see_nothing()

    with pytest.raises(services.AssessmentError, match="someone started it just now"):
        services.assessment_amend(assessment=signed, by=family.lead)

    assert list(Assessment.objects.filter(status=AssessmentStatus.DRAFT)) == [theirs]
