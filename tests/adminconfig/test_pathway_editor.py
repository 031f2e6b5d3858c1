"""The pathway editor: a draft changed step by step on its own pages, previewed, then published.

Admins configure and never see case content: the preview replays a made-up family, and the
families in the flow chart are counted, never named.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from flowchart import pathway_services, selectors
from flowchart import services as flowchart_services
from flowchart.models import Pathway, PathwayVersion, Step
from flowchart.pathways import KNOWSLEY
from flowchart.services import FlowchartError
from tests.factories import CaseFactory, EpisodeFactory, ManagerFactory

from .conftest import last_history

STEP_3 = {
    "day": "5",
    "timing": "before",
    "title": "Three further telephone calls to arrange a visit",
    "requirement": "attempts",
    "attempt_kinds": ["phone_call", "text_message"],
    "attempt_count": "3",
    "responsible": "lead_practitioner",
    "guidance": "Try different times of day.",
}


@pytest.fixture
def knowsley(pathways):
    return Pathway.objects.get(code=KNOWSLEY)


@pytest.fixture
def draft(knowsley, admin_user):
    return pathway_services.pathway_draft_make(pathway=knowsley, by=admin_user)


def _steps_url(pathway):
    return reverse("flowchart:pathway_steps", kwargs={"pk": pathway.pk})


def _step_url(pathway, order):
    return reverse("flowchart:pathway_step_change", kwargs={"pk": pathway.pk, "order": order})


def _publish_url(pathway):
    return reverse("flowchart:pathway_publish", kwargs={"pk": pathway.pk})


# ---------------------------------------------------------------------------------------------
# Services


def test_a_draft_is_a_copy_of_the_published_version_and_there_is_only_one(knowsley, admin_user):
    published = selectors.current_version(KNOWSLEY)

    draft = pathway_services.pathway_draft_make(pathway=knowsley, by=admin_user)

    assert draft.number == published.number + 1 and not draft.is_published
    assert list(draft.steps.values_list("order", "day", "title")) == list(
        published.steps.values_list("order", "day", "title")
    )
    with pytest.raises(FlowchartError, match="already has a draft"):
        pathway_services.pathway_draft_make(pathway=knowsley, by=admin_user)


def test_changing_a_step_of_the_draft_is_kept_in_history(draft, admin_user):
    step = draft.steps.get(order=5)

    pathway_services.pathway_step_change(step=step, by=admin_user, day=6, attempt_count=2)

    step.refresh_from_db()
    assert (step.day, step.attempt_count) == (6, 2)
    assert last_history(step).history_user == admin_user


def test_a_published_version_is_never_changed(knowsley, admin_user):
    step = selectors.current_version(KNOWSLEY).steps.get(order=5)

    with pytest.raises(FlowchartError, match="is published and cannot be changed: create a draft"):
        pathway_services.pathway_step_change(step=step, by=admin_user, day=6)

    step.refresh_from_db()
    assert step.day == 5


@pytest.mark.parametrize(
    ("order", "day", "message"),
    [
        (5, 4, "Enter day 5 or later: step 5 comes after step 4, which is on day 5"),
        (5, 7, "Enter day 6 or earlier: step 5 comes before step 6, which is on day 6"),
    ],
)
def test_a_step_stays_in_the_order_of_the_days(draft, admin_user, order, day, message):
    with pytest.raises(pathway_services.StepOutOfOrder, match=message):
        pathway_services.pathway_step_change(step=draft.steps.get(order=order), by=admin_user, day=day)


def test_publishing_leaves_running_episodes_on_their_version(knowsley, admin_user):
    """Running episodes keep the version they started on; new cases follow the one published."""
    published = selectors.current_version(KNOWSLEY)
    running = EpisodeFactory(version=published)
    draft = pathway_services.pathway_draft_make(pathway=knowsley, by=admin_user)
    pathway_services.pathway_step_change(step=draft.steps.get(order=5), by=admin_user, day=6)

    pathway_services.pathway_draft_publish(pathway=knowsley, by=admin_user)

    running.refresh_from_db()
    assert running.version == published
    case = CaseFactory()
    assert flowchart_services.episode_start(case=case, by=case.lead_practitioner).version == draft
    with pytest.raises(FlowchartError, match="has no draft to publish"):
        pathway_services.pathway_draft_publish(pathway=knowsley, by=admin_user)


# ---------------------------------------------------------------------------------------------
# Pages


def test_the_pathways_and_a_published_versions_steps_offer_create_a_draft(admin_client, knowsley):
    listing = admin_client.get(reverse("flowchart:pathway_list"))
    assert escape(knowsley.name) in listing.content.decode()

    page = admin_client.get(_steps_url(knowsley)).content.decode()

    assert "Create a draft" in page and "(published)" in page
    assert "Change<span" not in page  # a published version is never edited

    response = admin_client.post(reverse("flowchart:pathway_draft_create", kwargs={"pk": knowsley.pk}))

    assert response.status_code == 302
    draft = selectors.pathway_draft(knowsley)
    page = admin_client.get(_steps_url(knowsley)).content.decode()
    assert f"Draft version {draft.number}" in page
    assert page.count("Change<span") == draft.steps.count()
    assert _step_url(knowsley, 15) in page


def test_the_steps_page_reads_a_constant_number_of_queries(admin_client, knowsley, draft):
    with CaptureQueriesContext(connection) as few:
        admin_client.get(_steps_url(knowsley))
    for order in (16, 17, 18):
        Step.objects.create(version=draft, order=order, day=15, timing="by", title=f"Extra {order}")
    with CaptureQueriesContext(connection) as more:
        admin_client.get(_steps_url(knowsley))
    assert len(more) == len(few)


def test_a_step_is_changed_on_its_own_page_and_saved_as_draft(admin_client, admin_user, knowsley, draft):
    page = admin_client.get(_step_url(knowsley, 3)).content.decode()
    assert "Save as draft" in page and 'value="5"' in page

    response = admin_client.post(_step_url(knowsley, 3), {**STEP_3, "attempt_count": "4"}, follow=True)

    assert response.redirect_chain[-1][0] == _steps_url(knowsley)
    assert "Step 3 saved in draft version" in response.content.decode()
    step = draft.steps.get(order=3)
    assert step.attempt_count == 4 and step.attempt_kinds == ["phone_call", "text_message"]
    assert selectors.current_version(KNOWSLEY).steps.get(order=3).attempt_count == 3


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"day": "16"},
            "day",
            "Enter a day number from 1 to 15: the pathway ends on day 15, when the next steps are decided",
        ),
        ({"day": "five"}, "day", "Enter the day number as a whole number, for example 5"),
        ({"day": "2"}, "day", "Enter day 3 or later: step 3 comes after step 2, which is on day 3"),
        (
            {"attempt_kinds": []},
            "attempt_kinds",
            "Select at least one kind of attempt for a step done by attempts",
        ),
        ({"title": ""}, "title", "Enter what the step is, for example 'Telephone the family'"),
    ],
)
def test_a_step_page_refuses_bad_input_in_govuk_style_keeping_what_was_typed(
    admin_client, knowsley, draft, changes, field, message
):
    """Knowsley's chart ends with "Agree with Line Manager the next steps / No later than Day 15":
    no step may come later. Each error is in the summary and at its field; nothing typed is lost."""
    response = admin_client.post(_step_url(knowsley, 3), {**STEP_3, "guidance": "Typed guidance", **changes})

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Error: " in page
    assert response.context["form"].errors[field] == [message]
    assert page.count(escape(message)) >= 2  # in the summary and at the field
    assert "Typed guidance" in page
    assert draft.steps.get(order=3).day == 5


def test_a_draft_step_page_is_404_when_there_is_no_draft(admin_client, knowsley):
    assert admin_client.get(_step_url(knowsley, 3)).status_code == 404
    assert admin_client.get(_publish_url(knowsley)).status_code == 404


def test_the_preview_shows_the_sample_family_old_and_new_and_counts_running_episodes(
    admin_client, admin_user, knowsley
):
    published = selectors.current_version(KNOWSLEY)
    running = [EpisodeFactory(version=published) for _ in range(2)]
    draft = pathway_services.pathway_draft_make(pathway=knowsley, by=admin_user)
    pathway_services.pathway_step_change(step=draft.steps.get(order=5), by=admin_user, day=6)

    response = admin_client.get(_publish_url(knowsley))

    page = response.content.decode()
    preview = response.context["preview"]
    assert "A sample family (made up, not a real case)" in page
    changed = [day.date.isoformat() for day in preview.days if day.changed]
    assert changed[0] == "2026-11-06"  # Day 5: the first visit is no longer due that day
    friday = next(day for day in preview.days if day.date.isoformat() == "2026-11-06")
    assert any("Step 5" in title for title in friday.due_now)
    assert not any("Step 5" in title for title in friday.due_new)
    monday = next(day for day in preview.days if day.date.isoformat() == "2026-11-09")
    assert any("Step 5" in title for title in monday.due_new)
    assert "Changed" in page
    assert f"Version {published.number}</dt>" in page
    assert "2 running" in page
    assert "keep the version they started on" in page
    for episode in running:  # counts only: no case is named
        assert escape(episode.case.family_name) not in page
        assert episode.case.reference not in page


def test_publish_from_the_preview(admin_client, knowsley, draft):
    response = admin_client.post(_publish_url(knowsley), follow=True)

    draft.refresh_from_db()
    assert draft.is_published
    assert selectors.current_version(KNOWSLEY) == draft
    assert "is published: new cases follow it from now on" in response.content.decode()


def test_publishing_a_draft_without_steps_is_refused_in_govuk_style(admin_client, admin_user, pathways):
    pathway = pathway_services.pathway_save(
        pathway=Pathway(name="North 15-day", code="north-15-day"), by=admin_user, use_for_new_cases=False
    )

    response = admin_client.post(_publish_url(pathway))

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Add at least one step before publishing" in page
    assert not PathwayVersion.objects.get(pathway=pathway).is_published


def test_a_manager_cannot_reach_the_editor(client, knowsley, draft):
    client.force_login(ManagerFactory())
    for url in (reverse("flowchart:pathway_list"), _steps_url(knowsley), _step_url(knowsley, 3)):
        assert client.get(url).status_code == 404
