"""Partners see the family name they know (issue 20: "partners see a reference but not the family
name they know"). In the service only: a multi-agency member's notifications show the family's
name where its assessment (or a decision) has been shared with them and they still sit on the
case; the mail still carries only the reference (tests/security/test_mail_content.py).
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases.models import Case
from cases.notifications import NotificationKind
from riskassessment.models import Share
from tests.factories import (
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ManagerFactory,
    TeamFactory,
)
from tests.factories.flowchart import NotificationFactory
from tests.factories.riskassessment import AssessmentFactory


def _page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("flowchart:notifications")).content.decode()


def test_the_partner_told_of_a_share_sees_the_family_name_in_the_service_not_in_the_mail(
    family, signed, client
):
    notification = family.member.notifications.get(kind=NotificationKind.FERA_SHARED)
    assert family.case.family_name not in notification.subject + notification.body
    html = _page(client, family.member)
    assert f'<p class="govuk-body govuk-!-margin-bottom-1">{escape(family.case.family_name)}</p>' in html


def test_a_partner_whose_place_on_the_case_ended_no_longer_sees_the_name(family, signed, client):
    family.membership.ended_at = timezone.now()
    family.membership.save()
    html = _page(client, family.member)
    assert escape(family.case.family_name) not in html


def test_a_partner_sitting_on_a_case_with_nothing_shared_sees_only_the_reference(db, client):
    member = AgencyMemberFactory()
    case: Case = CaseFactory(family_name="Okafor family")
    CaseMembershipFactory(case=case, user=member)
    NotificationFactory(recipient=member, case=case, subject=f"{case.reference}: something", body="Body")
    html = _page(client, member)
    assert case.reference in html and "Okafor family" not in html


def test_the_lead_practitioner_sees_the_family_name_of_their_case(family, submitted, client):
    NotificationFactory(recipient=family.lead, case=family.case, subject="A reminder", body="Body")
    assert escape(family.case.family_name) in _page(client, family.lead)


def test_another_partner_on_another_case_is_not_shown_this_family(family, signed, client):
    other = AgencyMemberFactory()
    elsewhere = CaseFactory(family_name="Hussain family")
    CaseMembershipFactory(case=elsewhere, user=other)
    NotificationFactory(recipient=other, case=elsewhere, subject="x", body="y")
    html = _page(client, other)
    assert "Hussain family" not in html and escape(family.case.family_name) not in html


def test_a_partners_list_costs_the_same_queries_for_one_family_or_many(db, client):
    """The family names come in the list's one query, however many families are shared."""
    member = AgencyMemberFactory()
    team = TeamFactory(manager=ManagerFactory())

    def shared_family(n):
        case = CaseFactory(family_name=f"Family {n}", team=team)
        membership = CaseMembershipFactory(case=case, user=member)
        assessment = AssessmentFactory(case=case, signed=True)
        Share.objects.create(
            assessment=assessment,
            team=assessment.case.team,
            member=member,
            membership=membership,
            due_on=assessment.share_due_on,
        )
        NotificationFactory(recipient=member, case=case, subject=f"{case.reference}: shared", body="b")
        return case

    shared_family(0)
    client.force_login(member)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("flowchart:notifications"))
    for n in range(1, 21):
        shared_family(n)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("flowchart:notifications")).content.decode()
    assert len(many.captured_queries) == len(one.captured_queries)
    assert all(f">Family {n}</p>" in html for n in range(21))
