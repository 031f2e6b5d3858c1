"""Each figure on the hand-built autumn (conftest.autumn_work), whose answers are worked out here."""

import datetime as dt

import pytest
from django.http import Http404

from flowchart.models import DecisionOutcome
from insight.selectors import (
    FIGURES,
    InsightFilter,
    Period,
    attempts_figure,
    decisions_figure,
    default_date_from,
    first_contact_figure,
    forms_figure,
    insight_cases,
    insight_scope,
    period_spans,
    practitioners_in,
    sharing_figure,
)

from .conftest import TODAY, autumn


def north(people, **kwargs):
    scope = insight_scope(people.morgan)
    return insight_cases(scope, autumn(**kwargs))


def everyone(people, **kwargs):
    return insight_cases(insight_scope(people.admin), autumn(**kwargs))


class TestScope:
    def test_a_manager_sees_the_teams_they_manage(self, people, autumn_work):
        scope = insight_scope(people.morgan)
        assert list(scope.teams) == [people.north]
        assert set(scope.cases) == {autumn_work.a, autumn_work.b, autumn_work.c, autumn_work.e, autumn_work.g}
        assert scope.shows_cases and scope.by_practitioner
        assert list(practitioners_in(scope)) == [people.pat, people.priya]

    def test_an_admin_counts_every_team_but_sees_no_case(self, people, autumn_work):
        scope = insight_scope(people.admin)
        assert list(scope.teams) == [people.north, people.south]
        assert scope.cases.count() == 6
        assert not scope.shows_cases and not scope.by_practitioner

    @pytest.mark.parametrize("who", ["priya", "member"])
    def test_practitioners_and_agency_members_have_no_insight(self, people, who):
        with pytest.raises(Http404):
            insight_scope(getattr(people, who))


class TestPeriods:
    def test_twelve_whole_months_by_default(self):
        assert default_date_from(dt.date(2026, 11, 20)) == dt.date(2025, 12, 1)
        assert default_date_from(dt.date(2026, 1, 31)) == dt.date(2025, 2, 1)

    def test_months_and_weeks_touching_the_dates(self):
        months = period_spans(autumn())
        assert [p.label for p in months] == ["September 2026", "October 2026", "November 2026"]
        weeks = period_spans(InsightFilter(dt.date(2026, 11, 4), dt.date(2026, 11, 20), Period.WEEK))
        # Weeks start on Monday: 4 November is a Wednesday, in the week beginning 2 November.
        assert [p.start for p in weeks] == [dt.date(2026, 11, 2), dt.date(2026, 11, 9), dt.date(2026, 11, 16)]
        assert weeks[0].label == "Week beginning 2 November 2026" and weeks[0].short_label == "2 Nov"


class TestAttempts:
    def test_north_by_month_and_outcome(self, people, autumn_work):
        figure = attempts_figure(north(people), autumn(), TODAY)
        by_month = [(span.label, c.as_tuple()) for span, c in figure.periods]
        # September: Adams no answer, spoke, seen; Brown no answer, door not opened; Evans spoke.
        # October: Adams letter; Brown seen; Clarke no answer. The South team's call is not here.
        # Contact made, but no parent agreed to work with us: the first column stays empty.
        assert by_month == [
            ("September 2026", (0, 3, 3, 0)),
            ("October 2026", (0, 1, 1, 1)),
            ("November 2026", (0, 0, 0, 0)),
        ]
        assert figure.total.total == 9 and figure.total.reached_percent == 44

    def test_north_by_kind(self, people, autumn_work):
        figure = attempts_figure(north(people), autumn(), TODAY)
        assert [(label, c.as_tuple()) for label, c in figure.kinds] == [
            ("Telephone call", (0, 2, 3, 0)),
            ("Letter", (0, 0, 0, 1)),
            ("Announced home visit", (0, 1, 0, 0)),
            ("Unannounced home visit", (0, 1, 1, 0)),
        ]

    def test_every_kind_and_outcome_for_the_download(self, people, autumn_work):
        rows = attempts_figure(north(people), autumn(), TODAY).table().rows
        assert (
            "2026-09-01",
            "September 2026",
            "Telephone call",
            "No answer",
            "Not reached",
            2,
        ) in rows
        assert (
            "2026-10-01",
            "October 2026",
            "Letter",
            "Letter sent",
            "Letter sent or professional discussion",
            1,
        ) in rows
        assert sum(row[-1] for row in rows) == 9

    def test_one_practitioner(self, people, autumn_work):
        figure = attempts_figure(north(people, practitioner=people.priya), autumn(), TODAY)
        assert [c.as_tuple() for _, c in figure.periods] == [(0, 3, 1, 0), (0, 0, 1, 1), (0, 0, 0, 0)]

    def test_by_week(self, people, autumn_work):
        filters = InsightFilter(dt.date(2026, 9, 1), dt.date(2026, 9, 30), Period.WEEK)
        figure = attempts_figure(insight_cases(insight_scope(people.morgan), filters), filters, TODAY)
        totals = {span.start: c.total for span, c in figure.periods}
        # 1 and 3 Sep (week of 31 Aug), 10 Sep, 16 and 20 Sep (Wed and Sun of the same week).
        assert totals == {
            dt.date(2026, 8, 31): 3,
            dt.date(2026, 9, 7): 1,
            dt.date(2026, 9, 14): 2,
            dt.date(2026, 9, 21): 0,
            dt.date(2026, 9, 28): 0,
        }

    def test_the_last_day_counts_whole(self, people, autumn_work):
        filters = InsightFilter(dt.date(2026, 9, 3), dt.date(2026, 9, 3))
        figure = attempts_figure(insight_cases(insight_scope(people.morgan), filters), filters, TODAY)
        assert figure.total.total == 1


class TestFirstContact:
    def test_north(self, people, autumn_work):
        figure = first_contact_figure(north(people), autumn(), TODAY)
        # Referred in the dates: Adams (2 days), Brown (40 days), Clarke (not yet reached).
        assert (figure.referred, figure.reached, figure.not_reached) == (3, 2, 1)
        assert figure.median == 21 and figure.median_label == "21 days"
        assert figure.bands == [
            ("0 to 2 days", 1),
            ("3 to 7 days", 0),
            ("8 to 14 days", 0),
            ("15 to 28 days", 0),
            ("More than 28 days", 1),
            ("No successful contact yet", 1),
        ]

    def test_one_practitioner_and_the_whole_service(self, people, autumn_work):
        priya = first_contact_figure(north(people, practitioner=people.priya), autumn(), TODAY)
        assert (priya.referred, priya.reached, priya.median_label) == (2, 1, "2 days")
        service = first_contact_figure(everyone(people), autumn(), TODAY)
        # Davies (South) was reached the day after referral: 1, 2 and 40 days.
        assert (service.referred, service.reached, service.median_label) == (4, 3, "2 days")
        south = first_contact_figure(everyone(people, team=people.south), autumn(), TODAY)
        assert south.median_label == "1 day"

    def test_nobody_referred(self, people):
        figure = first_contact_figure(north(people), autumn(), TODAY)
        assert figure.median is None and figure.median_label == "No case reached yet"
        assert figure.chart() is None


class TestSharing:
    def test_north(self, people, autumn_work):
        figure = sharing_figure(north(people), autumn(), TODAY)
        # Adams shared on its due date; Brown two days late; Clarke due 9 Nov, not shared;
        # Evans due 25 Nov, not shared. Green was signed in August, before the dates.
        assert figure.counts == {"on_time": 1, "late": 1, "overdue": 1, "not_yet_due": 1}
        assert (figure.signed, figure.due, figure.on_time_percent) == (4, 3, 33)

    def test_the_whole_service_and_one_practitioner(self, people, autumn_work):
        assert sharing_figure(everyone(people), autumn(), TODAY).counts == {
            "on_time": 1,
            "late": 2,
            "overdue": 1,
            "not_yet_due": 1,
        }
        assert sharing_figure(north(people, practitioner=people.pat), autumn(), TODAY).counts == {
            "on_time": 0,
            "late": 1,
            "overdue": 0,
            "not_yet_due": 0,
        }

    def test_due_today_is_not_yet_overdue(self, people, autumn_work):
        day_before = sharing_figure(north(people), autumn(), dt.date(2026, 11, 9))
        assert day_before.counts["overdue"] == 0 and day_before.counts["not_yet_due"] == 2


class TestDecisions:
    def test_north_and_the_whole_service(self, people, autumn_work):
        # Every outcome a pathway can offer is counted, those nobody chose as 0.
        none_yet = dict.fromkeys(DecisionOutcome.values, 0)
        assert decisions_figure(north(people), autumn(), TODAY).counts == {
            **none_yet,
            "step_up": 1,
            "close": 1,
            "continue": 1,
        }
        service = decisions_figure(everyone(people), autumn(), TODAY)
        assert service.counts == {**none_yet, "step_up": 1, "step_down": 1, "close": 1, "continue": 1}
        assert service.total == 4


class TestFormsOfNonEngagement:
    def test_north(self, people, autumn_work):
        figure = forms_figure(north(people), autumn(), TODAY)
        counts = {label: (attempts, cases) for label, attempts, cases in figure.rows if attempts}
        # Brown: avoidance twice, hostility once; Clarke: refusal. Evans' hostility was in August.
        assert counts == {"Avoidance": (2, 1), "Refusal": (1, 1), "Hostility or violence": (1, 1)}
        assert figure.attempts_with_any == 3
        assert len(figure.rows) == 13  # every form in the catalogue, noted or not

    def test_the_whole_service(self, people, autumn_work):
        figure = forms_figure(everyone(people), autumn(), TODAY)
        assert {label: n for label, n, _ in figure.rows}["Confrontation"] == 1
        assert figure.attempts_with_any == 4


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_every_figure_is_one_query(name, people, autumn_work, django_assert_num_queries):
    cases = north(people, team=people.north, practitioner=people.priya)
    with django_assert_num_queries(1):
        FIGURES[name](cases, autumn(), TODAY).table()
