"""The configuration's front page: plain names, what can be changed first, records read only."""

import re

import pytest
from django.urls import reverse

from tests.factories import ManagerFactory, PractitionerFactory


def _section(html: str, app_label: str) -> str:
    match = re.search(rf'<div class="app-{app_label} module">(.*?)</table>', html, re.S)
    assert match, f"no section for {app_label}"
    return match.group(1)


def _names(section: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", n).strip()
        for n in re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>(.*?)</a>', section)
    ]


def test_the_index_names_each_setting_plainly_with_changeable_ones_first(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()

    flowchart = _section(html, "flowchart")
    names = _names(flowchart)
    settings = [
        "Days, reminders and escalation settings",
        "Pathway versions",
        "Pathways",
        "Service closure days",
    ]
    records = ["Episodes", "Reminder sweeps"]
    assert names == settings + records
    assert flowchart.count("(read only)") == len(records)
    assert "who is told about overdue steps" in " ".join(flowchart.split())

    assessment = _names(_section(html, "riskassessment"))
    assert assessment == [
        "Example factors (the factor catalogue)",
        "Sharing deadline and escalation settings",
    ]
    assert _names(_section(html, "engagement")) == [
        "Letter wording",
        "Text and email templates",
        "Working offline settings",
        "Working together agreement wording",
    ]
    kernel = _section(html, "cases")
    people = _names(kernel)
    assert people[:4] == ["Agencies", "Teams", "Unsaved drafts settings", "Users"]
    assert "Notifications" in people[4:]  # every app's messages, recorded by the kernel
    assert re.search(r"Notifications</a>\s*<span[^>]*>\(read only\)", kernel)


READ_ONLY = ["flowchart_episode", "cases_notification", "flowchart_sweepday"]


@pytest.mark.parametrize("model", READ_ONLY)
def test_records_stay_read_only(admin_client, model):
    assert admin_client.get(reverse(f"admin:{model}_add")).status_code == 403
    listing = admin_client.get(reverse(f"admin:{model}_changelist"))
    assert listing.status_code == 200
    assert reverse(f"admin:{model}_add") not in listing.content.decode()


SETTINGS = [
    "flowchart_flowchartsettings",
    "flowchart_closureday",
    "flowchart_pathway",
    "flowchart_pathwayversion",
    "riskassessment_sharingsettings",
    "riskassessment_factorcategory",
    "engagement_lettertemplate",
    "engagement_agreementtemplate",
    "cases_user",
    "cases_team",
    "cases_agency",
]


@pytest.mark.parametrize("model", SETTINGS)
def test_every_setting_has_a_page_that_opens(admin_client, model):
    # Each setting's history page, with who changed it, is checked in that setting's own tests.
    response = admin_client.get(reverse(f"admin:{model}_changelist"), follow=True)
    assert response.status_code == 200


def test_list_pages_read_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    team = PractitionerFactory().team
    team.manager = ManagerFactory()
    team.save()
    url = reverse("admin:cases_user_changelist")
    admin_client.get(url)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url)
    for _ in range(20):
        PractitionerFactory(team=team)
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(url)
