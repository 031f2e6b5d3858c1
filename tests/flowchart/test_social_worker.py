"""The allocated social worker: told of non-engagement, reads the signed assessments and the
decisions of the cases they are allocated to, and nothing else.

Camden 004, section 1: "all forms of non-engagement and hostility must be reported to the
professional's safeguarding lead officer and the child's allocated social worker and their
supervisor or manager so that appropriate action can be taken."
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from cases.access import (
    CaseAction,
    can,
    can_review_hostile_incident,
    case_for,
    cases_allocated_to,
    is_allocated_social_worker,
)
from cases.models import AccessLogEntry, MembershipRole, Role
from cases.notifications import Notification, NotificationKind
from cases.services import CaseError, membership_add, membership_end
from engagement.safety.models import HostileIncidentReview
from engagement.safety.services import hostile_incident_record
from flowchart import services
from flowchart.services import Considered
from riskassessment import services as assessment_services
from riskassessment.models import Basis, FactorSide, Timeframe
from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    EpisodeFactory,
    SocialWorkerFactory,
    SocialWorkerMembershipFactory,
)

from .conftest import at

STRATEGIES = "Calls at different times, two visits with cards left, and the school asked to help."


@pytest.fixture
def allocated(family, time_machine):
    """Sol Worker, the allocated social worker of the family's case, from day 1."""
    time_machine.move_to(at(family.day1, 9), tick=False)
    family.social_worker = SocialWorkerMembershipFactory(
        case=family.case, user__full_name="Sol Worker", user__email="sol.worker@example.test"
    ).user
    EpisodeFactory(case=family.case)
    return family


def _inform(family, committed):
    with committed:
        return services.manager_inform(
            case=family.case,
            by=family.lead,
            strategies_tried=STRATEGIES,
            fera_outcome="Risks outweigh protective factors.",
            risk_increased="yes",
        )


def test_informing_the_manager_tells_the_social_worker_too_once(
    allocated, time_machine, django_capture_on_commit_callbacks
):
    """Camden 004, section 4: "It is essential that any difficulties in engaging families that
    result in a failure to implement the child's plan are reported to the child's allocated
    social worker and their supervisor or manager." Knowsley 000, day 13: "Inform Manager of
    non-engagement"."""
    family = allocated
    time_machine.move_to(at(family.day1 + dt.timedelta(days=16), 10), tick=False)
    record = _inform(family, django_capture_on_commit_callbacks(execute=True))

    told = Notification.objects.filter(kind=NotificationKind.MANAGER_INFORMED).order_by("pk")
    assert [(n.recipient, n.key) for n in told] == [
        (family.manager, f"informed:{record.pk}"),
        (family.social_worker, f"informed:{record.pk}:social_worker:{family.social_worker.pk}"),
    ]
    to_social_worker = told[1]
    assert to_social_worker.url == reverse("socialwork:case", kwargs={"case_pk": family.case.pk})
    assert to_social_worker.subject == (
        f"{family.case.reference}: the family is not engaging; the line manager has been told"
    )
    # Reference, what happened and a link: the practitioner's notes stay out of the email.
    (email,) = [m for m in mail.outbox if m.to == ["sol.worker@example.test"]]
    assert family.case.reference in email.body and email.body.endswith(to_social_worker.url)
    assert "Priya Patel, the lead practitioner, has told their line manager, Morgan Manager" in email.body
    assert STRATEGIES not in email.body and "Risks outweigh" not in email.body

    # Told once: the same record never tells anyone twice.
    services.oversight._tell_social_workers_of_non_engagement(record)
    assert Notification.objects.filter(recipient=family.social_worker).count() == 1


def test_only_live_allocated_social_workers_are_told(
    allocated, time_machine, django_capture_on_commit_callbacks
):
    family = allocated
    membership_end(membership=family.social_worker.case_memberships.get(), by=family.lead)
    # A social-worker membership of someone whose role is not social worker gives nothing.
    member = AgencyMemberFactory()
    CaseMembershipFactory(case=family.case, user=member, role=MembershipRole.SOCIAL_WORKER)
    second = SocialWorkerMembershipFactory(case=family.case).user
    _inform(family, django_capture_on_commit_callbacks(execute=True))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {family.manager.pk, second.pk}


def _signed_assessment(family):
    lead, manager = family.lead, family.manager
    ChildFactory(case=family.case, full_name="Connor", date_of_birth=dt.date(2016, 3, 1))
    assessment = assessment_services.assessment_start(case=family.case, by=lead)
    assessment_services.assessment_update(
        assessment=assessment,
        by=lead,
        children=list(family.case.people.filter(kind="child")),
        assessment_date=assessment.assessment_date,
        participants="Priya Patel",
        with_multi_agency_meeting=False,
        service="North Early Help Team",
        analysis="The children have not been seen since the referral.",
        elevated_risk=False,
        factors=[
            assessment_services.FactorData(
                side=FactorSide.RISK,
                timeframe=Timeframe.CURRENT,
                basis=Basis.EVIDENCED,
                description="Missed health appointments",
                evidence="The health visitor's records",
            )
        ],
        plan_actions=[
            assessment_services.ActionData(
                what="Joint visit with the health visitor",
                who="Priya Patel",
                by_when=family.day1 + dt.timedelta(days=20),
                review_on=family.day1 + dt.timedelta(days=30),
            )
        ],
    )
    assessment_services.assessment_submit(assessment=assessment, by=lead)
    assessment_services.assessment_oversight_record(
        assessment=assessment,
        by=manager,
        actions=[
            assessment_services.ActionData(
                what="Supervision",
                who="Morgan Manager",
                by_when=family.day1 + dt.timedelta(days=20),
                review_on=family.day1 + dt.timedelta(days=30),
            )
        ],
    )
    return assessment_services.assessment_sign(assessment=assessment, by=manager, typed_name="Morgan Manager")


def test_the_social_worker_reads_the_signed_assessment_and_the_decision_and_nothing_of_another_case(
    allocated, client, time_machine, django_capture_on_commit_callbacks
):
    """The access table (ARCHITECTURE): the allocated social worker sees "the cases they are
    allocated to: shared assessments, decisions, hostile incidents". Camden 004, section 5: "The
    allocated social worker will convene a network meeting ... specifically for the purpose of
    looking at non-engagement and its consequences for the child"."""
    family = allocated
    time_machine.move_to(at(family.day1 + dt.timedelta(days=10), 11), tick=False)
    signed = _signed_assessment(family)
    draft = assessment_services.assessment_amend(assessment=signed, by=family.lead)
    time_machine.move_to(at(family.day1 + dt.timedelta(days=16), 10), tick=False)
    _inform(family, django_capture_on_commit_callbacks(execute=True))
    time_machine.move_to(at(family.day1 + dt.timedelta(days=18), 14), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.decision_record(
            case=family.case,
            by=family.manager,
            outcome="continue",
            reasons="A joint visit with the health visitor, whom the family trusts.",
            considered=Considered(mash_referral="yes", multi_agency_meeting="yes", level_two="no"),
            review_on=family.day1 + dt.timedelta(days=32),
        )
    client.force_login(family.social_worker)
    c = family.case.pk

    landing = client.get(reverse("home"), follow=True)
    assert landing.request["PATH_INFO"] == reverse("socialwork:allocated_cases")
    page = landing.content.decode()
    assert family.case.reference in page and reverse("socialwork:case", kwargs={"case_pk": c}) in page

    case_page = client.get(reverse("socialwork:case", kwargs={"case_pk": c})).content.decode()
    assessment_url = reverse("socialwork:assessment", kwargs={"case_pk": c, "pk": signed.pk})
    assert assessment_url in case_page
    assert reverse("socialwork:assessment", kwargs={"case_pk": c, "pk": draft.pk}) not in case_page
    assert "Continue the engagement process, with a review date" in case_page

    assessment_page = client.get(assessment_url).content.decode()
    assert (
        "Missed health appointments" in assessment_page
        and "Joint visit with the health visitor" in assessment_page
    )
    pdf = client.get(reverse("socialwork:assessment_pdf", kwargs={"case_pk": c, "pk": signed.pk}))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # The draft of version 2 stays with the case team.
    assert (
        client.get(reverse("socialwork:assessment", kwargs={"case_pk": c, "pk": draft.pk})).status_code == 404
    )

    decisions = client.get(reverse("socialwork:decisions", kwargs={"case_pk": c})).content.decode()
    assert "A joint visit with the health visitor, whom the family trusts." in decisions
    assert "Review date" in decisions

    assert AccessLogEntry.objects.filter(
        user=family.social_worker, case=family.case, what="decisions"
    ).exists()

    # Another case: every page of it answers 404, as does the case team's own pages of this one.
    other = CaseFactory(lead_practitioner=family.lead)
    for name, kwargs in [
        ("socialwork:case", {"case_pk": other.pk}),
        ("socialwork:decisions", {"case_pk": other.pk}),
        ("socialwork:partner_reports", {"case_pk": other.pk}),
        ("socialwork:assessment", {"case_pk": other.pk, "pk": signed.pk}),
        ("cases:case_detail", {"case_pk": c}),
        ("engagement:chronology", {"case_pk": c}),
        ("riskassessment:assessment_detail", {"case_pk": c, "pk": signed.pk}),
        ("flowchart:case_flowchart", {"case_pk": c}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name


def test_an_ended_allocation_or_a_changed_role_closes_the_door(allocated, client):
    family = allocated
    url = reverse("socialwork:case", kwargs={"case_pk": family.case.pk})
    client.force_login(family.social_worker)
    assert client.get(url).status_code == 200
    family.social_worker.role = Role.LEAD_PRACTITIONER
    family.social_worker.save()
    assert client.get(url).status_code == 404
    family.social_worker.role = Role.SOCIAL_WORKER
    family.social_worker.save()
    membership_end(membership=family.social_worker.case_memberships.get(), by=family.lead)
    assert client.get(url).status_code == 404
    assert not cases_allocated_to(family.social_worker).exists()


def test_the_access_predicates(allocated):
    """cases/access.py is the one policy: who may record a review after a hostile incident (Camden
    004, section 7: "report any incidents to the allocated social worker who may convene a risk
    management meeting")."""
    family = allocated
    case, sw = family.case, family.social_worker
    other_sw = SocialWorkerMembershipFactory(case=CaseFactory()).user
    member = AgencyMemberFactory()
    CaseMembershipFactory(case=case, user=member)
    assert is_allocated_social_worker(sw, case) and not is_allocated_social_worker(other_sw, case)
    assert can(sw, CaseAction.SOCIAL_WORK, case) and not can(sw, CaseAction.VIEW, case)
    assert not can(family.lead, CaseAction.SOCIAL_WORK, case)
    reviewers = {
        u for u in (sw, other_sw, family.manager, family.lead, member) if can_review_hostile_incident(u, case)
    }
    assert reviewers == {sw, family.manager}
    assert {u for u in (sw, family.manager, family.lead) if can(u, CaseAction.SAFETY_REVIEW, case)} == {
        sw,
        family.manager,
    }
    assert case_for(sw, case.pk, CaseAction.SAFETY_REVIEW) == case
    assert case_for(family.manager, case.pk, CaseAction.SAFETY_REVIEW) == case
    assert can(sw, CaseAction.SAFETY, case) and not can(other_sw, CaseAction.SAFETY, case)
    assert can(member, CaseAction.PARTNER_REPORT, case) and not can(sw, CaseAction.PARTNER_REPORT, case)


def test_a_social_worker_membership_needs_the_role(allocated):
    family = allocated
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    with pytest.raises(CaseError, match="Alex Adeyemi is not an allocated social worker: ask an admin"):
        membership_add(case=family.case, by=family.lead, user=member, role=MembershipRole.SOCIAL_WORKER)
    sw = SocialWorkerFactory()
    with pytest.raises(CaseError, match="is not a practitioner"):
        membership_add(case=family.case, by=family.lead, user=sw, role=MembershipRole.CO_WORKER)
    with pytest.raises(CaseError, match="is not a multi-agency member"):
        membership_add(case=family.case, by=family.lead, user=sw, role=MembershipRole.AGENCY_MEMBER)
    membership = membership_add(case=family.case, by=family.lead, user=sw, role=MembershipRole.SOCIAL_WORKER)
    assert is_allocated_social_worker(sw, family.case) and membership.added_by == family.lead


def test_the_case_team_allocates_the_social_worker_from_the_case_page(allocated, client):
    family = allocated
    sw = SocialWorkerFactory(full_name="Dee Duty")
    client.force_login(family.lead)
    url = reverse("cases:membership_add", kwargs={"case_pk": family.case.pk})
    form = client.get(url).content.decode()
    assert "Allocated social worker" in form and "Dee Duty (allocated social worker)" in form
    response = client.post(url, {"user": sw.pk, "role": MembershipRole.SOCIAL_WORKER})
    assert response.status_code == 302
    assert is_allocated_social_worker(sw, family.case)
    page = client.get(reverse("cases:case_detail", kwargs={"case_pk": family.case.pk})).content.decode()
    assert "Dee Duty" in page


def test_the_allocated_cases_list_shows_only_their_cases(allocated, client):
    family = allocated
    other = CaseFactory(lead_practitioner=family.lead, family_name="Not theirs family")
    ended = CaseFactory(lead_practitioner=family.lead, family_name="Ended family")
    membership_end(
        membership=SocialWorkerMembershipFactory(case=ended, user=family.social_worker), by=family.lead
    )
    client.force_login(family.social_worker)
    page = client.get(reverse("socialwork:allocated_cases")).content.decode()
    # Names as the page prints them: an apostrophe ("O'Neill") is escaped in HTML.
    assert escape(family.case.family_name) in page
    assert escape(other.family_name) not in page and escape(ended.family_name) not in page
    nav = [item["label"] for item in client.get(reverse("socialwork:allocated_cases")).context["nav_items"]]
    assert nav == ["My allocated cases", "Notifications"]


def test_the_social_worker_is_told_of_a_hostile_incident_once_and_reviews_it_from_their_page(
    allocated, client, time_machine, django_capture_on_commit_callbacks
):
    """Issue 17: the allocated social worker "receives hostile-incident ... notifications, and can
    record a review after a hostile incident". Camden 004, section 7: report any incident "to the
    allocated social worker who may convene a risk management meeting"."""
    family = allocated
    mother = AdultFactory(case=family.case, full_name="Grace Okafor")
    time_machine.move_to(at(family.day1 + dt.timedelta(days=2), 11), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        incident = hostile_incident_record(
            case=family.case,
            by=family.lead,
            occurred_at=at(family.day1 + dt.timedelta(days=2), 10),
            place="On the doorstep of the family home",
            people=[mother],
            what_happened="Shouting and a threat to hit me; I left.",
            threats=True,
        )
    incident_url = reverse(
        "engagement:hostile_incident_detail", kwargs={"case_pk": family.case.pk, "pk": incident.pk}
    )
    # Told once, with the manager; the email says where to look, not what happened.
    told = Notification.objects.filter(kind=NotificationKind.HOSTILE_INCIDENT).order_by(
        "recipient__full_name"
    )
    assert [(n.recipient, n.url) for n in told] == [
        (family.manager, incident_url),
        (family.social_worker, incident_url),
    ]
    (email,) = [m for m in mail.outbox if m.to == ["sol.worker@example.test"]]
    assert "a hostile incident was recorded" in email.subject and "threat" not in email.body

    client.force_login(family.social_worker)
    listing = client.get(reverse("socialwork:allocated_cases")).content.decode()
    assert "Visit in pairs: hostile incident on 4 Nov 2026." in listing
    case_url = reverse("socialwork:case", kwargs={"case_pk": family.case.pk})
    page = client.get(case_url).content.decode()
    assert "Visit in pairs: hostile incident on 4 November 2026." in page
    assert incident_url in page and "Not reviewed yet" in page

    detail = client.get(incident_url).content.decode()
    assert "Record a review" in detail and "Lift the warning" not in detail
    assert f'href="{case_url}" class="govuk-back-link"' in detail
    review_url = reverse(
        "engagement:hostile_incident_review", kwargs={"case_pk": family.case.pk, "pk": incident.pk}
    )
    # The next afternoon, after the risk management meeting (signed in again: a day is past the
    # session's idle timeout).
    time_machine.move_to(at(family.day1 + dt.timedelta(days=3), 15), tick=False)
    client.force_login(family.social_worker)
    day = family.day1 + dt.timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            review_url,
            {
                "meeting_held": "yes",
                "meeting_on_0": day.day,
                "meeting_on_1": day.month,
                "meeting_on_2": day.year,
                "safety_plan": "Joint visits only; office meetings where we can.",
                "warning_stays": "yes",
            },
        )
    assert response.status_code == 302 and response["Location"] == incident_url
    review = HostileIncidentReview.objects.get(incident=incident)
    assert review.reviewed_by == family.social_worker and review.meeting_on == day
    # The lead practitioner and the manager hear of the review; the reviewer is not told of it.
    reviewed = Notification.objects.filter(kind=NotificationKind.HOSTILE_REVIEW)
    assert sorted(n.recipient.full_name for n in reviewed) == ["Morgan Manager", "Priya Patel"]
    assert "Not reviewed yet" not in client.get(case_url).content.decode()
    # Still told once of the incident, whatever happened since.
    assert (
        Notification.objects.filter(
            kind=NotificationKind.HOSTILE_INCIDENT, recipient=family.social_worker
        ).count()
        == 1
    )


def test_a_social_worker_of_another_case_neither_reads_nor_reviews_the_incident(allocated, client):
    family = allocated
    incident = hostile_incident_record(
        case=family.case,
        by=family.lead,
        occurred_at=at(family.day1, 8),
        place="On the telephone",
        people=[AdultFactory(case=family.case)],
        what_happened="Swore at me and hung up.",
    )
    other = SocialWorkerMembershipFactory(case=CaseFactory()).user
    client.force_login(other)
    for name in ("engagement:hostile_incident_detail", "engagement:hostile_incident_review"):
        url = reverse(name, kwargs={"case_pk": family.case.pk, "pk": incident.pk})
        assert client.get(url).status_code == 404, name
    assert not Notification.objects.filter(recipient=other).exists()
