"""The ways the service is run (`make run`, docker-compose.yml, WSGI, Celery) agree on the safe
choices: no access log holding secrets, ports on loopback behind the proxy, the same settings
module by default, a real SITE_URL, SQLite that takes two saves at once, PDF font subsetting."""

import io
import os
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.core.management import call_command
from django.db import connections, transaction

from cases.management.commands.serve import process_commands
from config.settings import base
from tests.config.test_startup_errors import PRODUCTION_ENV, run

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_web_server_writes_no_access_log_that_could_hold_a_reset_key():
    """A password reset link carries its key in the path: gunicorn's access log would keep it."""
    web = process_commands(bind="127.0.0.1:8000", beat_schedule="-")["web"]
    assert not any(argument.startswith("--access-log") for argument in web)
    assert not any(argument.startswith("--access-log") for argument in COMPOSE["services"]["web"]["command"])


def test_compose_publishes_ports_on_loopback_only_for_the_proxy_in_front():
    """SECURE_PROXY_SSL_HEADER trusts X-Forwarded-Proto: only the proxy on the host may reach the port."""
    published = [port for service in COMPOSE["services"].values() for port in service.get("ports", [])]
    assert published
    assert all(str(port).startswith("127.0.0.1:") for port in published), published


def test_compose_names_its_site_url_and_its_proxy():
    environment = COMPOSE["x-app"]["environment"]
    assert environment["SITE_URL"].startswith("${SITE_URL")
    assert environment["TRUSTED_PROXY_COUNT"] == "1"


def test_make_run_links_in_email_say_the_port_it_serves_on(settings):
    started = []

    def popen(command, **kwargs):
        started.append(kwargs["env"])
        return mock.Mock(returncode=0, pid=os.getpid(), poll=mock.Mock(return_value=0))

    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    with (
        mock.patch.dict(os.environ, environment, clear=True),
        mock.patch("subprocess.Popen", side_effect=popen),
        mock.patch("signal.signal"),
        mock.patch("time.sleep"),
        pytest.raises(SystemExit),
    ):
        call_command("serve", "--port", "8123", stdout=io.StringIO())
    assert {env["SITE_URL"] for env in started} == {"http://127.0.0.1:8123"}


def test_production_stops_without_a_site_url():
    result = run([sys.executable, "manage.py", "check"], PRODUCTION_ENV, unset=["SITE_URL"])
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.asgi", "config.celery"])
def test_every_entry_point_defaults_to_the_same_settings(entry_point):
    """A worker started without DJANGO_SETTINGS_MODULE must not run on development settings
    while the web server beside it runs on production's."""
    code = (
        "import os, django.core.wsgi, django.core.asgi;"
        "django.core.wsgi.get_wsgi_application = django.core.asgi.get_asgi_application = lambda: None;"
        f"import {entry_point};"
        "print(os.environ['DJANGO_SETTINGS_MODULE'])"
    )
    result = run([sys.executable, "-c", code], {}, unset=["DJANGO_SETTINGS_MODULE"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "config.settings.production"


def test_the_embedded_default_database_takes_two_saves_at_once(tmp_path, django_db_blocker):
    """Two people saving at the same moment on the SQLite default: both saves are kept."""
    with django_db_blocker.unblock():
        two_saves_at_once(tmp_path, base.SQLITE_OPTIONS)


def two_saves_at_once(tmp_path, options):
    alias = "two_saves"
    database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    connections.settings[alias] = connections.configure_settings(
        {"default": dict(connections.settings["default"]), alias: {**database, "OPTIONS": options}}
    )[alias]
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE saves (who TEXT)")
        connections[alias].close()
        first_has_read = threading.Event()
        second_has_read = threading.Event()
        errors = []

        def save(who, read, wait_for):
            try:
                with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM saves")  # the page read the record
                    read.set()
                    # The other save starts before this one writes (if the database lets it).
                    wait_for.wait(timeout=1)
                    cursor.execute("INSERT INTO saves VALUES (%s)", [who])
            except Exception as error:  # noqa: BLE001 - the failure under test
                errors.append(error)
            finally:
                connections[alias].close()

        first = threading.Thread(target=save, args=("first", first_has_read, second_has_read))
        second = threading.Thread(
            target=lambda: (
                first_has_read.wait(timeout=5),
                save("second", second_has_read, threading.Event()),
            )
        )
        first.start()
        second.start()
        first.join()
        second.join()
        assert errors == []
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT who FROM saves ORDER BY who")
            assert [row[0] for row in cursor.fetchall()] == ["first", "second"]
    finally:
        connections[alias].close()
        del connections.settings[alias]


def test_pdf_font_subsetting_is_installed_by_make_run_and_make_test_as_in_the_image():
    """Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: the same PDF, 2-4x slower."""
    listed = subprocess.run(
        [str(ROOT / ".ci" / "ensure-debian-packages"), "--list", "run"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "libharfbuzz-subset0" in listed
    listed = subprocess.run(
        [str(ROOT / ".ci" / "ensure-debian-packages"), "--list"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {"libharfbuzz-subset0", "chromium", "poppler-utils"} <= set(listed)
    dry_run = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert ".ci/ensure-debian-packages run" in dry_run
    assert "libharfbuzz-subset0" in (ROOT / ".ci" / "Dockerfile").read_text()
