"""How long a phone keeps a practitioner's cases for working offline: set by the system owner."""

import pytest
from django.urls import reverse

from engagement.models import OfflineSettings

from .conftest import assert_refused, form_data, last_history

URL = reverse("admin:engagement_offlinesettings_change", args=[1])


def test_the_setting_starts_at_a_week_and_changes_with_history(admin_client, admin_user):
    response = admin_client.get(reverse("admin:engagement_offlinesettings_changelist"))
    assert response["Location"] == URL
    page = admin_client.get(URL)
    assert "Days a phone keeps the case list without its owner signing in" in page.content.decode()
    assert OfflineSettings.objects.get().keep_days == 7

    response = admin_client.post(URL, form_data(page) | {"keep_days": "3"})

    assert response.status_code == 302
    row = OfflineSettings.objects.get()
    assert row.keep_days == 3
    assert last_history(row).history_user == admin_user


@pytest.mark.parametrize("days", ["0", "31"])
def test_a_period_out_of_range_is_refused(admin_client, days):
    page = admin_client.get(URL)
    assert_refused(
        admin_client.post(URL, form_data(page) | {"keep_days": days}), "Enter a number of days from 1 to 30"
    )
    assert OfflineSettings.objects.get().keep_days == 7
