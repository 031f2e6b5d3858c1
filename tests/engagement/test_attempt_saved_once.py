"""An attempt is saved once however often its form is posted (issue 21).

Issue 21: "duplicates from double-clicks answered with the first record", and for the device's
outbox, "the server accepts each id once (a retry returns the same record, never a duplicate)".
The attempt form carries a `client_id` made afresh for each form; the service keeps one attempt
per case and id.
"""

import uuid

import pytest
from django.db import IntegrityError
from django.urls import reverse

from engagement import services
from engagement.models import AttemptKind, AttemptOutcome, ContactAttempt
from engagement.safety.services import hostile_incident_record
from engagement.services import contact_attempt_record
from tests.factories import CaseFactory

from .conftest import NOW
from .test_views import form_data

pytestmark = pytest.mark.django_db


def _record(case, lead, client_id, **overrides):
    arguments = {
        "case": case,
        "by": lead,
        "kind": AttemptKind.PHONE_CALL,
        "outcome": AttemptOutcome.NO_ANSWER,
        "occurred_at": NOW.replace(hour=9),
        "notes": "Rang Grace's mobile; it rang out.",
        "client_id": client_id,
    }
    return contact_attempt_record(**arguments | overrides)


def test_the_same_client_id_twice_gives_one_record(case, lead):
    """Issue 21: "Service tests: the same client id twice gives one record"."""
    client_id = uuid.uuid4()
    first = _record(case, lead, client_id)
    again = _record(case, lead, client_id, notes="A retry with different text")

    assert again.pk == first.pk
    assert (first.already_saved, again.already_saved) == (False, True)
    assert list(ContactAttempt.objects.values_list("client_id", "notes")) == [
        (client_id, "Rang Grace's mobile; it rang out.")
    ]
    assert first.history.count() == 1


def test_a_retry_is_answered_with_the_first_record_even_when_the_case_closed_since(case, lead):
    """What was saved stays saved: the retry is not judged again against the case as it is now."""
    client_id = uuid.uuid4()
    first = _record(case, lead, client_id)
    case.status = "closed"
    case.closed_on = NOW.date()
    case.save()

    assert _record(case, lead, client_id).pk == first.pk


def test_different_client_ids_and_no_client_id_each_give_a_record(case, lead):
    _record(case, lead, uuid.uuid4())
    _record(case, lead, uuid.uuid4())
    _record(case, lead, None)
    _record(case, lead, None)

    assert ContactAttempt.objects.count() == 4


def test_the_same_client_id_on_another_case_is_another_record(case, lead):
    """Ids are kept per case: one case's attempt is never the answer on another case."""
    other = CaseFactory(lead_practitioner=lead, referral_date=case.referral_date)
    client_id = uuid.uuid4()
    first = _record(case, lead, client_id)

    assert _record(other, lead, client_id).pk != first.pk


def test_the_database_refuses_a_second_row_with_the_same_client_id(case, lead):
    """The constraint behind the service: two requests that both looked before either saved still
    make one row (the loser's insert fails and the service answers with the winner's record)."""
    client_id = uuid.uuid4()
    first = _record(case, lead, client_id)
    duplicate = ContactAttempt(
        case=case,
        client_id=client_id,
        occurred_at=first.occurred_at,
        made_by=lead,
        kind=first.kind,
        outcome=first.outcome,
        counts_as=first.counts_as,
        recorded_by=lead,
    )
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_a_lost_race_is_answered_with_the_first_record(case, lead, monkeypatch):
    """The request that looked before the other saved, and lost on the constraint, answers with the
    first record rather than a 500."""
    client_id = uuid.uuid4()
    first = _record(case, lead, client_id)
    looked = []

    def looked_too_early(case, client_id):
        # The first look finds nothing (the other request had not committed); later looks see it.
        looked.append(client_id)
        if len(looked) == 1:
            return None
        return saved_already(case, client_id)

    saved_already = services._attempt_saved_already
    monkeypatch.setattr(services, "_attempt_saved_already", looked_too_early)

    again = _record(case, lead, client_id)

    assert again.pk == first.pk and again.already_saved
    assert ContactAttempt.objects.count() == 1


def test_a_new_form_carries_a_fresh_client_id_and_a_correction_none(lead_client, case, lead):
    page = lead_client.get(reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}))
    again = lead_client.get(reverse("engagement:attempt_record", kwargs={"case_pk": case.pk}))

    first_id, second_id = (
        page.context["form"]["client_id"].value(),
        again.context["form"]["client_id"].value(),
    )
    assert uuid.UUID(first_id) != uuid.UUID(second_id)
    assert f'type="hidden" name="client_id" value="{first_id}"' in page.content.decode()

    attempt = _record(case, lead, uuid.uuid4())
    edit = lead_client.get(reverse("engagement:attempt_edit", kwargs={"case_pk": case.pk, "pk": attempt.pk}))
    assert 'name="client_id"' not in edit.content.decode()


@pytest.mark.parametrize("button", [{}, {"another": "Save and record another"}])
def test_a_double_click_is_answered_as_the_first_post_was(lead_client, case, lead, button):
    """The second post of the same form lands where the first did and says it was already saved."""
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})
    data = form_data(made_by=lead, client_id=str(uuid.uuid4())) | button

    first = lead_client.post(url, data, follow=True)
    second = lead_client.post(url, data, follow=True)

    assert second.redirect_chain == first.redirect_chain
    assert [str(m) for m in second.context["messages"]] == [
        "Telephone call on 5 November 2026 at 09:15 was already saved. It has not been saved twice."
    ]
    assert ContactAttempt.objects.count() == 1


def test_a_damaged_client_id_is_refused_with_what_to_do_and_the_text_kept(lead_client, case, lead):
    """A hidden id that is not an id: nothing saved, the answers kept, and a fresh id in the form
    so that saving again works."""
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})
    data = form_data(made_by=lead, client_id="not-a-uuid")

    response = lead_client.post(url, data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "This form could not be matched to a single save, so nothing was saved." in html
    assert "it rang out. Will try again after the school run." in html
    assert not ContactAttempt.objects.exists()
    fresh = uuid.UUID(response.context["form"]["client_id"].value())

    assert lead_client.post(url, data | {"client_id": str(fresh)}).status_code == 302
    assert ContactAttempt.objects.get().client_id == fresh


def test_a_post_without_a_client_id_is_saved_as_before(lead_client, case, lead):
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})

    assert lead_client.post(url, form_data(made_by=lead)).status_code == 302
    assert ContactAttempt.objects.get().client_id is None


def test_a_double_click_costs_one_look_and_no_writes(case, lead, django_assert_num_queries):
    """The repeat answers from the first record: the service looks it up and writes nothing (the
    other two queries open and release the service's savepoint inside the test's transaction)."""
    client_id = uuid.uuid4()
    _record(case, lead, client_id)

    with django_assert_num_queries(3) as queries:
        _record(case, lead, client_id)
    looks = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(looks) == 1 and looks[0].startswith("SELECT")


def test_a_hostile_attempt_posted_twice_goes_on_to_its_incident_form_until_the_incident_is_recorded(
    lead_client, case, lead, mother
):
    """Coventry (001): "If a violent incident occurs ... contact a manager immediately": the repeat
    still leads to the incident form while none is recorded, and to the chronology once it is."""
    url = reverse("engagement:attempt_record", kwargs={"case_pk": case.pk})
    data = form_data(
        person=mother,
        made_by=lead,
        outcome=AttemptOutcome.SPOKE,
        response="hostile",
        non_engagement_forms=["hostility"],
        client_id=str(uuid.uuid4()),
    )

    first = lead_client.post(url, data)
    again = lead_client.post(url, data)
    attempt = ContactAttempt.objects.get()
    assert (
        first.url
        == again.url
        == (
            reverse("engagement:hostile_incident_record", kwargs={"case_pk": case.pk})
            + f"?attempt={attempt.pk}"
        )
    )

    hostile_incident_record(
        case=case,
        by=lead,
        occurred_at=attempt.occurred_at,
        place="On the telephone",
        people=[mother],
        what_happened="Threats on the phone.",
        attempt=attempt,
    )
    after = lead_client.post(url, data)
    assert after.url == reverse("engagement:chronology", kwargs={"case_pk": case.pk})
    assert ContactAttempt.objects.count() == 1
