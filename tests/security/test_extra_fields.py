"""Posting extra fields changes nothing (issue 9): mass assignment, for every POST URL in the matrix.

Each POST URL is posted twice by each role allowed to use it, from the same world at the same
frozen instant: once with the matrix's data, once with that data plus fields a forged request
might add (owner, lead_practitioner, team, status, signed_by, is_staff, case, id...) holding
hostile values. What each post changed in the database, row by row and column by column, must be
the same: the forms take only their own fields, and the services set the rest themselves.
"""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from .figures import count, record
from .matrix import ENTRIES, Snapshot, canonical, matrix_world, signed_in
from .scenario import date_fields

FROZEN = dt.datetime(2026, 11, 18, 11, 0, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def hostile_fields(w) -> dict:
    """Fields no form of the service has, each aimed at someone or something else."""
    other = w.users["other_practitioner"]
    other_manager = w.users["other_manager"]
    admin = w.users["admin"]
    return {
        "owner": other.pk,
        "lead_practitioner": other.pk,
        "lead_practitioner_id": other.pk,
        "team": w.other_team.pk,
        "team_id": w.other_team.pk,
        "status": "closed",
        "signed_by": other_manager.pk,
        "signed_at": "2001-01-01 00:00",
        "signed_name": "Mallory",
        "signed": "on",
        "created_by": other.pk,
        "created_at": "2001-01-01 00:00",
        "recorded_by": other.pk,
        "opened_by": other.pk,
        "case": w.other_case.pk,
        "case_id": w.other_case.pk,
        "id": 1,
        "pk": 1,
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "role": "admin",
        "manager": other_manager.pk,
        "shared_with": other.pk,
        "decided_by": other_manager.pk,
        "decided_at": "2001-01-01 00:00",
        "approved_by": other_manager.pk,
        "sent_by": other.pk,
        "sent_at": "2001-01-01 00:00",
        "author": admin.pk,
        "recipient": admin.pk,
        "member": other.pk,
        "user": admin.pk,
        "version": "99",
        "reference": "EF-FORGED",
        "closed_on": "2001-01-01",
        "document": 1,
        "episode": 1,
        "assessment": w.signed_assessment.pk,
        "agreement": 1,
        "elevated_risk_alerted_at": "2001-01-01 00:00",
        "emailed_at": "2001-01-01 00:00",
        "read_at": "2001-01-01 00:00",
        "ended_at": "2001-01-01 00:00",
        "password": "forged-password",
        "email": "mallory@example.invalid",
    }


def _assessment_about(w) -> dict:
    """The matrix posts the draft's pages empty; a full section shows its fields are safe too."""
    return {
        "children": [p.pk for p in w.case.people.filter(kind="child")],
        **date_fields("assessment_date", FROZEN.date()),
        "participants": "Practitioner A",
        "with_multi_agency_meeting": "no",
        "service": "Team A",
    }


def _assessment_analysis(w) -> dict:
    return {"analysis": "The family has not answered for two weeks.", "elevated_risk": "no"}


def _risk_factor(w) -> dict:
    return {
        "timeframe": "current",
        "basis": "grey_area",
        "category": "",
        "description": "Curtains closed all day",
    }


def _plan_action(w) -> dict:
    return {
        "what": "Weekly text to the mother",
        "who": "Practitioner A",
        **date_fields("by_when", FROZEN.date()),
        **date_fields("review_on", FROZEN.date() + dt.timedelta(days=14)),
    }


# Entries the matrix posts without data (it asks only who may post): the data a real post sends.
FULL_DATA = {
    "riskassessment:assessment_about": _assessment_about,
    "riskassessment:assessment_analysis": _assessment_analysis,
    "riskassessment:assessment_factor_add": _risk_factor,
    "riskassessment:assessment_factor_change": _risk_factor,
    "riskassessment:assessment_action_add": _plan_action,
    "riskassessment:assessment_action_change": _plan_action,
}


def _post(client, url, data):
    """Post at the frozen instant and undo it afterwards. Returns the status and what changed."""
    with transaction.atomic():
        with time_machine.travel(FROZEN, tick=False):
            before = Snapshot()
            response = client.post(url, data)
            changes = canonical(before.changes(Snapshot()))
        transaction.set_rollback(True)
    return response.status_code, changes


@pytest.mark.slow
@pytest.mark.sweep
def test_extra_fields_change_nothing(db, settings):
    with time_machine.travel(FROZEN, tick=False):
        world = matrix_world(settings)
    extra = hostile_fields(world)
    problems, effective = [], 0
    for name, entry in sorted(ENTRIES.items()):
        if "POST" not in entry.methods:
            continue
        url = world.urls[name]
        with time_machine.travel(FROZEN, tick=False):
            data = FULL_DATA.get(name, entry.data)(world)
        added = {k: v for k, v in extra.items() if k not in data}
        for role in sorted(entry.allowed):
            client = signed_in(world.users[role])
            status, normal = _post(client, url, data)
            forged_status, forged = _post(client, url, {**data, **added})
            if (forged_status, forged) != (status, normal):
                diff = {
                    label: (normal.get(label), forged.get(label))
                    for label in set(normal) | set(forged)
                    if normal.get(label) != forged.get(label)
                }
                problems.append(f"{role} POST {url}: {status} -> {forged_status}: {diff}")
            effective += bool(normal)
            if normal:
                record("extra fields", "URLs whose normal post changed data", url)
            record("extra fields", "URLs", url)
            record("extra fields", "URLs x fields", *((url, field) for field in added))
            count("extra fields", "URL x role x field posts", len(added))
    assert not problems, "extra fields changed what a post did:\n" + "\n".join(problems)
    # The comparison means something only if the normal posts did their work.
    assert effective >= 20, f"only {effective} of the normal posts changed anything"


def test_a_row_id_from_another_case_is_refused(db, settings):
    """A factor or action page names its row in the address: another case's row changes nothing."""
    from riskassessment import services
    from riskassessment.models import Action, Factor

    with time_machine.travel(FROZEN, tick=False):
        world = matrix_world(settings)
        other = world.users["other_practitioner"]
        theirs = services.assessment_start(case=world.other_case, by=other)
        services.assessment_update(
            assessment=theirs,
            by=other,
            children=[],
            assessment_date=FROZEN.date(),
            participants="Practitioner B",
            with_multi_agency_meeting=False,
            service="Team B",
            analysis="Their own analysis.",
            elevated_risk=False,
            factors=[
                services.FactorData(side="risk", timeframe="current", basis="grey_area", description="Theirs")
            ],
            plan_actions=[services.ActionData(what="Their action", who="B", by_when=FROZEN.date())],
        )
    factor = Factor.objects.get(assessment=theirs)
    action = Action.objects.get(assessment=theirs)
    client = signed_in(world.users["lead"])
    ours = {"case_pk": world.case.pk, "pk": world.assessment.pk}
    # Another case's row, addressed through this case's draft: the draft has no such row.
    for name, kwargs, data in (
        ("assessment_factor_change", {"side": "risk", "factor_pk": factor.pk}, _risk_factor(world)),
        ("assessment_factor_remove", {"side": "risk", "factor_pk": factor.pk}, {}),
        ("assessment_action_change", {"action_pk": action.pk}, _plan_action(world)),
        ("assessment_action_remove", {"action_pk": action.pk}, {}),
    ):
        url = reverse(f"riskassessment:{name}", kwargs={**ours, **kwargs})
        status, changes = _post(client, url, data | {"what": "Overwritten", "description": "Overwritten"})
        assert status == 404, f"{name} answered {status}"
        assert set(changes) <= {"cases.AccessLogEntry"}, changes
    for row in (factor, action):
        row.refresh_from_db()
        assert row.assessment_id == theirs.pk and row.removed_at is None
        assert "Overwritten" not in str(vars(row))
        count("extra fields", "foreign row ids refused")
