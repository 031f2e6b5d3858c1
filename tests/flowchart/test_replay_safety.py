"""The replayer's staff-safety events: `hostile_incident`, `warning_lifted`, and `warnings` in the output.

Coventry (001): "If a violent incident occurs, make a judgement without delay and contact a
manager immediately". Camden (004, section 7): report any incident of hostility "to their line
manager" and "to the allocated social worker who may convene a risk management meeting".
"""

from .replaying import replayed


def test_hostility_on_a_day_3_call_tells_the_manager_and_social_worker_once_and_warns_until_lifted(pathways):
    """Coventry (001): "contact a manager immediately"; Camden (004, section 7): report to the line
    manager and "to the allocated social worker who may convene a risk management meeting".

    The day-3 call (Wednesday 4 November) is hostile and the incident is recorded at once: the line
    manager and the allocated social worker are each told once, at 09:40, and never again over the
    following days' sweeps. The warning is on from that day; the lead practitioner cannot lift it,
    nor the line manager without a reason; the line manager lifts it on 10 November with one."""
    result = replayed("hostile_call_on_day_3.json")
    told = [n for n in result["notifications"] if n["kind"] == "hostile_incident"]
    assert told == [
        {"at": "2026-11-04T09:40", "to_role": "line_manager", "kind": "hostile_incident"},
        {"at": "2026-11-04T09:40", "to_role": "social_worker", "kind": "hostile_incident"},
    ]
    assert result["warnings"] == [{"from": "2026-11-04", "to": "2026-11-10"}]
    assert result["refused"] == [
        {"event": 3, "error": "Only the case's line manager can lift the lone-working warning"},
        {"event": 4, "error": "Enter why the warning can be lifted"},
    ]
    lifted = [n for n in result["notifications"] if n["kind"] == "warning_lifted"]
    assert {n["to_role"] for n in lifted} == {"lead_practitioner", "social_worker"}
    # Hostility is contact, not engagement: the flow chart runs on.
    assert {d["episode"] for d in result["days"]} == {"live"}
    assert result["case_status"] == "open"


def test_a_scenario_without_an_incident_reports_no_warnings(pathways):
    result = replayed("hostile_refusal_by_phone.json")
    assert result["warnings"] == []
    assert not [n for n in result["notifications"] if n["kind"] == "hostile_incident"]
