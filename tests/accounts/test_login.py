"""Signing in: the demo logins, MFA for managers and admins, lock-out, disabled users."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.demo import DEMO_LOGINS, DEMO_PASSWORD
from cases.models import AccessLogEntry
from tests.factories import CaseFactory, ManagerFactory, PractitionerFactory
from tests.factories.cases import PASSWORD

# Managers and admins must enrol an authenticator here, as configured for production.
pytestmark = pytest.mark.mfa

LOGIN = "/accounts/login/"


@pytest.fixture
def demo(db, settings):
    settings.MFA_EXEMPT_EMAILS = [email for email, _ in DEMO_LOGINS]
    call_command("seed_demo", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("email", "start_page"),
    [
        ("practitioner@demo.local", "/today/"),
        ("practitioner2@demo.local", "/today/"),
        ("manager@demo.local", "/needs-you/"),
        ("agency@demo.local", "/assessments/shared/"),
        ("admin@demo.local", "/admin/"),
    ],
)
def test_each_demo_login_signs_in_and_lands_on_its_start_page(demo, client, email, start_page):
    response = client.post(LOGIN, {"login": email, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == start_page
    assert response.context["user"].email == email


def test_seed_demo_twice_duplicates_nothing(demo):
    from cases.models import Case, Person, User

    counts = (User.objects.count(), Case.objects.count(), Person.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), Case.objects.count(), Person.objects.count()) == counts


def test_wrong_password_is_refused_with_a_gov_uk_error(db, client):
    user = PractitionerFactory()
    response = client.post(LOGIN, {"login": user.email, "password": "not-the-password"})
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert user.email.encode() in response.content  # what was typed is kept


def test_an_account_locks_after_five_failed_logins(db, client):
    user = PractitionerFactory()
    for _ in range(5):
        client.post(LOGIN, {"login": user.email, "password": "wrong-password-123"})
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


def test_session_key_changes_at_login(db, client):
    user = PractitionerFactory()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert client.session.session_key != before


def test_managers_must_set_up_an_authenticator_before_anything_else(db, client):
    manager = ManagerFactory()
    client.force_login(manager)
    response = client.get("/cases/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_mfa_can_be_required_for_everyone(db, client, settings):
    settings.MFA_REQUIRED_FOR_ALL = True
    client.force_login(PractitionerFactory())
    assert client.get("/cases/")["Location"] == reverse("mfa_activate_totp")


def test_practitioners_are_not_asked_for_mfa_by_default(db, client):
    client.force_login(PractitionerFactory())
    assert client.get("/cases/").status_code == 200


def test_a_disabled_user_is_signed_out_at_their_next_request(db, client):
    user = PractitionerFactory()
    client.force_login(user)
    user.is_active = False
    user.save()
    response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


def test_nobody_can_sign_themselves_up(db, client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.test", "password1": "Long-pass-2026!", "password2": "Long-pass-2026!"},
    )
    from cases.models import User

    assert not User.objects.filter(email="new@example.test").exists()
    assert response.status_code == 200


def test_viewing_a_case_writes_the_access_log(db, client):
    case = CaseFactory()
    client.force_login(case.lead_practitioner)
    client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk}))
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.case, entry.what) == (case.lead_practitioner, case, "case")


def test_not_found_page_leaks_nothing(db, client):
    client.force_login(PractitionerFactory())
    response = client.get("/cases/999999/?secret=<b>x</b>")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"999999" not in response.content and b"secret" not in response.content


def test_signed_in_pages_are_not_cached(db, client):
    client.force_login(PractitionerFactory())
    assert client.get("/cases/")["Cache-Control"] == "no-store, private"


def test_an_n_plus_one_query_on_a_page_fails_the_suite(db, client, settings):
    """The detector is live: a view that loads a relation per row raises."""
    import zeal
    from django.test import RequestFactory

    from tests.n_plus_one import NPlusOneMiddleware

    cases = [CaseFactory() for _ in range(3)]

    def careless_view(request):
        from cases.models import Case

        return [case.team.name for case in Case.objects.filter(pk__in=[c.pk for c in cases])]

    with pytest.raises(zeal.NPlusOneError):
        NPlusOneMiddleware(careless_view)(RequestFactory().get("/cases/"))
