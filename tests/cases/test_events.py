"""The kernel's events: explicit calls from services, which the flow chart subscribes to."""

import pytest

from cases import events
from flowchart import services as flowchart_services
from riskassessment import services as riskassessment_services


@pytest.fixture
def fresh(monkeypatch):
    """An empty set of subscribers, so a test's handlers do not stay subscribed."""
    monkeypatch.setattr(events, "_subscribers", {name: [] for name in events._subscribers})


def test_the_flow_chart_subscribes_when_it_starts():
    assert events.subscribers(events.CASE_OPENED) == (flowchart_services.episode_start,)
    assert events.subscribers(events.RECORDS_CHANGED) == (flowchart_services.case_flowchart_refresh,)
    assert events.subscribers(events.CASE_CLOSED) == ()


def test_the_shares_follow_a_case_that_moves_team():
    assert events.subscribers(events.CASE_MOVED_TEAM) == (riskassessment_services.case_shares_move_team,)


def test_subscribers_are_told_in_order_once_each_and_what_they_raise_reaches_the_caller(fresh):
    told = []
    events.subscribe(events.RECORDS_CHANGED, lambda **details: told.append(("first", details)))
    second = lambda **details: told.append(("second", details))  # noqa: E731
    events.subscribe(events.RECORDS_CHANGED, second)
    events.subscribe(events.RECORDS_CHANGED, second)
    events.records_changed(case="the case", by="the lead")
    assert told == [
        ("first", {"case": "the case", "by": "the lead"}),
        ("second", {"case": "the case", "by": "the lead"}),
    ]

    def refuse(**details):
        raise RuntimeError("the flow chart cannot start")

    events.subscribe(events.CASE_OPENED, refuse)
    with pytest.raises(RuntimeError, match="cannot start"):
        events.case_opened(case="the case", by="the lead")


def test_an_unknown_event_is_refused(fresh):
    with pytest.raises(ValueError, match="No such event"):
        events.subscribe("case_reopened", print)
