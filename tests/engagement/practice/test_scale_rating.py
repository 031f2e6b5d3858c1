"""A quick safety scale rating from the case page: who rated, the number and why, on its own.

The guidance (North Yorkshire Practitioner Toolkit, seeds 002 and 003):

    "Scaling – once the statements are mapped out, the worker is required to exercise their
    professional judgement by using the Safety Scale which asks the question, on a scale of 0 – 10
    where 0 means that recurrence of similar or worse abuse or neglect is certain and 10 means that
    there is sufficient safety to close the case, where would you rate yourself? ... when asking
    for a number the skills of the facilitator/worker are vital in clarifying: how they have
    arrived at that number?"

    "It can also be used in relation to any judgement as part of a visit"

    "Safety Scale: On a scale of 0 – 10 ... where do we rate the situation? Place different
    people's numbers on the continuum"

So a rating is a number from 0 to 10, in one named person's name (a family member's or a
professional's), with how they arrived at it; it can be given at a visit, without a whole map.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from engagement.practice import services
from engagement.practice.models import RaterKind, SafetyMapping, ScaleRating
from tests.factories import AgencyMemberFactory, CaseMembershipFactory, ScaleRatingFactory

from .conftest import TODAY


def url(name, case):
    return reverse(name, kwargs={"case_pk": case.pk})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


GOOD = {
    "rater_name": "Kelly Taylor",
    "rater_kind": RaterKind.FAMILY,
    "rater_role": "mother",
    "rating": "6",
    "reason": "Mia has been at school every day this week.",
}


class TestTheForm:
    def test_is_five_fields_not_the_map(self, lead_client, case):
        html = text(lead_client.get(url("practice:scale_rating_new", case)))
        names = set(re.findall(r'<(?:input|textarea|select)[^>]* name="([a-z_]+)"', html)) - {
            "csrfmiddlewaretoken",
            "submit",
        }
        assert names == {"rater_name", "rater_kind", "rater_role", "rating", "reason"}
        assert "where do we rate the situation?" in html
        assert html.count('type="radio" name="rating"') == 11

    def test_saves_one_record_and_goes_back_to_the_case(self, lead_client, case, lead):
        response = lead_client.post(url("practice:scale_rating_new", case), GOOD)
        assert response.status_code == 302
        assert response["Location"] == url("cases:case_detail", case) + "#safety-scale"
        rating = ScaleRating.objects.get(case=case)
        assert (rating.rater_name, rating.rater_role, rating.rater_kind) == (
            "Kelly Taylor",
            "mother",
            "family",
        )
        assert (rating.rating, rating.rated_on, rating.recorded_by) == (6, TODAY, lead)
        assert rating.reason == GOOD["reason"]
        assert rating.history.count() == 1
        assert not SafetyMapping.objects.exists()  # the full map stays separate

    def test_errors_say_what_to_do_and_keep_what_was_typed(self, lead_client, case):
        response = lead_client.post(
            url("practice:scale_rating_new", case), {"rater_name": "Sam Okafor", "reason": "Partly typed"}
        )
        html = text(response)
        assert response.status_code == 200
        assert "govuk-error-summary" in html
        assert "Select whether they are a family member or a professional" in html
        assert "Select the rating, from 0 to 10" in html
        assert 'value="Sam Okafor"' in html and "Partly typed" in html
        assert not ScaleRating.objects.exists()

    def test_a_number_off_the_scale_is_refused(self, lead_client, case):
        response = lead_client.post(url("practice:scale_rating_new", case), {**GOOD, "rating": "11"})
        assert "govuk-error-summary" in text(response)
        assert not ScaleRating.objects.exists()

    def test_why_is_required(self, lead_client, case):
        response = lead_client.post(url("practice:scale_rating_new", case), {**GOOD, "reason": "  "})
        assert "Enter why they gave this number" in text(response)
        assert not ScaleRating.objects.exists()


class TestTheService:
    def test_a_closed_case_takes_no_more_ratings(self, case, lead):
        case.status = "closed"
        case.closed_on = TODAY
        case.save()
        with pytest.raises(services.PracticeToolError, match="closed"):
            services.scale_rating_record(
                case=case, by=lead, rater_name="A", rater_kind=RaterKind.FAMILY, rating=3, reason="x"
            )

    def test_someone_not_working_on_the_case_cannot_rate(self, case):
        member = AgencyMemberFactory()
        CaseMembershipFactory(case=case, user=member)
        with pytest.raises(services.PracticeToolError):
            services.scale_rating_record(
                case=case, by=member, rater_name="A", rater_kind=RaterKind.FAMILY, rating=3, reason="x"
            )


class TestWhereRatingsShow:
    def test_the_case_page_shows_the_latest_with_who_and_why(self, lead_client, case, frozen):
        for n in range(5):
            ScaleRatingFactory(case=case, rater_name=f"Rater {n}", rating=n, reason=f"Reason {n}")
        html = text(lead_client.get(url("cases:case_detail", case)))
        section = html.split('id="case-sections-heading-safety"')[1]
        assert "Add a safety scale rating" in section
        # The three newest on the case page; every one on the safety page.
        assert "Rater 4" in section and "Rater 2" in section and "Rater 1" not in section
        assert "Reason 4" in section
        safety = text(lead_client.get(url("practice:safety", case)))
        assert all(f"Rater {n}" in safety for n in range(5))

    def test_each_rating_is_in_the_history_of_the_practice_tools(self, lead_client, case, lead):
        services.scale_rating_record(
            case=case,
            by=lead,
            rater_name="Dean Taylor",
            rater_kind=RaterKind.FAMILY,
            rating=4,
            reason="Calmer",
        )
        html = text(lead_client.get(url("practice:overview", case)))
        history = html.split(">History of the practice tools<")[1]
        assert "Safety scale" in history and escape("Dean Taylor rated the situation 4 out of 10") in history

    def test_the_safety_page_lists_any_number_in_the_same_queries(
        self, lead_client, case, django_assert_num_queries
    ):
        ScaleRatingFactory(case=case)
        page = url("practice:safety", case)
        lead_client.get(page)
        with CaptureQueriesContext(connection) as one:
            lead_client.get(page)
        ScaleRatingFactory.create_batch(50, case=case)
        with django_assert_num_queries(len(one)):
            html = text(lead_client.get(page))
        assert html.count('id="scale-rating-') == 51
