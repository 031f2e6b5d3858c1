"""Logs hold no passwords, tokens or case text (ASVS 5.0 V16.2).

Two layers: the app never logs them (every record raised during a wrong login, a password reset
and a case view is read back), and whatever reaches a handler configured by the real settings
passes through the redacting filter (its output is read back too).
"""

import io
import logging
import logging.config
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from cases.audit import REDACTED, RedactingFilter, redact
from config.settings import base
from tests.factories import CaseFactory, ChildFactory, PractitionerFactory

LOGIN = "/accounts/login/"
WRONG_PASSWORD = "Wrong-Passphrase-Zebra-4471"
NEW_PASSWORD = "violet harbour umbrellas sing at noon 8812"
CASE_TEXT = "Zanzibar-quokka disclosure about the kitchen knife"
CHILD_NAME = "Persephone Quillfeather"


@pytest.fixture
def production_handler():
    """A handler built from the real LOGGING setting, writing to a buffer, on the root logger."""
    stream = io.StringIO()
    config = {**base.LOGGING, "handlers": {**base.LOGGING["handlers"]}}
    config["handlers"]["console"] = {**config["handlers"]["console"], "stream": stream}
    config["disable_existing_loggers"] = False
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    logging.config.dictConfig({**config, "incremental": False})
    # dictConfig replaced the root's handlers; keep pytest's capture handlers alongside.
    for handler in saved_handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    for handler in list(root.handlers):
        if handler not in saved_handlers:
            root.removeHandler(handler)
    root.setLevel(saved_level)


def _reset(client, user):
    client.post("/accounts/password/reset/", {"email": user.email})
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", body).group(1)
    key = link.rstrip("/").rsplit("/", 1)[1]
    page = client.get(link, follow=True)
    action = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(action, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    return key


def test_no_password_token_or_case_text_reaches_any_log(db, client, caplog, production_handler):
    cache.clear()
    caplog.set_level(logging.DEBUG)
    user = PractitionerFactory()
    case = CaseFactory(lead_practitioner=user, referral_reason=CASE_TEXT)
    ChildFactory(case=case, full_name=CHILD_NAME)

    client.post(LOGIN, {"login": user.email, "password": WRONG_PASSWORD})
    key = _reset(client, user)
    client.post(LOGIN, {"login": user.email, "password": NEW_PASSWORD})
    session_id = client.cookies["sessionid"].value
    page = client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk}))
    assert CASE_TEXT.encode() in page.content  # the text was really shown
    # A refusal and a not-found are logged: they too must carry none of it.
    client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk + 1000}))
    client.get(f"/accounts/password/reset/key/{key}/")

    secrets = [WRONG_PASSWORD, NEW_PASSWORD, key, session_id, CASE_TEXT, CHILD_NAME]
    assert caplog.records, "the scenario logs something (a failed login at least)"
    for record in caplog.records:
        text = " ".join(
            [record.getMessage(), str(record.args or ""), record.exc_text or "", str(record.__dict__)]
        )
        leaked = [s for s in secrets if s in text]
        assert not leaked, f"{record.name}: {record.getMessage()!r} holds {leaked}"
    written = production_handler.getvalue()
    assert "login failed" in written  # the handler really received the records
    assert not [s for s in secrets if s in written]
    cache.clear()


def test_every_handler_in_the_settings_redacts():
    for name, handler in base.LOGGING["handlers"].items():
        assert "redact" in handler.get("filters", []), f"handler {name} does not redact"
    assert base.LOGGING["filters"]["redact"]["()"] == "cases.audit.RedactingFilter"


@pytest.mark.parametrize(
    ("message", "secret"),
    [
        ("login attempt password=%s", "Hunter2-Hunter2"),
        ("payload %s", "{'password1': 'Hunter2-Hunter2', 'login': 'a@b.test'}"),
        ("header Authorization: Bearer %s", "eyJhbGciOiJIUzI1NiJ9.payload.sig"),
        ("GET %s 200", "/accounts/password/reset/key/3-cq0dkb-1a2b3c4d5e6f/"),
        ("cookie %s", "sessionid=abcdef0123456789abcdef0123456789"),
        ("form %s", "csrfmiddlewaretoken=Zx9Zx9Zx9&login=a@b.test"),
        ("json %s", '{"token": "tok_live_123456", "ok": true}'),
        ("mfa %s", "recovery_code=8f7e6d5c"),
    ],
)
def test_the_filter_redacts_secrets_however_they_are_logged(message, secret):
    record = logging.LogRecord("any", logging.WARNING, __file__, 1, message, (secret,), None)
    RedactingFilter().filter(record)
    out = record.getMessage()
    assert REDACTED in out
    for part in re.findall(
        r"Hunter2-Hunter2|eyJ\S+|1a2b3c4d5e6f|abcdef0123456789\w+|Zx9Zx9Zx9|tok_live_\d+|8f7e6d5c", secret
    ):
        assert part not in out


def test_the_filter_redacts_tracebacks(db):
    try:
        raise ValueError("could not save password=Hunter2-Hunter2")
    except ValueError:
        import sys

        record = logging.LogRecord("any", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    RedactingFilter().filter(record)
    assert "Hunter2" not in record.exc_text and REDACTED in record.exc_text


def test_the_filter_leaves_ordinary_messages_alone():
    assert redact("access denied: user=4 what=case (view) id=12") == (
        "access denied: user=4 what=case (view) id=12"
    )
