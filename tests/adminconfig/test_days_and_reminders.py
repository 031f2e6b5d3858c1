"""Days, reminders and escalation settings: changed in the admin, checked, kept in history."""

import pytest
from django import forms as dj_forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AdminSplitDateTime
from django.urls import reverse

from flowchart.models import FlowchartSettings

from .conftest import assert_refused, form_data, last_history

URL = reverse("admin:flowchart_flowchartsettings_change", args=[1])


def test_the_list_opens_the_one_settings_row(admin_client):
    response = admin_client.get(reverse("admin:flowchart_flowchartsettings_changelist"))
    assert response.status_code == 302 and response["Location"] == URL
    page = admin_client.get(URL).content.decode()
    assert "Tell the line manager about overdue steps" in page
    assert "Days overdue before the line manager is told" in page


def test_a_valid_change_saves_and_is_kept_in_history_with_who_made_it(admin_client, admin_user):
    data = form_data(admin_client.get(URL))
    data |= {"morning_reminder_time": "07:45", "escalate_after_days": "2", "nation": "WLS"}
    del data["escalate_overdue_steps"]

    response = admin_client.post(URL, data)

    assert response.status_code == 302
    row = FlowchartSettings.objects.get()
    assert (f"{row.morning_reminder_time:%H:%M}", row.escalate_after_days, row.nation) == ("07:45", 2, "WLS")
    assert row.escalate_overdue_steps is False
    history = last_history(row)
    assert history.history_user == admin_user and history.history_type == "~"
    page = admin_client.get(reverse("admin:flowchart_flowchartsettings_history", args=[1])).content.decode()
    assert "Sam Systemowner" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "morning_reminder_time",
            "06:30",
            "Enter a time between 7am and 6pm: reminders go out in working hours",
        ),
        (
            "morning_reminder_time",
            "18:30",
            "Enter a time between 7am and 6pm: reminders go out in working hours",
        ),
        ("morning_reminder_time", "", "Enter the time the morning reminders go, for example 08:00"),
        ("morning_reminder_time", "breakfast", "Enter the time as hours and minutes, for example 08:00"),
        ("escalate_after_days", "0", "Enter a number of days from 1 to 10"),
        ("escalate_after_days", "-1", "Enter a number of days from 1 to 10"),
        ("escalate_after_days", "11", "Enter a number of days from 1 to 10"),
        (
            "escalate_after_days",
            "",
            "Enter how many days a step may be overdue before the line manager is told",
        ),
    ],
)
def test_an_invalid_value_is_refused_with_what_to_do_and_nothing_saved(admin_client, field, value, message):
    before = FlowchartSettings.objects.get()
    history_rows = before.history.count()
    data = form_data(admin_client.get(URL)) | {field: value}

    response = admin_client.post(URL, data)

    assert_refused(response, message)
    after = FlowchartSettings.objects.get()
    assert (after.morning_reminder_time, after.escalate_after_days) == (
        before.morning_reminder_time,
        before.escalate_after_days,
    )
    assert after.history.count() == history_rows


def test_the_settings_row_cannot_be_added_or_deleted(admin_client):
    assert admin_client.get(reverse("admin:flowchart_flowchartsettings_add")).status_code == 403
    assert admin_client.get(reverse("admin:flowchart_flowchartsettings_delete", args=[1])).status_code == 403


def test_the_reminder_time_is_typed_in_the_24_hour_clock(admin_client):
    """The time is shown and typed as HH:MM, as everywhere else in the product; no 12-hour shortcuts."""
    settings_row = FlowchartSettings.objects.get(pk=1)
    response = admin_client.get(URL)
    page = response.content.decode()
    field = response.context["adminform"].form.fields["morning_reminder_time"]

    assert f'value="{settings_row.morning_reminder_time:%H:%M}"' in page
    assert "vTimeField" not in page  # the admin's own widget, with its "6 a.m." and "Noon" shortcuts
    assert "24-hour clock" in field.help_text


def test_no_admin_page_offers_the_calendar_date_widget(admin_user, rf):
    """Every date an admin can change is typed in the GOV.UK date input (day, month, year), with
    the product's errors; the admin's calendar and its split date-time boxes are not used."""
    request = rf.get("/")
    request.user = admin_user
    calendar_widgets = (AdminDateWidget, AdminSplitDateTime)
    found = []
    for model, model_admin in admin.site._registry.items():
        if not (model_admin.has_add_permission(request) or model_admin.has_change_permission(request)):
            continue
        forms = [model_admin.get_form(request)]
        forms += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)]
        for form in forms:
            for name, field in form.base_fields.items():
                if isinstance(field.widget, calendar_widgets):
                    found.append(f"{model.__name__}.{name}")
                if isinstance(field, dj_forms.DateField):
                    found.append(f"{model.__name__}.{name} (a DateField, not GovDateField)")
    assert found == []
