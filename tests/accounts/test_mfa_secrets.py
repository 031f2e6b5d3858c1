"""Authenticator secrets are encrypted at rest (issue finding 3).

The brief: "TOTP secrets and recovery seeds are encrypted at rest (a key from the environment,
rotated by a documented command); a database dump holds no usable secret."
"""

import importlib
import io

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from tests.factories import PractitionerFactory

encrypting = importlib.import_module("cases.migrations.0011_encrypt_authenticator_secrets")


def _code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def _stored(user) -> dict:
    return {a.type: a.data for a in Authenticator.objects.filter(user=user)}


@pytest.fixture
def enrolled(db):
    user = PractitionerFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).generate_codes()
    return user, secret, codes


def test_the_database_holds_no_usable_totp_secret_or_recovery_seed(enrolled):
    user, secret, codes = enrolled
    stored = _stored(user)
    dump = str(stored)
    assert secret not in dump
    assert not any(code in dump for code in codes)
    assert stored["totp"]["secret"].startswith("gAAAAA")  # a Fernet token
    assert stored["recovery_codes"]["seed"].startswith("gAAAAA")
    # ...and the service still reads them.
    totp = TOTP(Authenticator.objects.get(user=user, type="totp"))
    assert totp.validate_code(_code(secret))
    assert (
        RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).generate_codes() == codes
    )


def test_rotating_the_key_re_encrypts_every_secret(enrolled, settings):
    user, secret, codes = enrolled
    old = settings.MFA_ENCRYPTION_KEYS[0]
    new = Fernet.generate_key().decode()
    settings.MFA_ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_mfa_key", stdout=out)
    assert "2 authenticators re-encrypted" in out.getvalue()
    settings.MFA_ENCRYPTION_KEYS = [new]  # the old key is gone: everything still reads
    assert TOTP(Authenticator.objects.get(user=user, type="totp")).validate_code(_code(secret))
    assert (
        RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).generate_codes() == codes
    )


def test_secrets_stored_in_plain_text_before_are_encrypted_by_the_migration(db):
    user = PractitionerFactory()
    secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type="totp", data={"secret": secret})
    Authenticator.objects.create(user=user, type="recovery_codes", data={"seed": "ab" * 40, "used_mask": 0})
    encrypting.encrypt(apps, None)
    encrypting.encrypt(apps, None)  # twice does no harm: what is encrypted stays as it is
    stored = _stored(user)
    assert secret not in str(stored) and "ab" * 40 not in str(stored)
    assert TOTP(Authenticator.objects.get(user=user, type="totp")).validate_code(_code(secret))


def test_without_a_key_nothing_is_stored(db, settings):
    settings.MFA_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured, match="Set MFA_ENCRYPTION_KEYS"):
        TOTP.activate(PractitionerFactory(), generate_totp_secret())
    assert not Authenticator.objects.exists()
