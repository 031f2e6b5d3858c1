"""Issue 21: "Two saves at once both succeed on every database", and its must-show: "A
concurrency test: 20 simultaneous attempt saves on the embedded default and on PostgreSQL, all
saved, none lost, no 500."

A real `runserver` process (a thread per request, a database connection per thread) takes the
posts over HTTP, each thread held at a barrier until all are ready so they arrive together. The
database is the one the suite runs on: a SQLite file (the embedded default, WAL with a busy
timeout) on an ordinary run, PostgreSQL on CI's second pass (DATABASE_URL=postgres://...), where
the server gets a database of its own next to the test database. The schema is built from the
models, as in tests/cases/documents/test_two_servers.py, and the port is a free one, so two
xdist workers never meet.

Then five forms are each posted twice at the same moment (a double click, two tabs): issue 21,
"duplicates from double-clicks answered with the first record".
"""

import contextlib
import http.client
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

from django.db import connection

from tests.cases.documents.test_two_servers import _free_port, _run, _wait_for_port

ROOT = Path(__file__).resolve().parents[2]
MANAGE = str(ROOT / "manage.py")
LEAD_EMAIL = "lead@simultaneous-saves.test"
SAVES = 20
DOUBLE_POSTS = 5

SETTINGS = f"""
from config.settings.local import *  # noqa: F403

MIGRATION_MODULES = {{app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}}  # noqa: F405
MFA_EXEMPT_EMAILS = [*MFA_EXEMPT_EMAILS, {LEAD_EMAIL!r}]  # noqa: F405
DEBUG = False
"""

# A lead practitioner's case referred three days ago, and a signed-in session per person saving
# (tabs and phones of the same practitioner).
SET_UP = f"""
import datetime as dt, json
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.factories import CaseFactory, PractitionerFactory

lead = PractitionerFactory(email={LEAD_EMAIL!r})
today = timezone.localdate()
case = CaseFactory(lead_practitioner=lead, referral_date=today - dt.timedelta(days=3))
cookies = []
for _ in range({SAVES + DOUBLE_POSTS}):
    client = Client()
    client.force_login(lead)
    cookie = client.cookies["sessionid"]
    cookies.append(f"{{cookie.key}}={{cookie.value}}")
day = today - dt.timedelta(days=1)
print(json.dumps({{
    "path": reverse("engagement:attempt_record", kwargs={{"case_pk": case.pk}}),
    "lead": lead.pk,
    "case": case.pk,
    "day": [day.day, day.month, day.year],
    "cookies": cookies,
}}))
"""

SAVED = """
import json
from engagement.models import ContactAttempt
print(json.dumps([[str(a.client_id), a.notes] for a in ContactAttempt.objects.order_by("pk")]))
"""


def _database(tmp_path: Path):
    """The server's database: a SQLite file, or a PostgreSQL database of its own beside the suite's."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'embedded.sqlite3'}", contextlib.nullcontext()
    assert connection.vendor == "postgresql", connection.vendor
    name = f"{settings['NAME']}_saves"[:63]
    user = urllib.parse.quote(settings["USER"] or "")
    password = f":{urllib.parse.quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    return url, _postgres_database(name)


@contextlib.contextmanager
def _postgres_database(name: str):
    import psycopg  # only on the PostgreSQL pass

    params = {k: v for k, v in connection.get_connection_params().items() if k != "cursor_factory"}
    params["dbname"] = "postgres"
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    """One signed-in session: opens the attempt form and posts it, as a phone would."""

    def __init__(self, port: int, path: str, cookie: str):
        self.port, self.path, self.cookies = port, path, dict([cookie.split("=", 1)])

    def _request(self, method: str, body: str | None = None) -> tuple[http.client.HTTPResponse, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded"}
        try:
            conn.request(method, self.path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            key, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[key] = value
        return response, text

    def open_form(self) -> dict:
        """The form's hidden fields: its CSRF token and the id made for this one save."""
        response, html = self._request("GET")
        assert response.status == 200, response.status
        return {
            name: re.search(rf'name="{name}" value="([^"]+)"', html)[1]
            for name in ("csrfmiddlewaretoken", "client_id")
        }

    def save(self, fields: dict) -> tuple[int, str]:
        response, _ = self._request("POST", urllib.parse.urlencode(fields))
        return response.status, response.headers.get("Location", "")


def _attempt(setup: dict, hidden: dict, notes: str) -> dict:
    day, month, year = setup["day"]
    return hidden | {
        "kind": "phone_call",
        "occurred_on_0": day,
        "occurred_on_1": month,
        "occurred_on_2": year,
        "occurred_time": "09:15",
        "outcome": "no_answer",
        "made_by": setup["lead"],
        "notes": notes,
    }


def _all_at_once(posts: list) -> list:
    """Each post in its own thread, released together; the answers in the order given."""
    barrier = threading.Barrier(len(posts))
    answers: list = [None] * len(posts)

    def post(index, browser, fields):
        barrier.wait()
        try:
            answers[index] = browser.save(fields)
        except Exception as error:  # noqa: BLE001 - a dropped connection is a lost save
            answers[index] = (None, repr(error))

    threads = [threading.Thread(target=post, args=(i, *p)) for i, p in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def test_twenty_attempts_saved_at_once_are_all_kept_and_a_double_post_is_saved_once(
    tmp_path, django_db_blocker
):
    (tmp_path / "simultaneous_saves_settings.py").write_text(SETTINGS)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    with django_db_blocker.unblock():
        database_url, database = _database(tmp_path)
    env |= {
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "simultaneous_saves_settings",
        "DATABASE_URL": database_url,
        "VAR_DIR": str(tmp_path / "var"),
    }
    with django_db_blocker.unblock(), database:
        _run(["migrate", "--noinput", "--run-syncdb"], cwd=tmp_path, env=env)
        setup = json.loads(_run(["shell", "-c", SET_UP], cwd=tmp_path, env=env).strip().splitlines()[-1])
        port = _free_port()
        with (tmp_path / "server.log").open("w") as log:
            server = subprocess.Popen(
                [sys.executable, MANAGE, "runserver", "--noreload", f"127.0.0.1:{port}"],
                cwd=tmp_path,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_for_port(port, server)
                browsers = [Browser(port, setup["path"], cookie) for cookie in setup["cookies"]]

                # Twenty people save twenty different attempts at the same moment.
                savers = browsers[:SAVES]
                forms = [_attempt(setup, b.open_form(), f"Attempt {i}") for i, b in enumerate(savers)]
                answers = _all_at_once(list(zip(savers, forms, strict=True)))

                # Five forms, each posted twice at the same moment by the same session.
                clickers = browsers[SAVES:]
                doubles = [_attempt(setup, b.open_form(), f"Double {i}") for i, b in enumerate(clickers)]
                double_answers = _all_at_once(
                    [(b, f) for b, f in zip(clickers, doubles, strict=True) for _ in (1, 2)]
                )
            finally:
                server.kill()
                server.wait(timeout=30)
        saved = json.loads(_run(["shell", "-c", SAVED], cwd=tmp_path, env=env).strip().splitlines()[-1])

    chronology = f"/cases/{setup['case']}/chronology/"
    assert [status for status, _ in answers] == [302] * SAVES, answers
    assert all(location.endswith(chronology) for _, location in answers), answers
    assert [status for status, _ in double_answers] == [302] * (2 * DOUBLE_POSTS), double_answers
    # Each pair answered alike: the second post lands where the first did.
    assert double_answers[0::2] == double_answers[1::2]

    client_ids = [client_id for client_id, _ in saved]
    assert len(saved) == SAVES + DOUBLE_POSTS
    assert len(set(client_ids)) == len(client_ids)
    assert sorted(saved) == sorted([[form["client_id"], form["notes"]] for form in forms + doubles]), (
        "every attempt saved, none lost, none twice"
    )
