"""Helpers for the scenario replayer's tests (tests/flowchart/test_replay*.py)."""

import json
from io import StringIO
from pathlib import Path

from django.core.management import call_command

SCENARIOS = Path(__file__).parent / "scenarios"


def replayed(name: str) -> dict:
    """Run `manage.py flowchart_replay` on a scenario file of tests/flowchart/scenarios."""
    out = StringIO()
    call_command("flowchart_replay", str(SCENARIOS / name), stdout=out)
    return json.loads(out.getvalue())


def day(result: dict, date: str) -> dict:
    return next(d for d in result["days"] if d["date"] == date)


def statuses(result: dict, date: str) -> dict[int, str]:
    """Step order → status on that date."""
    return {s["order"]: s["status"] for s in day(result, date)["steps"]}


def episodes(result: dict) -> dict[str, str]:
    """Date → the episode's state that day."""
    return {d["date"]: d["episode"] for d in result["days"]}
