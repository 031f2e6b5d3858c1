"""`manage.py flowchart_replay`: a scenario through the real services, on a moved clock, stored nowhere."""

import datetime as dt
import json
import os
import subprocess  # runs manage.py to see what a person at the command line sees
import sys
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

from cases.models import Case, CaseMembership, MembershipRole, Person, RelationshipKind, User
from cases.notifications import Notification
from engagement.models import ContactAttempt
from flowchart import replay
from flowchart import services as flowchart_services
from flowchart.models import Episode, Pathway, SweepDay
from riskassessment.models import Assessment

from .replaying import day, episodes, replayed, statuses

SCHEMA = Path(settings.BASE_DIR) / "docs" / "flowchart-scenario.schema.json"
TESTS = Path(__file__).parent.parent


# ---------------------------------------------------------------------------------------------
# (a) A family never reached, walked through the whole Knowsley chart


def test_a_family_never_reached_walks_fifteen_days_of_the_knowsley_chart(pathways):
    """Knowsley 000, Appendix 4: "15 DAY Non-Engagement Flow Chart/Process (these are the minimum
    attempts that should be made)"; "Day 8: Contact referrer or other practitioner if possible";
    "Day 13: Inform Manager of non-engagement ... Manager to record the discussion as Manager
    Oversight on child's record"; "Agree with Line Manager the next steps. No later than Day 15".

    Monday 2 November 2026 is Day 1; days are working days, so the weekend keeps Friday's number.
    The day-8 contact with the referrer is not made: overdue from the next day, and the line
    manager is told by the morning sweep.
    """
    result = replayed("never_reached_knowsley.json")
    assert result["refused"] == []
    assert [d["date"] for d in result["days"]] == [
        (dt.date(2026, 11, 2) + dt.timedelta(days=n)).isoformat() for n in range(19)
    ]
    numbers = {d["date"]: d["day"] for d in result["days"]}
    assert numbers["2026-11-02"] == 1
    assert numbers["2026-11-06"] == numbers["2026-11-07"] == numbers["2026-11-08"] == 5  # Fri, Sat, Sun
    assert numbers["2026-11-09"] == 6
    assert numbers["2026-11-13"] == numbers["2026-11-15"] == 10
    assert numbers["2026-11-20"] == 15

    first = day(result, "2026-11-02")
    assert first["episode"] == "live"
    assert [s["order"] for s in first["steps"]] == list(range(1, 16))
    assert first["steps"][0] == {
        "order": 1,
        "title": "Referral received or need identified",
        "due": "2026-11-02",
        "status": "done",
    }
    assert {s["order"]: s["due"] for s in first["steps"]}[8] == "2026-11-11"
    assert statuses(result, "2026-11-02")[3] == "upcoming"
    assert statuses(result, "2026-11-05")[3] == "done"  # three further calls on days 2, 3 and 4
    assert statuses(result, "2026-11-11")[8] == "due"
    for date in ("2026-11-12", "2026-11-16", "2026-11-19"):
        assert statuses(result, date)[8] == "overdue"
    assert statuses(result, "2026-11-16")[11] == "upcoming"
    on_day_13 = statuses(result, "2026-11-18")
    assert on_day_13[12] == on_day_13[13] == on_day_13[14] == "done"  # FERA, manager told, oversight
    assert on_day_13[15] == "upcoming"
    assert statuses(result, "2026-11-20")[15] == "done"
    assert set(episodes(result).values()) == {"live", "decided"}
    assert episodes(result)["2026-11-19"] == "live" and episodes(result)["2026-11-20"] == "decided"
    assert result["case_status"] == "stepped_up"

    sent = [(n["at"], n["to_role"], n["kind"]) for n in result["notifications"]]
    # The morning digest to the lead practitioner on working days with something due or overdue,
    # at the morning reminder time; never at the weekend.
    digests = [at for at, role, kind in sent if kind == "digest"]
    assert all(role == "lead_practitioner" for _, role, kind in sent if kind == "digest")
    assert all(at.endswith("T08:00") for at in digests)
    assert digests[0] == "2026-11-05T08:00"
    assert not {at[:10] for at in digests} & {"2026-11-07", "2026-11-08", "2026-11-14", "2026-11-15"}
    # The overdue day-8 step goes to the line manager once, the morning after it was due.
    assert [(at, role) for at, role, kind in sent if kind == "step_overdue"] == [
        ("2026-11-12T08:00", "line_manager")
    ]
    # The manager's own step on its day, and what the services tell at once.
    assert ("2026-11-20T08:00", "line_manager", "step_due") in sent
    assert ("2026-11-17T15:00", "line_manager", "fera_submitted") in sent
    assert ("2026-11-18T10:00", "line_manager", "manager_informed") in sent
    assert ("2026-11-20T14:00", "lead_practitioner", "decision") in sent
    assert sent == sorted(sent, key=lambda n: n[0])


def test_camden_with_an_allocated_social_worker(pathways):
    """Camden 004: non-engagement "must be reported to the professional's safeguarding lead
    officer and the child's allocated social worker"; the run follows Camden's pathway."""
    result = replayed("camden_with_social_worker.json")
    assert result["refused"] == []
    first = day(result, "2026-11-02")
    assert first["steps"][0]["title"].startswith("Non-engagement identified")
    assert len(first["steps"]) == 6
    assert statuses(result, "2026-11-02")[2] == "done"  # reported to the social worker by liaison
    assert statuses(result, "2026-11-05")[5] == "done"  # strategy recorded as oversight
    assert episodes(result)["2026-11-06"] == "live" and episodes(result)["2026-11-09"] == "decided"
    assert result["case_status"] == "open"  # a network meeting, one of Camden's own decisions


def test_an_escalation_to_the_mash_ends_the_chart(pathways):
    """Knowsley 000: "Escalate to MASH if there is an immediate safeguarding concern"."""
    result = replayed("escalated_to_mash.json")
    assert episodes(result) == {"2026-11-02": "live", "2026-11-03": "escalated", "2026-11-04": "escalated"}
    assert ("2026-11-03T16:00", "line_manager", "escalation") in [
        (n["at"], n["to_role"], n["kind"]) for n in result["notifications"]
    ]
    assert statuses(result, "2026-11-04")[3] == "not_needed"


# ---------------------------------------------------------------------------------------------
# (b) A scenario that cannot be read: exit code 2, one line


PEOPLE = '"people": [{"ref": "mum", "relationship": "mother"}, {"ref": "kid", "relationship": "child"}]'
DATES = '"start": "2026-11-02", "until": "2026-11-06"'


def scenario(events: str = "", *, dates: str = DATES, people: str = PEOPLE, extra: str = "") -> str:
    return "{" + ", ".join(p for p in (dates, people, extra, f'"events": [{events}]') if p) + "}"


INVALID = [
    (
        '{"start": "2026-11-02",',
        "not valid JSON at line 1, column 24: Expecting property name enclosed in double quotes",
    ),
    ('["start"]', "the scenario: expected an object {...}"),
    ('{"until": "2026-11-06"}', 'the scenario: missing key "start"'),
    (
        scenario(extra='"pathways": "camden"'),
        'the scenario: unknown key "pathways" (did you mean "pathway"?)',
    ),
    (scenario(extra='"note\\nto self": "x"'), 'the scenario: unknown key "note\\nto self"'),
    (scenario(extra='"pathway": "leeds"'), 'pathway: "leeds" is not one of "knowsley", "camden"'),
    (
        scenario(people='"people": [{"ref": "mum", "relationship": "mother", "prefered_contact": "text"}]'),
        'people[0]: unknown key "prefered_contact" (did you mean "preferred_contact"?)',
    ),
    (
        scenario(people='"people": [{"ref": "mum", "relationship": "mum"}]'),
        'people[0].relationship: "mum" is not one of "mother", "father", "step_parent", "partner", '
        '"carer", "grandparent", "sibling", "other", "child"',
    ),
    (
        scenario(
            people='"people": [{"ref": "mum", "relationship": "mother", "safe_contact": ["no_letter"]}]'
        ),
        'people[0].safe_contact: "no_letter" is not one of "text_only", "phone_only", "no_letters", '
        '"not_when_partner_present", "through_third_party" (did you mean "no_letters"?)',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "letter": {"to": "mum"}}'),
        'events[0].letter: missing key "step"',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "letter_decision": {"approve": "yes"}}'),
        'events[0].letter_decision.approve: expected true or false, got "yes"',
    ),
    (
        scenario(
            people='"people": [{"ref": "kid", "relationship": "child"}, {"ref": "kid", "relationship": "child"}]'
        ),
        'people[1].ref: "kid" is already someone else\'s ref',
    ),
    (
        scenario(dates='"start": "2026-11-31", "until": "2026-12-06"'),
        'start: "2026-11-31" is not a date: write it as YYYY-MM-DD',
    ),
    (
        scenario(dates='"start": "02/11/2026", "until": "2026-12-06"'),
        'start: "02/11/2026" is not a date: write it as YYYY-MM-DD',
    ),
    (
        scenario(dates='"start": "2026-11-02", "until": "2026-11-01"'),
        "until: 2026-11-01 is before start, 2026-11-02",
    ),
    (
        scenario(dates='"start": "2026-11-02", "until": "2028-11-01"'),
        "until: a run can cover at most 366 days",
    ),
    (
        scenario(
            '{"at": "2026-11-03T10:00", "attempt": {"kind": "phone_call", "with": "mum", "outcome": "no_answer"}}'
        ),
        'events[0].attempt: unknown key "outcome" (did you mean "outcomes"?)',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "atempt": {}}'),
        'events[0]: unknown event kind "atempt" (did you mean "attempt"?)',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "visit": {}}'),
        f'events[0]: unknown event kind "visit"; the kinds are {", ".join(replay.EVENTS)}',
    ),
    (
        scenario('{"at": "2026-11-03T10:00"}'),
        f'events[0]: give "at" and exactly one event kind ({", ".join(replay.EVENTS)})',
    ),
    (scenario('{"attempt": {"kind": "letter", "outcomes": ["letter_sent"]}}'), 'events[0]: missing key "at"'),
    (
        scenario('{"at": "2026-11-03 10:00", "inform_manager": {}}'),
        'events[0].at: "2026-11-03 10:00" is not a date and time: write it as YYYY-MM-DDTHH:MM',
    ),
    (
        scenario('{"at": "2026-11-09T10:00", "inform_manager": {}}'),
        "events[0].at: 2026-11-09T10:00 is outside the run, 2026-11-02 to 2026-11-06",
    ),
    (
        scenario('{"at": "2026-11-04T10:00", "oversight": {}}, {"at": "2026-11-03T10:00", "oversight": {}}'),
        "events[1].at: 2026-11-03T10:00 is before the event above it: list events in time order",
    ),
    (
        scenario(
            '{"at": "2026-11-03T10:00", "attempt": {"kind": "phone_call", "with": "dad", "outcomes": ["no_answer"]}}'
        ),
        'events[0].attempt.with: unknown person "dad"; the people are "mum", "kid" or "professional"',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "engaged": {"who": "professional"}}'),
        'events[0].engaged.who: unknown person "professional"; the people are "mum", "kid"',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "attempt": {"kind": "letter", "outcomes": []}}'),
        "events[0].attempt.outcomes: give at least one",
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "attempt": {"kind": "letter", "outcomes": "letter_sent"}}'),
        'events[0].attempt.outcomes: expected a list of text, such as ["no_answer"]',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "not_possible": {"step": "8"}}'),
        'events[0].not_possible.step: expected a whole number from 1, got "8"',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "fera_submitted": {"elevated_risk": "no"}}'),
        'events[0].fera_submitted.elevated_risk: expected true or false, got "no"',
    ),
    (scenario('{"at": "2026-11-03T10:00", "close": {}}'), 'events[0].close: missing key "by"'),
    (
        scenario('{"at": "2026-11-03T10:00", "close": {"by": "manager"}}'),
        'events[0].close.by: "manager" is not one of "lead_practitioner", "line_manager" (did you mean "line_manager"?)',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "restart": {"day1": "9 November"}}'),
        'events[0].restart.day1: "9 November" is not a date: write it as YYYY-MM-DD',
    ),
    (
        scenario('{"at": "2026-11-03T10:00", "decision": {"outcome": "close", "outcome": "step_up"}}'),
        'the key "outcome" is given twice in one object',
    ),
]


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_a_scenario_that_cannot_be_read_exits_2_saying_where_and_what(text, message, tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(text)
    with pytest.raises(CommandError) as refused:
        call_command("flowchart_replay", str(path), stdout=StringIO())
    assert refused.value.returncode == 2
    assert str(refused.value) == message
    assert "\n" not in message


def test_a_missing_file_exits_2(tmp_path):
    with pytest.raises(CommandError, match="cannot read") as refused:
        call_command("flowchart_replay", str(tmp_path / "nowhere.json"), stdout=StringIO())
    assert refused.value.returncode == 2


def test_a_run_that_cannot_be_set_up_here_exits_1_and_leaves_nothing(pathways, monkeypatch, tmp_path):
    monkeypatch.setitem(replay.PATHWAYS, "knowsley", "withdrawn-pathway")
    path = tmp_path / "scenario.json"
    path.write_text(scenario())
    users = User.objects.count()
    with pytest.raises(CommandError) as refused:
        call_command("flowchart_replay", str(path), stdout=StringIO())
    assert refused.value.returncode == 1
    assert str(refused.value) == (
        'the run could not be set up: there is no pathway "withdrawn-pathway" in this installation'
    )
    assert User.objects.count() == users


def test_at_the_command_line_a_scenario_that_cannot_be_read_is_one_line_on_stderr(tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(
        scenario('{"at": "2026-11-03T10:00", "attempt": {"kind": "phone_call", "outcome": "no_answer"}}')
    )
    finished = subprocess.run(  # our own manage.py, with arguments we wrote
        [sys.executable, "manage.py", "flowchart_replay", str(path)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert finished.stderr == (
        'flowchart_replay: events[0].attempt: unknown key "outcome" (did you mean "outcomes"?)\n'
    )


# ---------------------------------------------------------------------------------------------
# (c) Refused events are reported and the run goes on


def test_a_refused_event_is_reported_and_the_run_goes_on(pathways):
    result = replayed("refused_and_continues.json")
    assert [r["event"] for r in result["refused"]] == [0, 1, 2]
    assert result["refused"][0]["error"] == "Select the kind of attempt"
    assert result["refused"][1]["error"] == "The flow chart is already running for this case"
    assert result["refused"][2]["error"] == "Select the decision"
    assert statuses(result, "2026-11-02")[2] == "done"  # the call after them was recorded
    assert episodes(result) == {"2026-11-02": "live", "2026-11-03": "live"}
    assert result["case_status"] == "open"


def test_a_service_this_version_lacks_is_refused_not_a_crash(pathways, monkeypatch):
    monkeypatch.delattr(flowchart_services, "safeguarding_escalate")
    result = replayed("escalated_to_mash.json")
    assert result["refused"] == [
        {
            "event": 0,
            "error": "safeguarding_escalation: flowchart.services.safeguarding_escalate is not available "
            "in this version",
        }
    ]
    assert set(episodes(result).values()) == {"live"}


def test_a_keyword_the_service_does_not_take_yet_is_not_available():
    def record(*, case, outcome, response=""):
        return None

    assert replay._accepting(record, response="declined", also_outcomes=()) == {"response": "declined"}
    with pytest.raises(replay.NotAvailable, match='does not take "also_outcomes" in this version'):
        replay._accepting(record, also_outcomes=("letter_left",))


def test_anything_but_a_domain_error_is_a_bug_and_stops_the_run(pathways, monkeypatch):
    cases_before = Case.objects.count()

    def broken(**kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(flowchart_services, "safeguarding_escalate", broken)
    with pytest.raises(ZeroDivisionError):
        replayed("escalated_to_mash.json")
    assert Case.objects.count() == cases_before


def test_a_step_status_the_replay_does_not_know_stops_it():
    assert replay._status("due_today") == "due"
    with pytest.raises(RuntimeError, match="STEP_STATUS"):
        replay._status("sideways")


# ---------------------------------------------------------------------------------------------
# (d) Nothing is stored


def _counts() -> dict[str, int]:
    models = (Case, User, Notification, Episode, ContactAttempt, Assessment, Person, CaseMembership, SweepDay)
    return {model.__name__: model.objects.count() for model in models}


def test_nothing_is_stored_and_nothing_is_emailed(pathways, mailoutbox):
    """Every row the run wrote is rolled back, including the sweep's day markers; a day the real
    sweep had passed already is still swept by the replay (or its reminders would be missing)."""
    swept = SweepDay.objects.create(
        day=dt.date(2026, 11, 5), completed_at=timezone.make_aware(dt.datetime(2026, 11, 5, 8, 0, 5))
    )
    default = Pathway.objects.get(is_default=True).code
    before = _counts()
    result = replayed("never_reached_knowsley.json")
    assert result["notifications"] and result["refused"] == []
    assert ("2026-11-05T08:00", "lead_practitioner", "digest") in [
        (n["at"], n["to_role"], n["kind"]) for n in result["notifications"]
    ]
    assert _counts() == before
    assert SweepDay.objects.get(pk=swept.pk).completed_at == swept.completed_at
    assert Pathway.objects.get(is_default=True).code == default
    assert mailoutbox == []


def test_a_camden_run_leaves_the_default_pathway_and_makes_no_one(pathways):
    before = _counts()
    default = Pathway.objects.get(is_default=True).code
    replayed("camden_with_social_worker.json")
    assert _counts() == before
    assert Pathway.objects.get(is_default=True).code == default
    assert not User.objects.filter(email__endswith="@example.invalid").exists()


def test_the_people_and_users_made_for_the_run(pathways, monkeypatch):
    """What the run makes, seen from inside it: unusable passwords, addresses under
    example.invalid, the children 8 years old, each adult's relationship to each child, the
    social worker allocated through a membership."""
    seen = {}

    def look(run: replay.Run, today):
        if not seen:
            seen["users"] = [run.lead, run.manager, run.social_worker]
            seen["people"] = {ref: (p.kind, p.date_of_birth) for ref, p in run.people.items()}
            seen["relationships"] = sorted(
                (r.adult.full_name, r.child.full_name, r.kind)
                for p in run.people.values()
                for r in p.relationships.all()
            )
            seen["memberships"] = list(
                CaseMembership.objects.filter(case=run.case).values_list("user_id", "role")
            )
            seen["preferred"] = run.people["mum"].preferred_contact_method
        return real(run, today)

    real = replay._day
    monkeypatch.setattr(replay, "_day", look)
    replayed("camden_with_social_worker.json")
    for user in seen["users"]:
        assert not user.has_usable_password()
        assert user.email.endswith("@example.invalid")
    assert len({u.email for u in seen["users"]}) == 3
    assert seen["people"]["kid"] == ("child", dt.date(2018, 11, 2))
    assert seen["people"]["mum"] == ("adult", None)
    assert seen["relationships"] == [
        ("mum", "kid", RelationshipKind.MOTHER),
        ("partner", "kid", RelationshipKind.PARTNER),
    ]
    assert seen["memberships"] == [(seen["users"][2].pk, MembershipRole.SOCIAL_WORKER)]
    assert seen["preferred"] == "text"


def test_standard_input_is_read_with_a_dash(pathways, monkeypatch):
    monkeypatch.setattr("sys.stdin", StringIO(scenario()))
    out = StringIO()
    call_command("flowchart_replay", "-", stdout=out)
    result = json.loads(out.getvalue())
    assert len(result["days"]) == 5 and result["refused"] == []
    # Nobody is called: step 2 (before day 3) is overdue on day 3, and the line manager is told.
    assert ("2026-11-04T08:00", "line_manager", "step_overdue") in [
        (n["at"], n["to_role"], n["kind"]) for n in result["notifications"]
    ]


# ---------------------------------------------------------------------------------------------
# The schema in docs/ and what the command accepts


def _schema() -> dict:
    return json.loads(SCHEMA.read_text())


def _resolved(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = {
            **schema["$defs"][node["$ref"].removeprefix("#/$defs/")],
            **{k: v for k, v in node.items() if k != "$ref"},
        }
    return node


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


SCENARIO_FILES = sorted(TESTS.glob("**/scenarios/*.json"))


def test_there_are_scenario_files_to_check():
    assert len(SCENARIO_FILES) >= 10


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.name)
def test_every_scenario_file_is_valid_against_the_schema_and_readable_by_the_command(path):
    jsonschema.Draft202012Validator(_schema()).validate(json.loads(path.read_text()))
    replay.scenario_parse(path.read_text())


# What JSON Schema cannot judge: dates that do not exist, time order, the run's length, who the
# people are, repeated keys. The command judges those (above); the schema judges the rest.
JUDGED_BY_THE_COMMAND_ONLY = (
    "not valid JSON",
    "2026-11-31",
    "before start",
    "at most 366",
    "outside the run",
    "before the event above",
    "already someone else",
    "unknown person",
    "given twice",
)
SHAPE_ERRORS = [(t, m) for t, m in INVALID if not any(part in m for part in JUDGED_BY_THE_COMMAND_ONLY)]


@pytest.mark.parametrize(("text", "message"), SHAPE_ERRORS)
def test_the_schema_refuses_what_the_command_refuses_in_shape(text, message):
    assert list(jsonschema.Draft202012Validator(_schema()).iter_errors(json.loads(text)))


def _type_of(field: replay.Field) -> str:
    return {
        "boolean": "boolean",
        "integer": "integer",
        "texts": "array",
        "people": "array",
        "events": "array",
    }.get(field.type, "string")


def _same_keys(schema: dict, node: dict, fields: dict, where: str) -> None:
    node = _resolved(schema, node)
    assert set(node["properties"]) == set(fields), where
    assert set(node.get("required", [])) == {k for k, f in fields.items() if f.required}, where
    assert node.get("additionalProperties") is False, where
    for key, field in fields.items():
        prop = _resolved(schema, node["properties"][key])
        if field.choices:
            assert prop["enum"] == list(field.choices), f"{where}.{key}"
        else:
            assert prop["type"] == _type_of(field), f"{where}.{key}"


def test_the_schema_says_exactly_what_the_command_accepts():
    schema = _schema()
    _same_keys(schema, schema, replay.TOP_FIELDS, "the scenario")
    _same_keys(schema, schema["properties"]["people"]["items"], replay.PERSON_FIELDS, "person")
    event = _resolved(schema, schema["properties"]["events"]["items"])
    assert set(event["properties"]) == set(replay.EVENT_FIELDS) | set(replay.EVENTS)
    assert event["required"] == ["at"]
    assert [one["required"] for one in event["oneOf"]] == [[kind] for kind in replay.EVENTS]
    for kind, spec in replay.EVENTS.items():
        _same_keys(schema, event["properties"][kind], dict(spec.fields), kind)
