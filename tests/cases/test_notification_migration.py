"""Notifications moved from the flow chart to the kernel keep their table and every row."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.notifications import Notification
from tests.factories import CaseFactory

BEFORE = [("cases", "0006_safe_contact_plan"), ("flowchart", "0012_camden_decision_outcomes")]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_notifications_recorded_before_the_move_are_read_after_it():
    case = CaseFactory()
    lead = case.lead_practitioner
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldNotification = old.get_model("flowchart", "Notification")
    sent = OldNotification.objects.create(
        recipient_id=lead.pk,
        case_id=case.pk,
        kind="step_due",
        key="remind:1:2",
        subject="Day 3: a visit is due",
        body="Visit the family today.",
        emailed_at=timezone.now(),
    )
    unsent = OldNotification.objects.create(
        recipient_id=lead.pk, kind="digest", key="digest:1", subject="s", body="b"
    )
    ContentType.objects.filter(app_label="cases", model="notification").delete()
    ContentType.objects.get_or_create(app_label="flowchart", model="notification")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Notification._meta.db_table == "flowchart_notification"
    moved = Notification.objects.get(pk=sent.pk)
    assert (moved.case, moved.recipient, moved.key, moved.emailed_at) == (
        case,
        lead,
        "remind:1:2",
        sent.emailed_at,
    )
    assert list(Notification.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True)) == [
        unsent.pk
    ]
    assert list(lead.notifications.order_by("pk")) == [moved, Notification.objects.get(pk=unsent.pk)]
    assert ContentType.objects.get_for_model(Notification).app_label == "cases"
    assert not ContentType.objects.filter(app_label="flowchart", model="notification").exists()
