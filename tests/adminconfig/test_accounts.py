"""No one takes over another account (issue findings 2 and 16).

The architecture's access table: an admin "cannot set a password or read an authenticator". Admins
disable an account, require a new password (the user sets it from an emailed link) and reset the
authenticator app (the user sets up a new one at their next sign-in); each is in the security log
with who did it.
"""

import pytest
from allauth.mfa import signals
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib import admin
from django.core import mail
from django.urls import NoReverseMatch, reverse

from tests.factories import PractitionerFactory
from tests.factories.cases import PASSWORD
from tests.security_log import security_messages

from .conftest import form_data

CHANGELIST = reverse("admin:cases_user_changelist")


def _act(client, action, *users):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [u.pk for u in users]}, follow=True)


@pytest.fixture
def person(db):
    user = PractitionerFactory(email="pat.person@example.test")
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    return user


def test_the_admin_cannot_set_a_password(admin_client, person):
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    assert admin_client.get(url).status_code == 404
    assert (
        admin_client.post(url, {"password1": "Taken-over-2026", "password2": "Taken-over-2026"}).status_code
        == 404
    )
    person.refresh_from_db()
    assert person.check_password(PASSWORD)
    page = admin_client.get(reverse("admin:cases_user_change", args=[person.pk])).content.decode()
    assert "password/" not in page and "pbkdf2" not in page and "md5$" not in page


@pytest.mark.parametrize("model", ["mfa_authenticator", "account_emailaddress", "auth_group"])
def test_no_admin_page_reads_or_edits_an_authenticator_or_a_sign_in_email(model):
    assert not any(f"{m._meta.app_label}_{m._meta.model_name}" == model for m in admin.site._registry)
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:{model}_changelist")


def test_requiring_a_new_password_emails_a_link_and_is_logged(admin_client, admin_user, person, security_log):
    mail.outbox.clear()
    response = _act(admin_client, "require_password_reset", person)
    assert "emailed a link" in response.content.decode()
    person.refresh_from_db()
    assert not person.check_password(PASSWORD)  # the old password no longer signs them in
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert f"password reset required by an admin: user={person.pk} by={admin_user.pk}" in " ".join(
        security_messages(security_log)
    )


def test_resetting_the_authenticator_removes_it_and_is_logged(admin_client, admin_user, person, security_log):
    _act(admin_client, "reset_authenticator", person)
    assert not Authenticator.objects.filter(user=person).exists()
    assert f"authenticator reset by an admin: user={person.pk} by={admin_user.pk}" in " ".join(
        security_messages(security_log)
    )
    response = _act(admin_client, "reset_authenticator", person)
    assert "has no authenticator app set up: there is nothing to reset" in response.content.decode()


def test_disabling_an_account_is_logged(admin_client, admin_user, person, security_log):
    _act(admin_client, "disable", person)
    person.refresh_from_db()
    assert not person.is_active
    assert f"account disabled: user={person.pk} by={admin_user.pk}" in " ".join(
        security_messages(security_log)
    )


def test_an_admin_cannot_act_on_their_own_account_here(admin_client, admin_user):
    response = _act(admin_client, "require_password_reset", admin_user)
    assert (
        "You cannot reset the password of your own account here: ask another admin"
        in response.content.decode()
    )
    admin_user.refresh_from_db()
    assert admin_user.has_usable_password()


def test_an_email_change_by_the_admin_is_logged(admin_client, admin_user, person, security_log):
    url = reverse("admin:cases_user_change", args=[person.pk])
    data = form_data(admin_client.get(url)) | {"email": "pat.new@example.test"}
    assert admin_client.post(url, data).status_code == 302
    assert f"email changed by an admin: user={person.pk} by={admin_user.pk}" in " ".join(
        security_messages(security_log)
    )


def test_setting_up_an_authenticator_app_is_logged(db, security_log):
    """Finding 16: TOTP activation reaches the security log."""
    user = PractitionerFactory()
    authenticator = TOTP.activate(user, generate_totp_secret()).instance
    signals.authenticator_added.send(
        sender=Authenticator, request=None, user=user, authenticator=authenticator
    )
    assert f"authenticator added (totp): user={user.pk} by={user.pk}" in " ".join(
        security_messages(security_log)
    )
