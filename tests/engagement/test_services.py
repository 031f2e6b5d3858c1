import datetime as dt

import pytest
from django.utils import timezone

from cases.models import CaseStatus
from engagement.forms import parse_time
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt, NonEngagementForm
from engagement.services import ContactAttemptError, contact_attempt_record, contact_attempt_update
from tests.factories import AdultFactory, CaseFactory, PractitionerFactory

from .conftest import LONDON, NOW


def record(case, by, **overrides):
    arguments = {
        "kind": AttemptKind.PHONE_CALL,
        "outcome": AttemptOutcome.NO_ANSWER,
        "occurred_at": NOW - dt.timedelta(hours=1),
    } | overrides
    return contact_attempt_record(case=case, by=by, **arguments)


def test_records_an_attempt_made_by_the_recorder_by_default(case, lead, mother):
    attempt = record(
        case,
        lead,
        with_person=mother,
        notes="Rang Grace's mobile; it went to voicemail.",
        non_engagement_forms=[NonEngagementForm.AVOIDANCE, NonEngagementForm.AVOIDANCE],
    )
    attempt.refresh_from_db()
    assert attempt.made_by == lead
    assert attempt.recorded_by == lead
    assert attempt.recorded_at == NOW
    assert attempt.with_person == mother
    assert attempt.non_engagement_forms == ["avoidance"]
    assert attempt.history.get().history_user == lead


def test_attempt_made_by_a_colleague_in_the_team(case, lead, team):
    colleague = PractitionerFactory(team=team, full_name="Tom Reid")
    attempt = record(case, lead, made_by=colleague)
    assert attempt.made_by == colleague
    assert attempt.recorded_by == lead


def test_refuses_someone_who_does_not_work_on_the_case(case, lead):
    stranger = PractitionerFactory()
    with pytest.raises(ContactAttemptError, match="does not work on this case"):
        record(case, lead, made_by=stranger)


def test_refuses_a_future_attempt(case, lead):
    with pytest.raises(ContactAttemptError, match="The time of the attempt must be now or in the past"):
        record(case, lead, occurred_at=NOW + dt.timedelta(minutes=1))
    assert not ContactAttempt.objects.exists()


def test_an_attempt_now_is_allowed(case, lead):
    assert record(case, lead, occurred_at=NOW).occurred_at == NOW


def test_refuses_an_attempt_before_the_referral_date(case, lead):
    the_evening_before = dt.datetime(2026, 11, 2, 23, 59, tzinfo=LONDON)
    with pytest.raises(ContactAttemptError, match="on or after the referral date, 3 November 2026"):
        record(case, lead, occurred_at=the_evening_before)
    assert record(case, lead, occurred_at=dt.datetime(2026, 11, 3, 0, 1, tzinfo=LONDON))


def test_refuses_a_person_of_another_family(case, lead):
    other = AdultFactory(case=CaseFactory(lead_practitioner=lead))
    with pytest.raises(ContactAttemptError, match="not part of this family"):
        record(case, lead, with_person=other)


def test_refuses_unknown_choices(case, lead):
    with pytest.raises(ContactAttemptError, match="Select the outcome of the attempt"):
        record(case, lead, outcome="")
    with pytest.raises(ContactAttemptError, match="Select the kind"):
        record(case, lead, kind="carrier_pigeon")
    with pytest.raises(ContactAttemptError, match="non-engagement"):
        record(case, lead, non_engagement_forms=["uncooperative"])


def test_refuses_attempts_on_a_closed_case(case, lead):
    case.status = CaseStatus.CLOSED
    case.closed_on = NOW.date()
    case.save()
    with pytest.raises(ContactAttemptError, match="closed on 5 November 2026"):
        record(case, lead)


def test_update_keeps_the_earlier_version_and_who_changed_it(case, lead, team, frozen):
    attempt = record(case, lead, notes="Rang; no answer.")
    frozen.shift(dt.timedelta(minutes=20))
    manager = team.manager
    contact_attempt_update(
        attempt=attempt, by=manager, outcome=AttemptOutcome.MESSAGE_LEFT, notes="Left a message."
    )
    attempt.refresh_from_db()
    assert attempt.outcome == AttemptOutcome.MESSAGE_LEFT
    assert attempt.edited_by == manager
    assert attempt.edited_at == timezone.now()
    versions = list(attempt.history.order_by("history_date"))
    assert [v.notes for v in versions] == ["Rang; no answer.", "Left a message."]
    assert [v.history_user for v in versions] == [lead, manager]


def test_update_applies_the_same_guards(case, lead):
    attempt = record(case, lead)
    with pytest.raises(ContactAttemptError, match="now or in the past"):
        contact_attempt_update(attempt=attempt, by=lead, occurred_at=NOW + dt.timedelta(days=1))
    attempt.refresh_from_db()
    assert attempt.occurred_at < NOW


def test_update_refuses_fields_that_are_not_the_practitioners_to_set(case, lead):
    attempt = record(case, lead)
    with pytest.raises(TypeError):
        contact_attempt_update(attempt=attempt, by=lead, recorded_by=lead)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14:30", dt.time(14, 30)),
        ("9:05", dt.time(9, 5)),
        ("09.05", dt.time(9, 5)),
        ("1430", dt.time(14, 30)),
    ],
)
def test_times_typed_on_a_phone(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["24:00", "12:60", "2pm", "", "1:2"])
def test_times_that_are_not_real(typed):
    assert parse_time(typed) is None


def test_hostility_among_the_forms_marks_the_attempt_hostile_and_a_correction_unmarks_it(case, lead):
    calm = record(case, lead, non_engagement_forms=[NonEngagementForm.CONFRONTATION])
    hostile = record(
        case, lead, non_engagement_forms=[NonEngagementForm.AVOIDANCE, NonEngagementForm.HOSTILITY]
    )
    assert [calm.hostile, hostile.hostile] == [False, True]
    corrected = contact_attempt_update(
        attempt=hostile, by=lead, non_engagement_forms=[NonEngagementForm.AVOIDANCE]
    )
    assert ContactAttempt.objects.get(pk=corrected.pk).hostile is False
    contact_attempt_update(attempt=calm, by=lead, non_engagement_forms=[NonEngagementForm.HOSTILITY])
    assert ContactAttempt.objects.get(pk=calm.pk).hostile is True
