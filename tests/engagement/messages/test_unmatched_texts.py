"""Texts from numbers we do not know: kept for review, read by line managers, and put by a
manager on a case they manage, where they are recorded as a matched text is."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLogEntry
from cases.notifications import Notification, NotificationKind
from engagement.messages.services import MessageError, received_text_place, text_receive
from tests.conftest import NOW
from tests.factories import (
    AdminFactory,
    AdultFactory,
    CaseFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

LIST = reverse("engagement:unmatched_texts")


def receive(number, body, minutes=0, n=None):
    return text_receive(
        notify_id=str(uuid.UUID(int=n if n is not None else minutes + 1)),
        from_number=number,
        body=body,
        received_at=NOW + dt.timedelta(minutes=minutes),
    )


def place_url(text):
    return reverse("engagement:unmatched_text_place", kwargs={"pk": text.pk})


@pytest.fixture
def mother(case):
    return AdultFactory(case=case, full_name="Grace Okafor", phone="07700 900123")


@pytest.fixture
def unknown(frozen, mother):
    return receive("07700 900999", "It's Grace, this is my new phone", minutes=5)


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def other_case(frozen):
    """A case of another team, managed by someone else."""
    other = ManagerFactory(full_name="Olu Other")
    team = TeamFactory(name="South Early Help Team", manager=other)
    lead = PractitionerFactory(full_name="Sam South", team=team)
    case = CaseFactory(lead_practitioner=lead, team=team, family_name="Jones family")
    return case, AdultFactory(case=case, full_name="Rhian Jones", phone="07700 900555")


def test_the_list_shows_only_texts_from_unknown_numbers_newest_first(
    manager_client, manager, mother, unknown
):
    matched = receive("07700 900123", "Thursday is fine", minutes=1)
    newer = receive("07700 900888", "Who are you?", minutes=9)
    assert matched.person == mother
    page = manager_client.get(LIST)
    assert list(page.context["texts"]) == [newer, unknown]
    shown = page.content.decode()
    assert "Who are you?" in shown and "this is my new phone" in shown and "07700 900999" in shown
    assert "Thursday is fine" not in shown
    row = AccessLogEntry.objects.get(user=manager)
    assert (row.case, row.what, row.denied) == (None, "texts from numbers we do not know", False)


def test_the_list_is_paged(manager_client, frozen):
    for n in range(27):
        receive("07700 900999", f"Text number {n}", minutes=n)
    first = manager_client.get(LIST)
    assert len(first.context["texts"]) == 25 and "Text number 26" in first.content.decode()
    second = manager_client.get(LIST, {"page": 2})
    assert [t.body for t in second.context["texts"]] == ["Text number 1", "Text number 0"]


def test_placing_a_text_records_it_in_the_chronology_once_and_tells_the_lead(
    manager_client, manager, lead, case, mother, unknown
):
    """Issue 23: "Texts received from a family (Notify's inbound SMS callback) enter the chronology
    against the person whose number matches, and the lead practitioner is told"."""
    page = manager_client.get(place_url(unknown))
    assert "It&#x27;s Grace, this is my new phone" in page.content.decode()
    assert AccessLogEntry.objects.filter(user=manager, case=None, object_id=str(unknown.pk)).exists()
    done = manager_client.post(place_url(unknown), {"person": mother.pk})
    assert done.status_code == 302
    assert done["Location"] == reverse("engagement:chronology", kwargs={"case_pk": case.pk})
    unknown.refresh_from_db()
    assert (unknown.person, unknown.case) == (mother, case)
    told = Notification.objects.filter(recipient=lead, kind=NotificationKind.MESSAGE_RECEIVED)
    assert told.count() == 1 and told.get().case == case
    chronology = manager_client.get(done["Location"]).content.decode()
    assert "Text from Grace Okafor" in chronology and "this is my new phone" in chronology
    history = list(unknown.history.order_by("history_date", "history_id"))
    assert [(h.person_id, h.history_user) for h in history] == [(None, None), (mother.pk, manager)]
    # Placed once: it leaves the list, its page is gone, and the service refuses it again.
    assert unknown not in manager_client.get(LIST).context["texts"]
    assert manager_client.post(place_url(unknown), {"person": mother.pk}).status_code == 404
    with pytest.raises(MessageError, match="already been put on a case"):
        received_text_place(text=unknown, person=mother, by=manager)
    assert told.count() == 1


def test_a_matched_text_and_a_placed_one_are_recorded_alike(manager, lead, case, mother, unknown):
    matched = receive("07700 900123", "Thursday is fine", minutes=1)
    placed = received_text_place(text=unknown, person=mother, by=manager)
    for text in (matched, placed):
        assert (text.person, text.case) == (mother, case)
        assert Notification.objects.filter(
            recipient=lead, kind=NotificationKind.MESSAGE_RECEIVED, key=f"text_received:{text.pk}"
        ).exists()


def test_placing_on_a_case_the_manager_does_not_manage_is_404(manager_client, manager, unknown, other_case):
    case, stranger = other_case
    answer = manager_client.post(place_url(unknown), {"person": stranger.pk})
    assert answer.status_code == 404
    unknown.refresh_from_db()
    assert unknown.person is None
    assert AccessLogEntry.objects.filter(user=manager, case=case, denied=True).exists()
    assert not Notification.objects.filter(kind=NotificationKind.MESSAGE_RECEIVED).exists()
    with pytest.raises(MessageError, match="Only the team manager"):
        received_text_place(text=unknown, person=stranger, by=manager)


def test_the_other_manager_reads_the_list_but_is_offered_only_their_own_cases(
    client, mother, unknown, other_case
):
    case, stranger = other_case
    client.force_login(case.team.manager)
    assert unknown in client.get(LIST).context["texts"]
    offered = list(client.get(place_url(unknown)).context["form"].fields["person"].queryset)
    assert offered == [stranger]
    assert client.post(place_url(unknown), {"person": mother.pk}).status_code == 404


def test_choosing_nobody_says_what_to_do(manager_client, unknown):
    page = manager_client.post(place_url(unknown), {})
    assert "Select who sent the text" in page.content.decode()


def test_a_closed_case_is_not_offered(manager_client, case, mother, unknown):
    case.status = "closed"
    case.closed_on = NOW.date()
    case.save()
    assert list(manager_client.get(place_url(unknown)).context["form"].fields["person"].queryset) == []


@pytest.mark.parametrize("who", ["lead", "admin", "practitioner"])
def test_lead_practitioners_and_admins_cannot_open_the_pages(client, lead, unknown, who):
    user = {"lead": lead, "admin": AdminFactory(), "practitioner": PractitionerFactory()}[who]
    client.force_login(user)
    assert client.get(LIST).status_code == 404
    assert client.get(place_url(unknown)).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_read_as_many_queries_for_one_text_or_person_as_for_many(
    manager_client, case, mother, unknown, frozen
):
    one_text, one_person = _queries(manager_client, LIST), _queries(manager_client, place_url(unknown))
    for n in range(30):
        receive("07700 900777", f"Text {n}", minutes=20 + n)
        AdultFactory(case=CaseFactory(lead_practitioner=case.lead_practitioner), full_name=f"Adult {n}")
    assert _queries(manager_client, LIST) == one_text
    assert _queries(manager_client, place_url(unknown)) == one_person
    assert manager_client.get(place_url(unknown)).context["form"].fields["person"].queryset.count() == 31
