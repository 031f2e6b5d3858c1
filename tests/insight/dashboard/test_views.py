"""The dashboard pages: who reaches them, numbers that link to their cases, the filter, queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from insight.dashboard.selectors import FIGURES
from tests.factories import (
    CaseFactory,
    EpisodeFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

from .conftest import TODAY, at, hostile_attempt, share, signed_assessment


def dashboard(team, **query):
    url = reverse("dashboard:team_dashboard", kwargs={"team_pk": team.pk})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def figure_cases(team, figure, **query):
    url = reverse("dashboard:figure_cases", kwargs={"team_pk": team.pk})
    return url + "?" + "&".join(f"{k}={v}" for k, v in {"figure": figure, **query}.items())


def linked_counts(html: str) -> dict[str, tuple[int, str]]:
    """Each figure's number on the dashboard, with the address it links to."""
    found = re.findall(r'<a class="govuk-link[^"]*" href="([^"]+)" data-figure="(\w+)">(\d+)<', html)
    return {key: (int(count), href.replace("&amp;", "&")) for href, key, count in found}


def test_the_dashboard_shows_every_figure_each_linking_to_its_cases(team, client):
    client.force_login(team.manager)
    page = client.get(dashboard(team.north))
    html = page.content.decode()
    assert page.status_code == 200
    assert "North Early Help Team" in html and "Wednesday 18 November 2026" in html
    counts = linked_counts(html)
    assert set(counts) == set(FIGURES)  # every figure is shown, and every number is a link
    assert {key: n for key, (n, _) in counts.items() if n} == {
        "in_flowchart": 4,
        "day_1": 1,
        "day_2": 1,
        "day_13": 1,
        "beyond_day_15": 1,
        "overdue": 2,
        "awaiting_oversight": 1,
        "decision_overdue": 1,
        "decision_due_soon": 1,
        "share_late": 1,
        "share_unacknowledged": 1,
        "hostile": 1,
    }
    # Following each link lists exactly as many families as the number said.
    for key, (count, href) in counts.items():
        listing = client.get(href).content.decode()
        case_links = re.findall(r'href="/cases/(\d+)/"', listing)
        assert len(case_links) == count, key


def test_the_cases_behind_a_figure_link_to_each_case_and_say_why(team, client):
    client.force_login(team.manager)
    html = client.get(figure_cases(team.north, "overdue")).content.decode()
    assert "A flow-chart step is overdue" in html and "2 families" in html
    for case in (team.cases.adams, team.cases.davis):
        assert reverse("cases:case_detail", kwargs={"case_pk": case.pk}) in html
    assert "Telephone the family to arrange a home visit: due by 3 Nov 2026" in html
    assert "Baker family" not in html
    assert f'class="govuk-back-link" href="{dashboard(team.north)}"' in html


def test_a_practitioner_and_another_teams_manager_get_404(team, client):
    for user in (team.priya, team.other_manager):
        client.force_login(user)
        assert client.get(dashboard(team.north)).status_code == 404
        assert client.get(figure_cases(team.north, "overdue")).status_code == 404
    client.force_login(team.manager)
    assert client.get(dashboard(team.south)).status_code == 404
    # A team that does not exist answers the same, whatever its number.
    assert client.get("/team/99999999999999999999/").status_code == 404
    assert client.get(reverse("dashboard:team_dashboard", kwargs={"team_pk": 999999})).status_code == 404


def test_filter_by_one_practitioner(team, client):
    client.force_login(team.manager)
    html = client.get(dashboard(team.north, practitioner=team.sam.pk)).content.decode()
    assert "whose lead practitioner is Sam Singh" in html
    assert f'<option value="{team.sam.pk}" selected>Sam Singh</option>' in html
    counts = linked_counts(html)
    assert counts["in_flowchart"][0] == 2 and counts["share_late"][0] == 0 and counts["hostile"][0] == 1
    # The filter travels with the link and the list is narrowed the same way.
    href = counts["in_flowchart"][1]
    assert f"practitioner={team.sam.pk}" in href
    listing = client.get(href).content.decode()
    assert "Clark family" in listing and "Davis family" in listing and "Adams family" not in listing
    back = dashboard(team.north, practitioner=team.sam.pk)
    assert f'class="govuk-back-link" href="{back}"' in listing


def test_filter_by_another_teams_practitioner_is_refused_and_shows_nothing_of_theirs(team, client):
    client.force_login(team.manager)
    for url in (
        dashboard(team.north, practitioner=team.quinn.pk),
        figure_cases(team.north, "in_flowchart", practitioner=team.quinn.pk),
        figure_cases(team.north, "hostile", practitioner=team.quinn.pk),
    ):
        page = client.get(url)
        html = page.content.decode()
        assert page.status_code == 200
        assert "There is a problem" in html and "Select a lead practitioner from the list" in html
        assert "<title>Error: " in html
        assert "Quinn Quayle" not in html and "Owen family" not in html


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "1.5", "%00"])
def test_a_practitioner_that_is_not_a_number_or_not_known_gives_an_error_not_a_crash(team, client, value):
    client.force_login(team.manager)
    for url in (
        dashboard(team.north, practitioner=value),
        figure_cases(team.north, "overdue", practitioner=value),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "Select a lead practitioner from the list" in page.content.decode()


def test_an_unknown_figure_goes_back_to_the_dashboard(team, client):
    client.force_login(team.manager)
    for url in (
        reverse("dashboard:figure_cases", kwargs={"team_pk": team.north.pk}),
        figure_cases(team.north, "everything"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == dashboard(team.north)
    response = client.get(figure_cases(team.north, "nonsense", practitioner=team.sam.pk))
    assert response["Location"] == dashboard(team.north, practitioner=team.sam.pk)


def test_the_team_list_sends_a_manager_of_one_team_straight_to_it(team, client):
    client.force_login(team.manager)
    response = client.get(reverse("dashboard:teams"))
    assert response.status_code == 302 and response["Location"] == dashboard(team.north)
    second = TeamFactory(name="West Early Help Team", manager=team.manager)
    html = client.get(reverse("dashboard:teams")).content.decode()
    assert dashboard(team.north) in html and dashboard(second) in html
    assert "South Early Help Team" not in html
    assert client.get(dashboard(second)).status_code == 200


def test_managers_have_the_dashboard_in_the_menu_and_practitioners_do_not(team, client):
    client.force_login(team.manager)
    html = client.get(dashboard(team.north)).content.decode()
    assert 'href="/team/"' in html and 'aria-current="true"' in html
    client.force_login(team.priya)
    assert 'href="/team/"' not in client.get(reverse("cases:my_cases")).content.decode()
    assert client.get(reverse("dashboard:teams")).status_code == 404


def test_user_text_is_escaped(frozen, client):
    manager = ManagerFactory(full_name="Mo <b>Manager</b>")
    north = TeamFactory(name="<script>alert(1)</script> team", manager=manager)
    lead = PractitionerFactory(full_name="<i>Pat</i>", team=north)
    CaseFactory(family_name="<img src=x> family", lead_practitioner=lead, referral_date=TODAY)
    EpisodeFactory(case=north.cases.get())
    client.force_login(manager)
    for url in (dashboard(north), figure_cases(north, "in_flowchart")):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html and "<i>Pat</i>" not in html
        assert "<img src=x>" not in html


# Query counts: the same for a team of 1 case and one of 200, asserted at the measured number.
# Every page: the session and the user, the team, the practitioners for the filter, and the
# session saved at the end (3). The flow-chart group: the live episodes with when each manager
# was first told (one read), then the progress read (steps, attempts, the four milestones, FERA
# dates, closure days).
# The sharing group: late assessments and unacknowledged shares. Safety: the attempts. A listing
# adds the cases behind the figure.
# With the summaries the services store, and without any (their flow charts derived from the
# records): more queries then, but still the same for 1 case as for 200.
# Deriving a flow chart with no stored summary reads, among the rest, the parents' agreements and
# the steps recorded as not possible: one query each, however many families. "What is slipping"
# adds none: the figures' own reads carry who leads each family behind them.
# The pathway's steps are not among them: a published version's are read once a process
# (flowchart.selectors.pathways.steps_for), here when the cases were set up.
DASHBOARD_QUERIES = {"stored": 12, "missing": 20}
FIGURE_CASES_QUERIES = {
    "in_flowchart": {"stored": 10, "missing": 18},
    "share_unacknowledged": {"stored": 10, "missing": 10},
    "hostile": {"stored": 9, "missing": 9},
}


def _busy_case(lead, n: int):
    """A case that appears in every group: in the flow chart, a late share, a hostile incident."""
    case = CaseFactory(family_name=f"Family {n}", lead_practitioner=lead, referral_date=dt.date(2026, 11, 2))
    episode = EpisodeFactory(case=case)
    hostile_attempt(case, TODAY - dt.timedelta(days=3))
    from flowchart.models import ManagerInformed

    ManagerInformed.objects.create(
        episode=episode,
        informed_by=lead,
        manager=case.team.manager,
        informed_at=at(TODAY - dt.timedelta(days=1)),
        strategies_tried="Calls.",
        fera_outcome="Unclear.",
        risk_increased="no",
    )
    assessment = signed_assessment(case, due_on=dt.date(2026, 11, 10), shared=True)
    share(assessment, member_name=f"Member {n}")
    return case


@pytest.mark.parametrize("summaries", ["stored", "missing"])
def test_queries_are_the_same_for_1_and_200_cases(frozen, client, django_assert_num_queries, summaries):
    from flowchart.models import Episode

    manager = ManagerFactory(full_name="Morgan Manager")
    north = TeamFactory(name="Busy team", manager=manager)
    lead = PractitionerFactory(full_name="Priya Patel", team=north)
    _busy_case(lead, 0)
    client.force_login(manager)

    def pages_list(whole_team: int, priyas: int):
        """Each page, for the whole team and for Priya's cases, in the same number of queries."""
        if summaries == "missing":
            Episode.objects.update(summary={})
        for query, expected in (({}, whole_team), ({"practitioner": lead.pk}, priyas)):
            with django_assert_num_queries(DASHBOARD_QUERIES[summaries]):
                html = client.get(dashboard(north, **query)).content.decode()
            counts = linked_counts(html)
            assert counts["in_flowchart"][0] == counts["hostile"][0] == expected
            for figure, queries in FIGURE_CASES_QUERIES.items():
                with django_assert_num_queries(queries[summaries]):
                    html = client.get(figure_cases(north, figure, **query)).content.decode()
                assert len(re.findall(r'href="/cases/\d+/"', html)) == expected, figure

    pages_list(1, 1)
    for n in range(1, 200):
        _busy_case(lead if n % 2 == 0 else PractitionerFactory(team=north), n)
    pages_list(200, 100)


def test_the_dashboard_leads_with_what_is_slipping_by_practitioner_zeros_left_out(team, client):
    client.force_login(team.manager)
    html = client.get(dashboard(team.north)).content.decode()
    slipping = html.split('id="slipping"', 1)[1].split("All the figures", 1)[0]
    lines = [" ".join(re.sub(r"<[^>]+>", "", line).split()) for line in slipping.split("<li>")[1:]]
    assert lines == [
        "Priya Patel: 1 family with a step overdue, 1 decision due soon, 1 awaiting your oversight,"
        " 1 assessment not shared in time",
        "Sam Singh: 1 family with a step overdue, 1 decision overdue, 1 share not acknowledged in time,"
        " 1 family with a recent hostile incident",
    ]
    # Each problem opens its families, for that practitioner.
    assert (
        figure_cases(team.north, "decision_overdue", practitioner=team.sam.pk).replace("&", "&amp;")
        in slipping
    )
    assert html.index('id="slipping"') < html.index('data-figure="in_flowchart"')


def test_a_team_with_nothing_slipping_says_so(frozen, client):
    manager = ManagerFactory()
    quiet = TeamFactory(manager=manager)
    CaseFactory(lead_practitioner=PractitionerFactory(team=quiet), referral_date=TODAY)
    client.force_login(manager)
    html = client.get(dashboard(quiet)).content.decode()
    assert "Nothing is slipping" in html


def test_every_figure_key_goes_into_a_link_as_it_is():
    """The dashboard writes its ~120 links without urlencode (views._figure_url): each figure's
    key must need no escaping in a query string."""
    assert all(re.fullmatch(r"[a-z0-9_]+", key) for key in FIGURES)


def test_what_is_slipping_and_the_figures_escape_what_they_show_once():
    """Both are written in one call to format_html each: a name or words holding markup, braces or
    an ampersand are escaped once, and never read as part of the format."""
    from cases.models import User
    from insight.dashboard.views import FigureRow, SlipLink
    from insight.templatetags.dashboard_tags import figure_table, slipping_items

    who = User(full_name="Ann {0} <b>O'Neil</b>")
    html = slipping_items(
        [
            (who, [SlipLink(1, "1 family & more", "/team/1/cases/?figure=a&practitioner=2")]),
            (User(full_name="Bea"), [SlipLink(2, "2 overdue", "/b"), SlipLink(1, "1 late", "/c")]),
        ]
    )
    assert html == (
        "<li><strong>Ann {0} &lt;b&gt;O&#x27;Neil&lt;/b&gt;</strong>: "
        '<a class="govuk-link" href="/team/1/cases/?figure=a&amp;practitioner=2">1 family &amp; more</a></li>\n'
        '<li><strong>Bea</strong>: <a class="govuk-link" href="/b">2 overdue</a>, '
        '<a class="govuk-link" href="/c">1 late</a></li>'
    )
    rows = figure_table([FigureRow(FIGURES["overdue"], 0, "/f?figure=overdue&x=1")], "Caption & <i>", "What")
    assert (
        'class="govuk-link app-figure--zero" href="/f?figure=overdue&amp;x=1" data-figure="overdue">0' in rows
    )
    assert f"families: {str(FIGURES['overdue'].label).lower()}</span>" in rows
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">Caption &amp; &lt;i&gt;</caption>'
        in rows
    )
