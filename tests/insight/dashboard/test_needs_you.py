"""The line manager's "Needs you": one queue of what waits for them across their teams.

Uses the dashboard's hand-built team (conftest.py), on Wednesday 18 November 2026, and adds one
of each kind the dashboard does not hold: an assessment to sign, a held letter, a hostile
incident to review, a request to close a case, an escalated notification and a co-worker request.
"""

import dataclasses
import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import CaseStatus, MembershipStatus
from engagement.documents.models import Letter, LetterStatus, LetterStep
from engagement.safety.services import hostile_incident_record
from flowchart.models import ClosureRequest, Episode
from flowchart.services import episode_refresh
from insight.needs_you import selectors
from insight.needs_you.views import PAGE_SIZE
from tests.factories import (
    AdultFactory,
    AssessmentFactory,
    CaseFactory,
    CaseMembershipFactory,
    EpisodeFactory,
    NotificationFactory,
    PractitionerFactory,
    TeamFactory,
)

from .conftest import TODAY, share, signed_assessment

URL = "/needs-you/"


def submitted_assessment(case):
    now = timezone.now()
    return AssessmentFactory(
        case=case,
        status="submitted",
        analysis="Risks outweigh the protective factors.",
        elevated_risk=False,
        submitted_at=now,
        submitted_by=case.lead_practitioner,
    )


def held_letter(case):
    partner = AdultFactory(case=case, full_name="Pat Partner")
    AdultFactory(case=case, domestic_abuse_concern=True, safe_contact=["no_letters"])
    return Letter.objects.create(
        case=case,
        step=LetterStep.DAY_10,
        recipient=partner,
        address="1 High Street",
        subject="Please ring me",
        body="Please ring me.",
        status=LetterStatus.HELD,
        created_by=case.lead_practitioner,
        held_by=case.lead_practitioner,
        held_at=timezone.now(),
    )


def hostile_incident(case):
    return hostile_incident_record(
        case=case,
        by=case.lead_practitioner,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        place="On the doorstep",
        people=[AdultFactory(case=case)],
        what_happened="Shouted at me and slammed the door.",
        threats=True,
        staff_affected=[case.lead_practitioner],
    )


def closure_request(case):
    return ClosureRequest.objects.create(
        case=case, requested_by=case.lead_practitioner, reason="The family moved out of the area."
    )


def escalation(case, manager):
    return NotificationFactory(
        recipient=manager,
        case=case,
        is_escalation=True,
        subject=f"Overdue: {case.family_name}",
        url=reverse("cases:case_detail", kwargs={"case_pk": case.pk}),
    )


def co_worker_request(case):
    other_team = TeamFactory(name="West Early Help Team")
    return CaseMembershipFactory(
        case=case,
        user=PractitionerFactory(full_name="Cora Coworker", team=other_team),
        status=MembershipStatus.REQUESTED,
        added_by=case.lead_practitioner,
    )


@pytest.fixture
def waiting(team):
    """One of each kind not already in the dashboard's team, on new North cases."""

    def case(name):
        return CaseFactory(family_name=f"{name} family", lead_practitioner=team.priya, team=team.north)

    team.cases.moss = case("Moss")
    team.sign = submitted_assessment(team.cases.moss)
    team.cases.nash = case("Nash")
    team.letter = held_letter(team.cases.nash)
    team.cases.park = case("Park")
    team.incident = hostile_incident(team.cases.park)
    team.cases.quin = case("Quin")
    team.closure = closure_request(team.cases.quin)
    team.cases.reid = case("Reid")
    team.notification = escalation(team.cases.reid, team.manager)
    team.cases.shaw = case("Shaw")
    team.co_worker = co_worker_request(team.cases.shaw)
    # South's manager has their own: never on Morgan's page.
    south = CaseFactory(family_name="Tate family", lead_practitioner=team.quinn)
    submitted_assessment(south)
    south_shared = CaseFactory(family_name="Ure family", lead_practitioner=team.quinn)
    team.south_share = share(
        signed_assessment(south_shared, due_on=dt.date(2026, 11, 9), shared=True), member_name="Una Unread"
    )
    return team


def test_each_kind_waits_with_its_family_practitioner_and_a_link_to_the_page_that_does_it(waiting):
    items = selectors.needs_you(waiting.manager, TODAY)
    found = {(item.kind, item.case.family_name): item for item in items}
    assert set(found) == {
        ("oversight", "Adams family"),  # the practitioner told the manager on 17 November
        ("decision", "Davis family"),  # day 23: the decision was due by day 15
        ("share", "Hughes family"),  # Dana Designated never opened it, due 11 November
        ("sign", "Moss family"),
        ("letter", "Nash family"),
        ("hostile", "Park family"),
        ("closure", "Quin family"),
        ("escalation", "Reid family"),
        ("co_worker", "Shaw family"),
    }
    cases = waiting.cases
    assert found["decision", "Davis family"].url == reverse(
        "flowchart:decision_record", kwargs={"case_pk": cases.davis.pk}
    )
    assert found["sign", "Moss family"].url == reverse(
        "riskassessment:assessment_sign", kwargs={"case_pk": cases.moss.pk, "pk": waiting.sign.pk}
    )
    assert found["letter", "Nash family"].url == reverse(
        "engagement:letter_decide", kwargs={"case_pk": cases.nash.pk, "pk": waiting.letter.pk}
    )
    assert found["hostile", "Park family"].url == reverse(
        "engagement:hostile_incident_review", kwargs={"case_pk": cases.park.pk, "pk": waiting.incident.pk}
    )
    assert found["closure", "Quin family"].url == reverse(
        "flowchart:closure_decide", kwargs={"case_pk": cases.quin.pk, "pk": waiting.closure.pk}
    )
    assert found["share", "Hughes family"].practitioner == waiting.sam
    assert "Dana Designated" in found["share", "Hughes family"].what
    assert found["share", "Hughes family"].days_overdue == 7


def test_a_share_overdue_on_another_teams_case_waits_for_that_teams_manager_only(waiting):
    """Each share keeps its case's team, and the queue reads shares by it: South's overdue share
    is on South's manager's queue and never on Morgan's."""
    assert waiting.south_share.team == waiting.south_share.assessment.case.team != waiting.north
    theirs = [item.family_name for item in selectors.needs_you(waiting.south_share.team.manager, TODAY)]
    assert "Ure family" in theirs
    ours = selectors.needs_you(waiting.manager, TODAY)
    assert [item.family_name for item in ours if item.kind == "share"] == ["Hughes family"]


def test_the_most_overdue_come_first_and_nothing_upcoming_is_listed(waiting):
    items = selectors.needs_you(waiting.manager, TODAY)
    overdue = [item for item in items if item.days_overdue]
    assert items[: len(overdue)] == overdue  # every overdue item before anything not overdue
    assert [item.days_overdue for item in overdue] == sorted((i.days_overdue for i in overdue), reverse=True)
    names = {item.case.family_name for item in items}
    # Baker (day 1) and Clark (day 2) have nothing of the manager's due yet; Evans's run ended.
    assert not names & {"Baker family", "Clark family", "Evans family", "Owen family", "Tate family"}


def test_the_page_names_the_family_the_practitioner_and_how_late_only_problems_highlighted(waiting, client):
    client.force_login(waiting.manager)
    page = client.get(URL)
    html = page.content.decode()
    assert page.status_code == 200
    assert "9 things across your teams wait for you" in html
    davis = html.split("Davis family", 1)[1].split("</li>", 1)[0]
    assert escape(waiting.sam.full_name) in davis and "govuk-tag--red" in davis and "days overdue" in davis
    moss = html.split("Moss family", 1)[1].split("</li>", 1)[0]
    assert "govuk-tag" not in moss  # waiting, not late: not highlighted
    assert "Waiting" in moss or "Since today" in moss
    # The notification is opened (and so marked read) through a form, not a link.
    reid = html.split("Reid family", 1)[1].split("</li>", 1)[0]
    assert 'method="post"' in reid and 'name="next" value="open"' in reid
    assert "Tate family" not in html


def test_opening_an_escalated_notification_takes_it_off_the_queue(waiting, client):
    client.force_login(waiting.manager)
    response = client.post(
        reverse("flowchart:notification_read", kwargs={"pk": waiting.notification.pk}), {"next": "open"}
    )
    assert response.status_code == 302
    assert "Reid family" not in client.get(URL).content.decode()


def test_a_line_manager_starts_from_needs_you_and_the_old_queue_sends_them_there(team, client):
    client.force_login(team.manager)
    assert client.get("/")["Location"] == reverse("needs_you:queue")
    assert client.get(reverse("flowchart:oversight_queue"))["Location"] == reverse("needs_you:queue")
    client.force_login(team.priya)
    assert client.get("/")["Location"] == reverse("today:my_work")


def test_an_escalated_case_waits_for_its_decision(team):
    team.cases.davis.status = CaseStatus.ESCALATED
    team.cases.davis.save()
    items = [i for i in selectors.needs_you(team.manager, TODAY) if i.case == team.cases.davis]
    assert [i.what for i in items] == ["Escalated to the MASH: record the decision"]


def _grow(team, n):
    """n more of each kind, each on a case of its own, and n episodes with nothing due."""
    for i in range(n):
        for make in (submitted_assessment, held_letter, hostile_incident, closure_request, co_worker_request):
            make(CaseFactory(family_name=f"Grown {i} family", lead_practitioner=team.priya))
        escalation(CaseFactory(lead_practitioner=team.sam), team.manager)
        overdue = CaseFactory(lead_practitioner=team.sam, referral_date=dt.date(2026, 10, 19))
        EpisodeFactory(case=overdue)
        quiet = CaseFactory(lead_practitioner=team.sam, referral_date=TODAY)
        EpisodeFactory(case=quiet)


def test_the_page_runs_the_same_queries_for_1_as_for_200_of_each_kind_and_is_paged(waiting, client):
    client.force_login(waiting.manager)
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL).status_code == 200
    _grow(waiting, 199)
    for episode in Episode.objects.filter(ended_on__isnull=True, case__referral_date=dt.date(2026, 10, 19)):
        episode_refresh(episode=episode)
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL)
    assert len(many.captured_queries) == len(one.captured_queries)
    html = page.content.decode()
    assert html.count('class="app-needs-you__item') == PAGE_SIZE
    assert 'class="govuk-pagination"' in html
    last = int(re.findall(r'aria-label="Page (\d+)"', html)[-1])
    assert last == -(-len(selectors.needs_you(waiting.manager, TODAY)) // PAGE_SIZE)


@pytest.mark.parametrize(
    "left",
    [
        pytest.param(lambda summary: {}, id="no summary"),
        pytest.param(
            lambda summary: {k: v for k, v in summary.items() if k != "decision"}, id="before decisions"
        ),
        pytest.param(lambda summary: {**summary, "on": "2026-12-01"}, id="from a later day"),
    ],
)
def test_a_summary_that_cannot_say_is_worked_out_in_full_and_nothing_is_missed(waiting, left):
    """The queue compares the summaries' generated columns; where a summary cannot say (none yet,
    one from before the manager's due dates were kept, or one worked out for a later day), the
    episode is read anyway and its flow chart worked out from the records, as the case page does."""

    def flowchart_items():
        items = selectors.needs_you(waiting.manager, TODAY)
        return sorted(
            (item.kind, item.case_id, item.what, item.due_on)
            for item in items
            if item.kind in (selectors.OVERSIGHT, selectors.DECISION)
        )

    stored = flowchart_items()
    assert {kind for kind, *_ in stored} == {selectors.OVERSIGHT, selectors.DECISION}
    for episode in Episode.objects.filter(ended_on__isnull=True):
        Episode.objects.filter(pk=episode.pk).update(summary=left(episode.summary))
    assert flowchart_items() == stored


@pytest.mark.parametrize(
    ("due_on", "since", "shown"),
    [
        (
            dt.date(2026, 11, 16),
            dt.date(2026, 11, 16),
            '<strong class="govuk-tag govuk-tag--red">2 days overdue</strong>',
        ),
        (
            dt.date(2026, 11, 17),
            dt.date(2026, 11, 17),
            '<strong class="govuk-tag govuk-tag--red">1 day overdue</strong>',
        ),
        (TODAY, TODAY, '<strong class="govuk-tag govuk-tag--orange">Due today</strong>'),
        (dt.date(2026, 11, 20), TODAY, "Sam Smith. Due by 20 Nov 2026.</p>"),
        (None, dt.date(2026, 11, 17), "Sam Smith. Waiting 1 day.</p>"),
        (None, dt.date(2026, 11, 15), "Sam Smith. Waiting 3 days.</p>"),
        (None, TODAY, "Sam Smith. Waiting since today.</p>"),
    ],
)
def test_each_item_says_how_late_it_is_and_escapes_what_it_shows_once(rf, due_on, since, shown):
    """An item is written by one call (`needs_you_tags.needs_you_item`): each kind of lateness
    and of action is its own markup, and each value is escaped once, never twice."""
    from insight.templatetags.needs_you_tags import needs_you_item

    item = selectors.NeedsYouItem(
        kind=selectors.DECISION,
        case_id=7,
        family_name="O'Neil <family>",
        reference="EH-7",
        practitioner_id=3,
        practitioner_name="Sam Smith",
        what_words="Decision on next steps: %(step)s",
        what_values=(("step", "Day 15 & after"),),
        action_words="Record the decision",
        route="flowchart:decision_record",
        route_kwargs=(("case_pk", 7),),
        since=since,
        due_on=due_on,
        today=TODAY,
    )
    html = needs_you_item({"request": rf.get("/")}, item, "/cases/7/decision/?a=1&b=2")
    assert shown in html
    assert html.count('<strong class="govuk-tag') == (1 if due_on and due_on <= TODAY else 0)
    assert "O&#x27;Neil &lt;family&gt; <span" in html and "Day 15 &amp; after</p>" in html
    assert '<a class="govuk-link govuk-!-font-weight-bold" href="/cases/7/decision/?a=1&amp;b=2">' in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    assert "<form" not in html

    notification = dataclasses.replace(
        item, kind=selectors.ESCALATION, notification_id=11, what_words="Overdue"
    )
    html = needs_you_item({"request": rf.get("/")}, notification, "/notifications/11/read/")
    assert '<form method="post" action="/notifications/11/read/"' in html and shown in html
    assert re.search(r'name="csrfmiddlewaretoken" value="\w{32,}"', html)
    assert "<a " not in html


def test_an_items_words_are_translated_in_the_language_of_the_page_that_shows_them():
    """Each message is translated once a language (`selectors._translated`), never once for all:
    the same item read in Welsh after English says it in Welsh (Django's own catalogue gives the
    words here; the product's messages have no Welsh yet)."""
    from django.utils import translation

    def item():
        return selectors.NeedsYouItem(
            kind=selectors.DECISION,
            case_id=1,
            family_name="Ash family",
            reference="EH-1",
            practitioner_id=None,
            practitioner_name="",
            what_words="This field is required.",
            action_words="Save",
            route="flowchart:decision_record",
            route_kwargs=(("case_pk", 1),),
            since=TODAY,
            today=TODAY,
        )

    with translation.override("en-gb"):
        assert (item().what, item().action) == ("This field is required.", "Save")
    with translation.override("cy"):
        assert (item().what, item().action) == ("Mae angen y maes hwn.", "Cadw")
    with translation.override("en-gb"):
        assert item().action == "Save"
