"""The insight pages: who sees what, the filters, the charts, the CSV downloads, query counts."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from cases.models import Case, Person
from engagement.models import AttemptOutcome, ContactAttempt
from flowchart.models import Decision, Episode, PathwayVersion
from riskassessment.models import Assessment, AssessmentStatus
from tests.factories import CaseFactory, PractitionerFactory, TeamFactory
from tests.factories.flowchart import ensure_pathways

from .conftest import at, family_adult

CONTACT = "Contact made with the family, no agreement yet"
OVERVIEW = reverse("insight:overview")
DROPS = reverse("insight:sudden_drops")
AUTUMN = {"date_from_0": "1", "date_from_1": "9", "date_from_2": "2026", "period": "month"}


def csv_url(figure):
    return reverse("insight:figure_csv", kwargs={"figure": figure})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


class TestWhoSeesWhat:
    def test_a_manager_sees_their_teams_figures(self, morgan_client, autumn_work):
        response = morgan_client.get(OVERVIEW, AUTUMN)
        html = text(response)
        assert response.status_code == 200
        assert (
            "9 attempts to reach families. 4 (44%) made contact with a family member, 0 of them with a "
            "parent or carer agreeing to work with us; 4 did not reach anyone" in html
        )
        assert (
            "Of the 3 whose deadline has come, 1 (33%) was shared with the multi-agency meeting on time"
            in html
        )
        assert "3 decisions recorded" in html

    @pytest.mark.parametrize("url", [OVERVIEW, csv_url("attempts"), DROPS])
    def test_another_teams_figures_are_not_found(self, morgan_client, people, url):
        assert morgan_client.get(url, {"team": people.south.pk}).status_code == 404
        assert morgan_client.get(url, {"practitioner": people.quinn.pk}).status_code == 404
        assert morgan_client.get(url, {"team": "999999"}).status_code == 404
        assert morgan_client.get(url, {"team": "north"}).status_code == 404

    def test_a_manager_narrows_to_one_team_and_practitioner(self, client, people, autumn_work):
        west = TeamFactory(name="West Early Help Team", manager=people.morgan)
        CaseFactory(lead_practitioner=PractitionerFactory(team=west))
        client.force_login(people.morgan)
        html = text(
            client.get(OVERVIEW, {**AUTUMN, "team": people.north.pk, "practitioner": people.priya.pk})
        )
        assert (
            "Showing <strong>North Early Help Team</strong>, <strong>cases led by Priya Patel</strong>"
            in html
        )
        # Priya: Adams and Evans in September (3 engaged, 1 not), Adams' letter and Clarke's call in October.
        assert "6 attempts to reach families. 3 (50%)" in html
        assert f'<option value="{west.pk}">West Early Help Team</option>' in html

    @pytest.mark.parametrize("who", ["priya", "member"])
    @pytest.mark.parametrize("url", [OVERVIEW, csv_url("decisions"), DROPS])
    def test_practitioners_and_agency_members_get_404(self, client, people, who, url):
        client.force_login(getattr(people, who))
        assert client.get(url).status_code == 404

    def test_an_admin_sees_every_team_counted_and_no_case(self, admin_client, people, autumn_work):
        response = admin_client.get(OVERVIEW, AUTUMN)
        html = text(response)
        assert response.status_code == 200
        assert "10 attempts to reach families. 5 (50%)" in html
        for family in ("Adams", "Brown", "Clarke", "Davies", "Evans", "Green"):
            assert family not in html
        assert "/cases/" not in html and DROPS not in html
        assert 'name="practitioner"' not in html
        # An admin may narrow by team, but not to one practitioner's work.
        south = text(admin_client.get(OVERVIEW, {**AUTUMN, "team": people.south.pk}))
        assert "1 attempt to reach families" in south

    def test_an_admin_cannot_list_the_flagged_cases(self, admin_client):
        assert admin_client.get(DROPS).status_code == 404


class TestFilters:
    def test_without_filters_the_last_twelve_months(self, morgan_client, autumn_work):
        html = text(morgan_client.get(OVERVIEW))
        assert "from <strong>1 December 2025</strong> to <strong>20 November 2026</strong>" in html
        assert 'name="date_from_0" value="1"' in html and 'name="date_from_1" value="12"' in html

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            (
                {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"},
                "The first date must be a real date",
            ),
            (
                {"date_from_0": "1", "date_from_1": "x", "date_from_2": "2026"},
                "The first date must be a real date",
            ),
            ({"date_to_0": "1"}, "The last date must include a month and year"),
            (
                {"date_to_0": "1", "date_to_1": "1", "date_to_2": "2027"},
                "The last date must be today or in the past",
            ),
            (
                {
                    "date_from_0": "2",
                    "date_from_1": "11",
                    "date_from_2": "2026",
                    "date_to_0": "1",
                    "date_to_1": "11",
                }
                | {"date_to_2": "2026"},
                "The last date must be the same as or after the first date",
            ),
            (
                {"date_from_0": "1", "date_from_1": "1", "date_from_2": "2023", "period": "week"},
                "by week the dates can be at most 2 years apart",
            ),
            ({"period": "year"}, "Select month or week"),
        ],
    )
    def test_bad_dates_are_explained_and_nothing_typed_is_lost(self, morgan_client, people, query, message):
        response = morgan_client.get(OVERVIEW, {**query, "team": people.north.pk})
        html = text(response)
        assert response.status_code == 200
        assert "<title>Error: Insight" in html
        assert "There is a problem" in html and message in html
        for name, value in query.items():
            if name != "period":
                assert f'name="{name}" value="{value}"' in html
        assert f'<option value="{people.north.pk}" selected>' in html
        assert 'id="showing"' not in html  # no figures for dates that are not right

    def test_only_the_empty_boxes_of_a_half_typed_date_are_marked(self, morgan_client):
        html = text(morgan_client.get(OVERVIEW, {"date_to_0": "1", "date_to_2": "2026"}))
        day, month, year = (
            re.search(rf'<input[^>]*name="date_to_{i}"[^>]*>', html).group(0) for i in range(3)
        )
        assert "govuk-input--error" not in day and "govuk-input--error" in month
        assert "govuk-input--error" not in year
        assert "The last date must include a month" in html

    def test_a_csv_with_bad_dates_goes_back_to_the_page(self, morgan_client):
        response = morgan_client.get(csv_url("attempts"), {"date_to_0": "40"})
        assert response.status_code == 302 and response["Location"] == f"{OVERVIEW}?date_to_0=40"

    def test_an_unknown_figure_is_not_found(self, morgan_client):
        assert morgan_client.get(csv_url("salaries")).status_code == 404


class TestCharts:
    def test_each_chart_is_an_accessible_svg_with_its_table(self, morgan_client, autumn_work):
        html = morgan_client.get(OVERVIEW, AUTUMN).content.decode()
        charts = re.findall(r"<svg class=\"app-insight-chart\".*?</svg>", html, flags=re.S)
        assert len(charts) == 6
        for chart in charts:
            assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
            assert "style=" not in chart and "<script" not in chart
        assert html.count("Show the figures as a table") == 6
        assert "A parent or carer agreed to work with us (solid fill)" in html
        assert "Contact made with the family, no agreement yet (diagonal stripes)" in html
        assert "Not reached (dots)" in html
        assert "No successful contact yet (diagonal stripes)" in html
        assert 'fill="url(#chart-attempts-period-fill-1)"' in html
        # The first-contact figure in words as well as in the chart.
        assert re.search(r"Median</dt>\s*<dd[^>]*>\s*<strong>21 days</strong>", html)

    def test_names_are_escaped(self, client, people, autumn_work):
        people.north.name = '<b onmouseover="alert(1)">North</b>'
        people.north.save()
        client.force_login(people.morgan)
        html = client.get(OVERVIEW, {**AUTUMN, "team": people.north.pk}).content.decode()
        assert (
            "<b onmouseover" not in html
            and "&lt;b onmouseover=&quot;alert(1)&quot;&gt;North&lt;/b&gt;" in html
        )

    def test_no_data_says_so(self, morgan_client, people):
        html = text(morgan_client.get(OVERVIEW))
        assert "No attempts recorded in these dates." in html
        assert "No cases referred in these dates." in html
        assert "No open case shows a sudden drop in engagement today." in html


class TestCsv:
    def get(self, client, figure, **extra):
        response = client.get(csv_url(figure), {**AUTUMN, **extra})
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="insight-{figure}-2026-09-01-to-2026-11-20.csv"'
        )
        return rows(response)

    def test_decisions(self, morgan_client, autumn_work):
        assert self.get(morgan_client, "decisions") == [
            ["Team", "Practitioner", "Decision", "Decisions"],
            ["All your teams", "All practitioners", "Step up to children's social care", "1"],
            ["All your teams", "All practitioners", "Step down to level 2 services", "0"],
            ["All your teams", "All practitioners", "Close the case", "1"],
            [
                "All your teams",
                "All practitioners",
                "Continue the engagement process, with a review date",
                "1",
            ],
            *(
                ["All your teams", "All practitioners", label, "0"]
                for label in (
                    "Single agency monitoring",
                    "Invite the social worker to attend the multi-agency meeting",
                    "Ask the allocated social worker to review the plan",
                    "Hold a network meeting",
                    "Refer to the complexity panel",
                )
            ),
        ]

    def test_sharing(self, morgan_client, people, autumn_work):
        assert self.get(morgan_client, "sharing", team=people.north.pk, practitioner=people.priya.pk) == [
            ["Team", "Practitioner", "Sharing", "Assessments"],
            ["North Early Help Team", "Priya Patel", "Shared on time", "1"],
            ["North Early Help Team", "Priya Patel", "Shared late", "0"],
            ["North Early Help Team", "Priya Patel", "Not yet shared and overdue", "1"],
            ["North Early Help Team", "Priya Patel", "Not yet shared, not yet due", "1"],
        ]

    def test_first_contact(self, morgan_client, autumn_work):
        assert [row[2:] for row in self.get(morgan_client, "first-contact")] == [
            ["Days", "Cases"],
            ["0 to 2 days", "1"],
            ["3 to 7 days", "0"],
            ["8 to 14 days", "0"],
            ["15 to 28 days", "0"],
            ["More than 28 days", "1"],
            ["No successful contact yet", "1"],
            ["Median days, of the cases reached", "21"],
        ]

    def test_forms_of_non_engagement(self, admin_client, autumn_work):
        table = self.get(admin_client, "non-engagement")
        assert table[0] == [
            "Team",
            "Practitioner",
            "Form of non-engagement",
            "Attempts recording it",
            "Cases recording it",
        ]
        assert ["All teams", "All practitioners", "Avoidance", "2", "1"] in table
        assert ["All teams", "All practitioners", "Confrontation", "1", "1"] in table
        assert len(table) == 14

    def test_attempts(self, morgan_client, autumn_work):
        table = self.get(morgan_client, "attempts")
        assert table[0][2:] == [
            "Period starting",
            "Period",
            "Kind of attempt",
            "Outcome",
            "Outcome group",
            "Attempts",
        ]
        assert table[1:] == [
            ["All your teams", "All practitioners", *row]
            for row in [
                ["2026-09-01", "September 2026", "Telephone call", "No answer", "Not reached", "2"],
                ["2026-09-01", "September 2026", "Telephone call", "Spoke with them", CONTACT, "2"],
                ["2026-09-01", "September 2026", "Unannounced home visit", "Door not opened though someone was inside", "Not reached", "1"],
                ["2026-09-01", "September 2026", "Unannounced home visit", "Seen", CONTACT, "1"],
                ["2026-10-01", "October 2026", "Announced home visit", "Seen", CONTACT, "1"],
                ["2026-10-01", "October 2026", "Letter", "Letter sent", "Letter sent or professional discussion", "1"],
                ["2026-10-01", "October 2026", "Telephone call", "No answer", "Not reached", "1"],
            ]
        ]  # fmt: skip

    def test_cells_a_spreadsheet_would_run_are_made_text(self, client, people, autumn_work):
        people.north.name = '=HYPERLINK("http://example.test","Click")'
        people.north.save()
        for name, person in (("+SUM(A1)", people.priya), ("@cmd", people.pat)):
            person.full_name = name
            person.save()
        client.force_login(people.morgan)
        table = self.get(client, "decisions", team=people.north.pk, practitioner=people.priya.pk)
        assert table[1][:2] == ['\'=HYPERLINK("http://example.test","Click")', "'+SUM(A1)"]
        table = self.get(client, "decisions", practitioner=people.pat.pk)
        assert table[1][1] == "'@cmd"
        people.pat.full_name = "-1+2"
        people.pat.save()
        assert self.get(client, "decisions", practitioner=people.pat.pk)[1][1] == "'-1+2"


class TestSuddenDropList:
    def test_a_manager_lists_the_flagged_cases_of_their_teams(self, morgan_client, people):
        flagged = CaseFactory(lead_practitioner=people.priya, family_name="Taylor family")
        south = CaseFactory(lead_practitioner=people.quinn, family_name="Walsh family")
        for case in (flagged, south):
            mother = family_adult(case)
            for day, outcome in (
                (2, "seen"),
                (9, "spoke"),
                (12, "no_answer"),
                (16, "not_at_home"),
                (19, "no_answer"),
            ):
                ContactAttempt.objects.create(
                    case=case,
                    occurred_at=at(11, day),
                    made_by=case.lead_practitioner,
                    recorded_by=case.lead_practitioner,
                    kind="unannounced_visit",
                    counts_as="unannounced_visit",
                    with_person=mother,
                    outcome=outcome,
                )
        overview = text(morgan_client.get(OVERVIEW))
        assert "1 open case had been engaging and then stopped" in overview
        html = text(morgan_client.get(DROPS))
        assert "Taylor family" in html and "Walsh family" not in html
        assert reverse("cases:case_detail", kwargs={"case_pk": flagged.pk}) in html
        assert "9 Nov 2026" in html and "11 days ago" in html
        narrowed = text(morgan_client.get(DROPS, {"practitioner": people.pat.pk}))
        assert "Taylor family" not in narrowed and "No open case shows a sudden drop" in narrowed


# ---------------------------------------------------------------------------------------------
# Query counts: the same for 1 case as for 200.


def _build(people, n, *, start=0):
    """n North cases, each with attempts (one noting forms), a signed assessment and a decision.

    Made in bulk so the test spends its time on the pages, not the set-up.
    """
    ensure_pathways()
    version = PathwayVersion.objects.filter(pathway__is_default=True).latest("number")
    lead = people.priya
    cases = Case.objects.bulk_create(
        [
            Case(
                reference=f"EF-Q{start + i:04d}",
                family_name=f"Family {start + i}",
                referral_date=dt.date(2026, 10, 1),
                referral_source="school",
                referrer_name="Head teacher",
                referrer_contact="01234 567890",
                referral_reason="Attendance.",
                threshold_level=3,
                team=people.north,
                lead_practitioner=lead,
                opened_by=lead,
            )
            for i in range(n)
        ]
    )
    mothers = Person.objects.bulk_create(
        [Person(case=case, kind="adult", full_name=f"Mother {case.reference}") for case in cases]
    )
    attempts = []
    for case, mother in zip(cases, mothers, strict=True):
        for day, outcome, forms in (
            (2, AttemptOutcome.SEEN, []),
            (9, AttemptOutcome.SPOKE, []),
            (12, AttemptOutcome.NO_ANSWER, ["avoidance"]),
            (16, AttemptOutcome.NO_ANSWER, []),
            (19, AttemptOutcome.DOOR_NOT_OPENED, ["hostility"]),
        ):
            attempts.append(
                ContactAttempt(
                    case=case,
                    occurred_at=at(11, day),
                    made_by=lead,
                    recorded_by=lead,
                    kind="unannounced_visit",
                    counts_as="unannounced_visit",
                    with_person=mother,
                    outcome=outcome,
                    non_engagement_forms=forms,
                )
            )
    ContactAttempt.objects.bulk_create(attempts)
    Assessment.objects.bulk_create(
        [
            Assessment(
                case=case,
                status=AssessmentStatus.SIGNED,
                assessment_date=dt.date(2026, 11, 2),
                lead_practitioner=lead,
                manager=people.morgan,
                elevated_risk=False,
                created_by=lead,
                submitted_at=at(11, 2),
                submitted_by=lead,
                signed_at=at(11, 2),
                signed_by=people.morgan,
                signed_name="Morgan Manager",
                share_due_on=dt.date(2026, 11, 9),
            )
            for case in cases
        ]
    )
    episodes = Episode.objects.bulk_create(
        [Episode(case=case, version=version, day1=case.referral_date, started_by=lead) for case in cases]
    )
    Decision.objects.bulk_create(
        [
            Decision(
                episode=episode,
                decided_by=people.morgan,
                decided_at=at(11, 10),
                outcome="close",
                reasons="Needs met.",
                considered_mash_referral="no",
                considered_multi_agency_meeting="no",
                considered_level_two="yes",
            )
            for episode in episodes
        ]
    )


PAGES = {
    "overview": OVERVIEW,
    "sudden drops": DROPS,
    "attempts csv": csv_url("attempts"),
    "non-engagement csv": csv_url("non-engagement"),
}


@pytest.mark.parametrize("filtered", [False, True])
def test_the_same_queries_for_1_case_and_200(client, people, filtered, django_assert_num_queries):
    client.force_login(people.morgan)
    query = {"team": people.north.pk, "practitioner": people.priya.pk} if filtered else {}
    # Filtering checks the team and the practitioner asked for: one query each.
    extra = 2 if filtered else 0
    for n, start in ((1, 0), (199, 1)):
        _build(people, n, start=start)
        for name, url in PAGES.items():
            client.get(url, query)  # warm the session
            with django_assert_num_queries(QUERIES[name] + extra):
                assert client.get(url, query).status_code == 200, name
    assert "200 open cases had been engaging and then stopped" in text(client.get(OVERVIEW, query))
    assert text(client.get(DROPS, query)).count("Family ") == 200


# Every page: the session and the user, then the session save (savepoint, update, release).
# The overview adds the five figures, the sudden-drop count and the team and practitioner
# options; the list its flagged cases and the options; a CSV its one figure.
QUERIES = {"overview": 13, "sudden drops": 8, "attempts csv": 6, "non-engagement csv": 6}


def test_figures_by_month_unless_asked_otherwise(morgan_client, people):
    html = text(morgan_client.get(OVERVIEW, {"team": people.north.pk}))
    assert 'value="month" checked' in html and 'value="week" checked' not in html
