"""Drafts of the long forms, saved on the server as the person types (issue 21, cases/drafts.py).

"Saved as the person types and on leaving the page, per user and per record, never shared with
anyone else, shown as 'Draft saved at 14:32'; restored when the person opens the form again,
even after signing in again; discarded when the form is submitted or the person discards it."
"""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from cases import retention
from cases.drafts import DRAFT_FIELD, SAVED_AT_HEADER, draft_settings
from cases.models import AccessLogEntry, Draft, KeptPost
from cases.tasks import drafts_expire
from engagement.models import ContactAttempt
from tests.conftest import NOW
from tests.factories import AdminFactory, CaseFactory
from tests.factories.riskassessment import AssessmentFactory
from tests.security.test_data_safety import closed_case

from .test_kept_posts import (
    LEADS_FORMS,
    MANAGERS_FORMS,
    NOTES,
    SHOWN,
    _covered_pages,
    _record_version,
    attempt_data,
    attempt_url,
    expire_session,
    sign_in,
)

# The sign page's two forms share its address; neither is long enough to need a draft.
# Short forms with nothing long to lose: the signature pages (a signature is made at once, never
# kept half-done) and the letter's start (one choice of recipient).
NOT_DRAFTED = {
    "assessment, sign",
    "assessment, sign: the oversight asked for in place",
    "agreement signing",
    "letter start",
}


def save_draft(client, url, fields):
    return client.post(url, {**fields, DRAFT_FIELD: "save", "csrfmiddlewaretoken": "not kept"})


def typed(value):
    return value if isinstance(value, dict) else {value: NOTES}


def test_a_draft_is_saved_without_saving_the_form_and_comes_back_with_its_time(lead_client, case, lead):
    response = save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    assert response.status_code == 204
    assert response[SAVED_AT_HEADER] == "10:30"
    # Only a draft: the half-filled form was not validated or recorded.
    assert not ContactAttempt.objects.exists()
    draft = Draft.objects.get()
    assert (draft.user, draft.case, draft.path) == (lead, case, attempt_url(case))
    assert draft.fields == {"notes": [NOTES]}

    html = lead_client.get(attempt_url(case)).content.decode()
    assert SHOWN in html
    assert "Draft saved at 10:30: restored." in html
    assert "Discard draft" in html and "data-draft" in html


def test_saving_again_replaces_the_draft(lead_client, case):
    save_draft(lead_client, attempt_url(case), {"notes": "First"})
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    assert Draft.objects.get().fields["notes"] == [NOTES]


def test_a_draft_is_never_shown_to_anyone_else_who_can_open_the_same_form(client, case, lead, manager):
    client.force_login(lead)
    save_draft(client, attempt_url(case), {"notes": NOTES})
    client.force_login(manager)  # the line manager may open the lead's forms
    html = client.get(attempt_url(case)).content.decode()
    assert SHOWN not in html and "Draft saved" not in html
    # The manager's own draft of the same form is theirs, and leaves the lead's alone.
    save_draft(client, attempt_url(case), {"notes": "The manager's"})
    assert Draft.objects.count() == 2
    client.force_login(lead)
    assert SHOWN in client.get(attempt_url(case)).content.decode()


def test_a_draft_is_given_back_only_on_its_own_page(lead_client, case):
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    other_case = CaseFactory(lead_practitioner=case.lead_practitioner)
    assert SHOWN not in lead_client.get(attempt_url(other_case)).content.decode()
    hostile = reverse("engagement:hostile_incident_record", kwargs={"case_pk": case.pk})
    assert SHOWN not in lead_client.get(hostile).content.decode()


def test_someone_who_cannot_open_the_form_cannot_save_a_draft(client, case, practitioner):
    client.force_login(practitioner)  # another team's practitioner
    assert save_draft(client, attempt_url(case), {"notes": NOTES}).status_code == 404
    assert not Draft.objects.exists()


def test_a_draft_comes_back_after_signing_in_again_the_next_day(client, case, lead):
    sign_in(client, lead)
    save_draft(client, attempt_url(case), {"notes": NOTES})
    expire_session(client)
    with time_machine.travel(dt.timedelta(days=1), tick=False):
        sign_in(client, lead)
        html = client.get(attempt_url(case)).content.decode()
    assert SHOWN in html
    assert "Draft saved at 10:30 on Thursday 5 November: restored." in html


def test_a_draft_saved_as_the_session_ends_is_not_kept_as_a_post(client, case, lead):
    sign_in(client, lead)
    expire_session(client)
    response = save_draft(client, attempt_url(case), {"notes": NOTES})
    assert response.status_code == 302  # to sign in; the draft saved before stands
    assert not Draft.objects.exists()
    assert not KeptPost.objects.exists()


def test_saving_the_form_deletes_the_draft_and_a_form_with_errors_keeps_it(lead_client, case, lead):
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    with_errors = lead_client.post(attempt_url(case), attempt_data(lead, kind=""))
    assert with_errors.status_code == 200
    assert Draft.objects.exists()
    assert lead_client.post(attempt_url(case), attempt_data(lead)).status_code == 302
    assert not Draft.objects.exists()
    assert "Draft saved" not in lead_client.get(attempt_url(case)).content.decode()


def test_discarding_deletes_the_draft_and_goes_back_to_an_empty_form(lead_client, case):
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    response = lead_client.post(attempt_url(case), {DRAFT_FIELD: "discard"})
    assert response.status_code == 303 and response["Location"] == attempt_url(case)
    assert not Draft.objects.exists()
    html = lead_client.get(attempt_url(case)).content.decode()
    assert "Draft discarded." in html and SHOWN not in html


def test_a_kept_post_wins_over_an_older_draft(client, case, lead):
    sign_in(client, lead)
    save_draft(client, attempt_url(case), {"notes": "An older draft"})
    expire_session(client)
    client.post(attempt_url(case), attempt_data(lead))
    sign_in(client, lead)
    html = client.get(attempt_url(case)).content.decode()
    assert SHOWN in html and "An older draft" not in html


def test_reading_a_draft_is_in_the_access_log_and_saving_one_is_not_a_read(lead_client, case):
    before = AccessLogEntry.objects.count()
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    assert AccessLogEntry.objects.count() == before
    lead_client.get(attempt_url(case))
    entry = AccessLogEntry.objects.latest("pk")
    assert AccessLogEntry.objects.count() == before + 1 and entry.case_id == case.pk


def test_drafts_expire_after_the_days_the_admin_set_and_the_task_can_run_twice(lead_client, case):
    settings = draft_settings()
    settings.draft_days = 7
    settings.save()
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    with time_machine.travel(dt.timedelta(days=6, hours=23), tick=False):
        assert drafts_expire() == 0
        lead_client.force_login(case.lead_practitioner)  # signed in again, the session having ended
        assert SHOWN in lead_client.get(attempt_url(case)).content.decode()
    with time_machine.travel(dt.timedelta(days=7), tick=False):
        lead_client.force_login(case.lead_practitioner)
        # Not given back even before the hourly task has run.
        assert SHOWN not in lead_client.get(attempt_url(case)).content.decode()
        assert drafts_expire() == 1
        assert drafts_expire() == 0
    assert not Draft.objects.exists()


def test_a_draft_is_deleted_with_its_case_at_disposal(client, db):
    case = closed_case(dt.date(2019, 1, 7))
    other = CaseFactory()
    Draft.objects.create(user=case.lead_practitioner, case=case, path="/a", fields={}, saved_at=NOW)
    kept = Draft.objects.create(user=other.lead_practitioner, case=other, path="/b", fields={}, saved_at=NOW)
    record = retention.case_dispose(
        case=case, by=AdminFactory(), authority="Schedule 4.2", today=dt.date(2050, 1, 3)
    )
    assert record.counts["cases.Draft"] == 1
    assert list(Draft.objects.all()) == [kept]


@pytest.mark.parametrize("page", [p for p in LEADS_FORMS if p not in NOT_DRAFTED])
def test_every_long_form_of_the_lead_saves_and_restores_a_draft(lead_client, case, page):
    url, fields = _covered_pages(case)[page]
    assert "data-draft" in lead_client.get(url).content.decode()
    assert save_draft(lead_client, url, typed(fields)).status_code == 204
    html = lead_client.get(url).content.decode()
    assert SHOWN in html and "Draft saved at 10:30: restored." in html
    assert lead_client.post(url, {DRAFT_FIELD: "discard"}).status_code == 303
    assert not Draft.objects.exists()


@pytest.mark.parametrize("page", [p for p in MANAGERS_FORMS if p not in NOT_DRAFTED])
def test_every_long_form_of_the_manager_saves_and_restores_a_draft(client, case, manager, page):
    client.force_login(manager)
    url, fields = _covered_pages(case)[page]
    assert "data-draft" in client.get(url).content.decode()
    assert save_draft(client, url, typed(fields)).status_code == 204
    html = client.get(url).content.decode()
    assert SHOWN in html and "Draft saved at 10:30: restored." in html


def test_saving_an_assessment_section_deletes_its_draft_and_only_that_one(lead_client, case, lead):
    draft_assessment = AssessmentFactory(case=case)
    url = reverse(
        "riskassessment:assessment_analysis", kwargs={"case_pk": case.pk, "pk": draft_assessment.pk}
    )
    save_draft(lead_client, url, {"analysis": NOTES})
    save_draft(lead_client, attempt_url(case), {"notes": NOTES})
    version = _record_version(lead_client.get(url).content.decode())
    saved = lead_client.post(url, {"analysis": NOTES, "elevated_risk": "no", "record_version": version})
    assert saved.status_code == 302
    assert list(Draft.objects.values_list("path", flat=True)) == [attempt_url(case)]
