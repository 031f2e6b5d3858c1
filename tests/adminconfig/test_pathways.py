"""Pathways and their steps: changed through a draft version, checked, kept in history."""

import pytest
from django.urls import reverse

from flowchart.models import Pathway, PathwayVersion, Step
from flowchart.pathways import CAMDEN, KNOWSLEY
from flowchart.selectors import current_version

from .conftest import assert_refused, form_data, last_history

CHANGELIST = reverse("admin:flowchart_pathwayversion_changelist")


@pytest.fixture
def draft(admin_client, admin_user):
    """A draft of the 15-day flow chart, made from its published version in the admin."""
    published = current_version(KNOWSLEY)
    response = admin_client.post(CHANGELIST, {"action": "make_draft", "_selected_action": [published.pk]})
    assert response.status_code == 302
    return PathwayVersion.objects.get(pathway__code=KNOWSLEY, published_at__isnull=True)


def _url(version) -> str:
    return reverse("admin:flowchart_pathwayversion_change", args=[version.pk])


def _step_key(data: dict, order: int, field: str) -> str:
    prefix = next(k[: -len("-order")] for k, v in data.items() if k.endswith("-order") and v == str(order))
    return f"{prefix}-{field}"


def _draft_data(admin_client, draft, changes: dict[tuple[int, str], str]) -> dict:
    data = form_data(admin_client.get(_url(draft)))
    for (order, field), value in changes.items():
        data[_step_key(data, order, field)] = value
    return data


def _days(version) -> list[tuple[int, int]]:
    return list(version.steps.order_by("order").values_list("order", "day"))


def test_a_step_changed_on_a_draft_saves_and_is_kept_in_history(admin_client, admin_user, draft):
    data = _draft_data(admin_client, draft, {(5, "day"): "6", (5, "timing"): "on", (7, "day"): "7"})
    data["notes"] = "First visit moved to day 6"

    response = admin_client.post(_url(draft), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    step = Step.objects.get(version=draft, order=5)
    assert step.day == 6
    assert last_history(step).history_user == admin_user
    history = admin_client.get(reverse("admin:flowchart_pathwayversion_history", args=[draft.pk]))
    assert history.status_code == 200 and "Sam Systemowner" in history.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({(2, "day"): "0"}, "Enter a day number of 1 or more: Day 1 is the referral date"),
        (
            {(15, "day"): "16"},
            "Enter a day number from 1 to 15: the pathway ends on day 15, when the next steps are decided",
        ),
        (
            {(1, "day"): "1", (1, "timing"): "before"},
            "A step before day 1 would come before the referral: enter day 2 or later",
        ),
        (
            {(2, "day"): "12"},
            "Step 3 is on day 5 but comes after step 2 on day 12: put the steps in the order of their days",
        ),
        (
            {(3, "order"): "2"},
            "Another step has this number in the order already: give each step its own number",
        ),
        ({(4, "title"): "   "}, "Enter what the step is, for example 'Telephone the family'"),
        ({(4, "attempt_count"): "0"}, "Enter how many attempts are needed: 1 or more"),
        ({(4, "day"): ""}, "Enter the day number of the step, for example 5"),
    ],
)
def test_an_invalid_step_is_refused_with_what_to_do_and_nothing_saved(admin_client, draft, changes, message):
    before = _days(draft)
    titles = list(draft.steps.values_list("title", flat=True))
    history_rows = Step.history.filter(version_id=draft.pk).count()

    response = admin_client.post(_url(draft), _draft_data(admin_client, draft, changes))

    assert_refused(response, message)
    assert _days(draft) == before
    assert list(draft.steps.values_list("title", flat=True)) == titles
    assert Step.history.filter(version_id=draft.pk).count() == history_rows


def test_a_published_version_cannot_be_changed_through_its_page(admin_client, pathways):
    published = current_version(KNOWSLEY)
    page = admin_client.get(_url(published))
    assert 'name="steps-0-day"' not in page.content.decode()
    data = form_data(page)
    admin_client.post(_url(published), data | {"steps-0-day": "9", "notes": "changed"})
    published.refresh_from_db()
    assert published.notes != "changed"
    assert Step.objects.get(version=published, order=1).day == 1


def test_another_pathway_can_be_used_for_new_cases_and_the_old_one_stops(admin_client, admin_user):
    camden = Pathway.objects.get(code=CAMDEN)
    url = reverse("admin:flowchart_pathway_change", args=[camden.pk])
    data = form_data(admin_client.get(url)) | {"use_for_new_cases": "on"}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert list(Pathway.objects.filter(is_default=True).values_list("code", flat=True)) == [CAMDEN]
    knowsley = Pathway.objects.get(code=KNOWSLEY)
    assert last_history(knowsley).history_user == admin_user and not last_history(knowsley).is_default
    assert last_history(camden).history_user == admin_user and last_history(camden).is_default


def test_new_cases_cannot_be_left_without_a_pathway(admin_client):
    knowsley = Pathway.objects.get(code=KNOWSLEY)
    url = reverse("admin:flowchart_pathway_change", args=[knowsley.pk])
    data = form_data(admin_client.get(url))
    del data["use_for_new_cases"]

    response = admin_client.post(url, data)

    assert_refused(
        response,
        "New cases must follow a pathway: to change which, tick 'Used for new cases' on the other pathway instead",
    )
    assert Pathway.objects.get(is_default=True) == knowsley


def test_a_new_pathway_starts_with_a_draft_and_cannot_be_used_before_it_is_published(
    admin_client, admin_user
):
    add = reverse("admin:flowchart_pathway_add")
    empty = form_data(admin_client.get(add))
    north = empty | {"name": "North pathway", "code": "north", "description": ""}
    refused = admin_client.post(add, north | {"use_for_new_cases": "on"})
    assert_refused(refused, "Publish a version of this pathway before using it for new cases")
    assert not Pathway.objects.filter(code="north").exists()

    blank = admin_client.post(add, north | {"name": "  "})
    assert_refused(blank, "Enter the name of the pathway")
    taken = admin_client.post(add, north | {"code": KNOWSLEY})
    assert_refused(taken, "Another pathway uses this short name: choose a different one")

    response = admin_client.post(add, north)
    assert response.status_code == 302
    north = Pathway.objects.get(code="north")
    assert not north.is_default
    assert north.versions.get().is_published is False
    assert last_history(north).history_user == admin_user


def test_if_possible_shows_on_a_published_version_and_can_be_changed_on_a_draft(
    admin_client, admin_user, draft
):
    """Appendix 4's day-8 step ("Contact referrer or other practitioner if possible ...") and day-12
    step ("Discuss with referrer (if possible) ...") come marked; an admin can change the marks."""
    label = "Can be recorded as not possible"
    published = admin_client.get(_url(current_version(KNOWSLEY))).content.decode()
    assert label in published and 'name="steps-7-if_possible"' not in published
    data = _draft_data(admin_client, draft, {(10, "if_possible"): "on"})
    assert label in admin_client.get(_url(draft)).content.decode()
    del data[_step_key(data, 8, "if_possible")]

    response = admin_client.post(_url(draft), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(draft.steps.filter(if_possible=True).values_list("order", flat=True)) == {10, 11}
    assert last_history(Step.objects.get(version=draft, order=10)).history_user == admin_user
    assert set(current_version(KNOWSLEY).steps.filter(if_possible=True).values_list("order", flat=True)) == {
        8,
        11,
    }


def test_the_decisions_a_pathway_offers_are_set_by_the_admin_and_kept_in_history(admin_client, admin_user):
    """Camden's pathway offers its own decisions (a data migration set them); an admin changes any
    pathway's list, kept in the order listed. None ticked means the Knowsley set."""
    camden = Pathway.objects.get(code=CAMDEN)
    assert camden.decision_outcomes == ["social_worker_review", "network_meeting", "complexity_panel"]
    assert Pathway.objects.get(code=KNOWSLEY).decision_outcomes == []
    url = reverse("admin:flowchart_pathway_change", args=[camden.pk])
    page = admin_client.get(url)
    assert "Decisions offered on the decision day" in page.content.decode()
    data = form_data(page) | {"decision_outcomes": ["close", "network_meeting", "social_worker_review"]}

    response = admin_client.post(url, data)

    assert response.status_code == 302
    camden.refresh_from_db()
    assert camden.decision_outcomes == ["close", "social_worker_review", "network_meeting"]
    assert last_history(camden).history_user == admin_user
    refused = admin_client.post(url, data | {"decision_outcomes": ["step_sideways"]})
    assert_refused(refused, "Select a valid choice. step_sideways is not one of the available choices.")
