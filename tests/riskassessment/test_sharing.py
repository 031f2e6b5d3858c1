"""Sharing with the multi-agency meeting: the 5-working-day deadline, reminders and escalations."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from cases.notifications import Notification, NotificationKind
from riskassessment import services
from riskassessment.models import Share
from riskassessment.services import AssessmentError
from riskassessment.tasks import chase_shares
from tests.factories import AgencyMemberFactory

from .conftest import fill, oversee


def _at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=dt.UTC), tick=False)


@pytest.fixture
def signed_before_christmas(family):
    """Signed on Wednesday 23 December 2026, before Christmas and Boxing Day (moved to Monday 28)."""
    with _at(2026, 12, 21):
        draft = fill(services.assessment_start(case=family.case, by=family.lead), family.lead)
        services.assessment_submit(assessment=draft, by=family.lead)
    with _at(2026, 12, 23):
        oversee(draft, family.manager)
        return services.assessment_sign(assessment=draft, by=family.manager, typed_name="Morgan Manager")


def test_the_share_is_due_five_working_days_after_signing_across_bank_holidays(
    family, signed_before_christmas
):
    share = Share.objects.get(assessment=signed_before_christmas)

    assert signed_before_christmas.share_due_on == dt.date(2027, 1, 4)
    assert share.due_on == dt.date(2027, 1, 4)
    assert share.member == family.member


def _kinds():
    return sorted(
        (n.kind, n.recipient.full_name) for n in Notification.objects.filter(kind__startswith="fera_share_")
    )


def test_the_lead_is_reminded_a_working_day_before_and_the_manager_told_once_it_is_late(
    family, signed_before_christmas, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with _at(2026, 12, 30):  # Wednesday: two working days to go
        assert chase_shares.delay().get() == 0
    # Thursday 31 December is the working day before Monday 4 January (New Year's Day, a weekend).
    with _at(2026, 12, 31), django_capture_on_commit_callbacks(execute=True):
        assert chase_shares.delay().get() == 1
        assert chase_shares.delay().get() == 0
    with _at(2027, 1, 1):
        assert chase_shares.delay().get() == 0
    assert _kinds() == [("fera_share_reminder", "Priya Patel")]
    assert [m.to for m in mail.outbox] == [[family.lead.email]]
    assert "has not acknowledged it" in mail.outbox[0].body

    with _at(2027, 1, 4):  # the due day itself: nothing new
        assert chase_shares.delay().get() == 0
    with _at(2027, 1, 5), django_capture_on_commit_callbacks(execute=True):
        assert chase_shares.delay().get() == 2
        assert chase_shares.delay().get() == 0

    assert _kinds() == [
        ("fera_share_overdue", "Morgan Manager"),
        ("fera_share_overdue", "Priya Patel"),
        ("fera_share_reminder", "Priya Patel"),
    ]
    escalation = Notification.objects.get(kind=NotificationKind.FERA_SHARE_OVERDUE, recipient=family.manager)
    assert escalation.is_escalation
    assert len(mail.outbox) == 3


def test_the_sweep_sends_nothing_twice_even_when_its_own_marks_are_lost(family, signed_before_christmas):
    with _at(2027, 1, 5):
        assert services.shares_chase() == 2
        Share.objects.update(reminded_at=None, escalated_at=None)
        assert services.shares_chase() == 0
    assert Notification.objects.filter(kind__startswith="fera_share_").count() == 2


def test_an_acknowledged_share_is_not_chased(family, signed_before_christmas):
    share = Share.objects.get(assessment=signed_before_christmas)
    with _at(2026, 12, 24):
        services.share_acknowledge(share=share, by=family.member)
    with _at(2027, 1, 5):
        assert services.shares_chase() == 0


def test_acknowledging_records_when_and_only_once(family, signed_before_christmas):
    share = Share.objects.get(assessment=signed_before_christmas)
    with _at(2026, 12, 29):
        services.share_acknowledge(share=share, by=family.member)
        with pytest.raises(AssessmentError, match="You acknowledged this on 29 December 2026"):
            services.share_acknowledge(share=share, by=family.member)
    share.refresh_from_db()
    assert share.opened_at == dt.datetime(2026, 12, 29, 10, tzinfo=dt.UTC)
    assert share.acknowledged_at == dt.datetime(2026, 12, 29, 10, tzinfo=dt.UTC)


def test_only_the_member_acknowledges_or_comments_on_their_share(family, signed_before_christmas):
    share = Share.objects.get(assessment=signed_before_christmas)
    stranger = AgencyMemberFactory()
    with pytest.raises(AssessmentError, match="Only the person it was shared with"):
        services.share_acknowledge(share=share, by=stranger)
    with pytest.raises(AssessmentError, match="Only the person it was shared with"):
        services.comment_add(share=share, by=stranger, body="Hello")
    with pytest.raises(AssessmentError, match="Enter your comment"):
        services.comment_add(share=share, by=family.member, body="  ")


def test_a_comment_tells_the_lead_practitioner(family, signed_before_christmas):
    share = Share.objects.get(assessment=signed_before_christmas)
    comment = services.comment_add(share=share, by=family.member, body="Connor was in school all week.")

    assert comment.assessment == signed_before_christmas
    notice = Notification.objects.get(kind=NotificationKind.FERA_COMMENT)
    assert notice.recipient == family.lead
    assert "Connor was in school all week." not in notice.body and "Read the comment" in notice.body


def test_the_share_deadline_counts_working_days_even_when_the_flow_chart_counts_calendar_days(family):
    from flowchart.models import FlowchartSettings

    FlowchartSettings.objects.update_or_create(pk=1, defaults={"working_days": False})
    with _at(2026, 12, 21):
        draft = fill(services.assessment_start(case=family.case, by=family.lead), family.lead)
        services.assessment_submit(assessment=draft, by=family.lead)
    with _at(2026, 12, 23):
        oversee(draft, family.manager)
        signed = services.assessment_sign(assessment=draft, by=family.manager, typed_name="Morgan Manager")

    assert signed.share_due_on == dt.date(2027, 1, 4)
