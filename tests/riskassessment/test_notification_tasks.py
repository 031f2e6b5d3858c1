"""The assessment's notifications that ask for a task are done when it is done (issue 20:
"'Assessment to review and sign' stays 'New' after signing"): signing (or returning) the
assessment for the manager's "to sign", the partner's acknowledgement for the share and the
chase's reminders of it. They are never deleted.
"""

import datetime as dt

import time_machine
from django.urls import reverse

from cases.notifications import Notification, NotificationKind, NotificationTask
from riskassessment import services
from riskassessment.models import Share

from .conftest import fill, oversee


def _at(year, month, day, hour=10):
    return time_machine.travel(dt.datetime(year, month, day, hour, tzinfo=dt.UTC), tick=False)


def test_the_managers_assessment_to_sign_is_done_once_signed_and_the_page_says_so(family, submitted, client):
    [to_sign] = Notification.objects.filter(kind=NotificationKind.FERA_SUBMITTED)
    assert (to_sign.recipient, to_sign.task, to_sign.task_object_id) == (
        family.manager,
        NotificationTask.SIGN_ASSESSMENT,
        submitted.pk,
    )
    client.force_login(family.manager)
    assert 'govuk-tag--blue">New<' in client.get(reverse("flowchart:notifications")).content.decode()
    assert to_sign.done_at is None

    oversee(submitted, family.manager)
    services.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")

    to_sign.refresh_from_db()
    assert to_sign.done_at is not None and to_sign.read_at is None
    html = client.get(reverse("flowchart:notifications")).content.decode()
    assert 'govuk-tag--blue">New<' not in html
    assert 'govuk-tag--green">Done<' in html
    assert ">Mark as read</button>" not in html  # nothing is waiting on the manager
    assert Notification.objects.filter(kind=NotificationKind.FERA_SUBMITTED).count() == 1


def test_returning_the_assessment_ends_the_task_and_a_new_submission_asks_again(family, submitted):
    services.assessment_return(assessment=submitted, by=family.manager, reason="Add the father's view.")
    [first] = Notification.objects.filter(kind=NotificationKind.FERA_SUBMITTED)
    assert first.done_at is not None
    fill(submitted, family.lead)
    with _at(2026, 12, 1):
        services.assessment_submit(assessment=submitted, by=family.lead)
    waiting = Notification.objects.filter(kind=NotificationKind.FERA_SUBMITTED, done_at__isnull=True)
    assert waiting.count() == 1 and waiting.get().pk != first.pk


def test_the_partners_share_and_its_reminders_are_done_when_they_acknowledge(family):
    with _at(2026, 12, 21):
        draft = fill(services.assessment_start(case=family.case, by=family.lead), family.lead)
        services.assessment_submit(assessment=draft, by=family.lead)
    with _at(2026, 12, 23):
        oversee(draft, family.manager)
        services.assessment_sign(assessment=draft, by=family.manager, typed_name="Morgan Manager")
    share = Share.objects.get(assessment=draft)
    with _at(2026, 12, 31):  # the working day before it is due: the lead is reminded
        services.shares_chase()
    with _at(2027, 1, 5):  # late: the lead and the manager are told
        services.shares_chase()
    asks = Notification.objects.filter(task=NotificationTask.ACKNOWLEDGE_ASSESSMENT, task_object_id=share.pk)
    assert set(asks.values_list("kind", flat=True)) == {
        NotificationKind.FERA_SHARED,
        NotificationKind.FERA_SHARE_REMINDER,
        NotificationKind.FERA_SHARE_OVERDUE,
    }
    assert asks.count() == 4 and not asks.filter(done_at__isnull=False).exists()

    with _at(2027, 1, 6):
        services.share_acknowledge(share=share, by=family.member)
    assert asks.count() == 4 and not asks.filter(done_at__isnull=True).exists()
