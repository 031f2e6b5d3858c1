"""The MFA pages in GOV.UK style: setting up the authenticator app, the code at sign-in, the
recovery codes and the check that it is really you (allauth's views, this service's templates).

Issue 20: "MFA in GOV.UK style: sentence-case headings, a one-time-code input
(`autocomplete="one-time-code"`, numeric keypad), an error summary, clear next steps after
recovery codes, and a plain explanation of any re-authentication."
"""

import re

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core.cache import cache
from django.urls import reverse

from tests.factories import ManagerFactory, PractitionerFactory
from tests.factories.cases import PASSWORD

pytestmark = pytest.mark.mfa

LOGIN = "/accounts/login/"
ENTER_THE_CODE = "Enter the 6-digit code from your authenticator app"
NOT_RIGHT = "The code is not right: check you are using the authenticator app set up for this service"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()  # allauth's rate limits and used codes live in the cache


def _code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, next(iter(yield_hotp_counters_from_time()))))


def _code_input(html: str) -> str:
    match = re.search(r'<input[^>]*name="code"[^>]*>', html, re.S)
    assert match, "no code input"
    return match.group(0)


def assert_one_time_code_input(html: str) -> None:
    box = _code_input(html)
    for attribute in (
        'autocomplete="one-time-code"',
        'inputmode="numeric"',
        'pattern="[0-9]*"',
        'type="text"',
        "govuk-input--width-10",
    ):
        assert attribute in box, f"{attribute} missing from {box}"
    assert 'for="id_code"' in html and 'id="id_code"' in box  # labelled


def assert_error(html: str, message: str) -> None:
    """A GOV.UK error summary linking to the box, the same message at the box, "Error: " in the title."""
    summary = re.search(r'<div class="govuk-error-summary".*?</div>\s*</div>\s*</div>', html, re.S)
    assert summary, "no error summary"
    assert "There is a problem" in summary.group(0)
    assert '<a href="#id_code">' + message in summary.group(0)
    assert "govuk-form-group--error" in html and "govuk-input--error" in _code_input(html)
    assert re.search(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span> '
        + re.escape(message),
        html,
    )
    assert "<title>Error: " in html


@pytest.fixture
def enrolled(db):
    user = ManagerFactory()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return user, secret


def _signed_in_with_password(client, user):
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})


def _at_setup(client, manager):
    """Signed in and past the password check allauth asks before enrolment."""
    client.post(LOGIN, {"login": manager.email, "password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    if response.status_code == 302:
        client.post(response["Location"], {"password": PASSWORD})
        response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    return response


def test_the_code_prompt_at_sign_in_is_a_one_time_code_question(client, enrolled):
    user, _ = enrolled
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_authenticate")
    html = response.content.decode()
    # The label is the page's heading (the GOV.UK question page), in sentence case.
    assert re.search(
        r'<h1 class="govuk-label-wrapper">\s*<label class="govuk-label govuk-label--l" for="id_code">Enter the code from your authenticator app</label>',
        html,
    )
    assert "Two-Factor Authentication" not in html and "Sign In" not in html
    assert_one_time_code_input(html)
    assert "recovery codes" in html  # what to do without the phone
    assert ">Continue</button>" in html


def test_an_empty_code_at_sign_in_says_what_to_enter(client, enrolled):
    user, _ = enrolled
    _signed_in_with_password(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": ""})
    assert response.status_code == 200
    assert_error(response.content.decode(), ENTER_THE_CODE)
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_at_sign_in_says_what_to_check_and_keeps_what_was_typed(client, enrolled):
    user, _ = enrolled
    _signed_in_with_password(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    html = response.content.decode()
    assert_error(html, NOT_RIGHT)
    assert "Incorrect code." not in html
    assert 'value="123456"' in _code_input(html)
    assert "_auth_user_id" not in client.session


def test_the_right_code_signs_in(client, enrolled):
    user, secret = enrolled
    _signed_in_with_password(client, user)
    response = client.post(reverse("mfa_authenticate"), {"code": _code(secret)})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_setting_up_the_app_is_a_gov_uk_page_with_the_code_box(client, db):
    response = _at_setup(client, ManagerFactory())
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Set up your authenticator app</h1>' in html
    assert "Activate Authenticator App" not in html
    assert 'alt="QR code to scan with your authenticator app"' in html
    assert "I cannot scan the QR code" in html  # the setup key, for an app that cannot scan
    assert_one_time_code_input(html)


def test_a_wrong_or_missing_code_when_setting_up_says_what_to_do(client, db):
    manager = ManagerFactory()
    _at_setup(client, manager)
    assert_error(client.post(reverse("mfa_activate_totp"), {"code": ""}).content.decode(), ENTER_THE_CODE)
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert_error(response.content.decode(), NOT_RIGHT)
    assert not manager.authenticator_set.exists()


def test_after_setting_up_the_recovery_codes_say_what_to_do_next(client, db):
    manager = ManagerFactory()
    _at_setup(client, manager)
    secret = client.session["mfa.totp.secret"]
    response = client.post(reverse("mfa_activate_totp"), {"code": _code(secret)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Your recovery codes</h1>' in html
    assert html.count("<li><code>") == 10
    assert "Keep these codes somewhere safe" in html
    assert re.search(
        r'<a href="/" role="button" draggable="false" class="govuk-button"[^>]*>Continue</a>', html
    )
    # The home page is then open to the manager: enrolment is complete.
    assert client.get("/").status_code in (200, 302)
    assert client.get("/cases/").status_code == 200


def test_the_password_check_before_setting_up_explains_why(client, db):
    """An older sign-in is asked for the password again before enrolment ("Confirm Access" was
    all allauth said)."""
    client.force_login(ManagerFactory())
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Confirm it is you</h1>' in html
    assert "Confirm Access" not in html
    assert "we check it is really you first, even though you are signed in" in html
    assert 'autocomplete="current-password"' in html
    wrong = client.post(response.redirect_chain[-1][0], {"password": "not-the-password"})
    assert "govuk-error-summary" in wrong.content.decode()


def test_the_code_check_for_someone_enrolled_explains_why_and_asks_for_the_code(client, enrolled):
    user, _ = enrolled
    client.force_login(user)
    response = client.get(reverse("mfa_reauthenticate"))
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Confirm it is you</h1>' in html
    assert "we check it is really you first" in html
    assert_one_time_code_input(html)
    assert_error(client.post(reverse("mfa_reauthenticate"), {"code": ""}).content.decode(), ENTER_THE_CODE)


def test_practitioners_without_mfa_see_none_of_this(client, db):
    client.force_login(PractitionerFactory())
    assert client.get("/cases/").status_code == 200
