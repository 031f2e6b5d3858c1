"""The flow-chart pages: what each shows, forms that keep what was typed, constant queries."""

import datetime as dt

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import CaseStatus
from cases.notifications import Notification
from flowchart import selectors, services
from flowchart.models import Decision, Episode, Oversight
from tests.factories import CaseFactory, ContactAttemptFactory, EpisodeFactory, NotificationFactory

from .conftest import at


@pytest.fixture
def started(family, walk):
    walk.to(at(walk.day(6), 10))
    episode = services.episode_start(case=family.case, by=family.lead)
    ContactAttemptFactory(case=family.case, kind="phone_call", occurred_at=at(walk.day(1), 10))
    services.episode_refresh(episode=episode)
    return episode


def test_the_case_flowchart_page_draws_each_step_with_its_status_and_attempts(family, started, client):
    client.force_login(family.lead)
    page = client.get(reverse("flowchart:case_flowchart", kwargs={"case_pk": family.case.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Today is day 6." in html
    assert "Before day 3: Telephone the family to arrange a home visit" in html
    assert "Telephone call, no answer" in html  # the attempt that satisfied it
    assert "Overdue" in html and "Due today" in html and "Done" in html and "Upcoming" in html
    assert "<script" not in html.split("<main")[1].split("</main>")[0]


def test_the_panel_offers_to_start_the_flow_chart_when_none_is_running(family, client):
    client.force_login(family.lead)
    page = client.get(reverse("flowchart:case_flowchart", kwargs={"case_pk": family.case.pk}))
    assert "The flow chart has not started" in page.content.decode()
    response = client.post(
        reverse("flowchart:episode_start", kwargs={"case_pk": family.case.pk}),
        {
            "pathway": "camden-open-to-social-care",
            "day1_0": family.day1.day,
            "day1_1": family.day1.month,
            "day1_2": family.day1.year,
        },
    )
    assert response.status_code == 302
    episode = Episode.objects.get(case=family.case)
    assert episode.version.pathway.code == "camden-open-to-social-care"
    assert episode.day1 == family.day1


def test_the_evidence_page_sets_attempts_required_against_made(family, started, client):
    client.force_login(family.manager)
    html = client.get(reverse("flowchart:evidence", kwargs={"case_pk": family.case.pk})).content.decode()
    assert "Evidence of reasonable efforts" in html
    assert "1 of the" in html  # one attempt made in time for its step
    assert "@media print" not in html  # print rules live in the stylesheet
    assert "css/flowchart.css" in html


def test_inform_manager_then_oversight_with_actions_then_decision(family, started, client, walk):
    client.force_login(family.lead)
    url = reverse("flowchart:manager_inform", kwargs={"case_pk": family.case.pk})
    with walk.committed():
        response = client.post(
            url,
            {"strategies_tried": "Calls and visits", "fera_outcome": "High risk", "risk_increased": "yes"},
        )
    assert response.status_code == 302
    assert [m.to for m in walk.mail_to(family.manager)] == [[family.manager.email]]

    client.force_login(family.manager)
    queue = client.get(reverse("needs_you:queue")).content.decode()
    assert family.case.family_name in queue and "told you of the non-engagement" in queue

    url = reverse("flowchart:oversight_record", kwargs={"case_pk": family.case.pk})
    page = client.get(url).content.decode()
    assert page.count("Action ") >= 3
    data = {
        "discussion": "We agreed a joint visit.",
        "risk_raised": "yes",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-0-what": "Joint visit with the health visitor",
        "actions-0-who": "Priya",
        "actions-0-by_when_0": "12",
        "actions-0-by_when_1": "11",
        "actions-0-by_when_2": "2026",
        "actions-0-review_on_0": "10",  # before the action is due: refused
        "actions-0-review_on_1": "11",
        "actions-0-review_on_2": "2026",
        "actions-1-what": "Ring the school",
    }
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Action 1: The review date must be on or after the date the action is due" in html
    assert "Action 2: Enter who will do it" in html
    assert "We agreed a joint visit." in html and "Ring the school" in html  # nothing typed is lost
    data.update({"actions-0-review_on_0": "19", "actions-1-what": ""})
    assert client.post(url, data).status_code == 302
    oversight = Oversight.objects.get()
    assert oversight.actions.get().review_on == dt.date(2026, 11, 19)

    url = reverse("flowchart:decision_record", kwargs={"case_pk": family.case.pk})
    base = {
        "outcome": "continue",
        "reasons": "The family answered a letter.",
        "considered_mash_referral": "no",
        "considered_multi_agency_meeting": "yes",
        "considered_level_two": "yes",
    }
    html = client.post(url, base).content.decode()
    assert "Enter the review date: continuing needs one" in html
    assert "The family answered a letter." in html
    answers = {**base, "review_on_0": "4", "review_on_1": "1", "review_on_2": "2027"}
    check = client.post(url, answers).content.decode()
    assert "Check your answers before recording the decision" in check and not Decision.objects.exists()
    response = client.post(url, {**answers, "confirm": "yes"})
    assert response.status_code == 302
    family.case.refresh_from_db()
    assert family.case.status == CaseStatus.OPEN
    assert Decision.objects.get().review_on == dt.date(2027, 1, 4)
    assert Episode.objects.get().end_reason == "decided"


def test_a_step_down_case_needs_the_social_worker_question_answered(family, walk, client):
    case = CaseFactory(
        lead_practitioner=family.lead, referral_date=family.day1, is_step_down=True, social_worker_name="Jo"
    )
    walk.to(at(walk.day(15), 10))
    services.episode_start(case=case, by=family.lead)
    client.force_login(family.manager)
    url = reverse("flowchart:decision_record", kwargs={"case_pk": case.pk})
    data = {
        "outcome": "step_down",
        "reasons": "Level 2 can meet the needs.",
        "considered_mash_referral": "no",
        "considered_multi_agency_meeting": "no",
        "considered_level_two": "yes",
    }
    html = client.post(url, data).content.decode()
    assert "Select whether the social worker was consulted: this is a step-down case" in html
    assert client.post(url, {**data, "social_worker_consulted": "yes", "confirm": "yes"}).status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (CaseStatus.STEPPED_DOWN, walk.day(15))
    assert case.history.get(status=CaseStatus.STEPPED_DOWN).history_user == family.manager


def test_another_teams_manager_cannot_reach_the_oversight_or_decision_pages(family, started, client):
    from tests.factories import ManagerFactory, TeamFactory

    other = ManagerFactory()
    TeamFactory(name="South", manager=other)
    client.force_login(other)
    for name in ("flowchart:oversight_record", "flowchart:decision_record"):
        assert client.get(reverse(name, kwargs={"case_pk": family.case.pk})).status_code == 404
    assert family.case.family_name not in client.get(reverse("needs_you:queue")).content.decode()


def test_needs_you_runs_the_same_queries_for_1_and_200_families_in_the_flow_chart(family, client, walk):
    """The old oversight queue listed every live episode; "Needs you" reads only those with
    something of the manager's due, in the same queries however many families are running."""
    walk.to(at(walk.day(6), 10))
    client.force_login(family.manager)
    EpisodeFactory(case=family.case)
    url = reverse("needs_you:queue")
    from django.db import connection

    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(199):
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(many.captured_queries) == len(one.captured_queries)
    assert page.content.decode().count('class="app-needs-you__item') <= 25  # paged


def test_notifications_list_and_mark_as_read(family, client, django_assert_num_queries):
    mine = NotificationFactory(recipient=family.lead, subject="Due today: ring the family", url="/cases/")
    someone_elses = NotificationFactory(recipient=family.manager)
    client.force_login(family.lead)
    from django.db import connection

    with CaptureQueriesContext(connection) as one:
        html = client.get(reverse("flowchart:notifications")).content.decode()
    assert "Due today: ring the family" in html and "New" in html
    NotificationFactory.create_batch(199, recipient=family.lead)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(reverse("flowchart:notifications"))

    response = client.post(reverse("flowchart:notification_read", kwargs={"pk": mine.pk}), {"next": "open"})
    assert response.status_code == 302 and response["Location"] == "/cases/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert (
        client.post(reverse("flowchart:notification_read", kwargs={"pk": someone_elses.pk})).status_code
        == 404
    )
    assert Notification.objects.get(pk=someone_elses.pk).read_at is None


def test_opening_a_notification_never_leaves_the_service(family, client):
    odd = NotificationFactory(recipient=family.lead, url="//elsewhere.example/phish")
    client.force_login(family.lead)
    response = client.post(reverse("flowchart:notification_read", kwargs={"pk": odd.pk}), {"next": "open"})
    assert response["Location"] == reverse("flowchart:notifications")


def test_the_case_page_shows_the_flow_chart_panel(family, started, client):
    client.force_login(family.lead)
    html = client.get(reverse("cases:case_detail", kwargs={"case_pk": family.case.pk})).content.decode()
    # What is owed next leads the page; the whole chart is in its folded "Flow chart" section.
    top = html.split('id="owed-next"')[1].split('id="case-sections"')[0]
    owed = selectors.case_flowchart(family.case).progress.next_step
    assert "Day 6</strong>" in top and f"Next step: <strong>{owed.step.title}</strong>" in top
    assert f"/attempts/new/?step={owed.step.order}" in top  # pre-filled for that step
    section = html.split('id="case-sections-heading-flowchart"')[1].split("case-sections-heading-records")[0]
    assert "Today is day 6." in section
    # The section sums the chart up: the steps owed now, and a link to the whole chart, which is
    # the only page that derives every step and its attempts.
    chart_url = reverse("flowchart:case_flowchart", kwargs={"case_pk": family.case.pk})
    assert f'href="{chart_url}">See the whole flow chart</a>' in section
    owed_now = [
        s for s in selectors.case_flowchart(family.case).steps if s.status in ("overdue", "due_today")
    ]
    assert owed_now and all(s.step.title in section for s in owed_now)
    done = [s for s in selectors.case_flowchart(family.case).steps if s.status == "done"]
    assert done and not any(f": {s.step.title}</span>" in section for s in done)
    whole = client.get(chart_url).content.decode()
    assert "Before day 3: Telephone the family to arrange a home visit" in whole


def test_my_cases_shows_the_day_and_next_step_in_constant_queries(family, client, walk):
    from django.db import connection

    walk.to(at(walk.day(6), 10))
    client.force_login(family.lead)
    EpisodeFactory(case=family.case)
    url = reverse("cases:my_cases")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    assert "Day 6" in html and "Telephone the family to arrange a home visit" in html and "Overdue" in html
    for _ in range(199):
        EpisodeFactory(case=CaseFactory(lead_practitioner=family.lead, referral_date=family.day1))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("Day 6") == 200
    assert len(many.captured_queries) == len(one.captured_queries)


def test_saving_an_attempt_says_which_step_it_counted_towards_and_the_page_lists_the_rest(
    family, started, client
):
    """Every attempt shows on the flow chart: one that met no step is "also recorded"."""
    client.force_login(family.lead)
    url = reverse("engagement:attempt_record", kwargs={"case_pk": family.case.pk})
    today = dt.date(2026, 11, 9)  # day 6, where the `started` fixture leaves the clock
    data = {
        "kind": "letter",
        "outcome": "letter_sent",
        "occurred_on_0": str(today.day),
        "occurred_on_1": str(today.month),
        "occurred_on_2": str(today.year),
        "occurred_time": "09:00",
        "made_by": family.lead.pk,
        "notes": "Posted a letter introducing myself.",
    }
    page = client.post(url, data, follow=True).content.decode()
    assert "counted towards none" in page
    chart = client.get(
        reverse("flowchart:case_flowchart", kwargs={"case_pk": family.case.pk})
    ).content.decode()
    assert "Also recorded" in chart and "Letter, letter sent" in chart


def test_the_flowchart_page_offers_not_possible_only_on_if_possible_steps(family, started, client):
    client.force_login(family.lead)
    html = client.get(
        reverse("flowchart:case_flowchart", kwargs={"case_pk": family.case.pk})
    ).content.decode()
    assert html.count("Record that this was not possible") == 2  # Knowsley's day 8 and day 12
    not_possible = reverse("flowchart:step_not_possible", kwargs={"case_pk": family.case.pk, "order": 8})
    refused = client.post(not_possible, {"reason": ""})
    assert "Enter why the step was not possible" in refused.content.decode()
    client.post(not_possible, {"reason": "The referrer has left the school."})
    html = client.get(
        reverse("flowchart:case_flowchart", kwargs={"case_pk": family.case.pk})
    ).content.decode()
    assert "Not possible, recorded by Priya Patel" in html and "The referrer has left the school." in html
    not_if_possible = reverse("flowchart:step_not_possible", kwargs={"case_pk": family.case.pk, "order": 9})
    assert client.get(not_if_possible).status_code == 404
