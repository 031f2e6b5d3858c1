"""The share deadline and the escalation rules: set in the admin, checked, kept, and obeyed."""

import datetime as dt

import pytest
from django.urls import reverse

from cases.notifications import Notification, NotificationKind
from flowchart import services as flow_services
from flowchart import tasks as flow_tasks
from flowchart.models import FlowchartSettings
from riskassessment import services
from riskassessment.models import Share, SharingSettings
from riskassessment.selectors import sharing_settings
from riskassessment.tasks import chase_shares
from tests.factories import (
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)
from tests.riskassessment.conftest import fill, oversee

from .conftest import assert_refused, at, form_data, last_history

URL = reverse("admin:riskassessment_sharingsettings_change", args=[1])


def _post(admin_client, untick=(), **changes):
    data = form_data(admin_client.get(URL)) | {k: str(v) for k, v in changes.items()}
    for name in untick:
        del data[name]
    return admin_client.post(URL, data)


def test_the_sharing_settings_start_at_the_guidance_and_change_with_history(admin_client, admin_user):
    response = admin_client.get(reverse("admin:riskassessment_sharingsettings_changelist"))
    assert response["Location"] == URL
    assert SharingSettings.objects.get().share_deadline_days == 5

    response = _post(admin_client, share_deadline_days=3, reminder_days_before=2, escalate_after_days=2)

    assert response.status_code == 302
    row = SharingSettings.objects.get()
    assert (row.share_deadline_days, row.reminder_days_before, row.escalate_after_days) == (3, 2, 2)
    assert last_history(row).history_user == admin_user
    history = admin_client.get(reverse("admin:riskassessment_sharingsettings_history", args=[1]))
    assert "Sam Systemowner" in history.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"share_deadline_days": 0}, "Enter a number of working days from 1 to 20"),
        ({"share_deadline_days": -2}, "Enter a number of working days from 1 to 20"),
        ({"share_deadline_days": 21}, "Enter a number of working days from 1 to 20"),
        ({"share_deadline_days": ""}, "Enter the number of working days to share a signed assessment"),
        (
            {"share_deadline_days": "five"},
            "Enter the number of working days as a whole number, for example 5",
        ),
        ({"reminder_days_before": 11}, "Enter a number of working days from 0 to 10"),
        (
            {"share_deadline_days": 3, "reminder_days_before": 3},
            "Enter fewer working days than the deadline of 3: the reminder must come after the assessment is shared",
        ),
        ({"escalate_after_days": 0}, "Enter a number of working days from 1 to 10"),
    ],
)
def test_an_invalid_sharing_setting_is_refused_and_nothing_saved(admin_client, changes, message):
    sharing_settings()
    history_rows = SharingSettings.history.count()

    response = _post(admin_client, **changes)

    assert_refused(response, message)
    row = SharingSettings.objects.get()
    assert (row.share_deadline_days, row.reminder_days_before, row.escalate_after_days) == (5, 1, 1)
    assert SharingSettings.history.count() == history_rows


@pytest.fixture
def family(db):
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    case = CaseFactory(lead_practitioner=lead, team=team, family_name="Walsh family")
    ChildFactory(case=case)
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    CaseMembershipFactory(case=case, user=member)
    return case


def _sign_on(case, day: dt.date, time_machine):
    lead, manager = case.lead_practitioner, case.team.manager
    time_machine.move_to(at(day - dt.timedelta(days=1)), tick=False)
    draft = fill(services.assessment_start(case=case, by=lead), lead)
    services.assessment_submit(assessment=draft, by=lead)
    time_machine.move_to(at(day), tick=False)
    oversee(draft, manager)
    return services.assessment_sign(assessment=draft, by=manager, typed_name=manager.full_name)


def test_the_configured_share_deadline_sets_the_due_date_of_a_new_share(admin_client, family, time_machine):
    assert _post(admin_client, share_deadline_days=3).status_code == 302

    # Signed on Wednesday 23 December 2026: three working days skip Christmas Day and the
    # Boxing Day holiday on Monday 28 December.
    signed = _sign_on(family, dt.date(2026, 12, 23), time_machine)

    assert signed.share_due_on == dt.date(2026, 12, 30)
    assert Share.objects.get(assessment=signed).due_on == dt.date(2026, 12, 30)


def test_a_closure_day_also_moves_the_share_deadline(admin_client, family, time_machine):
    response = admin_client.post(
        reverse("admin:flowchart_closureday_add"),
        {"date_0": "29", "date_1": "12", "date_2": "2026", "reason": "Council closure day"},
    )
    assert response.status_code == 302

    signed = _sign_on(family, dt.date(2026, 12, 23), time_machine)

    assert signed.share_due_on == dt.date(2027, 1, 5)  # 5 working days, one more for the closure


def _kinds():
    return sorted(
        (n.kind, n.recipient.full_name) for n in Notification.objects.filter(kind__startswith="fera_share_")
    )


def test_a_late_share_escalates_after_the_configured_days_to_whom_the_admin_chose(
    admin_client, family, time_machine, django_capture_on_commit_callbacks
):
    response = _post(admin_client, ["escalate_to_manager"], reminder_days_before=0, escalate_after_days=2)
    assert response.status_code == 302
    signed = _sign_on(family, dt.date(2026, 11, 2), time_machine)  # due Monday 9 November
    assert signed.share_due_on == dt.date(2026, 11, 9)

    def chase(day):
        time_machine.move_to(at(day), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            return chase_shares.delay().get()

    assert chase(dt.date(2026, 11, 6)) == 0  # no reminder a day before: the admin chose 0
    assert chase(dt.date(2026, 11, 9)) == 1  # the reminder on the day
    assert chase(dt.date(2026, 11, 10)) == 0  # one working day late: not yet
    assert chase(dt.date(2026, 11, 11)) == 1  # two: the lead practitioner only
    assert _kinds() == [("fera_share_overdue", "Priya Patel"), ("fera_share_reminder", "Priya Patel")]


@pytest.fixture
def overdue_step_family(pathways, time_machine):
    """A family whose Day 1 was Monday 2 November 2026 and whose practitioner made no call."""
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(manager=manager)
    lead = PractitionerFactory(team=team)
    time_machine.move_to(at(dt.date(2026, 11, 2)), tick=False)
    case = CaseFactory(lead_practitioner=lead, team=team, referral_date=dt.date(2026, 11, 2))
    flow_services.episode_start(case=case, by=lead)
    return manager


def _escalations(manager):
    return list(
        Notification.objects.filter(recipient=manager, kind=NotificationKind.STEP_OVERDUE).values_list(
            "subject", flat=True
        )
    )


def _sweep(day, time_machine, capture):
    time_machine.move_to(at(day, 9), tick=False)
    with capture(execute=True):
        flow_tasks.sweep.delay()


def test_overdue_steps_escalate_after_the_configured_days(
    admin_client, overdue_step_family, time_machine, django_capture_on_commit_callbacks
):
    url = reverse("admin:flowchart_flowchartsettings_change", args=[1])
    data = form_data(admin_client.get(url)) | {"escalate_after_days": "2"}
    assert admin_client.post(url, data).status_code == 302

    # The phone call before day 3 was due Tuesday 3 November.
    _sweep(dt.date(2026, 11, 4), time_machine, django_capture_on_commit_callbacks)
    assert not any("Telephone the family" in s for s in _escalations(overdue_step_family))
    _sweep(dt.date(2026, 11, 5), time_machine, django_capture_on_commit_callbacks)
    assert any("Telephone the family" in s for s in _escalations(overdue_step_family))


def test_overdue_steps_can_stay_with_the_lead_practitioner(
    admin_client, overdue_step_family, time_machine, django_capture_on_commit_callbacks
):
    url = reverse("admin:flowchart_flowchartsettings_change", args=[1])
    data = form_data(admin_client.get(url))
    del data["escalate_overdue_steps"]
    assert admin_client.post(url, data).status_code == 302
    assert FlowchartSettings.objects.get().escalate_overdue_steps is False

    _sweep(dt.date(2026, 11, 10), time_machine, django_capture_on_commit_callbacks)

    assert _escalations(overdue_step_family) == []
    assert Notification.objects.filter(kind=NotificationKind.DIGEST).exists()  # the practitioner still hears
