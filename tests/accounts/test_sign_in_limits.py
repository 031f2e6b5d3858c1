"""Sign-in limits and the security log behind the TLS proxy.

Every request reaches the service through the council's proxy, so the connecting address is the
proxy's. The client is the address the trusted proxy added to X-Forwarded-For (counting from
the right, ALLAUTH_TRUSTED_PROXY_COUNT); anything further left was written by the client and
proves nothing.
"""

import importlib
import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from cases.audit import client_address
from config.settings import base
from tests.config.test_startup_errors import PRODUCTION_ENV
from tests.factories import PractitionerFactory
from tests.factories.cases import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
PROXY = "10.0.0.1"


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS  # the limits as deployed


def from_client(address: str, forged: str = "") -> dict:
    """What the proxy passes on: the client's own X-Forwarded-For, then the address it saw."""
    forwarded = f"{forged}, {address}" if forged else address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def test_the_client_address_is_the_one_the_trusted_proxy_saw(behind_one_proxy):
    request = RequestFactory().get("/", **from_client("203.0.113.9", forged="198.51.100.66"))
    assert client_address(request) == "203.0.113.9"


def test_with_no_trusted_proxy_a_forwarded_address_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert client_address(request) == "203.0.113.9"


def test_one_client_failing_to_sign_in_does_not_block_everyone_behind_the_proxy(db, client, behind_one_proxy):
    user = PractitionerFactory()
    for attempt in range(25):
        client.post(
            LOGIN,
            {"login": f"guess{attempt}@example.test", "password": "wrong-password-123"},
            **from_client("198.51.100.7"),
        )
    client.post(LOGIN, {"login": user.email, "password": PASSWORD}, **from_client("203.0.113.9"))
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_the_account_limit_still_holds_from_many_addresses(db, client, behind_one_proxy):
    """The per-account limit is the main defence: changing address does not reset it."""
    user = PractitionerFactory()
    for attempt in range(5):
        client.post(
            LOGIN,
            {"login": user.email, "password": "wrong-password-123"},
            **from_client(f"198.51.100.{attempt + 1}"),
        )
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD}, **from_client("203.0.113.9"))
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_text_sent_by_a_client_cannot_forge_a_line_in_the_security_log(db, client, caplog, settings):
    caplog.set_level(logging.INFO, logger="security")
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    client.force_login(PractitionerFactory())
    client.get(
        "/cases/x%0Alogin:%20user=1%20address=203.0.113.1/",
        HTTP_X_FORWARDED_FOR="1.2.3.4\nlogin: user=1",
    )
    lines = [r.getMessage() for r in caplog.records if r.name == "security"]
    assert lines and all("\n" not in line and "\r" not in line for line in lines)
    assert any("\\n" in line for line in lines)  # shown escaped, not dropped


def load_production(monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    return importlib.import_module("config.settings.production")


def test_production_trusts_one_proxy_unless_told_otherwise(monkeypatch):
    assert load_production(monkeypatch).ALLAUTH_TRUSTED_PROXY_COUNT == 1
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "2")
    assert load_production(monkeypatch).ALLAUTH_TRUSTED_PROXY_COUNT == 2


def test_the_embedded_default_counts_failures_in_a_cache_every_process_shares(tmp_path):
    """Under `make run` two gunicorn workers and Celery each run in their own process: a
    counter one of them writes must be the counter the other reads."""
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "VAR_DIR": str(tmp_path),
    }

    def in_a_process(code: str) -> str:
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {code}"],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    in_a_process("from django.core.management import call_command; call_command('createcachetable')")
    in_a_process("from django.core.cache import cache; cache.set('failed-logins', 5, 600)")
    assert in_a_process("from django.core.cache import cache; print(cache.get('failed-logins'))") == "5"
