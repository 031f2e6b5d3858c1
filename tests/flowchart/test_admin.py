"""An admin changes the pathway: new episodes follow the new version, running ones keep theirs."""

import pytest
from django.urls import reverse

from flowchart import services
from flowchart.models import FlowchartSettings, PathwayVersion, Step
from flowchart.selectors import calendar_in_force, episode_progress
from tests.factories import AdminFactory, CaseFactory

from .conftest import at


@pytest.fixture
def admin_client(client, pathways, settings):
    client.force_login(AdminFactory())
    return client


def _form_data(response) -> dict:
    """What the admin change page would post back unchanged."""
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {management.add_prefix(n): management[n].value() for n in management.fields}
        for step_form in formset.forms:
            for name in step_form.fields:
                value = step_form[name].value()
                if value not in (None, ""):
                    data[step_form.add_prefix(name)] = value
    return data


def test_a_day_number_changed_in_the_admin_applies_to_new_episodes_only(admin_client, family, walk):
    walk.to(at(family.day1, 10))
    running = services.episode_start(case=family.case, by=family.lead)
    published = running.version
    changelist = reverse("admin:flowchart_pathwayversion_changelist")

    response = admin_client.post(changelist, {"action": "make_draft", "_selected_action": [published.pk]})
    assert response.status_code == 302
    draft = PathwayVersion.objects.get(pathway=published.pathway, published_at__isnull=True)
    assert draft.number == published.number + 1

    # The published version cannot be edited: its steps show read-only.
    page = admin_client.get(reverse("admin:flowchart_pathwayversion_change", args=[published.pk]))
    assert 'name="steps-0-day"' not in page.content.decode()

    url = reverse("admin:flowchart_pathwayversion_change", args=[draft.pk])
    data = _form_data(admin_client.get(url))
    first_visit = next(
        k for k, v in data.items() if k.endswith("-title") and v.startswith("First unannounced")
    )
    data[first_visit.replace("-title", "-day")] = "6"
    data["notes"] = "First visit moved to day 6"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Step.objects.get(version=draft, title__startswith="First unannounced").day == 6

    response = admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.is_published

    newcomer = services.episode_start(
        case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1), by=family.lead
    )
    assert newcomer.version == draft
    visit = {
        e.pk: next(s for s in episode_progress(e).steps if s.step.title.startswith("First unannounced"))
        for e in (running, newcomer)
    }
    assert visit[running.pk].step.day == 5 and visit[newcomer.pk].step.day == 6
    assert visit[newcomer.pk].due_on == walk.day(6)
    # Publishing twice is refused with a message; the published version stays as it was.
    response = admin_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "already published" in response.content.decode()


def test_a_second_draft_is_refused_while_one_is_open(pathways, family):
    version = PathwayVersion.objects.filter(pathway__is_default=True).latest("number")
    services.pathway_version_draft(version=version, by=family.lead)
    with pytest.raises(services.FlowchartError, match="already has a draft"):
        services.pathway_version_draft(version=version, by=family.lead)


def test_the_calendar_setting_applies_to_new_episodes(admin_client, family, walk):
    settings_row = FlowchartSettings.objects.get()
    url = reverse("admin:flowchart_flowchartsettings_change", args=[settings_row.pk])
    response = admin_client.post(
        url, {"nation": "SCT", "morning_reminder_time": "07:30", "escalate_after_days": "1"}
    )  # working days unticked
    assert response.status_code == 302
    assert calendar_in_force().working_days is False and calendar_in_force().nation == "SCT"
    walk.to(at(family.day1, 10))
    episode = services.episode_start(case=family.case, by=family.lead)
    assert (episode.working_days, episode.nation) == (False, "SCT")
    assert episode_progress(episode).steps[-1].due_on == family.day1.replace(day=family.day1.day + 14)
