"""Hostile text through every form, then every page, email, PDF and export that shows it (issue 9).

Each round writes a whole case through the service's own forms (see scenario.py), every free-text
box holding a payload from the corpus (payloads.py), the rounds together trying every payload.
Then it reads back everything the service makes from that text:

- every page that shows it, as each person who sees it: each payload must be text, never an
  element, an attribute, an event handler, a URL or a script (`injections_in`);
- every email sent: plain text only, with no header the text could add;
- every signed PDF: the payload's text printed literally, and no link, action or script anywhere
  in the file;
- the chronology export: no cell a spreadsheet would run as a formula.
"""

import contextlib
import datetime as dt
import math
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from flowchart.services import reminders_sweep

from .figures import count, record
from .payloads import PAYLOADS, markers_in
from .reading import csv_problems, email_problems, page_problems, pdf_problems, pdf_text, squeeze
from .scenario import Filler, Scenario
from .stored import PROJECT_APPS, SHOWN_ELSEWHERE, fill_every_text_column

LONDON = zoneinfo.ZoneInfo("Europe/London")
# A Wednesday in term time, mid-morning: after the reminders' morning time, before any holiday.
NOW = dt.datetime(2026, 11, 18, 11, 0, tzinfo=LONDON)
ROUNDS = 5
STRIDE = math.ceil(len(PAYLOADS) / ROUNDS)

# Fields the service keeps but shows on no page, with why. Everything else typed in must show.
NOT_SHOWN = {
    # The manager's decision keeps these, and its history does, but no page shows them yet.
    "Decision.options_notes": "recorded with the day-15 decision; shown on no page",
}


def _run_round(number, people, settings, django_capture_on_commit_callbacks):
    settings.MFA_REQUIRED_ROLES = []
    lead, manager, agency, social_worker = people
    scenario = Scenario(
        lead=lead,
        manager=manager,
        agency=agency,
        social_worker=social_worker,
        today=NOW.date(),
        fill=Filler(number * STRIDE),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        scenario.open_case()
        scenario.add_family()
        scenario.record_attempts(2)
        scenario.partner_report()
        reminders_sweep(now=dt.datetime.combine(NOW.date(), dt.time(9, 0), tzinfo=LONDON))
        scenario.hostile_incident()
        scenario.agree()
        scenario.write_letters()
        scenario.assess()
        scenario.flowchart()
        scenario.restart_and_escalate()
        scenario.practice()
        scenario.reflect()
        scenario.drain()
        scenario.notifications()
        for attempt in scenario.case.contact_attempts.all():
            scenario.page(
                f"attempt {attempt.pk}",
                "lead",
                "engagement:attempt_detail",
                case_pk=scenario.case.pk,
                pk=attempt.pk,
            )
    assert scenario.fill.position - number * STRIDE >= STRIDE, (
        "a round must try its whole share of the corpus"
    )
    return scenario


@pytest.mark.parametrize("number", range(ROUNDS))
def test_payloads_through_every_form_stay_text_everywhere(
    number, people, settings, django_capture_on_commit_callbacks, client, tmp_path
):
    with time_machine.travel(NOW, tick=True):
        scenario = _run_round(number, people, settings, django_capture_on_commit_callbacks)
        problems: list[str] = []
        shown: set[str] = set()

        def check_page(label, role, url, response):
            found, markers = page_problems(response)
            problems.extend(f"{label} ({role}, {url}): {p}" for p in found)
            shown.update(markers)
            record("injection", "pages", url)
            count("injection", "page renders")

        for label, role, url, response in scenario.visited:
            check_page(label, role, url, response)
        for label, (role, url) in scenario.urls.items():
            check_page(label, role, url, scenario.client(role).get(url))
        # Closing puts the reason on the case page and the list of cases.
        scenario.close()
        for label in ("case page", "my cases", "team cases", "case page (manager)"):
            role, url = scenario.urls[label]
            check_page(f"{label}, closed", role, url, scenario.client(role).get(url))

        assert not problems, "payloads became markup:\n" + "\n".join(problems)
        # Every field typed in must come back somewhere (else the pages above proved nothing).
        typed = {p.marker: label for label, p in scenario.fill.ledger}
        missing = {f"{label}: {m}" for m, label in typed.items() if m not in shown and label not in NOT_SHOWN}
        assert not missing, f"typed in but shown on no page: {sorted(missing)}"

        record("injection", "payloads tried", *typed)
        record("injection", "fields", *(label.split(" (")[0] for label, _ in scenario.fill.ledger))

        _check_emails(scenario)
        _check_pdfs(scenario, tmp_path)
        _check_export(scenario)


def _check_emails(scenario):
    assert mail.outbox, "the round sends notifications by email"
    problems, carried = [], set()
    for message in mail.outbox:
        found, markers = email_problems(message)
        problems += [f"{message.subject[:60]!r}: {p}" for p in found]
        carried |= markers
        record("injection", "emails", (scenario.case.pk, message.subject, message.to[0]))
    assert not problems, "\n".join(problems)
    # Mail carries no case content (tests/security/test_mail_content.py): not the family's name,
    # nor anything typed on the case.
    typed = {p.marker: label for label, p in scenario.fill.ledger}
    assert not carried & set(typed), f"case content in an email: {[typed[m] for m in carried & set(typed)]}"
    # The hostile incident's emails say where to look, never what happened (issue 17).
    assert any("hostile incident was recorded" in m.subject for m in mail.outbox)
    # The line manager and the allocated social worker are told of the incident, once each.
    told = [m.to[0] for m in mail.outbox if "hostile incident was recorded" in m.subject]
    assert sorted(told) == sorted([scenario.manager.email, scenario.social_worker.email])
    # A partner's report reaches the lead practitioner and the social worker by email as a
    # reference and a link: its words never travel by email.
    told = {m.to[0] for m in mail.outbox if "a partner agency reported" in m.subject}
    assert told == {scenario.lead.email, scenario.social_worker.email}


def _check_pdfs(scenario, folder):
    typed = {}
    for label, payload in scenario.fill.ledger:
        typed.setdefault(label.split(" (")[0], []).append(payload)
    expected = {
        "agreement": [
            "Agreement.our_commitments",
            "Agreement.family_commitments",
            "Agreement.goals",
            "AgreementSignature.name",
            "Case.family_name",
        ],
        "letter": ["Letter.subject", "Letter.body", "Letter.address", "Person.full_name"],
        "assessment": [
            "Assessment.participants",
            "Assessment.service",
            "Assessment.analysis",
            "Factor.description",
            "Factor.evidence",
            "Action.what",
            "Action.who",
            "Case.family_name",
        ],
    }
    problems = []
    for name, (role, url) in scenario.pdf_urls.items():
        response = scenario.client(role).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", name
        pdf = b"".join(response.streaming_content)
        found, info = pdf_problems(pdf)
        problems += [f"{name}: {p}" for p in found]
        text = pdf_text(pdf, folder)
        flat = squeeze(text)
        record("injection", "PDFs", url)
        in_pdf = markers_in(flat)  # a narrow table cell may wrap a marker across lines
        # A payload behind a right-to-left override ("\u202egnp.MARK.exe") is printed as a reader
        # sees it, and the text comes out of the PDF in that visual order: its marker backwards.
        in_pdf |= markers_in(flat[::-1])
        for label in expected[name.split(" ")[0]]:
            payloads = typed.get(label, [])
            assert payloads, label
            # At least one payload typed into this field is printed, whole and literally.
            # A right-to-left override (U+202E) prints what follows it mirrored, and the text comes
            # out of the PDF in the order it is seen: such a payload's marker is read backwards.
            printed = [
                p for p in payloads if p.marker in in_pdf or ("\u202e" in p.text and p.marker[::-1] in flat)
            ]
            assert printed, f"{name}: nothing typed into {label} is printed"
            for payload in printed:
                if payload.text.isascii() and len(payload.text) < 2000:
                    assert squeeze(payload.text) in flat, (
                        f"{name}: {label} not printed literally: {payload.text!r}"
                    )
        # The document's title (from the page's <title>) is a PDF string: it must parse as written.
        if name == "letter":
            subject = next(p for label, p in scenario.fill.ledger if label == "Letter.subject")
            assert subject.marker in info.get("/Title", ""), info
    assert not problems, "\n".join(problems)


def _check_export(scenario):
    response = scenario.client("lead").get(
        reverse("engagement:chronology_csv", kwargs={"case_pk": scenario.case.pk})
    )
    assert response.status_code == 200
    problems, markers = csv_problems(response.content)
    assert not problems, "\n".join(problems)
    notes = [p.marker for label, p in scenario.fill.ledger if label == "ContactAttempt.notes"]
    assert set(notes) <= markers
    record("injection", "CSV exports", response.wsgi_request.path)


def test_payloads_in_every_stored_text_stay_text_on_every_page(db, settings):
    """The matrix's world, every text column of every row a payload, every page read by everyone allowed.

    This sweep needs no list of pages or fields: a new model's text and a new URL in the matrix
    (a team dashboard, an insight page) are covered as soon as they exist.
    """
    from .matrix import ENTRIES, matrix_world, signed_in

    with time_machine.travel(NOW, tick=True):
        world = matrix_world(settings)
        fill = Filler(0)
        fill_every_text_column(fill)
        clients = {role: signed_in(user) for role, user in world.users.items()}
        problems, shown = [], set()
        for name, entry in sorted(ENTRIES.items()):
            if "GET" not in entry.methods:
                continue
            url = world.urls[name]
            for role in sorted(entry.allowed):
                response = clients[role].get(url)
                kind = response.get("Content-Type", "")
                if response.status_code == 302:
                    continue  # sends them on: the page they land on is in the matrix too
                if kind.startswith("text/csv"):
                    found, markers = csv_problems(response.content)
                elif kind.startswith("application/pdf"):
                    continue  # printed before the payloads went in: documents are never re-made
                elif kind.startswith(
                    ("text/plain", "application/json", "application/manifest+json", "text/javascript")
                ):
                    # Never parsed as HTML (nosniff): the offline page puts JSON into the page as text.
                    found, markers = [], markers_in(response.content.decode())
                else:
                    found, markers = page_problems(response)
                    record("injection", "pages", url)
                    count("injection", "page renders")
                problems += [f"{name} ({role}, {url}): {p}" for p in found]
                shown |= markers
                record("injection (every column)", "URLs x roles", (url, role))
        shown |= _admin_pages(clients["admin"], problems)
        assert not problems, "payloads became markup:\n" + "\n".join(problems)
        columns = {label for label, _ in fill.ledger}
        shown_columns = {label for label, p in fill.ledger if p.marker in shown}
        record("injection (every column)", "text columns filled", *columns)
        record("injection (every column)", "text columns shown on a page", *shown_columns)
        record("injection", "payloads tried", *(p.marker for _, p in fill.ledger))
        record("injection", "fields", *columns)
        # What people type must be on some page, or this sweep would prove little.
        missing = columns - shown_columns - set(SHOWN_ELSEWHERE)
        assert not missing, "filled but shown on no page: " + "; ".join(sorted(missing))


def _admin_pages(client, problems) -> set[str]:
    """Django's admin, as the admin: each configurable model's list and its first record."""
    from django.contrib import admin
    from django.urls import NoReverseMatch, reverse

    shown = set()
    for model in admin.site._registry:
        if model._meta.app_label not in PROJECT_APPS:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls = [reverse(f"{prefix}_changelist")]
        first = model._base_manager.order_by("pk").first()
        if first is not None:
            with contextlib.suppress(NoReverseMatch):
                urls.append(reverse(f"{prefix}_change", args=[first.pk]))
        for url in urls:
            response = client.get(url)
            if response.status_code in (302, 403):
                continue  # a screen this model does not offer (no list, read only)
            found, markers = page_problems(response, nonces=False)
            problems.extend(f"admin ({url}): {p}" for p in found)
            shown |= markers
            record("injection", "pages", url)
            record("injection (every column)", "admin pages", url)
            count("injection", "page renders")
    return shown
