"""An attempt recorded offline counts in the flow chart on the day it happened (issue 21).

Issue 21, "Service tests": "an offline attempt applies the flow chart's rules for the day it
happened". Knowsley's step 2 asks for a telephone call before day 3: a call made on day 2 with
no signal, and sent from the outbox on day 4, meets it on time.
"""

import uuid

import pytest
from django.urls import reverse

from flowchart import selectors, services
from flowchart.schedule import Status
from tests.factories import parent_of

from .conftest import at

TEL_BEFORE_3 = 2


def by_order(episode, on):
    return {s.step.order: s for s in selectors.episode_progress(episode, on).steps}


def sent_later(client, family, person, made_on, time, client_id):
    return client.post(
        reverse("engagement:attempt_sync", kwargs={"case_pk": family.case.pk}),
        {
            "client_id": str(client_id),
            "kind": "phone_call",
            "occurred_on_0": made_on.day,
            "occurred_on_1": made_on.month,
            "occurred_on_2": made_on.year,
            "occurred_time": time,
            "outcome": "no_answer",
            "with_person": person.pk,
            "notes": "Rang the mobile from the car park; it rang out.",
        },
    )


@pytest.fixture
def mother(family):
    return parent_of(family.case, full_name="Siobhan Walsh", preferred_contact_method="phone")


def started_and_signed_in_on(day, family, walk, client):
    """The flow chart started on day 1; the practitioner signed in on `day`, at 10:00."""
    walk.to(at(family.day1, 9))
    episode = services.episode_start(case=family.case, by=family.lead)
    walk.to(at(walk.day(day), 10))
    client.force_login(family.lead)
    return episode


def test_a_call_made_offline_on_day_2_and_sent_on_day_4_meets_the_step_on_time(
    family, walk, mother, client, django_capture_on_commit_callbacks
):
    episode = started_and_signed_in_on(4, family, walk, client)
    assert by_order(episode, walk.day(4))[TEL_BEFORE_3].status == Status.OVERDUE

    with django_capture_on_commit_callbacks(execute=True):
        response = sent_later(client, family, mother, walk.day(2), "11:20", uuid.uuid4())

    assert response.status_code == 201
    step = by_order(episode, walk.day(4))[TEL_BEFORE_3]
    assert step.status == Status.DONE
    assert step.done_on == walk.day(2) and not step.done_late
    # What the practitioner is told is the online save's own words about the step it met.
    assert response.json()["message"].endswith(f"It counted towards the flow-chart step: {step.step.title}.")


def test_the_same_call_arriving_twice_counts_once(
    family, walk, mother, client, django_capture_on_commit_callbacks
):
    episode = started_and_signed_in_on(2, family, walk, client)
    client_id = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = sent_later(client, family, mother, walk.day(2), "09:20", client_id)
        again = sent_later(client, family, mother, walk.day(2), "09:20", client_id)

    assert (first.status_code, again.status_code) == (201, 200)
    assert by_order(episode, walk.day(2))[TEL_BEFORE_3].made == 1
