"""The draft as a GOV.UK task list: each section on its own page, one factor or action a page."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from riskassessment import services
from riskassessment.models import (
    Action,
    ActionKind,
    AssessmentStatus,
    Basis,
    Factor,
    FactorCategory,
    FactorSide,
    Timeframe,
)
from riskassessment.selectors import assessment_view


def _url(name, assessment, **extra):
    return reverse(
        f"riskassessment:{name}", kwargs={"case_pk": assessment.case_id, "pk": assessment.pk, **extra}
    )


def _date(prefix, value):
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def _statuses(html) -> dict[str, str]:
    """Each task's name and its status, as the task list shows them."""
    items = re.findall(
        r'govuk-task-list__item.*?(?:href="[^"]*"[^>]*>|<div>)([^<]+)<.*?govuk-task-list__status[^>]*>\s*'
        r"(?:<strong[^>]*>)?([^<]+?)\s*<",
        html,
        re.S,
    )
    return {name.strip(): status.strip() for name, status in items}


@pytest.fixture
def new_draft(family):
    return services.assessment_start(case=family.case, by=family.lead)


@pytest.fixture
def lead(client, family):
    client.force_login(family.lead)
    return client


def _version(client, url) -> str:
    tag = re.search(r"<input[^>]*record_version[^>]*>", client.get(url).content.decode()).group(0)
    return re.search(r'value="(\d+)"', tag).group(1)


def test_starting_an_assessment_opens_its_task_list_with_nothing_started(lead, family):
    response = lead.post(reverse("riskassessment:assessment_start", kwargs={"case_pk": family.case.pk}))
    draft = family.case.assessments.get()
    assert response["Location"] == _url("assessment_tasks", draft)

    html = lead.get(response["Location"]).content.decode()
    assert 'class="govuk-task-list"' in html
    assert _statuses(html) == {
        "About the family and who took part": "In progress",  # the children come from the case
        "Risk and vulnerability factors": "Not yet started",
        "Protective and resilient factors": "Not yet started",
        "Analysis and conclusion": "Not yet started",
        "What needs to happen": "Not yet started",
        "Check your answers and submit": "Cannot start yet",
    }
    assert "You have completed 0 of 5 sections." in html
    # GOV.UK's task list: "Not yet started" in a blue tag, "In progress" in a light blue one.
    assert html.count('govuk-tag--blue">Not yet started<') == 4
    assert html.count('govuk-tag--light-blue">In progress<') == 1


def test_each_section_saves_on_its_own_and_the_list_says_what_is_done(lead, family, new_draft):
    about = _url("assessment_about", new_draft)
    response = lead.post(
        about,
        {
            "children": [c.pk for c in family.children],
            **_date("assessment_date", dt.date(2026, 11, 20)),
            "participants": "Priya Patel, lead practitioner\nAlex Adeyemi, school",
            "with_multi_agency_meeting": "yes",
            "service": "North Early Help Team",
            "record_version": _version(lead, about),
        },
    )
    assert response["Location"] == _url("assessment_tasks", new_draft)
    analysis = _url("assessment_analysis", new_draft)
    lead.post(
        analysis,
        {"analysis": "The risks outweigh", "elevated_risk": "", "record_version": _version(lead, analysis)},
    )

    new_draft.refresh_from_db()
    assert new_draft.participants.startswith("Priya Patel")
    assert new_draft.with_multi_agency_meeting is True
    assert new_draft.analysis == "The risks outweigh"
    statuses = _statuses(lead.get(_url("assessment_tasks", new_draft)).content.decode())
    assert statuses["About the family and who took part"] == "Completed"
    # Resumable: the elevated-risk question is still to answer.
    assert statuses["Analysis and conclusion"] == "In progress"
    html = lead.get(analysis).content.decode()
    assert "The risks outweigh" in html


def test_a_section_saved_by_someone_else_meanwhile_is_refused_and_kept(lead, family, draft):
    """Two tabs: the second save is told, and what was typed is still on the page."""
    analysis = _url("assessment_analysis", draft)
    seen = _version(lead, analysis)
    services.assessment_update_section(
        view=assessment_view(draft, with_sharing=False), by=family.lead, analysis="Changed in the other tab"
    )
    html = lead.post(
        analysis, {"analysis": "Typed here", "elevated_risk": "no", "record_version": seen}
    ).content.decode()
    assert "Someone else changed this since you opened it" in html
    assert "Typed here" in html
    draft.refresh_from_db()
    assert draft.analysis == "Changed in the other tab"


def test_choosing_an_example_factor_fills_in_the_factor(lead, family, new_draft):
    """Picking an example and saving without typing gives the factor the example's words."""
    example = FactorCategory.objects.filter(kind="risk", is_active=True).first()
    url = _url("assessment_factor_add", new_draft, side="risk")
    response = lead.post(
        url,
        {
            "category": str(example.pk),
            "description": "",
            "timeframe": Timeframe.CURRENT,
            "basis": Basis.GREY_AREA,
            "evidence": "",
            "record_version": _version(lead, url),
        },
    )
    assert response["Location"] == _url("assessment_factors", new_draft, side="risk")
    factor = Factor.objects.get(assessment=new_draft)
    assert (factor.description, factor.category) == (example.name, example)
    html = lead.get(response["Location"]).content.decode()
    assert "You have added 1 factor." in html
    assert "Add another risk factor" in html


def test_errors_are_numbered_and_the_summary_links_to_each_field(lead, family, draft):
    """The guidance: each factor names its evidence ("Examples – Evidence of historic risks -
    things we know are true"), so an evidenced factor without evidence is refused, by number."""
    url = _url("assessment_factor_add", draft, side="risk")  # the draft has one risk factor
    html = lead.post(
        url,
        {
            "category": "",
            "description": "",
            "timeframe": "",
            "basis": Basis.EVIDENCED,
            "evidence": "",
            "record_version": _version(lead, url),
        },
    ).content.decode()
    assert "<title>Error:" in html
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    assert (
        '<a href="#id_description">Risk factor 2: describe the factor, or choose an example factor</a>'
        in summary
    )
    assert (
        '<a href="#id_evidence">Risk factor 2: describe the evidence, or mark it a grey area</a>' in summary
    )
    assert (
        '<a href="#id_timeframe_1">Risk factor 2: select whether it is historical or current</a>' in summary
    )
    assert Factor.objects.filter(assessment=draft).count() == 2

    action_url = _url("assessment_action_add", draft)
    html = lead.post(action_url, {"what": "", "who": "Priya", "record_version": _version(lead, action_url)})
    html = html.content.decode()
    assert '<a href="#id_what">Action 2: enter what needs to happen</a>' in html
    assert "Action 2: enter the date it must be done by" in html


def test_a_factor_is_changed_in_place_and_removed_only_after_asking(lead, family, draft):
    """Removing keeps the row (marked removed) and its history: case records are evidence."""
    factor = Factor.objects.get(assessment=draft, side=FactorSide.PROTECTIVE)
    change = _url("assessment_factor_change", draft, side="protective", factor_pk=factor.pk)
    html = lead.get(change).content.decode()
    assert "Change protective factor 1" in html
    assert escape(factor.description) in html
    lead.post(
        change,
        {
            "category": "",
            "description": "Grandmother collects the children every day",
            "timeframe": Timeframe.HISTORICAL,
            "basis": Basis.GREY_AREA,
            "evidence": "",
            "record_version": _version(lead, change),
        },
    )
    factor.refresh_from_db()
    assert factor.description == "Grandmother collects the children every day"
    assert factor.timeframe == Timeframe.HISTORICAL

    remove = _url("assessment_factor_remove", draft, side="protective", factor_pk=factor.pk)
    html = lead.get(remove).content.decode()
    assert "Are you sure you want to remove protective factor 1?" in html
    assert Factor.objects.get(pk=factor.pk).removed_at is None  # asking changes nothing
    response = lead.post(remove, {"record_version": _version(lead, remove)})
    assert response["Location"] == _url("assessment_factors", draft, side="protective")
    factor.refresh_from_db()
    assert factor.removed_at is not None
    assert factor.history.count() >= 3  # added, changed, removed
    html = lead.get(response["Location"]).content.decode()
    assert "No protective factor is recorded yet" in html


def test_actions_are_added_changed_and_removed_one_a_page(lead, family, draft):
    add = _url("assessment_action_add", draft)
    lead.post(
        add,
        {
            "what": "Visit with the health visitor",
            "who": "Priya",
            **_date("by_when", dt.date(2026, 12, 3)),
            **_date("review_on", dt.date(2026, 12, 17)),
            "record_version": _version(lead, add),
        },
    )
    actions = list(Action.objects.filter(assessment=draft, removed_at__isnull=True).order_by("position"))
    assert [a.what for a in actions] == ["Joint visit with the school nurse", "Visit with the health visitor"]
    first = actions[0]
    remove = _url("assessment_action_remove", draft, action_pk=first.pk)
    assert "Are you sure you want to remove action 1?" in lead.get(remove).content.decode()
    lead.post(remove, {"record_version": _version(lead, remove)})
    first.refresh_from_db()
    assert first.removed_at is not None
    html = lead.get(_url("assessment_actions", draft)).content.decode()
    assert "You have added 1 action." in html


def test_the_check_answers_task_opens_once_the_sections_are_complete_and_submits(lead, family, draft):
    statuses = _statuses(lead.get(_url("assessment_tasks", draft)).content.decode())
    assert statuses["Check your answers and submit"] == "Not yet started"
    assert _url("assessment_submit", draft) in lead.get(_url("assessment_tasks", draft)).content.decode()
    lead.post(_url("assessment_submit", draft))
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.SUBMITTED
    # Once submitted, the task list and its pages send the practitioner to the assessment.
    response = lead.get(_url("assessment_factor_add", draft, side="risk"))
    assert response["Location"] == _url("assessment_detail", draft)


def test_a_row_of_another_assessment_or_side_is_not_found(lead, family, draft):
    factor = Factor.objects.get(assessment=draft, side=FactorSide.RISK)
    assert (
        lead.get(_url("assessment_factor_change", draft, side="protective", factor_pk=factor.pk)).status_code
        == 404
    )
    assert lead.get(_url("assessment_factors", draft, side="sideways")).status_code == 404
    plan = Action.objects.get(assessment=draft, kind=ActionKind.PLAN)
    assert lead.get(_url("assessment_action_change", draft, action_pk=plan.pk + 1000)).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("side", ["risk", "protective"])
def test_the_factor_list_takes_the_same_queries_for_1_and_40(
    lead, family, draft, side, django_assert_num_queries
):
    url = _url("assessment_factors", draft, side=side)
    one = _count(lead, url)
    category = FactorCategory.objects.filter(kind="protective" if side == "protective" else "risk").first()
    for i in range(39):
        Factor.objects.create(
            assessment=draft,
            side=side,
            timeframe=Timeframe.CURRENT,
            basis=Basis.GREY_AREA,
            description=f"Extra factor {i}",
            category=category,
            position=10 + i,
        )
    with django_assert_num_queries(one):
        html = lead.get(url).content.decode()
    assert "You have added 40 factors." in html


def test_the_action_list_and_the_task_list_take_the_same_queries_for_1_and_40(
    lead, family, draft, django_assert_num_queries
):
    urls = [_url("assessment_actions", draft), _url("assessment_tasks", draft)]
    counts = [_count(lead, url) for url in urls]
    for i in range(39):
        Action.objects.create(
            assessment=draft,
            kind=ActionKind.PLAN,
            what=f"Extra action {i}",
            who="Priya",
            by_when=dt.date(2026, 12, 1),
            review_on=dt.date(2026, 12, 15),
            position=10 + i,
            added_by=family.lead,
        )
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            lead.get(url)
    assert "You have added 40 actions." in lead.get(urls[0]).content.decode()
