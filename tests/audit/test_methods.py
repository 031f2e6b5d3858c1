"""Each view accepts only the methods it is for, and a page of case content is logged whatever the method.

The issue: "a POST to a page that only shows answers 405", and "every response that shows case
content writes the access log whatever its method".
"""

from django.urls import reverse

from cases.http import accepts, http_methods
from cases.models import AccessLogEntry


def test_a_post_to_a_page_that_only_shows_answers_405_and_writes_nothing(world, client):
    client.force_login(world.users["lead"])
    url = reverse("cases:case_detail", kwargs={"case_pk": world.case.pk})
    rows = AccessLogEntry.objects.count()
    response = client.post(url)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert AccessLogEntry.objects.count() == rows  # no page was shown


def test_a_get_of_an_action_answers_405(world, client):
    client.force_login(world.users["lead"])
    url = reverse("riskassessment:assessment_start", kwargs={"case_pk": world.case.pk})
    assert client.get(url).status_code == 405


def test_a_post_answered_with_the_form_again_is_logged(world, client):
    """The form and its errors show the case again: one access-log row, as a GET of it writes."""
    lead = world.users["lead"]
    client.force_login(lead)
    url = reverse("cases:case_edit", kwargs={"case_pk": world.case.pk})
    response = client.post(url, {"family_name": ""})
    assert response.status_code == 200
    (row,) = AccessLogEntry.objects.filter(user=lead, case=world.case)
    assert row.path == url and not row.denied


def test_the_declared_methods_are_read_from_the_view():
    @accepts("get", "post")
    def page(request):
        raise AssertionError("not called")

    assert http_methods(page) == {"GET", "POST"}
    assert http_methods(lambda request: None) == frozenset()
