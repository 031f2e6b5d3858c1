"""Every action row has a review date, and an assessment has a plan before it is submitted.

Knowsley's Appendix 2 (000) gives both action tables four columns:
"What needs to happen (to reduce risk/increase engagement) | Who will do | By when | Review date"
and "Management oversight :What action | Who will do | By when | Review date".
The sweep's reminders on those dates are tested in tests/flowchart/test_assessment_reviews.py.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from riskassessment import services
from riskassessment.models import Action, ActionKind, AssessmentStatus
from riskassessment.services import AssessmentError
from tests.factories import ActionFactory

from .conftest import fill


def _url(name, assessment):
    return reverse(f"riskassessment:{name}", kwargs={"case_pk": assessment.case_id, "pk": assessment.pk})


def _date(prefix, value):
    if value is None:
        return {f"{prefix}_0": "", f"{prefix}_1": "", f"{prefix}_2": ""}
    return {f"{prefix}_0": str(value.day), f"{prefix}_1": str(value.month), f"{prefix}_2": str(value.year)}


def _row(prefix, i, *, what, who, by_when, review_on, pk=""):
    return {
        f"{prefix}-{i}-id": str(pk),
        f"{prefix}-{i}-what": what,
        f"{prefix}-{i}-who": who,
        **_date(f"{prefix}-{i}-by_when", by_when),
        **_date(f"{prefix}-{i}-review_on", review_on),
    }


def _version(client, url) -> str:
    tag = re.search(r"<input[^>]*record_version[^>]*>", client.get(url).content.decode()).group(0)
    return re.search(r'value="(\d+)"', tag).group(1)


def _add_action(client, draft, *, what, who, by_when, review_on, typed=None):
    """Post the "Add an action" page as the browser does (the draft has one action already);
    `typed` overrides single inputs, as a half-typed date. Returns the response."""
    url = _url("assessment_action_add", draft)
    row = _row("plan", 0, what=what, who=who, by_when=by_when, review_on=review_on)
    data = {key.removeprefix("plan-0-"): value for key, value in row.items() if key != "plan-0-id"}
    return client.post(url, data | {"record_version": _version(client, url)} | (typed or {}))


def test_the_action_page_asks_for_the_review_date_and_keeps_what_was_typed(client, family, draft):
    client.force_login(family.lead)
    before = Action.objects.count()

    response = _add_action(
        client,
        draft,
        what="Weekly text to the mother",
        who="Priya",
        by_when=dt.date(2026, 12, 4),
        review_on=None,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_review_on_0">Action 2: enter the review date for action 2</a>' in html
    # What was typed comes back: the text, and the date as typed.
    assert "Weekly text to the mother" in html
    assert 'name="by_when_0" value="4"' in html

    early = {"by_when": dt.date(2026, 12, 10), "review_on": dt.date(2026, 12, 9)}
    html = _add_action(client, draft, what="Ask the health visitor to call", who="Health visitor", **early)
    html = html.content.decode()

    assert "The review date for action 2 must be on or after the date it must be done by" in html
    assert "Ask the health visitor to call" in html
    assert 'name="review_on_0" value="9"' in html
    assert Action.objects.count() == before


def test_a_half_typed_review_date_names_the_row(client, family, draft):
    client.force_login(family.lead)
    typed = {"by_when": dt.date(2026, 12, 4), "review_on": dt.date(2026, 12, 18)}

    response = _add_action(client, draft, what="Weekly text", who="Priya", **typed, typed={"review_on_1": ""})

    html = response.content.decode()
    assert "Action 2: enter the review date for action 2" in html
    assert 'name="review_on_0" value="18"' in html


def test_the_oversight_page_asks_for_the_review_date_of_each_oversight_action(client, family, submitted):
    client.force_login(family.manager)
    data = {
        "oversight-TOTAL_FORMS": "1",
        "oversight-INITIAL_FORMS": "0",
        **_row(
            "oversight",
            0,
            what="Discuss in supervision",
            who="Morgan",
            by_when=dt.date(2026, 12, 2),
            review_on=None,
        ),
        "then": "save",
    }

    response = client.post(_url("assessment_oversight", submitted), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter the review date for oversight action 1" in html
    assert "Discuss in supervision" in html
    assert not submitted.actions.filter(kind=ActionKind.OVERSIGHT).exists()


def test_submit_needs_at_least_one_action_in_what_needs_to_happen(client, family, draft):
    fill(draft, family.lead, plan_actions=[])
    with pytest.raises(AssessmentError, match="Add at least one action to 'What needs to happen'"):
        services.assessment_submit(assessment=draft, by=family.lead)

    client.force_login(family.lead)
    response = client.post(_url("assessment_submit", draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert "Add at least one action to &#x27;What needs to happen&#x27; before submitting" in html
    draft.refresh_from_db()
    assert draft.status == AssessmentStatus.DRAFT


def _clear_review_dates(assessment):
    """Rows saved before the review date was asked for (per-row saves keep their history)."""
    for action in assessment.actions.all():
        action.review_on = None
        action.save()


def test_an_old_signed_version_without_review_dates_stays_but_its_amendment_needs_them(family, signed):
    _clear_review_dates(signed)
    signed.refresh_from_db()
    assert signed.is_signed  # evidence as it was signed: nothing about it changes

    amended = services.assessment_amend(assessment=signed, by=family.lead)
    with pytest.raises(
        AssessmentError,
        match="Enter the review date for action 1 in 'What needs to happen' before submitting",
    ):
        services.assessment_submit(assessment=amended, by=family.lead)

    row = amended.actions.get(kind=ActionKind.PLAN)
    fill(
        amended,
        family.lead,
        plan_actions=[
            services.ActionData(
                id=row.pk, what=row.what, who=row.who, by_when=row.by_when, review_on=dt.date(2026, 12, 15)
            )
        ],
    )
    services.assessment_submit(assessment=amended, by=family.lead)
    amended.refresh_from_db()
    assert amended.status == AssessmentStatus.SUBMITTED


def test_sign_needs_a_review_date_on_every_row_of_both_tables(family, submitted):
    ActionFactory(
        assessment=submitted,
        kind=ActionKind.OVERSIGHT,
        what="Discuss in supervision",
        who="Morgan",
        by_when=dt.date(2026, 12, 2),
        review_on=None,
        added_by=family.manager,
    )
    with pytest.raises(
        AssessmentError, match="Enter the review date for oversight action 1 in management oversight"
    ):
        services.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")

    _clear_review_dates(submitted)  # a plan submitted before review dates were asked for
    with pytest.raises(AssessmentError, match="return the assessment to the lead practitioner"):
        services.assessment_sign(assessment=submitted, by=family.manager, typed_name="Morgan Manager")
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.SUBMITTED
