import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def plan(*args):
    out = StringIO()
    call_command("flowchart_plan", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_plan_over_christmas_in_working_days(pathways):
    steps = plan("--start", "2026-12-17")
    assert [s["day"] for s in steps][:3] == [1, 3, 5]
    assert all({"day", "title", "due"} <= set(s) for s in steps)
    assert steps[-1]["due"] == "2027-01-11"
    assert next(s for s in steps if s["title"].startswith("Second home visit"))["due"] == "2026-12-29"


def test_the_camden_pathway_and_a_bad_date(pathways):
    steps = plan("--start", "2026-11-02", "--pathway", "camden-open-to-social-care")
    assert steps[0]["title"].startswith("Non-engagement identified") and len(steps) == 6
    with pytest.raises(CommandError, match="for example"):
        plan("--start", "17/12/2026")
    with pytest.raises(CommandError, match="No published pathway"):
        plan("--start", "2026-11-02", "--pathway", "nowhere")
