"""Each dashboard figure on a team whose answers are known by hand (see conftest.team)."""

import datetime as dt

import pytest

from insight.dashboard import selectors
from insight.dashboard.selectors import DAY_KEYS, FIGURES

from .conftest import TODAY, hostile_attempt

pytestmark = pytest.mark.usefixtures("team")


def figures_for(team, practitioner=None):
    return selectors.team_figures(user=team.manager, team=team.north, today=TODAY, practitioner=practitioner)


def behind(figures, key) -> set[str]:
    """The family names behind a figure."""
    ids = figures.cases_behind(key)
    return {case.family_name.removesuffix(" family") for case in selectors.cases_for(ids)}


def test_families_in_the_flow_chart_by_day(team):
    figures = figures_for(team)
    assert behind(figures, "in_flowchart") == {"Adams", "Baker", "Clark", "Davis"}
    by_day = {key: figures.count(key) for key in DAY_KEYS if figures.count(key)}
    assert by_day == {"day_1": 1, "day_2": 1, "day_13": 1, "beyond_day_15": 1}
    assert behind(figures, "day_13") == {"Adams"} and behind(figures, "beyond_day_15") == {"Davis"}
    assert figures.day_numbers[team.cases.davis.pk] == 23
    # Every day from 1 to 15 has a figure, then one for the days beyond.
    assert [f"day_{n}" for n in range(1, 16)] + ["beyond_day_15"] == DAY_KEYS


def test_an_ended_episode_and_one_whose_family_engaged_are_left_out(team):
    figures = figures_for(team)
    everywhere = set().union(*(behind(figures, key) for key in FIGURES))
    assert "Evans" not in everywhere  # ended with a decision
    assert "Foster" not in everywhere  # agreed on 12 November, not yet closed by the services


def test_overdue_steps(team):
    figures = figures_for(team)
    assert behind(figures, "overdue") == {"Adams", "Davis"}
    reasons = figures.cases_behind("overdue")[team.cases.adams.pk]
    assert "Telephone the family to arrange a home visit: due by 3 Nov 2026" in reasons


def test_awaiting_oversight_is_the_informed_family_not_the_one_already_overseen(team):
    """Oversight is due on day 13, which for Adams is today (Appendix 4: "Day 13 Inform Manager of
    non-engagement ... - Manager to record the discussion as Manager Oversight on child's record")."""
    figures = figures_for(team)
    assert behind(figures, "awaiting_oversight") == {"Adams"}
    [reason] = figures.cases_behind("awaiting_oversight")[team.cases.adams.pk]
    assert reason == (
        "Manager records the discussion as management oversight: due by 18 Nov 2026 "
        "(due today; informed on 17 Nov 2026)"
    )


def test_an_oversight_step_past_due_awaits_the_manager_even_if_nobody_told_them(team):
    from tests.factories import CaseFactory, EpisodeFactory

    late = CaseFactory(
        family_name="Moss family", lead_practitioner=team.sam, referral_date=dt.date(2026, 10, 26)
    )
    EpisodeFactory(case=late)  # day 18: oversight was due on day 13, 11 November
    assert behind(figures_for(team), "awaiting_oversight") == {"Adams", "Moss"}


def test_decisions_overdue_and_due_soon(team):
    figures = figures_for(team)
    assert behind(figures, "decision_overdue") == {"Davis"}
    # Adams is on day 13 on Wednesday: day 15 is Friday, two working days ahead.
    assert behind(figures, "decision_due_soon") == {"Adams"}


def test_shares_late_and_not_acknowledged(team):
    figures = figures_for(team)
    assert behind(figures, "share_late") == {"Green"}
    assert figures.cases_behind("share_late")[team.cases.green.pk] == [
        "Version 1 was due to be shared by 10 Nov 2026: not shared yet"
    ]
    assert behind(figures, "share_unacknowledged") == {"Hughes"}
    # Harry acknowledged it and Lee has left the case: only Dana is outstanding.
    assert figures.cases_behind("share_unacknowledged")[team.cases.hughes.pk] == [
        "Dana Designated: not acknowledged, due by 11 Nov 2026"
    ]


def test_hostile_incidents_in_the_last_30_days(team):
    figures = figures_for(team)
    # King: one 10 days ago counts, one 40 days ago does not. Lewis: only confrontation lately.
    assert figures.count("hostile") == 1
    assert figures.cases_behind("hostile") == {team.cases.king.pk: ["1 incident, the latest on 8 Nov 2026"]}


def test_the_30_days_are_today_and_the_29_before(team):
    from tests.factories import CaseFactory

    edge = CaseFactory(family_name="Edge family", lead_practitioner=team.priya)
    hostile_attempt(edge, TODAY - dt.timedelta(days=30), hour=23, minute=55)
    assert behind(figures_for(team), "hostile") == {"King"}
    hostile_attempt(edge, TODAY - dt.timedelta(days=29), hour=0, minute=5)
    assert behind(figures_for(team), "hostile") == {"King", "Edge"}


def test_narrowed_to_one_practitioner(team):
    priya = figures_for(team, team.priya)
    assert behind(priya, "in_flowchart") == {"Adams", "Baker"}
    assert behind(priya, "share_late") == {"Green"}
    assert priya.count("share_unacknowledged") == 0 and priya.count("hostile") == 0
    sam = figures_for(team, team.sam)
    assert behind(sam, "in_flowchart") == {"Clark", "Davis"}
    assert behind(sam, "share_unacknowledged") == {"Hughes"} and behind(sam, "hostile") == {"King"}


def test_another_teams_practitioner_narrows_to_nothing(team):
    figures = figures_for(team, team.quinn)
    assert all(figures.count(key) == 0 for key in FIGURES)


def test_the_other_team_is_never_counted(team):
    figures = figures_for(team)
    everywhere = set().union(*(behind(figures, key) for key in FIGURES))
    assert "Owen" not in everywhere
    theirs = selectors.team_figures(user=team.other_manager, team=team.south, today=TODAY)
    assert behind(theirs, "awaiting_oversight") == {"Owen"} and behind(theirs, "hostile") == {"Owen"}
    # A manager asking for another team's figures through the selectors gets nothing either.
    stolen = selectors.team_figures(user=team.other_manager, team=team.north, today=TODAY)
    assert all(stolen.count(key) == 0 for key in FIGURES)


@pytest.mark.parametrize("days_later", [0, 1, 2, 5, 9, 20])
def test_the_dashboard_counts_the_same_families_as_the_lists_behind_it(team, time_machine, days_later):
    """The dashboard counts from the dates kept in each stored summary; the lists go through
    each step. On the day the summaries were stored and on later days, they agree."""
    today = TODAY + dt.timedelta(days=days_later)
    time_machine.move_to(dt.datetime.combine(today, dt.time(9)), tick=False)
    counted = selectors.team_figures(user=team.manager, team=team.north, today=today, reasons=False)
    listed = selectors.team_figures(user=team.manager, team=team.north, today=today)
    assert counted.count("in_flowchart") > 0
    for key in FIGURES:
        assert set(counted.cases_behind(key)) == set(listed.cases_behind(key)), key
