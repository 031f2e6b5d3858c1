"""Misconfiguration fails with one line that says what to do, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "k7#Qz!v2Lp9@wXr4&Tn6^Yb8*Hc1%Md3(Fg5)Js0-Ue_Oa+Wi=Zl",
    "DJANGO_ALLOWED_HOSTS": "families.example.gov.uk",
    "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    "CELERY_BROKER_URL": "redis://127.0.0.1:9/0",
    "EMAIL_HOST": "smtp.example.gov.uk",
    "SIGNING_KEY_FILE": "/secrets/key.pem",
    "SIGNING_CERT_FILE": "/secrets/cert.pem",
    "SIGNING_TSA_URL": "https://tsa.example.gov.uk",
    "SIGNING_TSA_CERT_FILES": "/run/secrets/tsa_root",
    "MFA_ENCRYPTION_KEYS": "cHJvZHVjdGlvbi10ZXN0LWtleS1ub3QtZm9yLXVzZSE=",
    "SITE_URL": "https://families.example.gov.uk",
}


def run(args, env_overrides, unset=()):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in unset and not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(env_overrides)
    for name in unset:
        env.pop(name, None)
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_without_a_secret_names_the_variable_in_one_line():
    result = run([sys.executable, "manage.py", "check"], PRODUCTION_ENV, unset=["DJANGO_SECRET_KEY"])
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Set the environment variable DJANGO_SECRET_KEY: production settings have no default for it "
        "(see docs/configuration.md)."
    ]


def test_production_without_an_mfa_key_names_it():
    """Authenticator secrets are never stored unencrypted: production has no default key."""
    result = run([sys.executable, "manage.py", "check"], PRODUCTION_ENV, unset=["MFA_ENCRYPTION_KEYS"])
    assert result.returncode != 0
    assert "Set the environment variable MFA_ENCRYPTION_KEYS" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["SIGNING_TSA_URL", "SIGNING_TSA_CERT_FILES"])
def test_production_without_a_time_stamping_authority_names_it(name):
    """Issue 22: signatures carry a *trusted* RFC 3161 timestamp, "with a local time-stamping
    authority in tests and a configured one in production": without the authority, or without
    the root that makes its timestamps trusted, production does not start."""
    result = run([sys.executable, "manage.py", "check"], PRODUCTION_ENV, unset=[name])
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"Set the environment variable {name}: production settings have no default for it "
        "(see docs/configuration.md)."
    ]


def test_production_without_a_database_url_names_it():
    result = run([sys.executable, "manage.py", "check"], PRODUCTION_ENV, unset=["DATABASE_URL"])
    assert "DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_fails_with_one_clear_line():
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
    }
    result = run([sys.executable, "manage.py", "migrate", "--noinput"], env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("Cannot use the database at 127.0.0.1")
    assert "DATABASE_URL" in lines[0]


def test_production_settings_pass_the_deployment_checklist():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///:memory:"}
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_missing_python_is_named_with_what_to_do(tmp_path):
    # Only the system Python (3.11 here, or none) and a pyenv root with nothing in it.
    result = subprocess.run(
        ["/bin/bash", str(ROOT / ".ci" / "find-python")],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Python 3.12 or newer is needed")
    assert "pyenv install 3.12" in result.stderr


NOTIFY_ENV = {
    "NOTIFY_API_KEY": "engaging_families-8f1b6a1e-7c5d-4a2b-9e3f-0a1b2c3d4e5f-2d4f6a8c-1b3d-4e5f-8a7b-9c0d1e2f3a4b",
    "NOTIFY_SMS_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a",
    "NOTIFY_EMAIL_TEMPLATE_ID": "a1b2c3d4-0000-4000-8000-00000000e3a1",
    "NOTIFY_CALLBACK_TOKEN": "delivery-receipts-token-0123456789",
    "NOTIFY_INBOUND_CALLBACK_TOKEN": "received-texts-token-9876543210",
}


def test_production_with_a_notify_key_and_both_callback_tokens_starts():
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///:memory:", **NOTIFY_ENV}
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["NOTIFY_CALLBACK_TOKEN", "NOTIFY_INBOUND_CALLBACK_TOKEN"])
def test_production_with_a_notify_key_refuses_to_start_without_each_callback_token(missing):
    """Notify gives each callback its own bearer token: with a key, both must be set."""
    env = {**PRODUCTION_ENV, "DATABASE_URL": "sqlite:///:memory:", **NOTIFY_ENV}
    result = run([sys.executable, "manage.py", "check"], env, unset=[missing])
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"Set the environment variable {missing}: production settings have no default for it "
        "(see docs/configuration.md)."
    ]


def test_production_refuses_one_token_for_both_notify_callbacks():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": "sqlite:///:memory:",
        **NOTIFY_ENV,
        "NOTIFY_INBOUND_CALLBACK_TOKEN": NOTIFY_ENV["NOTIFY_CALLBACK_TOKEN"],
    }
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set NOTIFY_INBOUND_CALLBACK_TOKEN to a token of its own" in result.stderr
    assert "Traceback" not in result.stderr
