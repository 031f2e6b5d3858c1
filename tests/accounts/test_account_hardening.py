"""Accounts hardened: the sign-in email, pages open before MFA enrolment, reset mail, sessions.

Every user of this service is staff. Their sign-in email is changed by an admin, never by the
user: a stolen password alone must not be enough to move an account to another address and
lock its owner out.
"""

import datetime as dt
import logging

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage import default_storage
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import NOW
from tests.factories import ManagerFactory, PractitionerFactory
from tests.factories.cases import PASSWORD

LOGIN = "/accounts/login/"


def test_a_user_cannot_change_their_own_sign_in_email(db, client):
    """With the password alone, someone must not be able to move the account to their address."""
    user = PractitionerFactory(email="priya@example.test")
    client.force_login(user)
    assert client.get("/accounts/email/").status_code == 404
    client.post("/accounts/email/", {"action_add": "", "email": "taker@example.test"})
    client.post("/accounts/email/", {"action_primary": "", "email": "taker@example.test"})
    user.refresh_from_db()
    assert user.email == "priya@example.test"


def test_an_admins_change_of_a_sign_in_email_is_logged_and_the_old_address_told(
    db, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.INFO, logger="security")
    user = PractitionerFactory(email="priya@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        user.email = "priya.patel@example.test"
        user.save()
    assert [message.to for message in mail.outbox] == [["priya@example.test"]]
    assert "priya.patel@example.test" not in mail.outbox[0].body  # the new address is not sent out
    assert f"sign-in email changed: user={user.pk}" in [r.getMessage() for r in caplog.records]


def test_after_an_admin_changes_the_email_only_the_new_one_signs_in(db, client):
    user = PractitionerFactory(email="priya@example.test")
    client.post(LOGIN, {"login": "priya@example.test", "password": PASSWORD})  # allauth records it
    client.post(reverse("account_logout"))
    user.email = "priya.patel@example.test"
    user.save()
    client.post(LOGIN, {"login": "priya@example.test", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    client.post(LOGIN, {"login": "priya.patel@example.test", "password": PASSWORD})
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_saving_a_user_without_changing_the_email_tells_nobody(db, django_capture_on_commit_callbacks):
    user = PractitionerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        user.full_name = "Priya Patel-Jones"
        user.save()
    assert mail.outbox == []


@pytest.mark.mfa
@pytest.mark.parametrize(
    "path",
    ["/accounts/password/change/", "/accounts/email/", "/accounts/2fa/", "/accounts/2fa/recovery-codes/"],
)
def test_before_enrolment_nothing_under_accounts_but_enrolment_and_sign_out_is_reachable(db, client, path):
    client.force_login(ManagerFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.mfa
def test_before_enrolment_a_manager_can_enrol_or_sign_out(db, client):
    client.force_login(ManagerFactory())
    # allauth asks for the password again before enrolment when the sign-in was not just now.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain in (
        [],
        [(reverse("account_reauthenticate") + "?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F", 302)],
    )
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_reset_request_for_an_unknown_address_sends_no_mail(db, client):
    """Mail to any address typed would let anyone use the service to send mail to strangers."""
    response = client.post(reverse("account_reset_password"), {"email": "stranger@example.test"})
    assert response.status_code == 302  # the same answer as for a known address
    assert mail.outbox == []


def test_a_reset_request_for_a_known_address_still_sends_the_link(db, client):
    user = PractitionerFactory()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_messages_naming_people_are_kept_out_of_cookies(db):
    """A signed cookie is readable by whoever holds it: names stay on the server."""
    request = RequestFactory().get("/")
    request.session = _session()
    request._messages = default_storage(request)
    messages.success(request, "Priya Patel is now the lead practitioner for the Okafor family.")
    response = HttpResponse()
    request._messages.update(response)
    assert "messages" not in response.cookies
    assert [str(m) for m in default_storage(request)] == [
        "Priya Patel is now the lead practitioner for the Okafor family."
    ]


def _session():
    from importlib import import_module

    from django.conf import settings

    return import_module(settings.SESSION_ENGINE).SessionStore()


def test_a_session_ends_after_its_absolute_lifetime_however_busy(db, client, settings):
    """Activity keeps a session alive for at most SESSION_ABSOLUTE_SECONDS (10 hours)."""
    assert settings.SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60
    user = PractitionerFactory()
    with time_machine.travel(NOW, tick=False) as traveller:
        client.force_login(user)
        # Busy all day: a page every 20 minutes, well inside the 30-minute idle timeout.
        for _ in range(29):
            assert client.get("/cases/").status_code == 200
            traveller.shift(dt.timedelta(minutes=20))
        assert client.get("/cases/").status_code == 200  # 9 hours 40 minutes in
        traveller.shift(dt.timedelta(minutes=21))
        response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_a_session_signed_in_again_starts_a_new_lifetime(db, client, settings):
    user = PractitionerFactory()
    with time_machine.travel(NOW, tick=False) as traveller:
        client.force_login(user)
        client.get("/cases/")
        traveller.shift(dt.timedelta(hours=10, minutes=1))
        client.get("/cases/")  # signed out
        client.force_login(user)
        assert client.get("/cases/").status_code == 200
