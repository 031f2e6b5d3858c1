"""Headers and cookies under production settings (OWASP ASVS 5.0 L2, Django's deployment checklist)."""

import importlib
import sys

import pytest
from django.test import override_settings

from tests.accounts.test_login import LOGIN
from tests.config.test_startup_errors import PRODUCTION_ENV
from tests.factories import PractitionerFactory
from tests.factories.cases import PASSWORD

SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_NAME",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_CSP",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "PERMISSIONS_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_AGE",
    "SESSION_SAVE_EVERY_REQUEST",
]


@pytest.fixture
def production(monkeypatch):
    """The security settings exactly as production.py computes them."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("config.settings.production", None)
    module = importlib.import_module("config.settings.production")
    with override_settings(**{name: getattr(module, name) for name in SECURITY_SETTINGS}):
        yield


def https_get(client, path):
    return client.get(path, headers={"X-Forwarded-Proto": "https"}, secure=True)


def test_hsts_for_a_year_with_subdomains(production, db, client):
    response = https_get(client, LOGIN)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_is_redirected_to_https(production, db, client):
    response = client.get(LOGIN)
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_csp_has_a_nonce_and_forbids_objects_base_and_framing(production, db, client):
    response = https_get(client, LOGIN)
    csp = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split(";")
    )
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"
    assert "'nonce-" in csp["script-src"] and "'unsafe-inline'" not in csp["script-src"]
    nonce = csp["script-src"].split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"'.encode() in response.content  # the page's own scripts carry it


def test_other_protective_headers(production, db, client):
    response = https_get(client, LOGIN)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_authenticated_pages_are_never_cached(production, db, client):
    client.force_login(PractitionerFactory())
    assert https_get(client, "/cases/")["Cache-Control"] == "no-store, private"


def test_cookies_are_secure_httponly_and_samesite(production, db, client):
    user = PractitionerFactory()
    https_get(client, LOGIN)
    response = client.post(
        LOGIN,
        {"login": user.email, "password": PASSWORD},
        headers={"X-Forwarded-Proto": "https"},
        secure=True,
    )
    session = response.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]  # what the __Host- prefix requires
    csrf = client.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"


def test_idle_timeout_is_at_most_thirty_minutes(production):
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE <= 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST


def test_a_cookie_replayed_after_logout_is_refused(db, client):
    user = PractitionerFactory()
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    stolen = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    client.cookies["sessionid"] = stolen
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_long_passwords_are_accepted_and_common_ones_refused(db):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    user = PractitionerFactory()
    validate_password("correct horse battery staple " * 2 + "2026-long!", user)  # longer than 64 characters
    with pytest.raises(ValidationError):
        validate_password("password1234", user)
