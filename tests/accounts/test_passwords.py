"""Passwords (ASVS 5.0 V6.2): long passphrases accepted whole, common and breached ones refused.

Tested through the real allauth pages: change, set (no password yet) and reset by emailed link.
"""

import gzip
import hashlib
import re

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core import mail
from django.core.checks import Tags, run_checks
from django.core.exceptions import ImproperlyConfigured, ValidationError

from cases.validators import BREACHED_MESSAGE, BreachedPasswordValidator, breached_list_contains
from tests.accounts.test_login import LOGIN
from tests.factories import PractitionerFactory
from tests.factories.cases import PASSWORD

CHANGE = "/accounts/password/change/"
SET = "/accounts/password/set/"
RESET = "/accounts/password/reset/"

PASSPHRASE_64 = "tidal river lanterns drift past the old mill at dusk in november"
PASSPHRASE_128 = (
    "a heron waits on the weir while seven copper kettles sing in the allotment shed "
    "and nobody remembers who planted the quince 2026"
)
# In breach corpora, and long enough for the length rule, yet absent from Django's common list.
BREACHED_NOT_COMMON = "correcthorsebatterystaple"
COMMON = "password1234"


def django_common_passwords() -> set[str]:
    with gzip.open(CommonPasswordValidator().DEFAULT_PASSWORD_LIST_PATH, "rt", encoding="utf-8") as f:
        return {line.strip() for line in f}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def change(client, user, new, old=PASSWORD):
    client.force_login(user)
    return client.post(CHANGE, {"oldpassword": old, "password1": new, "password2": new})


def signs_in(client, user, password) -> bool:
    client.logout()
    client.post(LOGIN, {"login": user.email, "password": password})
    return "_auth_user_id" in client.session


def test_the_passphrases_are_the_lengths_they_claim():
    assert (len(PASSPHRASE_64), len(PASSPHRASE_128)) == (64, 128)


@pytest.mark.parametrize("passphrase", [PASSPHRASE_64, PASSPHRASE_128], ids=["64", "128"])
def test_a_long_passphrase_is_accepted_and_used_whole(db, client, passphrase):
    user = PractitionerFactory()
    response = change(client, user, passphrase)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert signs_in(client, user, passphrase)
    # Nothing truncated it: the passphrase less its last character is a different password.
    assert not signs_in(client, user, passphrase[:-1])
    assert not signs_in(client, user, passphrase[:63])


def test_the_production_hasher_does_not_truncate_long_passwords(settings):
    """bcrypt without pre-hashing stops at 72 bytes; the service's default hasher does not."""
    from django.conf import global_settings

    from config.settings import base

    hashers = getattr(base, "PASSWORD_HASHERS", global_settings.PASSWORD_HASHERS)
    settings.PASSWORD_HASHERS = hashers
    assert "BCryptPasswordHasher" not in hashers[0]
    stored = make_password(PASSPHRASE_128)
    assert check_password(PASSPHRASE_128, stored)
    assert not check_password(PASSPHRASE_128[:72], stored)
    assert not check_password(PASSPHRASE_128[:-1], stored)


def test_a_common_password_is_refused_on_the_change_page(db, client):
    user = PractitionerFactory()
    response = change(client, user, COMMON)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content or b"error" in response.content
    assert b"This password is too common" in response.content
    assert signs_in(client, user, PASSWORD)


def test_the_example_is_breached_but_not_in_djangos_common_list():
    assert BREACHED_NOT_COMMON.lower() not in django_common_passwords()
    with pytest.raises(ValidationError) as refused:
        BreachedPasswordValidator().validate(BREACHED_NOT_COMMON)
    assert refused.value.messages == [BREACHED_MESSAGE]
    # Django's own validators alone would have let it through.
    validate_password(
        BREACHED_NOT_COMMON,
        password_validators=[CommonPasswordValidator()],
    )


def test_a_breached_password_is_refused_on_the_change_page_with_a_clear_message(db, client):
    user = PractitionerFactory()
    response = change(client, user, BREACHED_NOT_COMMON)
    assert response.status_code == 200
    assert b"This password has appeared in a data breach" in response.content
    assert signs_in(client, user, PASSWORD) and not signs_in(client, user, BREACHED_NOT_COMMON)


def test_a_breached_password_is_refused_on_the_set_password_page(db, client):
    user = PractitionerFactory()
    user.set_unusable_password()
    user.save()
    client.force_login(user)
    response = client.post(SET, {"password1": BREACHED_NOT_COMMON, "password2": BREACHED_NOT_COMMON})
    assert response.status_code == 200
    assert b"This password has appeared in a data breach" in response.content
    user.refresh_from_db()
    assert not user.has_usable_password()

    accepted = client.post(SET, {"password1": PASSPHRASE_64, "password2": PASSPHRASE_64})
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSPHRASE_64)


def _reset_link(client, user) -> str:
    client.post(RESET, {"email": user.email})
    (message,) = mail.outbox
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", message.body).group(1)


def test_a_breached_password_is_refused_when_resetting_by_email(db, client):
    user = PractitionerFactory()
    link = _reset_link(client, user)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link

    refused = client.post(action, {"password1": BREACHED_NOT_COMMON, "password2": BREACHED_NOT_COMMON})
    assert refused.status_code == 200
    assert b"This password has appeared in a data breach" in refused.content

    common = client.post(action, {"password1": COMMON, "password2": COMMON})
    assert b"This password is too common" in common.content

    accepted = client.post(action, {"password1": PASSPHRASE_128, "password2": PASSPHRASE_128})
    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSPHRASE_128)


def test_the_admin_cannot_give_a_user_a_breached_password_either(db):
    user = PractitionerFactory()
    with pytest.raises(ValidationError) as refused:
        validate_password(BREACHED_NOT_COMMON, user)
    assert BREACHED_MESSAGE in refused.value.messages


# The list and its look-up.


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest().upper()


def test_the_shipped_list_is_sorted_hibp_format_and_holds_djangos_list(settings):
    with open(settings.BREACHED_PASSWORDS_FILE, encoding="ascii") as f:
        lines = f.read().splitlines()
    assert len(lines) > 19_000
    assert all(re.fullmatch(r"[0-9A-F]{40}:\d+", line) for line in lines)
    hashes = [line[:40] for line in lines]
    assert hashes == sorted(hashes) and len(set(hashes)) == len(hashes)
    present = set(hashes)
    assert all(_sha1(p) in present for p in django_common_passwords())


def test_the_binary_search_finds_every_line_and_nothing_else(tmp_path):
    digests = sorted({_sha1(f"pw-{n}") for n in range(500)})
    path = tmp_path / "pwned.txt"
    # The Have I Been Pwned downloader writes CRLF line ends; a file may also lack a final newline.
    path.write_bytes("\r\n".join(f"{d}:{n + 1}" for n, d in enumerate(digests)).encode())
    assert all(breached_list_contains(path, d.encode()) for d in digests)
    absent = [_sha1(f"other-{n}") for n in range(300)] + ["0" * 40, "F" * 40]
    assert not any(breached_list_contains(path, d.encode()) for d in absent if d not in digests)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert not breached_list_contains(empty, digests[0].encode())


def test_the_list_is_a_setting_so_the_full_download_can_be_used(db, client, settings, tmp_path):
    phrase = "a perfectly ordinary council passphrase"
    path = tmp_path / "pwned-passwords-sha1-ordered-by-hash.txt"
    path.write_text(f"{_sha1(phrase)}:42\n")
    settings.BREACHED_PASSWORDS_FILE = str(path)
    user = PractitionerFactory()
    response = change(client, user, phrase)
    assert b"This password has appeared in a data breach" in response.content


def test_a_missing_list_stops_the_service_rather_than_letting_every_password_through(settings, tmp_path):
    settings.BREACHED_PASSWORDS_FILE = str(tmp_path / "missing.txt")
    with pytest.raises(ImproperlyConfigured):
        BreachedPasswordValidator().validate(PASSPHRASE_64)
    # Only the security checks: the model checks would need the database.
    assert "cases.E001" in [error.id for error in run_checks(tags=[Tags.security])]
