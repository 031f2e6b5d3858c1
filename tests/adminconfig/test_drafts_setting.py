"""How long unsaved drafts are kept: one admin setting, changed with its history, never a draft."""

import pytest
from django.urls import reverse

from cases.drafts import draft_settings
from cases.models import DraftSettings

from .conftest import assert_refused, form_data, last_history

URL = reverse("admin:cases_draftsettings_change", args=[1])


def test_the_drafts_setting_starts_at_30_days_and_changes_with_history(admin_client, admin_user):
    assert draft_settings().draft_days == 30  # the default, before anyone has saved the row
    response = admin_client.get(reverse("admin:cases_draftsettings_changelist"))
    assert response["Location"] == URL
    page = admin_client.get(URL)
    assert "Days to keep an unsaved draft" in page.content.decode()

    response = admin_client.post(URL, form_data(page) | {"draft_days": "14"})

    assert response.status_code == 302
    row = DraftSettings.objects.get()
    assert row.draft_days == 14 and draft_settings().draft_days == 14
    assert last_history(row).history_user == admin_user


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Enter a number of days from 1 to 365"),
        ("366", "Enter a number of days from 1 to 365"),
        ("", "Enter the number of days to keep an unsaved draft"),
        ("two weeks", "Enter the number of days as a whole number, for example 30"),
    ],
)
def test_a_number_of_days_out_of_range_is_refused_saying_what_to_enter(admin_client, value, message):
    page = admin_client.get(URL)
    assert_refused(admin_client.post(URL, form_data(page) | {"draft_days": value}), message)
