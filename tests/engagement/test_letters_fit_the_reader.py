"""Letters fit the reader (issue 17): for someone who prefers to talk rather than read, or who
needs an interpreter, a call, text or visit made instead of the letter counts as the letter."""

import datetime as dt

import pytest
from django.urls import reverse

from engagement.models import AttemptKind, AttemptOutcome, FamilyResponse
from engagement.services import ContactAttemptError, contact_attempt_record, contact_attempt_update
from flowchart.schedule import Status
from flowchart.selectors import case_flowchart
from tests.factories import AdultFactory
from tests.factories.flowchart import EpisodeFactory

from .conftest import NOW

EARLIER = NOW - dt.timedelta(hours=1)


@pytest.fixture
def reader(case, child):
    """Grace's partner: prefers to talk rather than read, and needs a Polish interpreter."""
    return AdultFactory(
        case=case,
        full_name="Piotr Nowak",
        prefers_verbal_communication=True,
        needs_interpreter=True,
        language="Polish",
    )


def record(case, lead, person, **kwargs):
    values = {
        "case": case,
        "by": lead,
        "kind": AttemptKind.PHONE_CALL,
        "outcome": AttemptOutcome.MESSAGE_LEFT,
        "occurred_at": EARLIER,
        "with_person": person,
    }
    values.update(kwargs)
    return contact_attempt_record(**values)


def test_a_call_instead_of_the_letter_counts_as_the_letter(case, lead, reader):
    """Knowsley 000: "Being mindful that some parents/carers are not be able to read letters or
    appointment invites"; "Telephone contact, including texting if preferred by family, to speak
    to parent to arrange an appointment rather than sending an 'official' looking letter"."""
    call = record(case, lead, reader, instead_of_letter=True)
    assert call.instead_of_letter and call.counts_as == AttemptKind.LETTER
    visit = record(
        case,
        lead,
        reader,
        kind=AttemptKind.UNANNOUNCED_VISIT,
        outcome=AttemptOutcome.SPOKE,
        response=FamilyResponse.UNDECIDED,
        instead_of_letter=True,
    )
    assert visit.counts_as == AttemptKind.LETTER
    plain = record(case, lead, reader)
    assert plain.counts_as == AttemptKind.PHONE_CALL
    # A correction keeps the rule: untick it and it is a telephone call again.
    assert (
        contact_attempt_update(attempt=call, by=lead, instead_of_letter=False).counts_as
        == AttemptKind.PHONE_CALL
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": AttemptKind.APPOINTMENT}, "Only a telephone call"),
        ({"outcome": AttemptOutcome.NO_ANSWER}, "only if it passed on what the letter would have said"),
        ({"with_person": None}, "is for someone who prefers to talk"),
    ],
)
def test_instead_of_the_letter_only_where_it_passed_the_message_to_someone_who_needs_it(
    case, lead, reader, changes, message
):
    """Coventry 001: "Consider language barriers or learning difficulties"."""
    with pytest.raises(ContactAttemptError, match=message):
        record(case, lead, reader, instead_of_letter=True, **changes)


def test_not_for_someone_who_reads_letters(case, lead, mother):
    with pytest.raises(ContactAttemptError, match="is for someone who prefers to talk"):
        record(case, lead, mother, instead_of_letter=True)


def test_the_letter_step_says_who_reads_letters_another_way_and_is_met_by_the_call(
    case, lead, reader, lead_client, frozen
):
    """Knowsley 000: "some parents/carers are not be able to read letters". The day-10 letter
    step says so on the flow chart; a call made instead of it on day 10 meets it."""
    EpisodeFactory(case=case)
    url = reverse("flowchart:case_flowchart", kwargs={"case_pk": case.pk})
    page = lead_client.get(url).content.decode()
    assert "Piotr Nowak prefers to talk rather than read letters and needs an interpreter (Polish)" in page
    assert "can take the place of this letter" in page

    frozen.move_to(dt.datetime(2026, 11, 16, 15, 0, tzinfo=NOW.tzinfo))  # day 10 from Tuesday 3rd
    record(
        case,
        lead,
        reader,
        occurred_at=dt.datetime(2026, 11, 16, 14, 0, tzinfo=NOW.tzinfo),
        instead_of_letter=True,
    )
    lead_client.force_login(lead)  # eleven days on: a new session
    chart = case_flowchart(case)
    letter_step = next(s for s in chart.steps if s.step.order == 10)
    assert letter_step.status == Status.DONE
    assert "(instead of the letter)" in lead_client.get(url).content.decode()


def test_the_attempt_form_offers_instead_of_the_letter_only_where_someone_needs_it(
    case, lead, mother, lead_client
):
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})
    assert "Instead of the letter" not in lead_client.get(url).content.decode()
    reader = AdultFactory(case=case, full_name="Piotr Nowak", prefers_verbal_communication=True)
    page = lead_client.get(url).content.decode()
    assert "Instead of the letter" in page
    assert "Piotr Nowak prefers to talk rather than read letters" in page
    response = lead_client.post(
        url,
        {
            "kind": "phone_call",
            "occurred_on_0": str(NOW.day),
            "occurred_on_1": str(NOW.month),
            "occurred_on_2": str(NOW.year),
            "occurred_time": "09:00",
            "outcome": "message_left",
            "with_person": reader.pk,
            "made_by": lead.pk,
            "instead_of_letter": "on",
        },
    )
    assert response.status_code == 302
    attempt = reader.contact_attempts.get()
    assert attempt.instead_of_letter and attempt.counts_as == AttemptKind.LETTER


def test_the_attempt_form_shows_each_adults_safe_contact_plan(case, mother, lead_client):
    """Camden 004: contact the victim "without the perpetrator's knowledge"."""
    mother.safe_contact = ["text_only", "not_when_partner_present"]
    mother.safe_contact_notes = "Texts after 10am, when her partner is at work."
    mother.save()
    page = lead_client.get(reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})).content.decode()
    assert "How to contact this family safely" in page
    assert "Text messages only" in page and "Not when their partner is there" in page
    assert "Texts after 10am, when her partner is at work." in page
    assert "A letter to Grace Okafor needs the team manager's approval" in " ".join(page.split())
