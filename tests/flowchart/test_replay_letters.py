"""Scenarios for letters to households with domestic abuse (issue 17), replayed from JSON files
through the real services: `manage.py flowchart_replay` on tests/flowchart/scenarios/letter_*.json."""

from .replaying import day, replayed, statuses

OWED = {"upcoming", "due", "overdue"}


def _sent(result) -> list[tuple[str, str, str]]:
    return [(n["at"], n["to_role"], n["kind"]) for n in result["notifications"]]


def test_a_letter_to_the_partner_of_a_flagged_mother_is_held_then_approved_and_sent(pathways):
    """Camden 004: "the professional network may need to develop strategies for contacting the
    victim without the perpetrator's knowledge"; Knowsley 000, Appendix 4, day 10: "Send the
    family a letter ... (if DV ensure your letter would not increase risk)".

    The mother has a domestic-abuse concern; the letter is to her partner at the same address.
    It is held, the line manager is told once, the manager approves it, the lead practitioner is
    told, and the approved letter, sent, meets the day-10 letter step."""
    result = replayed("letter_held_partner.json")
    assert result["refused"] == []
    assert result["letters"] == [{"to": "partner", "step": 10, "status": "sent"}]
    letters = [n for n in _sent(result) if n[2].startswith("letter_")]
    assert letters == [
        ("2026-11-13T10:00", "line_manager", "letter_held"),
        ("2026-11-13T11:00", "lead_practitioner", "letter_approved"),
    ]
    assert statuses(result, "2026-11-13")[10] == "done"
    assert statuses(result, "2026-11-16")[10] == "done"


def test_a_refused_day_10_letter_closes_its_step_as_unsafe_and_nothing_goes_overdue(pathways):
    """Knowsley 000, Appendix 4, day 10: "(if DV ensure your letter would not increase risk)".

    The manager refuses the day-10 letter to a mother whose plan is her own mobile only, never
    by letter. From that day the step is "not sent: unsafe", never overdue, and the sweeps of
    the following days send no overdue reminder or escalation."""
    result = replayed("letter_refused_day10.json")
    assert result["refused"] == []
    assert result["letters"] == [{"to": "mum", "step": 10, "status": "refused"}]
    assert statuses(result, "2026-11-13")[10] == "not_sent_unsafe"
    for date in ("2026-11-14", "2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"):
        assert statuses(result, date)[10] == "not_sent_unsafe", date
    assert not any(s["status"] == "overdue" for d in result["days"] for s in d["steps"])
    sent = _sent(result)
    assert not [n for n in sent if n[2] == "step_overdue"]
    assert [n for n in sent if n[2].startswith("letter_")] == [
        ("2026-11-13T15:00", "line_manager", "letter_held"),
        ("2026-11-13T16:00", "lead_practitioner", "letter_refused"),
    ]
    assert day(result, "2026-11-19")["episode"] == "live"


def test_a_letter_attempt_on_a_flagged_household_is_refused_and_the_step_stays_owed(pathways):
    """Camden 004: contact the victim "without the perpetrator's knowledge". A "Letter" attempt
    cannot be recorded around the manager's approval, to the partner or to the mother."""
    result = replayed("letter_attempt_flagged.json")
    assert [r["event"] for r in result["refused"]] == [0, 1]
    assert all("needs the team manager's approval" in r["error"] for r in result["refused"])
    assert result["letters"] == []
    assert statuses(result, "2026-11-13")[10] == "due"
    assert statuses(result, "2026-11-16")[10] == "overdue"


def test_a_letter_to_a_household_with_no_concern_is_not_held(pathways):
    """Knowsley 000, Appendix 4, day 10: "Send the family a letter asking them to contact us within
    5 days if they require support". With no concern in the household (the father with one lives
    elsewhere), the letter is sent at once and meets the step; the manager is not asked."""
    result = replayed("letter_not_held.json")
    assert result["refused"] == []
    assert result["letters"] == [{"to": "mum", "step": 10, "status": "sent"}]
    assert not [n for n in _sent(result) if n[2].startswith("letter_")]
    assert statuses(result, "2026-11-13")[10] == "done"


def test_a_call_instead_of_the_letter_meets_the_letter_step(pathways):
    """Knowsley 000: "some parents/carers are not be able to read letters"; Coventry 001:
    "Consider language barriers". The mother prefers to talk and needs an interpreter: a call
    made instead of the letter, that left the message, meets the day-10 letter step."""
    result = replayed("letter_instead_by_phone.json")
    assert result["refused"] == []
    assert result["letters"] == []
    assert statuses(result, "2026-11-13")[10] == "done"
    assert statuses(result, "2026-11-13")[9] in OWED  # the call is the letter, not the visit
