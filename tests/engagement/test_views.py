import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from cases.models import AccessLogEntry, MembershipRole
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt
from engagement.services import contact_attempt_update
from tests.factories import (
    AgencyMemberFactory,
    CaseMembershipFactory,
    ContactAttemptFactory,
    PractitionerFactory,
)

from .conftest import LONDON, NOW


def form_data(person=None, made_by=None, **overrides):
    data = {
        "kind": AttemptKind.PHONE_CALL,
        "occurred_on_0": "5",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_time": "09:15",
        "outcome": AttemptOutcome.NO_ANSWER,
        "with_person": person.pk if person else "",
        "with_other": "",
        "made_by": made_by.pk if made_by else "",
        "notes": "Rang Grace's mobile at 9:15; it rang out. Will try again after the school run.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(name, case, **kwargs):
    return reverse(f"engagement:{name}", kwargs={"case_pk": case.pk, **kwargs})


def test_the_form_defaults_to_now_and_to_the_user(lead_client, case, lead):
    response = lead_client.get(url("attempt_record", case))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["occurred_on"] == dt.date(2026, 11, 5)
    assert form.initial["occurred_time"] == "10:30"
    assert form.initial["made_by"] == lead.pk
    html = response.content.decode()
    assert 'name="occurred_on_0" value="5"' in html
    assert 'value="10:30"' in html
    # The optional parts fold away but are still in the form, so they post without JavaScript.
    assert html.count('<details class="govuk-details">') == 3
    assert 'name="child_words"' in html and 'name="non_engagement_forms"' in html


def test_records_an_attempt_with_the_optional_parts(lead_client, case, lead, mother):
    data = form_data(
        mother,
        lead,
        kind=AttemptKind.UNANNOUNCED_VISIT,
        outcome=AttemptOutcome.DOOR_NOT_OPENED,
        non_engagement_forms=["avoidance", "child_not_seen_alone"],
        child_seen="not_seen",
        purpose="Day 5 unannounced visit",
        what_is_required="Phone call on day 6 to remind Grace of Friday's visit",
        required_by_whom="Priya",
        required_by_when_0="6",
        required_by_when_1="11",
        required_by_when_2="2026",
        next_contact_on_0="6",
        next_contact_on_1="11",
        next_contact_on_2="2026",
        next_contact_time="16:00",
    )
    response = lead_client.post(url("attempt_record", case), data)
    assert response.status_code == 302
    assert response["Location"] == url("chronology", case)
    attempt = ContactAttempt.objects.get()
    assert attempt.occurred_at == dt.datetime(2026, 11, 5, 9, 15, tzinfo=LONDON)
    assert attempt.with_person == mother
    assert attempt.non_engagement_forms == ["avoidance", "child_not_seen_alone"]
    assert attempt.required_by_when == dt.date(2026, 11, 6)
    assert attempt.next_contact_at == dt.datetime(2026, 11, 6, 16, 0, tzinfo=LONDON)
    followed = lead_client.get(response["Location"])
    assert "recorded: door not opened though someone was inside" in followed.content.decode()


def test_save_and_record_another_comes_back_to_the_form(lead_client, case, lead):
    response = lead_client.post(url("attempt_record", case), form_data(made_by=lead, another="1"))
    assert response["Location"] == url("attempt_record", case)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"occurred_on_0": "6"}, "occurred_on", "The date of the attempt must be today or in the past"),
        ({"occurred_time": "10:31"}, "occurred_time", "The time of the attempt must be now or in the past"),
        (
            {"occurred_on_0": "2"},
            "occurred_on",
            "The attempt must be on or after the referral date, 3 November 2026",
        ),
        ({"outcome": ""}, "outcome", "Select what happened"),
        ({"kind": ""}, "kind", "Select the kind of attempt"),
        (
            {"occurred_on_0": "", "occurred_on_1": "", "occurred_on_2": ""},
            "occurred_on",
            "Enter the date of the attempt",
        ),
        ({"occurred_time": ""}, "occurred_time", "Enter the time of the attempt"),
        ({"occurred_time": "25:00"}, "occurred_time", "as hours and minutes, for example 14:30"),
    ],
)
def test_invalid_input_is_explained_and_nothing_typed_is_lost(
    lead_client, case, lead, mother, overrides, field, message
):
    data = form_data(mother, lead, with_other="Mrs Shah, school office", challenge="Asked why", **overrides)
    response = lead_client.post(url("attempt_record", case), data)
    assert response.status_code == 200
    assert not ContactAttempt.objects.exists()
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert message.replace("'", "&#x27;") in html
    # Everything typed comes back.
    assert "it rang out. Will try again after the school run." in html
    assert 'value="Mrs Shah, school office"' in html
    assert "Asked why</textarea>" in html
    assert f'<option value="{mother.pk}" selected>' in html
    if field != "occurred_time":
        assert f'value="{data["occurred_time"]}"' in html


def test_another_team_gets_404_on_every_case_and_attempt_url(client, case):
    attempt = ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(hours=2))
    client.force_login(PractitionerFactory())
    for name, kwargs in [
        ("chronology", {}),
        ("chronology_csv", {}),
        ("attempt_record", {}),
        ("attempt_detail", {"pk": attempt.pk}),
        ("attempt_edit", {"pk": attempt.pk}),
    ]:
        assert client.get(url(name, case, **kwargs)).status_code == 404, name
    assert client.post(url("attempt_record", case), form_data()).status_code == 404
    assert ContactAttempt.objects.count() == 1


def test_a_multi_agency_member_of_the_case_cannot_reach_the_chronology(client, case):
    member = AgencyMemberFactory()
    CaseMembershipFactory(case=case, user=member, role=MembershipRole.AGENCY_MEMBER)
    client.force_login(member)
    assert client.get(url("chronology", case)).status_code == 404
    assert client.get(url("chronology_csv", case)).status_code == 404


def test_a_co_worker_sees_the_chronology_and_can_record(client, case, team):
    co_worker = PractitionerFactory(team=team)
    CaseMembershipFactory(case=case, user=co_worker, role=MembershipRole.CO_WORKER)
    client.force_login(co_worker)
    assert client.get(url("chronology", case)).status_code == 200
    response = client.post(url("attempt_record", case), form_data(made_by=co_worker))
    assert response.status_code == 302
    assert ContactAttempt.objects.get().made_by == co_worker


def test_an_attempt_of_another_case_is_not_found_through_this_case(lead_client, case, lead):
    from tests.factories import CaseFactory

    other = ContactAttemptFactory(case=CaseFactory(lead_practitioner=lead, referral_date=case.referral_date))
    assert lead_client.get(url("attempt_detail", case, pk=other.pk)).status_code == 404


def test_chronology_is_newest_first_with_counts_and_filters(lead_client, case, mother):
    ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(days=2), notes="first call")
    ContactAttemptFactory(
        case=case,
        occurred_at=NOW - dt.timedelta(days=1),
        with_person=mother,
        outcome=AttemptOutcome.MESSAGE_LEFT,
        notes="second call",
    )
    ContactAttemptFactory(
        case=case,
        occurred_at=NOW - dt.timedelta(hours=1),
        kind=AttemptKind.UNANNOUNCED_VISIT,
        outcome=AttemptOutcome.NOT_AT_HOME,
        notes="the visit",
    )
    response = lead_client.get(url("chronology", case))
    html = response.content.decode()
    assert html.index("the visit") < html.index("second call") < html.index("first call")
    assert response.context["counts"]["by_kind"] == [("Telephone call", 2), ("Unannounced home visit", 1)]

    assert response.context["page_obj"].paginator.count == 3
    assert "3 attempts, newest first" in html

    response = lead_client.get(url("chronology", case), {"kind": AttemptKind.PHONE_CALL})
    assert [a.notes for a in response.context["attempts"]] == ["second call", "first call"]
    assert response.context["counts"]["by_outcome"] == [("Message left", 1), ("No answer", 1)]
    assert response.context["page_obj"].paginator.count == 2
    assert "2 attempts match the filters" in response.content.decode()

    response = lead_client.get(url("chronology", case), {"person": mother.pk})
    assert [a.notes for a in response.context["attempts"]] == ["second call"]

    response = lead_client.get(
        url("chronology", case),
        {
            "date_from_0": "4",
            "date_from_1": "11",
            "date_from_2": "2026",
            "date_to_0": "4",
            "date_to_1": "11",
            "date_to_2": "2026",
        },
    )
    assert [a.notes for a in response.context["attempts"]] == ["second call"]
    assert "Download as a spreadsheet" in response.content.decode()
    assert "date_from_0=4" in response.context["export_query"]


def test_chronology_pages_by_25(lead_client, case):
    for hours in range(30):
        ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(hours=hours + 1))
    first = lead_client.get(url("chronology", case))
    assert len(first.context["attempts"]) == 25
    second = lead_client.get(url("chronology", case), {"page": 2})
    assert len(second.context["attempts"]) == 5
    assert second.context["page_obj"].paginator.num_pages == 2


def _chronology_queries(client, case, count, django_assert_num_queries):
    for hours in range(count):
        ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(minutes=hours + 1))
    client.get(url("chronology", case))  # warm the session and content types
    with django_assert_num_queries(QUERIES_CHRONOLOGY):
        response = client.get(url("chronology", case))
    assert response.status_code == 200
    return response


# session, user, case check, access log, the counts by kind and outcome (which give the total
# the paginator would otherwise count), people (filter form), page, the hostile incidents (none
# here: tests/engagement/test_hostile_incidents.py counts them), the partner agencies' reports,
# the texts received from the family and the texts and emails held or refused (engagement.messages),
# and the session save (savepoint, update, release)
QUERIES_CHRONOLOGY = 14


def test_chronology_query_count_for_1_row(lead_client, case, django_assert_num_queries):
    _chronology_queries(lead_client, case, 1, django_assert_num_queries)


def test_chronology_query_count_for_200_rows(lead_client, case, django_assert_num_queries):
    response = _chronology_queries(lead_client, case, 200, django_assert_num_queries)
    assert len(response.context["attempts"]) == 25


def test_csv_export_has_a_header_neutralises_formulas_and_is_logged(lead_client, case, lead, mother):
    ContactAttemptFactory(case=case, occurred_at=NOW - dt.timedelta(days=1), notes='=HYPERLINK("http://x")')
    ContactAttemptFactory(
        case=case,
        occurred_at=NOW - dt.timedelta(hours=1),
        kind=AttemptKind.UNANNOUNCED_VISIT,
        with_person=mother,
        with_other="+44 7700 900123",
        notes="-1 @SUM(A1) plain",
    )
    response = lead_client.get(url("chronology_csv", case), {"kind": AttemptKind.UNANNOUNCED_VISIT})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["Date", "Time", "Kind", "What happened", "What the family said", "What was agreed"]
    assert len(rows) == 2  # the filter applies to the export
    assert rows[1][2] == "Unannounced home visit"
    assert rows[1][7] == "Grace Okafor, +44 7700 900123"
    assert rows[1][8] == "'-1 @SUM(A1) plain"
    everything = list(csv.reader(io.StringIO(lead_client.get(url("chronology_csv", case)).content.decode())))
    assert everything[2][8] == '\'=HYPERLINK("http://x")'
    logged = AccessLogEntry.objects.filter(user=lead, case=case, what="chronology export")
    assert logged.count() == 2


def test_entry_page_is_logged_and_shows_history_only_to_the_manager(client, case, lead, team, frozen):
    attempt = ContactAttemptFactory(
        case=case, occurred_at=NOW - dt.timedelta(hours=1), notes="Rang; no answer."
    )
    frozen.shift(dt.timedelta(minutes=5))
    contact_attempt_update(
        attempt=attempt, by=lead, outcome=AttemptOutcome.MESSAGE_LEFT, notes="Left a voicemail."
    )

    client.force_login(lead)
    response = client.get(url("attempt_detail", case, pk=attempt.pk))
    assert response.status_code == 200
    assert response.context["history"] is None
    assert "Edit history" not in response.content.decode()
    assert AccessLogEntry.objects.filter(
        user=lead, what="contact attempt", object_id=str(attempt.pk)
    ).exists()

    client.force_login(team.manager)
    response = client.get(url("attempt_detail", case, pk=attempt.pk))
    html = response.content.decode()
    assert "Edit history" in html
    changed, recorded = response.context["history"]
    assert changed.action == "Changed" and changed.by == "Priya Patel"
    assert {(c.field, c.old, c.new) for c in changed.changes} == {
        ("What happened", "No answer", "Message left"),
        ("Notes", "Rang; no answer.", "Left a voicemail."),
    }
    assert recorded.action == "Recorded"
    assert "Left a voicemail." in html and "Rang; no answer." in html


def test_editing_through_the_page_records_who_edited(lead_client, case, lead, mother, frozen):
    attempt = ContactAttemptFactory(case=case, occurred_at=dt.datetime(2026, 11, 4, 15, 0, tzinfo=LONDON))
    page = lead_client.get(url("attempt_edit", case, pk=attempt.pk))
    assert 'name="occurred_on_0" value="4"' in page.content.decode()
    assert "Save and record another" not in page.content.decode()
    data = form_data(
        mother,
        lead,
        occurred_on_0="4",
        occurred_time="15:00",
        notes="Corrected: spoke briefly.",
        outcome="spoke",
        response="undecided",
    )
    response = lead_client.post(url("attempt_edit", case, pk=attempt.pk), data)
    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.outcome == "spoke"
    assert attempt.edited_by == lead
    assert attempt.history.count() == 2


def test_a_folded_section_opens_when_it_holds_an_error_or_a_value(lead_client, case, lead):
    data = form_data(made_by=lead, next_contact_time="9pm", challenge="Asked about the missed review")
    html = lead_client.post(url("attempt_record", case), data).content.decode()
    assert "Enter the time of the next contact as hours and minutes" in html
    assert html.count('<details class="govuk-details" open>') == 2  # what you noticed, next contact
    assert html.count('<details class="govuk-details">') == 1  # the empty summary stays folded
