"""The sweep reminds the review dates of the assessment's action tables, once each.

Knowsley's Appendix 2 (000) gives both action tables the same four columns:
"What needs to happen (to reduce risk/increase engagement) | Who will do | By when | Review date"
and "Management oversight :What action | Who will do | By when | Review date". "Who will do" is
free text on the form, so the lead practitioner, who is responsible for the plan, has the
reminder in that person's place, and the line manager has it too.
"""

import pytest
from django.core import mail

from cases.models import CaseStatus
from cases.notifications import Notification, NotificationKind
from riskassessment import services as assessment_services
from riskassessment.models import ActionKind, AssessmentStatus
from tests.factories import ActionFactory, AssessmentFactory, CaseFactory, ChildFactory, FactorFactory

from .conftest import at


@pytest.fixture
def plan(family, walk):
    """A signed assessment whose "what needs to happen" row is due for review on day 16."""
    walk.to(at(walk.day(10), 10))
    assessment = AssessmentFactory(case=family.case, signed=True)
    action = ActionFactory(
        assessment=assessment,
        what="Joint home visit with the school nurse",
        who="School nurse",
        by_when=walk.day(14),
        review_on=walk.day(16),
    )
    return action


def _reviews(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=NotificationKind.REVIEW_DUE))


def test_the_review_date_reminds_the_lead_practitioner_and_the_manager_once(family, walk, plan):
    walk.to(at(walk.day(15), 9))
    walk.sweep()
    assert mail.outbox == []  # not yet

    walk.to(at(walk.day(16), 9))
    walk.sweep()
    for hour in (12, 16):  # the sweep runs all day: nothing more
        walk.to(at(walk.day(16), hour))
        walk.sweep()
    walk.to(at(walk.day(17), 9))  # nor the next day, inside the catch-up window
    walk.sweep()

    to_lead, to_manager = walk.mail_to(family.lead), walk.mail_to(family.manager)
    assert len(to_lead) == 1 and len(to_manager) == 1
    assert len(mail.outbox) == 2
    reference = family.case.reference
    for message in (to_lead[0], to_manager[0]):
        assert message.subject == f"{reference}: review of an assessment action is due"
        assert f"is due on {walk.day(16):%-d %B %Y}" in message.body
        # What the action is and who does it are the assessment's words: read there, not mailed.
        assert "Joint home visit" not in message.body and "School nurse" not in message.body
        assert f"/assessments/case/{family.case.pk}/{plan.assessment.pk}/" in message.body
    assert "as the lead practitioner responsible for the assessment's plan" in to_lead[0].body
    assert "as the line manager" in to_manager[0].body
    notice = _reviews(family.lead)[0]
    assert notice.case == family.case and notice.key.startswith(f"review:fera-action:{plan.pk}:")


def test_a_review_date_missed_while_the_sweep_was_down_is_still_reminded(family, walk, plan):
    walk.to(at(walk.day(19), 9))
    walk.sweep()
    assert len(_reviews(family.lead)) == 1 and len(_reviews(family.manager)) == 1


def test_oversight_rows_are_reminded_as_well(family, walk, plan):
    ActionFactory(
        assessment=plan.assessment,
        kind=ActionKind.OVERSIGHT,
        what="Discuss in supervision",
        who="Morgan",
        by_when=walk.day(15),
        review_on=walk.day(16),
    )
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    bodies = sorted(n.body for n in _reviews(family.manager))
    assert len(bodies) == 2
    assert (
        "(version 1, Management oversight)" in bodies[0] and "(version 1, What needs to happen)" in bodies[1]
    )


def test_a_superseded_version_is_not_reminded_and_a_copy_is_not_reminded_twice(family, walk, plan):
    first = plan.assessment
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    assert len(_reviews(family.lead)) == 1

    # Version 2 copies the row (same review date) and adds one; version 1's rows no longer count.
    second = AssessmentFactory(case=family.case, version=2, previous=first, signed=True)
    ActionFactory(
        assessment=second,
        copied_from=plan,
        what=plan.what,
        who=plan.who,
        by_when=plan.by_when,
        review_on=plan.review_on,
    )
    only_first = ActionFactory(
        assessment=first, what="Only on version 1", by_when=walk.day(15), review_on=walk.day(17)
    )
    new = ActionFactory(
        assessment=second, what="New on version 2", by_when=walk.day(15), review_on=walk.day(17)
    )
    walk.to(at(walk.day(17), 9))
    walk.sweep()

    # Which row each reminder is for is in its key (the mail names no row's words).
    keys = [n.key for n in _reviews(family.lead)]
    assert len(keys) == 2
    assert any(key.startswith(f"review:fera-action:{new.pk}:") for key in keys)
    assert not any(key.startswith(f"review:fera-action:{only_first.pk}:") for key in keys)


def test_a_draft_in_progress_leaves_the_signed_version_in_force(family, walk, plan):
    AssessmentFactory(case=family.case, version=2, previous=plan.assessment)  # a draft amendment
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    assert len(_reviews(family.lead)) == 1 and len(_reviews(family.manager)) == 1


def test_a_first_draft_is_not_reminded(family, walk):
    walk.to(at(walk.day(10), 10))
    draft = AssessmentFactory(case=family.case)
    assert draft.status == AssessmentStatus.DRAFT
    ActionFactory(assessment=draft, by_when=walk.day(14), review_on=walk.day(16))
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    assert Notification.objects.filter(kind=NotificationKind.REVIEW_DUE).count() == 0


def test_a_closed_case_is_not_reminded(family, walk):
    walk.to(at(walk.day(10), 10))
    closed = CaseFactory(lead_practitioner=family.lead, status=CaseStatus.CLOSED, closed_on=walk.day(12))
    ActionFactory(
        assessment=AssessmentFactory(case=closed, signed=True), by_when=walk.day(14), review_on=walk.day(16)
    )
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    assert Notification.objects.filter(kind=NotificationKind.REVIEW_DUE).count() == 0


def test_a_removed_row_is_not_reminded(family, walk, plan):
    plan.removed_at = plan.assessment.signed_at
    plan.save()
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    assert Notification.objects.filter(kind=NotificationKind.REVIEW_DUE).count() == 0


def test_an_amended_version_signed_through_the_services_is_not_reminded_again(family, walk, plan):
    """The amendment copies the row with its review date: the copy is the same row, reminded once."""
    ChildFactory(case=family.case)
    walk.to(at(walk.day(16), 9))
    walk.sweep()
    second = assessment_services.assessment_amend(assessment=plan.assessment, by=family.lead)
    assert second.actions.get().copied_from == plan
    second.children.set(family.case.people.all())
    FactorFactory(assessment=second)
    ActionFactory(assessment=second, kind=ActionKind.OVERSIGHT, by_when=walk.day(16), review_on=walk.day(20))
    with walk.committed():
        assessment_services.assessment_submit(assessment=second, by=family.lead)
        assessment_services.assessment_sign(
            assessment=second, by=family.manager, typed_name=family.manager.full_name
        )
    walk.to(at(walk.day(17), 9))
    walk.sweep()
    assert len(_reviews(family.lead)) == 1 and len(_reviews(family.manager)) == 1
