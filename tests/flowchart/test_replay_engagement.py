"""Scenarios for what other engineers are adding to the services: contact is not engagement, a
recorded agreement ends the chart, texts count as calls when preferred, "if possible" steps, the
lead practitioner cannot close alone, a missed step stays missed, a restart's Day 1.

Several of these fail until those changes are merged (they need `response` and `also_outcomes`
on `contact_attempt_record`, `engagement_agreement_record`, `step_not_possible_record`, the
`not_possible` and `missed` statuses, and a guard on `case_close`): run them on their own with
`pytest tests/flowchart/test_replay_engagement.py`.
"""

from .replaying import day, episodes, replayed, statuses

OWED = {"upcoming", "due", "overdue"}


def test_a_hostile_refusal_by_phone_is_contact_not_engagement(pathways):
    """DOMAIN: "Speaking to a parent who refuses, a hostile exchange ... leave the chart running";
    Knowsley 000, Appendix 4: the steps are "the minimum attempts to engage the parent".
    Mum answers the day-3 call and refuses with threats; on day 13 the FERA, telling the manager
    and the day-15 decision are all still owed."""
    result = replayed("hostile_refusal_by_phone.json")
    assert result["refused"] == []
    assert set(episodes(result).values()) == {"live"}
    on_day_13 = statuses(result, "2026-11-18")
    assert day(result, "2026-11-18")["day"] == 13
    assert on_day_13[12] in OWED and on_day_13[13] in OWED and on_day_13[15] in OWED
    assert result["case_status"] == "open"


def test_a_child_seen_alone_at_school_is_not_engagement(pathways):
    """DOMAIN: "seeing the child at school, or talking to a professional all leave the chart
    running". Seen alone by liaison with the school, and on a visit there with a teacher."""
    result = replayed("child_seen_alone_at_school.json")
    assert result["refused"] == []
    assert set(episodes(result).values()) == {"live"}
    assert result["case_status"] == "open"


def test_a_liaison_call_is_not_engagement(pathways):
    """Knowsley 000: "liaise with referrer or other practitioners to assist you to gain contact
    with the family": the referrer speaking is not the family engaging."""
    result = replayed("liaison_call_not_engagement.json")
    assert result["refused"] == []
    assert set(episodes(result).values()) == {"live"}
    assert statuses(result, "2026-11-03")[4] == "done"  # the liaison step before day 5


def test_an_agreement_by_the_mother_ends_the_chart_that_day(pathways):
    """DOMAIN: "The chart ends as engaged only when a parent or carer agrees to work with the
    service, recorded as such"."""
    result = replayed("engaged_ends_chart.json")
    assert result["refused"] == []
    assert episodes(result) == {
        "2026-11-02": "live",
        "2026-11-03": "live",
        "2026-11-04": "live",
        "2026-11-05": "engaged",
        "2026-11-06": "engaged",
    }
    assert statuses(result, "2026-11-06")[5] == "not_needed"
    assert result["case_status"] == "engaged"


def test_three_texts_meet_three_further_calls_when_the_mother_prefers_texts(pathways):
    """Knowsley 000 §9: "Telephone contact, including texting if preferred by family"; Appendix 4:
    "Before Day 5: Attempt a further 3 phone calls to arrange a home visit"."""
    result = replayed("texts_when_preferred.json")
    assert result["refused"] == []
    assert statuses(result, "2026-11-04")[3] != "done"  # two texts so far
    assert statuses(result, "2026-11-05")[3] == "done"


def test_day_8_recorded_not_possible_is_neither_overdue_nor_escalated(pathways):
    """Knowsley 000, Appendix 4: "Day 8: Contact referrer or other practitioner if possible"."""
    result = replayed("day8_not_possible.json")
    assert result["refused"] == []
    for date in ("2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16"):
        assert statuses(result, date)[8] == "not_possible", date
    assert not any(s["status"] == "overdue" for d in result["days"] for s in d["steps"])
    assert not [n for n in result["notifications"] if n["kind"] == "step_overdue"]
    assert set(episodes(result).values()) == {"live"}


def test_the_lead_practitioner_cannot_close_the_case_on_day_2(pathways):
    """Knowsley 000, Appendix 4: "Agree with Line Manager the next steps ... Close Case";
    DOMAIN: "a case is never closed by the lead practitioner alone"."""
    result = replayed("lead_cannot_close.json")
    assert [r["event"] for r in result["refused"]] == [0]
    assert result["refused"][0]["error"]
    assert set(episodes(result).values()) == {"live"}
    assert result["case_status"] == "open"


def test_a_missed_day_10_visit_stays_missed_after_the_decision(pathways):
    """Knowsley 000, Appendix 4: "Day 10: Carry out 3rd unannounced home visit"; DOMAIN: "History
    is evidence: a step missed stays missed after a decision ends the chart"."""
    result = replayed("decision_after_missed_visit.json")
    assert result["refused"] == []
    assert statuses(result, "2026-11-19")[9] == "overdue"
    last = statuses(result, "2026-11-20")
    assert last[9] == "missed"
    assert last[10] == "done" and last[15] == "done"
    assert episodes(result)["2026-11-20"] == "decided"
    assert result["case_status"] == "stepped_down"


def test_a_restart_with_a_later_day1_makes_that_date_day_1(pathways):
    """Knowsley 000: Day 1 is the day the "Lead Practitioner identifies the family needs support
    or ... receives a referral". The manager decides to continue on day 2; a Day 1 in the future is
    refused; the chart starts again with Day 1 on Monday 9 November, and the days before it have
    no new number."""
    result = replayed("restart_later_day1.json")
    assert result["refused"] == [{"event": 1, "error": "Day 1 must be today or in the past"}]
    numbers = {d["date"]: d["day"] for d in result["days"]}
    assert numbers["2026-11-02"] == 1 and numbers["2026-11-03"] == 2
    # Until the restart the days are those of the run that ended on day 2.
    assert {episodes(result)[f"2026-11-0{n}"] for n in range(4, 9)} == {"decided"}
    assert numbers["2026-11-09"] == 1 and numbers["2026-11-10"] == 2
    assert episodes(result)["2026-11-03"] == "decided"
    assert episodes(result)["2026-11-06"] == "decided"
    assert episodes(result)["2026-11-09"] == "live"
    restarted = day(result, "2026-11-09")
    assert restarted["steps"][0]["due"] == "2026-11-09" and restarted["steps"][0]["status"] == "done"
    assert result["case_status"] == "open"
