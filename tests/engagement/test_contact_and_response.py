"""What happened at the door and what the family said are two facts, recorded apart.

Knowsley (000, Appendix 4): the flow chart's steps are "the minimum attempts to engage the parent".
Leeds (003) asks practitioners to record the family's response apart from what was done.
"""

import datetime as dt

import pytest
from django.utils import timezone

from engagement import rules
from engagement.models import ContactAttempt, EngagementAgreement
from engagement.services import ContactAttemptError, contact_attempt_record, contact_attempt_update
from tests.factories import AdultFactory, RelationshipFactory

from .conftest import NOW


def record(case, lead, **kwargs):
    defaults = {"kind": "phone_call", "outcome": "no_answer", "occurred_at": NOW - dt.timedelta(hours=1)}
    return contact_attempt_record(case=case, by=lead, **{**defaults, **kwargs})


@pytest.fixture
def parent(case, child):
    adult = AdultFactory(case=case, full_name="Grace Okafor", preferred_contact_method="phone")
    RelationshipFactory(adult=adult, child=child, kind="mother")
    return adult


@pytest.mark.parametrize(
    ("kind", "outcome", "message"),
    [
        ("phone_call", "refused_entry", "A telephone call cannot be 'refused entry'"),
        ("letter", "seen", "A letter cannot be 'seen'"),
        ("text_message", "door_not_opened", "A text message cannot be 'door not opened"),
        ("unannounced_visit", "letter_sent", "An unannounced home visit cannot be 'letter sent'"),
    ],
)
def test_combinations_that_cannot_happen_are_refused_with_what_to_do(case, lead, kind, outcome, message):
    with pytest.raises(ContactAttemptError, match=message) as error:
        record(case, lead, kind=kind, outcome=outcome)
    assert "select what happened" in str(error.value)
    assert not ContactAttempt.objects.exists()


def test_more_than_one_outcome_no_answer_and_a_card_left(case, lead, parent):
    attempt = record(
        case,
        lead,
        kind="unannounced_visit",
        outcome="no_answer",
        also_outcomes=["letter_left"],
        with_person=parent,
    )
    assert attempt.also_outcomes == ["letter_left"]
    assert attempt.outcome_label == "No answer (card or letter left)"
    with pytest.raises(ContactAttemptError, match="cannot go with"):
        record(case, lead, kind="phone_call", outcome="no_answer", also_outcomes=["letter_left"])


def test_contact_with_a_parent_asks_what_they_said(case, lead, parent):
    with pytest.raises(ContactAttemptError, match="Select what Grace Okafor said"):
        record(case, lead, outcome="spoke", with_person=parent)
    attempt = record(case, lead, outcome="spoke", with_person=parent, response="declined")
    assert attempt.response_label == "Said they do not want support"


def test_no_response_is_recorded_where_there_was_no_contact(case, lead, parent):
    with pytest.raises(ContactAttemptError, match="There was no contact"):
        record(case, lead, outcome="no_answer", with_person=parent, response="declined")


def test_a_hostile_response_marks_the_attempt_hostile_and_is_not_engagement(case, lead, parent):
    attempt = record(
        case, lead, outcome="spoke", with_person=parent, response="hostile", non_engagement_forms=[]
    )
    assert attempt.hostile
    assert not EngagementAgreement.objects.exists()
    assert attempt.tag == rules.Tag.CONTACT


def test_an_agreement_needs_a_parent_or_carer_and_what_was_agreed(case, lead, parent, child):
    grandmother = AdultFactory(case=case, full_name="Ada Okafor")
    RelationshipFactory(adult=grandmother, child=child, kind="grandparent")
    with pytest.raises(ContactAttemptError, match="Ada Okafor is not recorded as a parent or carer"):
        record(case, lead, outcome="spoke", with_person=grandmother, response="agreed", what_agreed="A visit")
    with pytest.raises(ContactAttemptError, match="Enter what was agreed"):
        record(case, lead, outcome="spoke", with_person=parent, response="agreed")
    assert not ContactAttempt.objects.exists()
    attempt = record(
        case,
        lead,
        outcome="spoke",
        with_person=parent,
        response="agreed",
        what_agreed="A home visit on Friday",
    )
    agreement = EngagementAgreement.objects.get()
    assert (agreement.attempt, agreement.person, agreement.what_agreed) == (
        attempt,
        parent,
        "A home visit on Friday",
    )
    assert attempt.tag == rules.Tag.AGREED


def test_an_agreement_is_evidence_an_edit_cannot_take_back(case, lead, parent):
    attempt = record(
        case, lead, outcome="spoke", with_person=parent, response="agreed", what_agreed="A visit"
    )
    with pytest.raises(ContactAttemptError, match="records an agreement to work with us"):
        contact_attempt_update(attempt=attempt, by=lead, response="declined")
    assert EngagementAgreement.objects.filter(attempt=attempt).exists()


def test_a_text_counts_as_a_call_only_for_someone_who_prefers_texts(case, lead, parent):
    """Knowsley 000, section 9: "Telephone contact, including texting if preferred by family"."""
    to_caller = record(case, lead, kind="text_message", outcome="message_left", with_person=parent)
    assert to_caller.counts_as == "text_message"
    texter = AdultFactory(case=case, full_name="Tunde Okafor", preferred_contact_method="text")
    to_texter = record(case, lead, kind="text_message", outcome="message_left", with_person=texter)
    assert to_texter.counts_as == "phone_call"


def test_a_text_counts_as_a_call_for_a_victim_whose_safe_contact_plan_is_text_only(case, lead):
    """DOMAIN, from Knowsley 000 section 9 and Camden 004: texts count as telephone contact "for a
    domestic-abuse victim whose safe-contact plan is text only"."""
    victim = AdultFactory(
        case=case,
        full_name="Siobhan Walsh",
        preferred_contact_method="phone",
        domestic_abuse_concern=True,
        safe_contact=["text_only"],
    )
    text = record(case, lead, kind="text_message", outcome="message_left", with_person=victim)
    assert text.counts_as == "phone_call"


def test_a_professional_or_a_child_gives_no_response(case, lead, child):
    liaison = record(case, lead, kind="liaison", outcome="spoke", with_other="School nurse")
    assert liaison.response == "" and liaison.tag == rules.Tag.OTHER
    with pytest.raises(ContactAttemptError, match="is for contact with someone in the family"):
        record(case, lead, kind="liaison", outcome="spoke", with_other="School nurse", response="undecided")
    seen_at_school = record(
        case, lead, kind="joint_visit", outcome="seen", with_person=child, child_seen="seen_alone"
    )
    assert seen_at_school.response == ""
    assert timezone.localdate(seen_at_school.occurred_at) == NOW.date()
