"""Production settings make the shortcuts of a demo impossible."""

import importlib
import io
import sys

import pytest
from django.core.management import CommandError, call_command

from cases.models import User
from tests.config.test_startup_errors import PRODUCTION_ENV


@pytest.fixture
def production_module(monkeypatch):
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    return importlib.import_module("config.settings.production")


def test_demo_logins_cannot_be_made_under_production_settings(db, settings, production_module):
    """The demo logins share a password printed in the README: production refuses to make them."""
    assert production_module.DEMO_DATA_ALLOWED is False
    settings.DEMO_DATA_ALLOWED = production_module.DEMO_DATA_ALLOWED
    with pytest.raises(CommandError, match="Demo data is not allowed"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(email__endswith="@demo.local").exists()


def test_production_uses_the_breached_password_validator(production_module):
    names = [v["NAME"] for v in production_module.AUTH_PASSWORD_VALIDATORS]
    assert "cases.validators.BreachedPasswordValidator" in names
    assert "django.contrib.auth.password_validation.CommonPasswordValidator" in names
    assert any(
        v.get("OPTIONS", {}).get("min_length", 0) >= 12 for v in production_module.AUTH_PASSWORD_VALIDATORS
    )
