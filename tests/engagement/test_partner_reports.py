"""Partners report non-engagement on a case they sit on (Camden 004, section 4).

Camden 004: "Non-engagement with education, health and adult services must also be reported as
this may be an indication that the situation at home is deteriorating." The report goes into the
case's chronology marked with its source, the lead practitioner and the allocated social worker
are told once each, and the member still sees nothing else of the case.
"""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import AccessLogEntry, CaseStatus, MembershipRole
from cases.notifications import Notification, NotificationKind
from cases.services import membership_end
from engagement.partners.models import PartnerReport
from engagement.partners.services import PartnerReportError, _tell, partner_report_record
from tests.factories import (
    AgencyFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    SocialWorkerMembershipFactory,
)

from .conftest import NOW, REFERRAL

DETAILS = "Chidi was not brought to his 9:30 hearing test; I rang Grace at 10:00 and it rang out."


@pytest.fixture
def school(case):
    """Sara School, designated safeguarding lead at Oakfield Primary School, sits on the case."""
    sara = AgencyMemberFactory(
        full_name="Sara School",
        email="sara.school@example.test",
        agency=AgencyFactory(name="Oakfield Primary School"),
    )
    CaseMembershipFactory(case=case, user=sara, role=MembershipRole.AGENCY_MEMBER)
    return sara


@pytest.fixture
def social_worker(case):
    return SocialWorkerMembershipFactory(
        case=case, user__full_name="Sol Worker", user__email="sol.worker@example.test"
    ).user


def report_data(**overrides):
    data = {
        "kind": "child_not_brought",
        "occurred_on_0": "5",
        "occurred_on_1": "11",
        "occurred_on_2": "2026",
        "occurred_time": "09:30",
        "how_known": "records",
        "details": DETAILS,
    }
    return data | overrides


def report_url(case):
    return reverse("engagement:partner_report", kwargs={"case_pk": case.pk})


def test_a_partners_report_reaches_the_chronology_and_tells_the_lead_and_the_social_worker_once_each(
    client, case, lead, school, social_worker, django_capture_on_commit_callbacks
):
    """Camden 004, section 4: "It is essential that any difficulties in engaging families that
    result in a failure to implement the child's plan are reported to the child's allocated social
    worker"; "Health services should notify social workers where families are failing to keep
    health appointments"; and "it is strongly recommended that this is followed up in writing and
    a record kept on the child's file"."""
    client.force_login(school)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(report_url(case), report_data())
    assert response.status_code == 302 and response["Location"] == report_url(case)

    report = PartnerReport.objects.get()
    assert (report.case, report.reported_by, str(report.agency)) == (case, school, "Oakfield Primary School")
    assert report.membership.role == MembershipRole.AGENCY_MEMBER
    assert (report.occurred_on, report.occurred_time) == (dt.date(2026, 11, 5), dt.time(9, 30))
    assert report.reported_at == NOW
    assert report.history.get().history_user == school
    # The member sees what they sent, and that it went.
    page = client.get(report_url(case)).content.decode()
    assert "Report sent. The lead practitioner and the allocated social worker have been told." in page
    assert DETAILS.replace("'", "&#x27;") in page

    told = Notification.objects.filter(kind=NotificationKind.PARTNER_REPORT)
    assert sorted(n.recipient.full_name for n in told) == ["Priya Patel", "Sol Worker"]
    assert {n.recipient: n.url for n in told} == {
        lead: reverse("engagement:chronology", kwargs={"case_pk": case.pk}) + "#partner-reports",
        social_worker: reverse("socialwork:partner_reports", kwargs={"case_pk": case.pk}),
    }
    assert Notification.objects.count() == 2  # nobody else: not the member, not the manager
    # The email carries the reference, what kind of thing and a link; never the report's words.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, "sol.worker@example.test"])
    links = {n.recipient.email: n.url for n in told}
    for message in mail.outbox:
        assert (
            message.subject
            == f"{case.reference}: a partner agency reported a child not brought to an appointment, nursery or school"
        )
        assert message.body.startswith(
            "Oakfield Primary School reported a child not brought to an appointment, nursery or school "
            f"for case {case.reference}: it happened on 5 November 2026."
        )
        assert message.body.endswith(links[message.to[0]])
        assert "hearing test" not in message.body and "Grace" not in message.body
        assert case.family_name not in message.body

    # The chronology, as the lead practitioner reads it: marked with its source.
    client.force_login(lead)
    chronology = client.get(reverse("engagement:chronology", kwargs={"case_pk": case.pk})).content.decode()
    assert "Reports from partner agencies" in chronology
    assert "Reported by Sara School, Oakfield Primary School" in chronology
    assert "A child not brought to an appointment, nursery or school" in chronology
    assert "How they know: our records (attendance, appointments)" in chronology
    assert "hearing test" in chronology


def test_each_person_is_told_once_even_if_the_telling_runs_again(case, lead, school, social_worker, frozen):
    report = partner_report_record(
        case=case,
        by=school,
        kind="missed_appointment",
        occurred_on=REFERRAL,
        how_known="first_hand",
        details="Grace did not come to the parents' meeting at 15:00.",
    )
    _tell(report)
    _tell(report)
    assert Notification.objects.filter(kind=NotificationKind.PARTNER_REPORT).count() == 2
    # A second report is news again: each is told of it, once.
    partner_report_record(
        case=case,
        by=school,
        kind="hostile_exchange",
        occurred_on=REFERRAL,
        how_known="colleague",
        details="Shouting at the school office when asked about Chidi's absence.",
    )
    assert Notification.objects.filter(kind=NotificationKind.PARTNER_REPORT, recipient=lead).count() == 2
    assert (
        Notification.objects.filter(kind=NotificationKind.PARTNER_REPORT, recipient=social_worker).count()
        == 2
    )


def test_an_ended_social_worker_and_a_switched_off_one_are_not_told(case, lead, school, frozen):
    ended = SocialWorkerMembershipFactory(case=case)
    membership_end(membership=ended, by=lead)
    inactive = SocialWorkerMembershipFactory(case=case).user
    inactive.is_active = False
    inactive.save()
    partner_report_record(
        case=case, by=school, kind="concern", occurred_on=REFERRAL, how_known="family", details="Moved?"
    )
    assert list(Notification.objects.values_list("recipient", flat=True)) == [lead.pk]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"kind": ""}, "Select what happened"),
        ({"how_known": ""}, "Select how you know"),
        ({"details": "   "}, "Enter what happened, in your own words"),
        ({"occurred_on_0": "", "occurred_on_1": "", "occurred_on_2": ""}, "Enter the date it happened"),
        ({"occurred_on_0": "6"}, "The date and time it happened must be now or in the past"),
        ({"occurred_time": "11:00"}, "The date and time it happened must be now or in the past"),
        ({"occurred_time": "25:00"}, "Enter the time as hours and minutes, for example 14:30"),
    ],
)
def test_the_form_says_what_to_fix(client, case, school, overrides, message):
    client.force_login(school)
    response = client.post(report_url(case), report_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PartnerReport.objects.exists()
    assert not Notification.objects.exists()


def test_only_a_member_sitting_on_the_case_may_report(case, lead, school, social_worker, frozen):
    """The service refuses anyone else, whatever page they came from."""
    other = AgencyMemberFactory()
    CaseMembershipFactory(case=CaseFactory(), user=other)
    for by in (other, lead, social_worker):
        with pytest.raises(PartnerReportError, match="Only a multi-agency member of this case can report"):
            partner_report_record(
                case=case, by=by, kind="concern", occurred_on=REFERRAL, how_known="family", details="x"
            )
    membership_end(membership=school.case_memberships.get(), by=lead)
    with pytest.raises(PartnerReportError, match="Only a multi-agency member"):
        partner_report_record(
            case=case, by=school, kind="concern", occurred_on=REFERRAL, how_known="family", details="x"
        )
    assert not PartnerReport.objects.exists()


def test_a_closed_case_takes_no_report(client, case, school, frozen):
    case.status, case.closed_on = CaseStatus.CLOSED, NOW.date()
    case.save()
    with pytest.raises(PartnerReportError, match="This case is closed: if you are worried about a child"):
        partner_report_record(
            case=case, by=school, kind="concern", occurred_on=REFERRAL, how_known="family", details="x"
        )
    client.force_login(school)
    page = client.get(report_url(case)).content.decode()
    assert "This case is closed: if you are worried about a child" in page and 'name="details"' not in page
    assert report_url(case) not in client.get(reverse("riskassessment:shared_list")).content.decode()


def test_the_member_sees_only_their_own_reports_and_a_way_in_from_their_pages(client, case, school, frozen):
    colleague = AgencyMemberFactory(full_name="Hana Health")
    CaseMembershipFactory(case=case, user=colleague)
    partner_report_record(
        case=case,
        by=colleague,
        kind="concern",
        occurred_on=REFERRAL,
        how_known="family",
        details="Hana's words",
    )
    client.force_login(school)
    page = client.get(report_url(case)).content.decode()
    assert "Hana&#x27;s words" not in page and "You have not reported anything on this case yet." in page
    assert AccessLogEntry.objects.filter(user=school, case=case, what="partner report").exists()
    shared = client.get(reverse("riskassessment:shared_list")).content.decode()
    assert f"Report on {case.family_name} ({case.reference})" in shared
    assert report_url(case) in shared


def test_the_chronology_lists_partner_reports_newest_first(client, case, lead, school, frozen):
    for day, words in ((3, "First report"), (5, "Latest report"), (4, "Middle report")):
        partner_report_record(
            case=case,
            by=school,
            kind="missed_appointment",
            occurred_on=dt.date(2026, 11, day),
            how_known="records",
            details=words,
        )
    client.force_login(lead)
    page = client.get(reverse("engagement:chronology", kwargs={"case_pk": case.pk})).content.decode()
    assert page.index("Latest report") < page.index("Middle report") < page.index("First report")
    assert "3 reports of non-engagement" in page


def test_after_reporting_the_member_still_gets_404_on_every_other_case_url(
    db, settings, client, time_machine
):
    """The issue: "Members still see nothing else of the case". Every URL of the authorization
    matrix the member is not allowed, asked after their report went in: 404, for the member of
    the case and for the member of another case (who cannot report on it either)."""
    from tests.security.matrix import ENTRIES, matrix_world

    time_machine.move_to(NOW, tick=False)
    world = matrix_world(settings)
    report = world.urls["engagement:partner_report"]
    client.force_login(world.users["agency"])
    assert client.post(report, report_data()).status_code == 302
    assert PartnerReport.objects.filter(case=world.case, reported_by=world.users["agency"]).count() == 2

    wrong = []
    for role in ("agency", "other_agency"):
        client.force_login(world.users[role])
        for name, entry in sorted(ENTRIES.items()):
            if role in entry.allowed:
                continue
            for method in entry.methods:
                url = world.urls[name]
                response = client.get(url) if method == "GET" else client.post(url, entry.data(world))
                if response.status_code != 404:
                    wrong.append(f"{role} {method} {url}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    # What the member may use: their own pages, the assessment shared with them, and the report.
    assert {name for name, entry in ENTRIES.items() if "agency" in entry.allowed} == {
        "home",
        "healthz",
        "manifest",  # the installable app's manifest and service worker: no one's data
        "service_worker",
        "session_keep_alive",
        "signed_out",
        "javascript_catalog",  # the words the interface's JavaScript shows: no one's data
        "flowchart:notifications",
        "engagement:document_verify",
        "engagement:partner_report",
        "riskassessment:shared_list",
        "riskassessment:shared_detail",
        "riskassessment:shared_acknowledge",
        "riskassessment:shared_comment",
        "riskassessment:shared_pdf",
        # GOV.UK Notify's callbacks: not pages, open to whoever carries Notify's bearer token
        # (tests/engagement/messages/test_callbacks.py), and to no one for anything but status.
        "engagement:notify_delivery_callback",
        "engagement:notify_returned_letter_callback",
        "engagement:notify_inbound_callback",
    }
