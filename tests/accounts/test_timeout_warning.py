"""The timeout warning's server side (issue 21): "Stay signed in" restarts the idle clock, signed-in
pages say how long is left, and the page someone lands on when their time ran out says why.

The browser side (the dialog, its focus and its countdown) is in tests/e2e/test_timeout_warning.py.
"""

import datetime as dt

import time_machine
from django.urls import reverse

from tests.conftest import NOW
from tests.factories import AdminFactory, PractitionerFactory

KEEP_ALIVE = reverse("session_keep_alive")
SIGNED_OUT = reverse("signed_out")
LOGIN = reverse("account_login")
# The session and its user read, the session saved again (an UPDATE inside a savepoint): nothing
# about any case.
QUERIES_KEEP_ALIVE = 5


def test_stay_signed_in_keeps_a_session_that_would_have_timed_out(db, client, settings):
    """Issue 21: '"Stay signed in" (extends the session)'. Idle for 25 minutes, then the keep-alive:
    35 minutes after the last page, past the 30-minute idle timeout, the person is still signed in."""
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    with time_machine.travel(NOW, tick=False) as traveller:
        client.force_login(PractitionerFactory())
        assert client.get("/cases/").status_code == 200
        traveller.shift(dt.timedelta(minutes=25))
        response = client.post(KEEP_ALIVE)
        assert response.status_code == 204
        assert response.content == b""
        assert response["Session-Seconds-Left"] == str(30 * 60)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/cases/").status_code == 200


def test_without_the_keep_alive_the_same_session_times_out(db, client):
    with time_machine.travel(NOW, tick=False) as traveller:
        client.force_login(PractitionerFactory())
        assert client.get("/cases/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/cases/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_keep_alive_cannot_carry_a_session_past_its_absolute_end(db, client, settings):
    """Near the 10-hour absolute lifetime the keep-alive says how little is left, not 30 minutes."""
    settings.SESSION_ABSOLUTE_SECONDS = 60 * 60
    with time_machine.travel(NOW, tick=False) as traveller:
        client.force_login(PractitionerFactory())
        client.get("/cases/")  # stamps when the session began
        traveller.shift(dt.timedelta(minutes=25))
        client.get("/cases/")
        traveller.shift(dt.timedelta(minutes=25))
        response = client.post(KEEP_ALIVE)
    assert response.status_code == 204
    assert response["Session-Seconds-Left"] == str(10 * 60)


def test_the_keep_alive_reads_nothing_but_the_session(db, client, django_assert_num_queries):
    client.force_login(PractitionerFactory())
    client.get("/cases/")
    with django_assert_num_queries(QUERIES_KEEP_ALIVE):
        assert client.post(KEEP_ALIVE).status_code == 204


def test_the_keep_alive_is_for_the_signed_in_only_and_only_by_post(db, client):
    response = client.post(KEEP_ALIVE)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    client.force_login(AdminFactory())
    assert client.get(KEEP_ALIVE).status_code == 405
    assert client.post(KEEP_ALIVE).status_code == 204


def test_signed_in_pages_carry_the_warning_with_the_time_left(db, client, settings):
    settings.SESSION_WARNING_SECONDS = 120
    client.force_login(PractitionerFactory())
    page = client.get("/cases/").content.decode()
    assert 'data-seconds-left="1800"' in page
    assert 'data-warning-seconds="120"' in page
    assert f'data-keep-alive-url="{KEEP_ALIVE}"' in page
    assert "You’re about to be signed out" in page
    assert "js/timeout-warning.js" in page


def test_the_sign_in_page_has_no_warning(db, client):
    page = client.get(LOGIN).content.decode()
    assert "data-timeout-warning" not in page
    assert "js/timeout-warning.js" not in page


def test_the_signed_out_page_says_why(db, client):
    """The brief's wording: 'You were signed out because you did nothing for N minutes'."""
    page = client.get(SIGNED_OUT).content.decode()
    assert "You were signed out because you did nothing for 30 minutes." in page
    assert f'href="{LOGIN}"' in page


def test_the_signed_out_page_sends_someone_still_signed_in_to_their_start_page(db, client):
    client.force_login(PractitionerFactory())
    response = client.get(SIGNED_OUT)
    assert response.status_code == 302 and response["Location"] == reverse("home")
