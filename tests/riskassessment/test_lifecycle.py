"""Every transition of the assessment and the guard in front of it."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from cases.notifications import Notification, NotificationKind
from riskassessment import services
from riskassessment.models import Action, AssessmentStatus, Factor, FactorSide
from riskassessment.services import AssessmentError
from tests.factories import CaseFactory, ManagerFactory, PractitionerFactory

from .conftest import fill, oversee, protective, risk

pytestmark = pytest.mark.django_db(transaction=False)


def test_start_fills_the_header_from_the_case(family):
    assessment = services.assessment_start(case=family.case, by=family.lead)

    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.version == 1
    assert assessment.lead_practitioner == family.lead
    assert assessment.manager == family.manager
    assert assessment.service == "North Early Help Team"
    assert set(assessment.children.all()) == set(family.children)


def test_start_is_refused_to_someone_off_the_case_and_when_one_exists(family, draft):
    with pytest.raises(AssessmentError, match="working on this case"):
        services.assessment_start(case=CaseFactory(), by=family.lead)
    with pytest.raises(AssessmentError, match="already has an assessment"):
        services.assessment_start(case=family.case, by=family.lead)


def test_the_database_allows_one_open_assessment_per_case(family, draft):
    from tests.factories import AssessmentFactory

    with pytest.raises(IntegrityError), transaction.atomic():
        AssessmentFactory(case=family.case, version=2, previous=draft)


def test_update_keeps_rows_by_id_and_marks_removed_rows_instead_of_deleting(family, draft):
    kept, dropped = sorted(Factor.objects.filter(assessment=draft), key=lambda f: f.side, reverse=True)
    assert kept.side == FactorSide.RISK
    fill(draft, family.lead, factors=[risk("Parental substance misuse, now daily", id=kept.pk)])

    kept.refresh_from_db()
    dropped.refresh_from_db()
    assert kept.description == "Parental substance misuse, now daily"
    assert dropped.removed_at is not None
    assert Factor.objects.filter(pk=dropped.pk).exists()


def test_update_refuses_a_row_of_another_assessment(family, draft):
    with pytest.raises(AssessmentError, match="no longer belongs"):
        fill(draft, family.lead, factors=[risk(id=999_999)])


def test_an_evidenced_factor_needs_its_evidence(family, draft):
    with pytest.raises(AssessmentError, match="Give the evidence"):
        fill(draft, family.lead, factors=[risk(evidence="  ")])


def test_submit_needs_an_analysis(family):
    assessment = fill(services.assessment_start(case=family.case, by=family.lead), family.lead, analysis="")
    with pytest.raises(AssessmentError, match="Write the analysis"):
        services.assessment_submit(assessment=assessment, by=family.lead)


def test_submit_needs_a_risk_factor_children_and_the_elevated_risk_answer(family):
    assessment = services.assessment_start(case=family.case, by=family.lead)
    fill(assessment, family.lead, factors=[protective()])
    with pytest.raises(AssessmentError, match="at least one risk"):
        services.assessment_submit(assessment=assessment, by=family.lead)
    fill(assessment, family.lead, children=[])
    with pytest.raises(AssessmentError, match="Select the children"):
        services.assessment_submit(assessment=assessment, by=family.lead)
    fill(assessment, family.lead, elevated_risk=None)
    with pytest.raises(AssessmentError, match="elevated risk"):
        services.assessment_submit(assessment=assessment, by=family.lead)


def test_submit_tells_the_manager_and_locks_the_draft(family, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_submit(assessment=draft, by=family.lead)

    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED
    assert draft.submitted_by == family.lead
    assert not draft.submitted_without_protective_factors
    assert [m.to for m in mail.outbox] == [[family.manager.email]]
    with pytest.raises(AssessmentError, match="with the manager"):
        fill(draft, family.lead)
    with pytest.raises(AssessmentError, match="submitted already"):
        services.assessment_submit(assessment=draft, by=family.lead)


def test_submitting_without_a_protective_factor_is_allowed_and_recorded(family):
    assessment = services.assessment_start(case=family.case, by=family.lead)
    fill(assessment, family.lead, factors=[risk()])

    services.assessment_submit(assessment=assessment, by=family.lead)

    assessment.refresh_from_db()
    assert assessment.submitted_without_protective_factors
    notice = Notification.objects.get(kind=NotificationKind.FERA_SUBMITTED)
    assert notice.is_escalation
    assert "particular care" in notice.body and "protective" not in notice.body


def test_recording_an_elevated_risk_alerts_the_manager_at_once_and_once(
    family, draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fill(draft, family.lead, elevated_risk=True)
    with django_capture_on_commit_callbacks(execute=True):
        fill(draft, family.lead, elevated_risk=True, analysis="Still an elevated risk.")

    alerts = Notification.objects.filter(kind=NotificationKind.FERA_ELEVATED_RISK)
    assert [(a.recipient, a.is_escalation) for a in alerts] == [(family.manager, True)]
    # Urgent, and no more: what the assessment found is read in the service.
    assert len([m for m in mail.outbox if m.subject.startswith("Urgent")]) == 1
    assert "action today" in mail.outbox[0].body and "elevated" not in mail.outbox[0].body.lower()


def test_only_the_teams_manager_records_oversight_and_signs(family, submitted):
    other_manager = ManagerFactory()
    for who in (family.lead, other_manager):
        with pytest.raises(AssessmentError, match="line manager"):
            oversee(submitted, who)
        with pytest.raises(AssessmentError, match="line manager"):
            services.assessment_sign(assessment=submitted, by=who, typed_name=who.full_name)


def test_signing_needs_oversight_and_the_managers_own_name(family, submitted):
    with pytest.raises(AssessmentError, match="oversight action"):
        services.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")
    oversee(submitted, family.manager)
    with pytest.raises(AssessmentError, match="Type your full name exactly as Morgan Manager"):
        services.assessment_sign(assessment=submitted, by=family.manager, typed_name="M Manager")


def test_a_draft_cannot_be_signed(family, draft):
    with pytest.raises(AssessmentError, match="Only a submitted assessment"):
        services.assessment_sign(assessment=draft, by=family.manager, typed_name="Morgan Manager")


def test_signing_locks_the_assessment_and_shares_it_with_live_members(family, submitted):
    from tests.factories import AgencyMemberFactory, CaseMembershipFactory

    ended = CaseMembershipFactory(case=family.case, user=AgencyMemberFactory())
    ended.ended_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    ended.save()
    oversee(submitted, family.manager)

    signed = services.assessment_sign(assessment=submitted, by=family.manager, typed_name=" morgan  manager ")

    signed.refresh_from_db()
    assert signed.status == AssessmentStatus.SHARED
    assert signed.signed_by == family.manager
    assert signed.signed_name == "morgan manager"
    assert [s.member for s in signed.shares.all()] == [family.member]
    with pytest.raises(AssessmentError, match="Amend it"):
        fill(signed, family.lead)
    with pytest.raises(AssessmentError, match="signed"):
        oversee(signed, family.manager)
    with pytest.raises(AssessmentError, match="signed already"):
        services.assessment_sign(assessment=signed, by=family.manager, typed_name="Morgan Manager")


def test_signing_with_no_members_leaves_it_signed_until_someone_joins(family, submitted):
    from tests.factories import CaseMembershipFactory

    family.membership.ended_at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    family.membership.save()
    oversee(submitted, family.manager)
    signed = services.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")
    assert signed.status == AssessmentStatus.SIGNED

    CaseMembershipFactory(case=family.case, user=family.member)
    shares = services.assessment_share(assessment=signed, by=family.lead)

    assert [s.member for s in shares] == [family.member]
    assert services.assessment_share(assessment=signed, by=family.lead) == []
    signed.refresh_from_db()
    assert signed.status == AssessmentStatus.SHARED


def test_a_draft_cannot_be_shared(family, draft):
    with pytest.raises(AssessmentError, match="Only a signed assessment can be shared"):
        services.assessment_share(assessment=draft, by=family.lead)


def test_the_manager_can_return_a_submitted_assessment_with_a_reason(family, submitted):
    with pytest.raises(AssessmentError, match="Say what needs to change"):
        services.assessment_return(assessment=submitted, by=family.manager, reason=" ")
    with pytest.raises(AssessmentError, match="line manager"):
        services.assessment_return(assessment=submitted, by=family.lead, reason="More evidence")

    services.assessment_return(assessment=submitted, by=family.manager, reason="Add the school's view")

    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.DRAFT
    # The reason is kept on the assessment, and shown there; the notification only points to it.
    assert submitted.returned_reason == "Add the school's view"
    assert "Add the school's view" not in Notification.objects.get(kind=NotificationKind.FERA_RETURNED).body
    fill(submitted, family.lead, analysis="With the school's view.")
    services.assessment_submit(assessment=submitted, by=family.lead)
    assert Notification.objects.filter(kind=NotificationKind.FERA_SUBMITTED).count() == 2


def test_amending_copies_a_signed_assessment_into_a_new_linked_draft(family, signed):
    new = services.assessment_amend(assessment=signed, by=family.lead)

    assert (new.version, new.previous, new.status) == (2, signed, AssessmentStatus.DRAFT)
    assert set(new.children.all()) == set(family.children)
    assert [f.copied_from for f in new.factors.all()] == list(signed.factors.all())
    assert Action.objects.filter(assessment=new).count() == Action.objects.filter(assessment=signed).count()
    assert new.signed_at is None and new.shares.count() == 0
    signed.refresh_from_db()
    assert signed.status == AssessmentStatus.SHARED

    with pytest.raises(AssessmentError, match="amended already"):
        services.assessment_amend(assessment=signed, by=family.lead)
    with pytest.raises(AssessmentError, match="Only a signed assessment can be amended"):
        services.assessment_amend(assessment=new, by=family.lead)


def test_someone_off_the_case_cannot_amend(family, signed):
    with pytest.raises(AssessmentError, match="working on this case"):
        services.assessment_amend(assessment=signed, by=PractitionerFactory())


def test_each_change_records_who_made_it_in_the_history(family, signed):
    """Called without a request (as a task would), each history row still names the person."""
    comment = services.comment_add(share=signed.shares.get(), by=family.member, body="Read, thank you")
    new = services.assessment_amend(assessment=signed, by=family.lead)

    def made_by(record, **where):
        return {row.history_user for row in record.history.filter(**where)}

    assert made_by(signed, status=AssessmentStatus.DRAFT) == {family.lead}
    assert made_by(signed, status=AssessmentStatus.SUBMITTED) == {family.lead}
    assert made_by(signed, status=AssessmentStatus.SIGNED) == {family.manager}
    assert made_by(signed, status=AssessmentStatus.SHARED) == {family.manager}
    assert made_by(signed.shares.get()) == {family.manager}
    assert made_by(comment) == {family.member}
    assert made_by(new) == {family.lead}
    copies = [*Factor.objects.filter(assessment=new), *Action.objects.filter(assessment=new)]
    assert copies and all(made_by(copy) == {family.lead} for copy in copies)
