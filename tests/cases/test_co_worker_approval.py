"""Co-workers from another team need the manager's approval (finding 19).

The issue: "Any practitioner can add another team's practitioner as a co-worker on their case,
with no manager approval, which opens the whole case to them." A co-worker from another team is
a request until the case's team manager approves it; access comes only after approval; a refused
request is kept. Co-workers from the case's own team join at once, as before.
"""

import pytest
from django.urls import reverse

from cases import services
from cases.access import cases_visible_to
from cases.models import CaseMembership, MembershipRole, MembershipStatus
from cases.notifications import Notification, NotificationKind
from tests.factories import ManagerFactory, PractitionerFactory, TeamFactory

from .conftest import NOW


@pytest.fixture
def outsider(db):
    """Sam, a practitioner in another team, with another manager."""
    other = TeamFactory(name="South Early Help Team", manager=ManagerFactory(full_name="Olu Other"))
    return PractitionerFactory(full_name="Sam Outside", team=other)


def _ask(case, lead, outsider):
    return services.membership_add(case=case, by=lead, user=outsider, role=MembershipRole.CO_WORKER)


def test_another_teams_practitioner_is_a_request_that_opens_nothing(case, lead, manager, outsider):
    membership = _ask(case, lead, outsider)
    assert membership.status == MembershipStatus.REQUESTED
    assert not cases_visible_to(outsider).filter(pk=case.pk).exists()
    (note,) = Notification.objects.filter(recipient=manager, kind=NotificationKind.CO_WORKER_REQUEST)
    # Content-free: the reference, never the family or who was asked.
    assert case.reference in note.subject
    for words in (case.family_name, "Sam Outside", "Priya Patel"):
        assert words not in note.subject and words not in note.body
    with pytest.raises(services.CaseError, match="already waiting for the manager's approval"):
        _ask(case, lead, outsider)


def test_the_manager_approves_on_the_case_page_and_then_they_see_the_case(
    case, lead, manager, outsider, client
):
    membership = _ask(case, lead, outsider)
    client.force_login(manager)
    page = client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    assert "Waiting for the manager&#x27;s approval" in page or "Waiting for the manager's approval" in page
    url = reverse("cases:membership_decide", kwargs={"case_pk": case.pk, "pk": membership.pk})
    assert client.post(url, {"decision": "approve"}).status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.decided_by, membership.decided_at) == (
        MembershipStatus.ACTIVE,
        manager,
        NOW,
    )
    assert cases_visible_to(outsider).filter(pk=case.pk).exists()


def test_a_refused_request_is_kept_and_opens_nothing(case, lead, manager, outsider):
    membership = _ask(case, lead, outsider)
    services.membership_decide(membership=membership, by=manager, approve=False)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.REFUSED and membership.ended_at == NOW
    assert membership.decided_by == manager
    assert not cases_visible_to(outsider).filter(pk=case.pk).exists()
    assert CaseMembership.objects.filter(pk=membership.pk).exists()
    assert membership.history.count() == 2
    with pytest.raises(services.CaseError, match="already been answered"):
        services.membership_decide(membership=membership, by=manager, approve=True)


def test_only_the_cases_line_manager_decides(case, lead, outsider):
    membership = _ask(case, lead, outsider)
    for someone in (lead, outsider.team.manager):
        with pytest.raises(services.CaseError, match="Only the case's line manager"):
            services.membership_decide(membership=membership, by=someone, approve=True)


def test_a_co_worker_from_the_same_team_joins_at_once(case, lead, colleague):
    membership = services.membership_add(case=case, by=lead, user=colleague, role=MembershipRole.CO_WORKER)
    assert membership.status == MembershipStatus.ACTIVE
    assert cases_visible_to(colleague).filter(pk=case.pk).exists()
    assert not Notification.objects.filter(kind=NotificationKind.CO_WORKER_REQUEST).exists()


def test_the_manager_adding_another_teams_practitioner_is_their_approval(case, manager, outsider):
    membership = services.membership_add(case=case, by=manager, user=outsider, role=MembershipRole.CO_WORKER)
    assert (membership.status, membership.decided_by) == (MembershipStatus.ACTIVE, manager)
    assert cases_visible_to(outsider).filter(pk=case.pk).exists()


def test_the_request_waits_in_the_managers_oversight_queue(case, lead, manager, outsider, client):
    _ask(case, lead, outsider)
    client.force_login(manager)
    html = client.get(reverse("needs_you:queue")).content.decode()
    assert "Co-worker from another team to approve: Sam Outside (South Early Help Team)" in html
    assert "Priya Patel" in html


@pytest.mark.parametrize("approve", [True, False])
def test_the_managers_request_to_approve_is_done_once_answered(case, lead, manager, outsider, approve):
    """Issue 20: notifications "mark themselves done when the task they ask for is done"."""
    membership = _ask(case, lead, outsider)
    [asked] = Notification.objects.filter(kind=NotificationKind.CO_WORKER_REQUEST)
    assert (asked.recipient, asked.task, asked.task_object_id, asked.done_at) == (
        manager,
        "decide_co_worker",
        membership.pk,
        None,
    )
    services.membership_decide(membership=membership, by=manager, approve=approve)
    asked.refresh_from_db()
    assert asked.done_at == NOW  # kept, and marked done when answered
