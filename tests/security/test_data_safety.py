"""Case records are never lost: no hard deletes, no silent overwrites, retention with legal hold.

ASVS 5.0 V14 (data protection) and V2 (business logic): what is recorded about a family stays,
every change is attributable, and disposal happens only at the end of a configurable retention
period, never while a legal hold is on the case.
"""

import ast
import datetime as dt
import html
import io
import logging
from html.parser import HTMLParser
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.generic.edit import DeletionMixin

from cases import retention
from cases.models import AccessLogEntry, Case, CaseStatus, DisposalRecord, Person
from cases.retention import RecordDeletionRefused, RetentionError
from cases.services import case_close
from cases.storage import documents_storage
from tests.audit.world import full_world
from tests.factories import AdminFactory, CaseFactory, ChildFactory, ManagerFactory

CONFLICT = b"Someone else changed this since you opened it"


@pytest.fixture
def world(db, settings):
    settings.MFA_REQUIRED_ROLES = []  # enrolment is tested on its own
    return full_world()


# ---------------------------------------------------------------------------------------------
# No hard deletes through the app.


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def test_no_page_of_the_service_deletes_anything():
    wrong = []
    for route, pattern in _patterns():
        if route.startswith(("admin/", "accounts/")):
            continue  # the admin is checked model by model below; accounts hold no case records
        view_class = getattr(pattern.callback, "view_class", None)
        words = f"{route} {pattern.name or ''}".lower()
        if any(w in words for w in ("delete", "destroy", "purge", "erase")) or (
            view_class and issubclass(view_class, DeletionMixin)
        ):
            wrong.append(route)
    assert not wrong, f"Pages that delete: {wrong}"


# Code that may call delete(), and why. Case records refuse it anyway (below); this keeps any
# new delete in sight.
DELETES_ALLOWED = {
    "cases/retention/records.py": "the retention disposal, the one place case records are removed",
    "flowchart/replay.py": "the scenario replayer's day markers, inside its transaction, which is always "
    "rolled back: nothing is ever removed",
    "cases/storage.py": "a stored document's bytes, removed only inside the retention disposal "
    "(disposal_deletes_files); outside it `delete` refuses",
    "cases/history.py": "delete_with_history, which records who removed a row; its callers are listed here too",
    "cases/audit.py": "an admin's change of someone's sign-in email removes allauth's record of the old "
    "address, so it no longer signs in: sign-in credentials, not case records; in the security log",
    "cases/adapters.py": "an admin's reset of someone's authenticator app removes the app and its recovery "
    "codes: sign-in credentials, not case records, and the reset is in the security log",
    "cases/kept_posts.py": "a form kept after the session ended is a copy, not a record: deleted when its "
    "owner has it back, when someone else signs in on the browser, or after KEPT_POST_SECONDS",
    "cases/drafts.py": "a draft is typing not yet saved, not a record: deleted when its form is saved, when "
    "its owner discards it, or after the admin's number of days (DraftSettings)",
    "flowchart/pathway_services.py": "closure days are configuration, not case records; removed one by one "
    "through delete_with_history so history records each",
}


def _deletes(node) -> bool:
    func = node.func if isinstance(node, ast.Call) else None
    name = getattr(func, "attr", None) or getattr(func, "id", None)
    return name in ("delete", "delete_with_history")


def test_no_code_outside_retention_calls_delete():
    """Only the retention service deletes case records; anything else closes, ends or retires."""
    wrong = []
    for app in retention.CASE_APPS:
        for path in sorted(Path(settings.BASE_DIR, app).rglob("*.py")):
            relative = str(path.relative_to(settings.BASE_DIR))
            if "migrations" in path.parts or relative in DELETES_ALLOWED:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if _deletes(node):
                    wrong.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno}")
    assert not wrong, f"delete() calls outside cases/retention/records.py: {wrong}"


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = AdminFactory.build(is_superuser=True, is_staff=True)
    return request


def test_the_admin_cannot_delete_any_case_record():
    request = _superuser_request()
    wrong = []
    guarded = set(retention.guarded_models())
    for model, model_admin in admin.site._registry.items():
        inlines = [inline(model, admin.site) for inline in model_admin.inlines]
        for owner, checked in [(model, model_admin), *[(i.model, i) for i in inlines]]:
            if owner not in guarded:
                continue
            if checked.has_delete_permission(request, None):
                wrong.append(f"{type(checked).__name__} may delete {owner._meta.label}")
            if hasattr(checked, "get_actions") and "delete_selected" in checked.get_actions(request):
                wrong.append(f"{type(checked).__name__} offers 'delete selected' for {owner._meta.label}")
    assert not wrong, "\n".join(wrong)


def test_the_case_records_guarded_include_the_whole_family_record():
    labels = {m._meta.label for m in retention.guarded_models()}
    for label in [
        "cases.Case",
        "cases.Person",
        "cases.Relationship",
        "cases.CaseMembership",
        "cases.Document",
        "cases.AccessLogEntry",
        "cases.DisposalRecord",
        "engagement.ContactAttempt",
        "engagement.Agreement",
        "engagement.Letter",
        "riskassessment.Assessment",
        "riskassessment.Factor",
        "flowchart.Episode",
        "flowchart.Decision",
    ]:
        assert label in labels, label


def test_delete_is_refused_for_every_case_record_one_by_one_and_in_bulk(world):
    from django.db.models import ProtectedError

    tried = []
    for model in retention.guarded_models():
        instance = model.objects.first()
        if instance is None:
            continue
        tried.append(model._meta.label)
        for attempt in (instance.delete, model.objects.filter(pk=instance.pk).delete):
            # A record others point at is protected by its foreign keys first; any other by the guard.
            with pytest.raises((RecordDeletionRefused, ProtectedError)), transaction.atomic():
                attempt()
        assert model.objects.filter(pk=instance.pk).exists()
    # The world holds a record of most kinds: the refusal was really exercised on them.
    assert {"cases.Case", "cases.Person", "engagement.ContactAttempt", "riskassessment.Assessment"} <= set(
        tried
    )
    assert len(tried) >= 15, tried


def test_a_record_nothing_points_at_is_refused_by_the_guard_itself(db):
    from tests.factories.engagement import ContactAttemptFactory

    lone_case = CaseFactory()
    attempt = ContactAttemptFactory()
    child = ChildFactory()
    for record in (lone_case, attempt, child):
        with pytest.raises(RecordDeletionRefused, match="records are kept"), transaction.atomic():
            record.delete()
        with pytest.raises(RecordDeletionRefused), transaction.atomic():
            type(record).objects.filter(pk=record.pk).delete()
        assert type(record).objects.filter(pk=record.pk).exists()


def test_deleting_a_user_with_case_records_is_refused(world):
    from django.db.models import ProtectedError

    with pytest.raises((ProtectedError, RecordDeletionRefused)), transaction.atomic():
        world.users["lead"].delete()


def test_closing_a_case_keeps_it_and_everything_on_it(world, client):
    manager = world.users["manager"]
    people = Person.objects.filter(case=world.case).count()
    client.force_login(manager)
    # The world's lead practitioner asked for the closure: closing answers that request.
    url = reverse("flowchart:case_close", kwargs={"case_pk": world.case.pk})
    answers = {
        "agree": "yes",
        "reasons": "Family engaged with the school nurse.",
        "considered_mash_referral": "no",
        "considered_multi_agency_meeting": "yes",
        "considered_level_two": "yes",
        "confirm": "yes",
    }
    assert client.post(url, answers).status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.CLOSED and case.closed_on is not None
    assert Person.objects.filter(case=case).count() == people
    assert client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).status_code == 200
    assert case.history.filter(status=CaseStatus.CLOSED, history_user=manager).exists()


# ---------------------------------------------------------------------------------------------
# Concurrent edits: the second to save is told, and keeps what they typed.


class _Forms(HTMLParser):
    """The fields of each <form> on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form.setdefault(a["name"], []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form.setdefault(self._textarea, []).append("")
        elif tag == "select":
            self._select = {"name": a.get("name"), "first": None, "chosen": [], "multiple": "multiple" in a}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._textarea:
                value = self._form[self._textarea][-1]
                self._form[self._textarea][-1] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "select" and self._select is not None:
            s = self._select
            chosen = s["chosen"] or ([] if s["multiple"] or s["first"] is None else [s["first"]])
            if s["name"]:
                self._form.setdefault(s["name"], []).extend(chosen)
            self._select = None
        elif tag == "form":
            self._form = None


def edit_form(response) -> dict:
    assert response.status_code == 200, response.status_code
    parser = _Forms()
    parser.feed(response.content.decode())
    (form,) = [f for f in parser.forms if "record_version" in f]
    return {name: values if len(values) > 1 else values[0] for name, values in form.items()}


def _draft_agreement(world):
    from engagement.documents import services as document_services

    return document_services.agreement_start(case=world.case, by=world.users["lead"])


def _draft_letter(world):
    from engagement.documents import services as document_services
    from engagement.documents.models import LetterStep

    lead = world.users["lead"]
    letter = document_services.letter_draft(
        case=world.case, by=lead, step=LetterStep.DAY_10, recipient=world.parent
    )
    document_services.letter_update(
        letter=letter, by=lead, address="1 High Street\nTown", subject=letter.subject, body=letter.body
    )
    return letter


EDIT_FORMS = {
    # name: (url name, record from the world, field typed into)
    "case": ("cases:case_edit", lambda w: w.case, "referral_reason"),
    "child": ("cases:person_edit", lambda w: w.child, "full_name"),
    "adult": ("cases:person_edit", lambda w: w.parent, "full_name"),
    "contact attempt": ("engagement:attempt_edit", lambda w: w.attempt, "notes"),
    "agreement draft": ("engagement:agreement_edit", _draft_agreement, "goals"),
    "letter draft": ("engagement:letter_edit", _draft_letter, "body"),
    "GROW goal": ("practice:goal_edit", lambda w: w.goal, "goal"),
    # The draft's section pages and its factor pages all carry the assessment's version.
    "assessment draft": ("riskassessment:assessment_analysis", lambda w: w.assessment, "analysis"),
    "assessment factor": (
        "riskassessment:assessment_factor_change",
        lambda w: w.assessment.factors.get(side="risk", removed_at__isnull=True),
        "description",
    ),
}


def _edit_url(url_name: str, record, world) -> str:
    if url_name == "cases:case_edit":
        return reverse(url_name, kwargs={"case_pk": record.pk})
    if url_name == "riskassessment:assessment_factor_change":
        kwargs = {"pk": record.assessment_id, "side": record.side, "factor_pk": record.pk}
        return reverse(url_name, kwargs={"case_pk": world.case.pk, **kwargs})
    return reverse(url_name, kwargs={"case_pk": world.case.pk, "pk": record.pk})


@pytest.mark.parametrize("form_name", sorted(EDIT_FORMS))
def test_the_second_of_two_concurrent_edits_is_refused_and_keeps_what_was_typed(form_name, world):
    url_name, get_record, field = EDIT_FORMS[form_name]
    record = get_record(world)
    url = _edit_url(url_name, record, world)
    first, second = Client(), Client()
    first.force_login(world.users["lead"])
    second.force_login(world.users["manager"])

    opened_first = edit_form(first.get(url))
    opened_second = edit_form(second.get(url))
    assert opened_first["record_version"] == opened_second["record_version"]

    saved = first.post(url, {**opened_first, field: "Saved first by the lead"})
    assert saved.status_code == 302, saved.content.decode()[:3000]

    refused = second.post(url, {**opened_second, field: "Typed second by the manager"})
    assert refused.status_code == 200
    assert CONFLICT in refused.content
    assert b"govuk-error-summary" in refused.content
    record.refresh_from_db()
    assert getattr(record, field) == "Saved first by the lead", "the first save was overwritten"

    # What the manager typed is still on the page, and saving again is now a deliberate choice.
    again = edit_form(refused)
    assert again[field] == "Typed second by the manager"
    assert again["record_version"] != opened_second["record_version"]
    assert second.post(url, again).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "Typed second by the manager"


def test_an_edit_without_a_competitor_saves_first_time(world, client):
    client.force_login(world.users["lead"])
    url = reverse("cases:case_edit", kwargs={"case_pk": world.case.pk})
    opened = edit_form(client.get(url))
    assert client.post(url, {**opened, "referral_reason": "Corrected reason"}).status_code == 302
    world.case.refresh_from_db()
    assert world.case.referral_reason == "Corrected reason"
    assert html.escape("Corrected reason") in client.get(url).content.decode()


# ---------------------------------------------------------------------------------------------
# Retention and legal hold.


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC), tick=False)


def closed_case(on: dt.date, **kwargs) -> Case:
    with at(on):
        child = ChildFactory(
            date_of_birth=kwargs.pop("child_born", dt.date(2012, 5, 1)), case__threshold_level=3
        )
        case = child.case
        for name, value in kwargs.items():
            setattr(case, name, value)
        case.save()
        return case_close(case=case, by=_line_manager(case), reason="Engaged with early help.")


def _line_manager(case: Case):
    """The case's line manager (closing is theirs to decide), given the team one if it has none."""
    team = case.team
    if team.manager is None:
        team.manager = ManagerFactory(team=team)
        team.save()
    return team.manager


def due_references(day: dt.date) -> list[str]:
    return [item.case.reference for item in retention.cases_due_for_disposal(day)]


def test_a_closed_case_is_due_six_years_after_closure_and_not_a_day_before(db):
    case = closed_case(dt.date(2020, 3, 2))
    with at(dt.date(2026, 3, 1)):
        assert due_references(dt.date(2026, 3, 1)) == []
    with at(dt.date(2026, 3, 2)):
        assert due_references(dt.date(2026, 3, 2)) == [case.reference]


def test_open_cases_are_never_due(db):
    with at(dt.date(2010, 1, 4)):
        CaseFactory()
    with at(dt.date(2040, 1, 1)):
        assert due_references(dt.date(2040, 1, 1)) == []


def test_a_child_protection_case_is_kept_until_the_youngest_child_is_25(db):
    case = closed_case(
        dt.date(2020, 3, 2), status=CaseStatus.OPEN, threshold_level=4, child_born=dt.date(2015, 6, 1)
    )
    ChildFactory(case=case, date_of_birth=dt.date(2017, 9, 30))
    assert retention.record_type(case) == "child_protection"
    assert retention.retention_until(case) == dt.date(2042, 9, 30)
    with at(dt.date(2042, 9, 29)):
        assert due_references(dt.date(2042, 9, 29)) == []
    with at(dt.date(2042, 9, 30)):
        assert due_references(dt.date(2042, 9, 30)) == [case.reference]


def test_the_retention_periods_are_settings(db, settings):
    case = closed_case(dt.date(2020, 3, 2))
    settings.RETENTION_YEARS = {**settings.RETENTION_YEARS, "case": 2}
    with at(dt.date(2022, 3, 2)):
        assert due_references(dt.date(2022, 3, 2)) == [case.reference]


def test_a_legal_hold_stops_a_case_being_due_and_is_recorded_with_who_and_why(db):
    case = closed_case(dt.date(2020, 3, 2))
    admin_user = AdminFactory()
    with at(dt.date(2025, 1, 6)):
        retention.legal_hold_place(case=case, by=admin_user, reason="Claim 2025/117 against the council")
    with at(dt.date(2030, 1, 1)):
        assert due_references(dt.date(2030, 1, 1)) == []
        assert [d.case for d in retention.cases_held_past_retention(dt.date(2030, 1, 1))] == [case]
    held = case.history.latest("history_id")
    assert (held.legal_hold, held.legal_hold_reason, held.history_user) == (
        True,
        "Claim 2025/117 against the council",
        admin_user,
    )
    assert held.legal_hold_set_at == dt.datetime(2025, 1, 6, 10, tzinfo=dt.UTC)

    with at(dt.date(2030, 1, 2)):
        retention.legal_hold_release(case=case, by=admin_user, reason="Claim settled")
        assert due_references(dt.date(2030, 1, 2)) == [case.reference]


def test_only_an_admin_or_the_cases_manager_may_place_a_hold_and_only_with_a_reason(db):
    case = closed_case(dt.date(2020, 3, 2))
    with pytest.raises(RetentionError):
        retention.legal_hold_place(case=case, by=case.lead_practitioner, reason="Because")
    with pytest.raises(RetentionError):
        retention.legal_hold_place(case=case, by=ManagerFactory(), reason="Not my team")
    with pytest.raises(RetentionError):
        retention.legal_hold_place(case=case, by=AdminFactory(), reason="   ")
    case.refresh_from_db()
    assert not case.legal_hold


def test_the_report_lists_what_is_due_and_deletes_nothing(db):
    due = closed_case(dt.date(2019, 1, 7))
    held = closed_case(dt.date(2019, 1, 7))
    retention.legal_hold_place(case=held, by=AdminFactory(), reason="Subject access request in progress")
    kept = closed_case(dt.date(2024, 1, 8))
    out = io.StringIO()
    with at(dt.date(2026, 6, 1)):
        call_command("retention_report", stdout=out)
    report = out.getvalue()
    assert "Due for disposal: 1" in report and due.reference in report
    assert "legal hold although past retention: 1" in report and held.reference in report
    assert kept.reference not in report
    assert due.family_name not in report  # references only
    assert Case.objects.filter(pk__in=[due.pk, held.pk, kept.pk]).count() == 3


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger="security")
    return caplog


def test_disposal_is_refused_on_legal_hold_before_its_date_while_open_and_to_non_admins(db, security_log):
    admin_user = AdminFactory()
    case = closed_case(dt.date(2019, 1, 7))
    late = dt.date(2030, 1, 1)
    with pytest.raises(RetentionError, match="legal hold"):
        retention.legal_hold_place(case=case, by=admin_user, reason="Inquiry")
        retention.case_dispose(case=case, by=admin_user, authority="Schedule 4.2", today=late)
    with pytest.raises(RetentionError, match="kept until"):
        retention.case_dispose(
            case=closed_case(dt.date(2025, 1, 6)), by=admin_user, authority="x", today=late
        )
    with pytest.raises(RetentionError, match="open"):
        retention.case_dispose(case=CaseFactory(), by=admin_user, authority="x", today=late)
    other = closed_case(dt.date(2019, 1, 7))
    with pytest.raises(RetentionError, match="Only an admin"):
        retention.case_dispose(case=other, by=other.lead_practitioner, authority="x", today=late)
    assert Case.objects.filter(pk=case.pk).exists() and not DisposalRecord.objects.exists()
    refusals = [r.getMessage() for r in security_log.records if r.name == "security"]
    assert sum("disposal refused" in m for m in refusals) == 4


def test_disposal_removes_the_case_everything_on_it_and_its_history(
    world, django_capture_on_commit_callbacks, security_log
):
    from tests.authz import matrix_documents

    matrix_documents._signed_agreement(world)  # a signed PDF is stored for the case
    matrix_documents._letter(world, sent=True)
    from flowchart.services import Considered, case_closure_record

    case_closure_record(
        case=world.case,
        by=world.users["manager"],
        reasons="Family moved away.",
        considered=Considered(mash_referral="no", multi_agency_meeting="no", level_two="no"),
    )
    case = Case.objects.get(pk=world.case.pk)
    paths = retention.case_paths()
    before = {
        m: list(m.objects.filter(**{lookup: case.pk}).values_list("pk", flat=True))
        for m, lookup in paths.items()
    }
    files = [d.file.name for d in case.documents.all()]
    assert files and all(documents_storage().exists(name) for name in files)
    log_rows = AccessLogEntry.objects.filter(case=case).count()
    other_case_records = Person.objects.filter(case=world.other_case).count()
    admin_user = world.users["admin"]

    with django_capture_on_commit_callbacks(execute=True):
        record = retention.case_dispose(
            case=case,
            by=admin_user,
            authority="Records manager J. Smith, retention schedule 4.2",
            today=case.closed_on + dt.timedelta(days=7 * 366),
        )

    for model, lookup in paths.items():
        assert not model.objects.filter(**{lookup: case.pk}).exists(), model._meta.label
        history = retention.records._history_model(model)
        if history is not None and before[model]:
            assert not history.objects.filter(id__in=before[model]).exists(), f"{model._meta.label} history"
    assert not any(documents_storage().exists(name) for name in files)
    # The access log is kept, no longer linked, as the evidence of who looked.
    assert AccessLogEntry.objects.filter(case__isnull=True).count() >= log_rows
    assert Person.objects.filter(case=world.other_case).count() == other_case_records
    assert record.case_reference == case.reference and record.disposed_by == admin_user
    assert record.counts["cases.Case"] == 1 and record.counts["cases.Person"] == len(before[Person])
    assert any("case disposed of" in r.getMessage() for r in security_log.records if r.name == "security")


def test_every_case_record_model_is_reached_by_disposal():
    """New kinds of record are found by their foreign keys, so none is left behind."""
    ordered = {m for m, _ in retention.disposal_order()}
    for model in retention.case_paths():
        assert model in ordered or model._meta.label in retention.DETACHED_ON_DISPOSAL
    for label in retention.DELETABLE_WITHOUT_DISPOSAL:
        assert apps.get_model(label) in ordered


def test_the_commands_place_a_hold_refuse_disposal_under_it_and_need_confirmation(db):
    from django.core.management import CommandError

    admin_user = AdminFactory()
    case = closed_case(dt.date(2018, 1, 8))
    out = io.StringIO()
    call_command("legal_hold", "place", case.reference, by=admin_user.email, reason="Inquiry", stdout=out)
    assert "Legal hold placed" in out.getvalue()
    with pytest.raises(CommandError, match="--confirm"):
        call_command("dispose_case", case.reference, by=admin_user.email, authority="Schedule 4.2")
    with pytest.raises(CommandError, match="legal hold"):
        call_command(
            "dispose_case", case.reference, by=admin_user.email, authority="Schedule 4.2", confirm=True
        )
    call_command(
        "legal_hold", "lift", case.reference, by=admin_user.email, reason="Inquiry closed", stdout=out
    )
    with at(dt.date(2025, 6, 2)):
        call_command(
            "dispose_case",
            case.reference,
            by=admin_user.email,
            authority="Schedule 4.2",
            confirm=True,
            stdout=out,
        )
    assert "Disposed of" in out.getvalue()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert DisposalRecord.objects.get().case_reference == case.reference
