"""Every create, change and delete on a domain model leaves a history row saying who and when.

The models are read from the app registry, so a new model without history fails here until it
gets `HistoricalRecords()` or a reason below. Bulk writes, which skip history, are found in the
source and must be on models without history.
"""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from simple_history.models import HistoricalChanges

from cases.models import Case, Person
from tests.factories import CaseFactory, ChildFactory

DOMAIN_APPS = ("cases", "engagement", "flowchart", "riskassessment")

# Models kept without django-simple-history, and why. Each is itself a log or an append-only
# record: a history of a log would only repeat it.
WITHOUT_HISTORY = {
    "cases.AccessLogEntry": "the read-access log: append-only, never changed, refuses delete()",
    "cases.DisposalRecord": "the record of a retention disposal: append-only, refuses delete()",
    "cases.Notification": "a message sent: its unique key makes it exactly-once; only read_at/emailed_at/done_at change",
    "cases.KeptPost": "a form kept until its owner signs in again: deleted when claimed; a history would keep the text",
    "cases.Draft": "typing not yet saved, for its owner only: deleted on save, discard or expiry; a history "
    "would keep the text after the draft is gone",
    "cases.StoredFile": "a signed document's bytes, written once and never changed; its Document has the history",
    "cases.OutboxMessage": "what the local outbox kept instead of sending: written once, never changed; "
    "the message it stands for has the history",
    "flowchart.SweepDay": "bookkeeping for the reminder sweep: which days' full pass is done",
}

# Without history and not in the admin at all: case content nobody but its owner may read.
NOT_IN_ADMIN = {"cases.KeptPost", "cases.Draft", "cases.OutboxMessage"}

BULK_METHODS = {"bulk_create", "bulk_update", "update"}
# Bulk writes on history-tracked models, each with why it needs no history row.
BULK_ALLOWED: dict[tuple[str, str], str] = {}


def domain_models():
    for label in DOMAIN_APPS:
        for model in apps.get_app_config(label).get_models():
            if not issubclass(model, HistoricalChanges):
                yield model


def has_history(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


def test_every_domain_model_has_history_or_a_reason():
    missing = sorted(
        m._meta.label for m in domain_models() if not has_history(m) and m._meta.label not in WITHOUT_HISTORY
    )
    assert not missing, f"Domain models with no history (add HistoricalRecords() or a reason): {missing}"


def test_the_reasons_are_not_stale():
    labels = {m._meta.label: m for m in domain_models()}
    stale = sorted(label for label in WITHOUT_HISTORY if label not in labels or has_history(labels[label]))
    assert not stale, f"Listed as having no history, but they do or no longer exist: {stale}"


def test_the_user_model_keeps_no_password_hash_in_its_history():
    from cases.models import User

    fields = {f.name for f in User.history.model._meta.get_fields()}
    assert "password" not in fields and "last_login" not in fields


# Who and when, through the pages.


def test_a_change_through_a_page_records_who_made_it_and_when(db, client):
    case = CaseFactory()
    lead = case.lead_practitioner
    client.force_login(lead)
    day = case.referral_date
    response = client.post(
        reverse("cases:case_edit", kwargs={"case_pk": case.pk}),
        {
            "family_name": "Renamed family",
            "referral_date_0": day.day,
            "referral_date_1": day.month,
            "referral_date_2": day.year,
            "referral_source": "school",
            "referrer_name": "Mrs Shah",
            "referrer_contact": "0161 496 0000",
            "referral_reason": "Attendance has fallen.",
            "threshold_level": 3,
        },
    )
    assert response.status_code == 302
    latest = Case.history.filter(id=case.pk).latest("history_id")
    assert (latest.history_type, latest.history_user, latest.family_name) == ("~", lead, "Renamed family")
    assert latest.history_date is not None


def test_adding_a_person_through_a_page_records_who_added_them(db, client):
    case = CaseFactory()
    client.force_login(case.lead_practitioner)
    client.post(
        reverse("cases:person_add", kwargs={"case_pk": case.pk, "kind": "child"}),
        {
            "full_name": "Ada Okafor",
            "date_of_birth_0": "4",
            "date_of_birth_1": "5",
            "date_of_birth_2": "2021",
            "lives_in_household": "True",
        },
    )
    person = Person.objects.get(case=case, full_name="Ada Okafor")
    created = Person.history.get(id=person.pk, history_type="+")
    assert created.history_user == case.lead_practitioner


def test_a_disposal_leaves_no_history_behind_but_a_record_of_itself(db):
    """The one delete the app makes (retention disposal) is itself recorded, without personal data."""
    import datetime as dt

    import time_machine

    from cases import retention
    from cases.models import DisposalRecord
    from cases.services import case_close
    from tests.factories import AdminFactory, ManagerFactory

    with time_machine.travel(dt.datetime(2020, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        child = ChildFactory(date_of_birth=dt.date(2012, 1, 1))
        team = child.case.team
        team.manager = ManagerFactory(team=team)  # closing is the line manager's decision
        team.save()
        case_close(case=child.case, by=team.manager, reason="Engaged with school nurse.")
    admin = AdminFactory()
    with time_machine.travel(dt.datetime(2026, 3, 3, 10, tzinfo=dt.UTC), tick=False):
        record = retention.case_dispose(case=child.case, by=admin, authority="Records manager, schedule 4.2")
    assert not Case.history.filter(id=record.case_number).exists()
    assert not Person.history.filter(id=child.pk).exists()
    assert DisposalRecord.objects.get().disposed_by == admin


# Bulk writes skip history: find them in the source.


def _root_name(node):
    """The name a call chain starts from: `Model` in `Model.objects.filter(...).update(...)`."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.attr in {"objects", "history"}:
                return node.value.id
            node = node.value
        else:
            return None


def _fields_written(call: ast.Call) -> frozenset[str] | None:
    """The fields a bulk write names: update()'s keywords, bulk_update()'s literal list; else None."""
    if call.func.attr == "update" and call.keywords and all(k.arg for k in call.keywords):
        return frozenset(k.arg for k in call.keywords)
    if (
        call.func.attr == "bulk_update"
        and len(call.args) >= 2
        and isinstance(call.args[1], ast.List | ast.Tuple)
    ):
        names = [
            e.value for e in call.args[1].elts if isinstance(e, ast.Constant) and isinstance(e.value, str)
        ]
        if len(names) == len(call.args[1].elts):
            return frozenset(names)
    return None


def bulk_calls(tree):
    """(line, model name, method, fields or None) for every bulk write through a model's manager."""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in BULK_METHODS
        ):
            name = _root_name(node.func.value)
            if name:
                yield node.lineno, name, node.func.attr, _fields_written(node)


def _only_untracked(model, fields: frozenset[str] | None) -> bool:
    """Whether the write touches only fields the model's history leaves out (derived values)."""
    if not fields:
        return False
    tracked = {f.name for f in model.history.model._meta.get_fields()}
    return not fields & tracked


def source_files():
    for app in DOMAIN_APPS:
        for path in sorted(Path(settings.BASE_DIR, app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def bulk_writes():
    for path in source_files():
        for line, name, method, fields in bulk_calls(ast.parse(path.read_text(), filename=str(path))):
            yield path.relative_to(settings.BASE_DIR), line, name, method, fields


def history_skipped(writes):
    by_name = {m.__name__: m for m in domain_models()}
    for path, line, name, method, fields in writes:
        model = by_name.get(name)
        if (
            model is not None
            and has_history(model)
            and (model._meta.label, method) not in BULK_ALLOWED
            and not _only_untracked(model, fields)
        ):
            yield f"{path}:{line} {name}.{method}() writes no history: use simple_history.utils"


def test_the_scan_would_catch_a_bulk_write_on_a_tracked_model():
    """The detector is live: planted bulk writes on tracked models are reported."""
    planted = ast.parse(
        "Case.objects.filter(status='open').update(status='closed')\n"
        "Person.objects.bulk_create(people)\n"
        "SweepDay.objects.filter(pk=1).update(recorded=2)\n"
        "Episode.objects.filter(pk=1).update(summary={})\n"
        "Episode.objects.bulk_update(rows, ['summary'])\n"
        "Episode.objects.filter(pk=1).update(summary={}, next_due_on=None)\n"
        "Episode.objects.bulk_update(rows, fields)\n"
    )
    found = list(history_skipped(("planted.py", *call) for call in bulk_calls(planted)))
    # The episode's stored summary is left out of its history: writing it alone skips nothing.
    assert [f.split(" ", 1)[1] for f in found] == [
        "Case.update() writes no history: use simple_history.utils",
        "Person.bulk_create() writes no history: use simple_history.utils",
        "Episode.update() writes no history: use simple_history.utils",
        "Episode.bulk_update() writes no history: use simple_history.utils",
    ]


def test_no_bulk_write_skips_the_history_of_a_tracked_model():
    wrong = list(history_skipped(bulk_writes()))
    assert not wrong, "\n".join(wrong)


# Raw SQL skips history too: each place that writes with it, and the model it writes.
RAW_SQL = {
    "cases/access.py": "reads only: the visible cases' union as Django compiled it, once a process (RawSQL)",
    "cases/compiled.py": "reads only: SQL Django compiled once for a read, run again with its own values",
    "cases/views.py": "the health check's SELECT 1; writes nothing",
    "cases/notifications/services.py": "INSERT of cases.Notification, a message log without history",
    "flowchart/selectors/sweep.py": "reads only: the due episodes' ids handed to a query as one parameter (RawSQL)",
    "flowchart/services/sweep.py": "UPDATE of flowchart.Episode's stored summary only, derived from the records "
    "and kept without history as every stored summary is (docs/decisions/0006)",
}


def test_raw_sql_writes_only_where_listed():
    found = {
        str(path.relative_to(settings.BASE_DIR))
        for path in source_files()
        if re.search(r"\bcursor\.execute(many)?\(|\.raw\(|RawSQL\(", path.read_text())
    }
    assert found == set(RAW_SQL), f"raw SQL in {sorted(found)}; listed {sorted(RAW_SQL)}"
    assert not has_history(apps.get_model("cases.Notification"))


@pytest.mark.parametrize("label", sorted(NOT_IN_ADMIN))
def test_a_kept_post_is_not_in_the_admin(label):
    """A form kept for its owner after the session ended is case content (cases/kept_posts.py)."""
    from django.contrib import admin

    assert apps.get_model(label) not in admin.site._registry


@pytest.mark.parametrize("label", sorted(set(WITHOUT_HISTORY) - NOT_IN_ADMIN))
def test_logs_without_history_can_be_read_in_the_admin_but_never_changed(label):
    """Logs are written by the code, never edited by people: admins read them, nothing more."""
    from django.contrib import admin
    from django.test import RequestFactory

    from tests.factories import AdminFactory

    model = apps.get_model(label)
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None, f"{label}: admins should be able to read it"
    request = RequestFactory().get("/")
    request.user = AdminFactory.build(is_superuser=True)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
