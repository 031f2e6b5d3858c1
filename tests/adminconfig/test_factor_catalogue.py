"""The factor catalogue: entries added and changed in the admin, checked, kept in history."""

import pytest
from django.urls import reverse

from riskassessment.models import FactorCategory

from .conftest import assert_refused, last_history

ADD = reverse("admin:riskassessment_factorcategory_add")


@pytest.fixture
def catalogue(db):
    FactorCategory.objects.get_or_create(kind="risk", name="Domestic abuse", defaults={"position": 3})
    retired, _ = FactorCategory.objects.get_or_create(
        kind="protective", name="Strong self-esteem", defaults={"position": 3}
    )
    retired.is_active = False
    retired.save()


def test_a_new_example_factor_is_saved_tidied_and_kept_in_history(admin_client, admin_user, catalogue):
    response = admin_client.post(
        ADD, {"kind": "risk", "name": "  Parental   gambling ", "position": "20", "is_active": "on"}
    )

    assert response.status_code == 302
    factor = FactorCategory.objects.get(name="Parental gambling")
    assert factor.kind == "risk" and factor.is_active
    assert last_history(factor).history_user == admin_user
    history = admin_client.get(reverse("admin:riskassessment_factorcategory_history", args=[factor.pk]))
    assert "Sam Systemowner" in history.content.decode()


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("risk", "", "Enter the factor, for example 'Domestic abuse'"),
        ("risk", "    ", "Enter the factor, for example 'Domestic abuse'"),
        (
            "risk",
            "domestic  ABUSE",
            "'Domestic abuse' is already in the catalogue as a risk factor: change that one instead of adding it again",
        ),
        (
            "protective",
            "Strong self-esteem",
            "'Strong self-esteem' is already in the catalogue as a protective factor (no longer offered: tick it "
            "there to offer it again): change that one instead of adding it again",
        ),
        ("", "Parental gambling", "Select the type of factor"),
    ],
)
def test_an_empty_or_duplicate_entry_is_refused_and_nothing_saved(
    admin_client, catalogue, kind, name, message
):
    count, history_rows = FactorCategory.objects.count(), FactorCategory.history.count()

    response = admin_client.post(ADD, {"kind": kind, "name": name, "position": "1", "is_active": "on"})

    assert_refused(response, message)
    assert (FactorCategory.objects.count(), FactorCategory.history.count()) == (count, history_rows)


def test_renaming_to_an_existing_entry_is_refused(admin_client, catalogue):
    other = FactorCategory.objects.create(kind="risk", name="Parental gambling", position=40)
    url = reverse("admin:riskassessment_factorcategory_change", args=[other.pk])

    response = admin_client.post(
        url, {"kind": "risk", "name": "Domestic Abuse", "position": "4", "is_active": "on"}
    )

    assert_refused(
        response,
        "'Domestic abuse' is already in the catalogue as a risk factor: change that one instead of adding it again",
    )
    other.refresh_from_db()
    assert other.name == "Parental gambling"


def test_the_same_words_may_be_both_a_risk_and_a_vulnerability(admin_client, catalogue):
    response = admin_client.post(ADD, {"kind": "vulnerability", "name": "Domestic abuse", "position": "1"})
    assert response.status_code == 302


def test_entries_are_retired_from_the_list_page_not_deleted(admin_client, admin_user, catalogue):
    factor = FactorCategory.objects.get(name="Domestic abuse")
    changelist = reverse("admin:riskassessment_factorcategory_changelist")
    rows = list(FactorCategory.objects.order_by("kind", "position", "name"))
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "_save": "Save",
    }
    for index, row in enumerate(rows):
        data[f"form-{index}-id"] = str(row.pk)
        data[f"form-{index}-position"] = str(row.position)
        if row.is_active and row != factor:
            data[f"form-{index}-is_active"] = "on"

    response = admin_client.post(changelist, data)

    assert response.status_code == 302
    factor.refresh_from_db()
    assert factor.is_active is False
    assert last_history(factor).history_user == admin_user
    assert (
        admin_client.get(reverse("admin:riskassessment_factorcategory_delete", args=[factor.pk])).status_code
        == 403
    )
