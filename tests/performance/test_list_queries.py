"""Every list page reads the same number of queries for 1 row as for 200.

Pages whose own tests already check this (my cases, the chronology, the oversight queue,
notifications, the shared list, a case's assessments, the team dashboard, the insight pages) are
not repeated here; these are the rest, and those pages again with hostile incidents on them (the
chronology's safety section, the "Visit in pairs" warning on each row of team cases, the queue's
incidents to review), the allocated social worker's pages and partner agencies' reports.
"""

import datetime as dt
import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Document, DocumentKind
from engagement.documents.models import (
    Agreement,
    AgreementSignature,
    AgreementStatus,
    Letter,
    LetterStatus,
    LetterStep,
    SignatureMethod,
    SignatureRole,
)
from insight.needs_you.selectors import needs_you
from insight.needs_you.views import PAGE_SIZE
from tests.factories import (
    AdultFactory,
    AssessmentFactory,
    CaseFactory,
    CaseMembershipFactory,
    ContactAttemptFactory,
    DecisionFactory,
    EpisodeFactory,
    GrowGoalFactory,
    PartnerReportFactory,
    SafetyMappingFactory,
    SafetyRatingFactory,
    SocialWorkerMembershipFactory,
    StageOfChangeFactory,
    SupervisionActionFactory,
    SupervisionRecordFactory,
)

MANY = 200


def queries_for(client, url) -> int:
    """How many queries the page reads, once its session and caches are warm."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def assert_same_queries(client, url, grow, django_assert_num_queries) -> str:
    """The page's query count with one row, then with MANY: they must be equal. Returns the page."""
    one = queries_for(client, url)
    grow()
    client.get(url)
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _document(case, by, kind, n) -> Document:
    content = f"{kind} {n}".encode()
    return Document.objects.create(
        case=case,
        kind=kind,
        title=f"Document {n}",
        file=f"documents/bench-{kind}-{n}.pdf",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        source_type=f"test.{kind}",
        source_id=str(n),
        created_by=by,
    )


def _signed_agreement(world, n) -> Agreement:
    """A signed agreement as the services leave it, without printing a PDF for each."""
    agreement = Agreement.objects.create(
        case=world.case,
        status=AgreementStatus.SIGNED,
        title=f"Agreement {n}",
        our_commitments="Visit when it suits you",
        family_commitments="Be honest with us",
        created_by=world.lead,
        signed_at=timezone.now(),
        document=_document(world.case, world.lead, DocumentKind.AGREEMENT, n),
    )
    AgreementSignature.objects.create(
        agreement=agreement,
        role=SignatureRole.PARENT,
        person=world.parent,
        name="Dana Walsh",
        method=SignatureMethod.TYPED,
        recorded_by=world.lead,
    )
    AgreementSignature.objects.create(
        agreement=agreement,
        role=SignatureRole.PRACTITIONER,
        user=world.lead,
        name="Priya Patel",
        method=SignatureMethod.TYPED,
        recorded_by=world.lead,
    )
    return agreement


def test_agreements_list(world, client, django_assert_num_queries):
    client.force_login(world.lead)
    _signed_agreement(world, 0)
    url = reverse("engagement:agreement_list", kwargs={"case_pk": world.case.pk})
    html = assert_same_queries(
        client,
        url,
        lambda: [_signed_agreement(world, n) for n in range(1, MANY)],
        django_assert_num_queries,
    )
    assert html.count(f"/cases/{world.case.pk}/agreements/") >= MANY


def _letter(world, n, status) -> Letter:
    now = timezone.now()
    decided = status in (LetterStatus.APPROVED, LetterStatus.REFUSED, LetterStatus.SENT)
    sent = status == LetterStatus.SENT
    return Letter.objects.create(
        case=world.case,
        step=LetterStep.DAY_5 if n % 2 else LetterStep.DAY_10,
        recipient=world.parent,
        address="1 High Street",
        subject=f"Letter {n}",
        body="We called round today.",
        status=status,
        created_by=world.lead,
        decided_by=world.manager if decided else None,
        decided_at=now if decided else None,
        decision_notes="Ring her own mobile instead." if status == LetterStatus.REFUSED else "",
        sent_by=world.lead if sent else None,
        sent_at=now if sent else None,
        document=_document(world.case, world.lead, DocumentKind.LETTER, n) if sent else None,
    )


def test_letters_list(world, client, django_assert_num_queries):
    client.force_login(world.lead)
    _letter(world, 0, LetterStatus.SENT)
    statuses = [LetterStatus.SENT, LetterStatus.APPROVED, LetterStatus.REFUSED, LetterStatus.HELD]
    url = reverse("engagement:letter_list", kwargs={"case_pk": world.case.pk})
    assert_same_queries(
        client,
        url,
        lambda: [_letter(world, n, statuses[n % len(statuses)]) for n in range(1, MANY)],
        django_assert_num_queries,
    )


def _held_letter(world, n) -> Letter:
    """A letter held for the manager on a case of its own, to the partner of a mother with a
    domestic abuse concern and a safe-contact plan, as the services leave it."""
    case = CaseFactory(lead_practitioner=world.lead, referral_date=world.case.referral_date)
    EpisodeFactory(case=case)
    AdultFactory(
        case=case,
        full_name=f"Mother {n}",
        domestic_abuse_concern=True,
        safe_contact=["phone_only", "no_letters"],
        safe_contact_notes="Her own mobile only.",
    )
    partner = AdultFactory(case=case, full_name=f"Partner {n}")
    return Letter.objects.create(
        case=case,
        step=LetterStep.DAY_10,
        recipient=partner,
        address="1 High Street",
        subject=f"Letter {n}",
        body="Please ring me.",
        status=LetterStatus.HELD,
        created_by=world.lead,
        held_by=world.lead,
        held_at=timezone.now(),
    )


def test_letters_awaiting_approval_in_needs_you(world, client, django_assert_num_queries):
    """The manager's "Needs you" with its held letters: the same queries for 1 held letter as
    for 200 (and the families in the flow chart with them)."""
    client.force_login(world.manager)
    _held_letter(world, 0)
    html = assert_same_queries(
        client,
        reverse("needs_you:queue"),
        lambda: [_held_letter(world, n) for n in range(1, MANY)],
        django_assert_num_queries,
    )
    # Paged: the first page full, every letter in the queue (each household's plans are on the
    # letter's own page, where the manager decides).
    assert html.count("Approve or refuse the letter") == PAGE_SIZE
    assert sum(item.kind == "letter" for item in needs_you(world.manager)) == MANY


def _practice_rows(world, count):
    for n in range(count):
        adult = AdultFactory(case=world.case, full_name=f"Adult {n}")
        StageOfChangeFactory(person=adult)
        StageOfChangeFactory(person=world.parent)
        mapping = SafetyMappingFactory(case=world.case, meeting_name=f"Meeting {n}")
        SafetyRatingFactory(mapping=mapping)
        GrowGoalFactory(case=world.case, goal=f"Goal {n}")
        SupervisionActionFactory(record=SupervisionRecordFactory(case=world.case, supervisor=world.manager))


@pytest.mark.parametrize("url_name", ["overview", "safety", "goals", "supervision", "stage"])
def test_practice_lists(world, client, url_name, django_assert_num_queries):
    client.force_login(world.lead)
    _practice_rows(world, 1)
    kwargs = {"case_pk": world.case.pk}
    if url_name == "stage":
        kwargs["person_pk"] = world.parent.pk
    url = reverse(f"practice:{url_name}", kwargs=kwargs)
    assert_same_queries(client, url, lambda: _practice_rows(world, MANY - 1), django_assert_num_queries)


def test_safety_mapping_with_its_ratings(world, client, django_assert_num_queries):
    client.force_login(world.lead)
    mapping = SafetyMappingFactory(case=world.case)
    SafetyRatingFactory(mapping=mapping)
    url = reverse("practice:safety_detail", kwargs={"case_pk": world.case.pk, "pk": mapping.pk})
    assert_same_queries(
        client,
        url,
        lambda: SafetyRatingFactory.create_batch(MANY - 1, mapping=mapping),
        django_assert_num_queries,
    )


def test_supervision_record_with_its_actions(world, client, django_assert_num_queries):
    client.force_login(world.lead)
    record = SupervisionRecordFactory(case=world.case, supervisor=world.manager)
    SupervisionActionFactory(record=record)
    url = reverse("practice:supervision_detail", kwargs={"case_pk": world.case.pk, "pk": record.pk})
    assert_same_queries(
        client,
        url,
        lambda: SupervisionActionFactory.create_batch(MANY - 1, record=record),
        django_assert_num_queries,
    )


def _attempts(world, count):
    start = timezone.make_aware(dt.datetime.combine(world.case.referral_date, dt.time(9)))
    for n in range(count):
        ContactAttemptFactory(
            case=world.case, occurred_at=start + dt.timedelta(minutes=n), with_person=world.parent
        )


@pytest.mark.parametrize("url_name", ["flowchart:case_flowchart", "flowchart:evidence", "cases:case_detail"])
def test_case_pages_with_the_flow_chart_and_its_evidence(world, client, url_name, django_assert_num_queries):
    """The flow chart, its evidence and the case page: the same queries for 1 attempt and 200."""
    client.force_login(world.lead)
    EpisodeFactory(case=world.case)
    _attempts(world, 1)
    url = reverse(url_name, kwargs={"case_pk": world.case.pk})
    assert_same_queries(client, url, lambda: _attempts(world, MANY - 1), django_assert_num_queries)


def test_team_cases_for_the_manager(world, client, django_assert_num_queries):
    """A manager's case list is the whole team's: 200 cases read like 1."""
    client.force_login(world.manager)

    def grow():
        for _ in range(MANY - 1):
            case = CaseFactory(lead_practitioner=world.lead, referral_date=world.case.referral_date)
            EpisodeFactory(case=case)
            ContactAttemptFactory(case=case)

    EpisodeFactory(case=world.case)
    ContactAttemptFactory(case=world.case)
    html = assert_same_queries(client, reverse("cases:my_cases"), grow, django_assert_num_queries)
    assert html.count("/cases/") >= MANY


def _hostile_incident(case, by, person, *, reviewed_by=None, lift_by=None):
    """A hostile incident through the service (the case gets its warning); reviewed and the
    warning lifted when asked."""
    from engagement.safety.models import LoneWorkingWarning
    from engagement.safety.services import (
        hostile_incident_record,
        hostile_incident_review_record,
        lone_working_warning_lift,
    )

    incident = hostile_incident_record(
        case=case,
        by=by,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        place="On the doorstep",
        people=[person],
        what_happened="Shouted at me and slammed the door.",
        threats=True,
        staff_affected=[by],
    )
    if reviewed_by is not None:
        hostile_incident_review_record(
            incident=incident,
            by=reviewed_by,
            meeting_held=False,
            safety_plan="Joint visits.",
            warning_stays=False,
        )
    if lift_by is not None:
        warning = LoneWorkingWarning.objects.get(case=case, lifted_at__isnull=True)
        lone_working_warning_lift(warning=warning, by=lift_by, reason="Agreed in supervision.")
    return incident


def test_the_chronology_with_its_hostile_incidents(world, client, django_assert_num_queries):
    """The chronology's section of incidents, reviews and lifted warnings: 200 read like 1."""
    client.force_login(world.lead)
    _hostile_incident(world.case, world.lead, world.parent, reviewed_by=world.manager, lift_by=world.manager)
    url = reverse("engagement:chronology", kwargs={"case_pk": world.case.pk})

    def grow():
        for _ in range(MANY - 1):
            _hostile_incident(
                world.case, world.lead, world.parent, reviewed_by=world.manager, lift_by=world.manager
            )

    html = assert_same_queries(client, url, grow, django_assert_num_queries)
    assert html.count("Lone-working warning lifted") == MANY
    assert html.count("Review of the hostile incident") == MANY


def test_team_cases_with_lone_working_warnings(world, client, django_assert_num_queries):
    """Each row of the manager's team cases shows its "Visit in pairs" warning: 200 read like 1."""
    client.force_login(world.manager)
    _hostile_incident(world.case, world.lead, world.parent)

    def grow():
        for _ in range(MANY - 1):
            case = CaseFactory(lead_practitioner=world.lead, referral_date=world.case.referral_date)
            _hostile_incident(case, world.lead, AdultFactory(case=case))

    html = assert_same_queries(client, reverse("cases:my_cases"), grow, django_assert_num_queries)
    assert html.count("Visit in pairs: hostile incident on") == MANY


def test_needs_you_with_hostile_incidents_to_review(world, client, django_assert_num_queries):
    """Hostile incidents stay on the manager's "Needs you" until reviewed: 200 families read like 1."""
    client.force_login(world.manager)
    EpisodeFactory(case=world.case)
    _hostile_incident(world.case, world.lead, world.parent)

    def grow():
        for _ in range(MANY - 1):
            case = CaseFactory(lead_practitioner=world.lead, referral_date=world.case.referral_date)
            EpisodeFactory(case=case)
            _hostile_incident(case, world.lead, AdultFactory(case=case))

    html = assert_same_queries(client, reverse("needs_you:queue"), grow, django_assert_num_queries)
    assert "Hostile incident to review" in html
    assert sum(item.kind == "hostile" for item in needs_you(world.manager)) == MANY


# ---------------------------------------------------------------------------------------------
# The allocated social worker's pages, and partner agencies' reports (issue 17)


def _social_worker(world):
    return SocialWorkerMembershipFactory(case=world.case, user__full_name="Sol Worker").user


def _reports(world, count):
    for n in range(count):
        PartnerReportFactory(
            case=world.case,
            reported_by=world.member,
            occurred_on=world.case.referral_date + dt.timedelta(days=n % 5),
            details=f"Report {n}",
        )


def test_allocated_cases_for_the_social_worker(world, client, django_assert_num_queries):
    """ "My allocated cases": 200 cases, each with a signed assessment, a decision, a partner's
    report and a hostile incident under its warning, read like 1."""
    social_worker = _social_worker(world)
    client.force_login(social_worker)

    def fill(case, person=None):
        AssessmentFactory(case=case, signed=True)
        DecisionFactory(episode=EpisodeFactory(case=case))
        PartnerReportFactory(case=case)
        _hostile_incident(case, world.lead, person or AdultFactory(case=case))

    fill(world.case, world.parent)

    def grow():
        for _ in range(MANY - 1):
            case = CaseFactory(lead_practitioner=world.lead, referral_date=world.case.referral_date)
            SocialWorkerMembershipFactory(case=case, user=social_worker)
            fill(case)

    html = assert_same_queries(client, reverse("socialwork:allocated_cases"), grow, django_assert_num_queries)
    assert html.count("/social-work/cases/") >= MANY
    assert html.count("Visit in pairs: hostile incident on") == MANY


@pytest.mark.parametrize(
    "url_name", ["socialwork:partner_reports", "engagement:chronology", "engagement:partner_report"]
)
def test_partner_reports_lists(world, client, url_name, django_assert_num_queries):
    """The partners' reports as the social worker, the lead practitioner (in the chronology) and
    the member who made them (under the report form) read them: 200 like 1."""
    reader = {
        "socialwork:partner_reports": _social_worker(world),
        "engagement:chronology": world.lead,
        "engagement:partner_report": world.member,
    }[url_name]
    client.force_login(reader)
    _reports(world, 1)
    url = reverse(url_name, kwargs={"case_pk": world.case.pk})
    html = assert_same_queries(client, url, lambda: _reports(world, MANY - 1), django_assert_num_queries)
    assert html.count("Reported by Alex Adeyemi") == MANY


def _signed_versions_and_decisions(world, count):
    """Signed versions of the assessment and decisions, each on its own run of the flow chart."""
    previous = world.case.assessments.order_by("version").last()
    for _ in range(count):
        version = previous.version + 1 if previous else 1
        previous = AssessmentFactory(case=world.case, signed=True, version=version, previous=previous)
        ended = EpisodeFactory(case=world.case, ended_on=world.case.referral_date, end_reason="decided")
        DecisionFactory(episode=ended)


@pytest.mark.parametrize("url_name", ["socialwork:case", "socialwork:decisions"])
def test_the_social_workers_case_page_and_decisions(world, client, url_name, django_assert_num_queries):
    """The case page lists every signed version; the decisions page every decision: 200 like 1."""
    client.force_login(_social_worker(world))
    _signed_versions_and_decisions(world, 1)
    url = reverse(url_name, kwargs={"case_pk": world.case.pk})
    html = assert_same_queries(
        client, url, lambda: _signed_versions_and_decisions(world, MANY - 1), django_assert_num_queries
    )
    if url_name == "socialwork:case":
        assert html.count("/social-work/cases/") >= MANY
    else:
        assert html.count("Needs met by the school.") == MANY


def test_the_members_list_of_cases_to_report_on(world, client, django_assert_num_queries):
    client.force_login(world.member)

    def grow():
        for _ in range(MANY - 1):
            CaseMembershipFactory(case=CaseFactory(lead_practitioner=world.lead), user=world.member)

    html = assert_same_queries(client, reverse("riskassessment:shared_list"), grow, django_assert_num_queries)
    assert html.count("/partner-report/") == MANY


def test_the_social_workers_case_page_with_hostile_incidents(world, client, django_assert_num_queries):
    """The social worker's page for the case lists every hostile incident: 200 read like 1."""
    client.force_login(_social_worker(world))
    _hostile_incident(world.case, world.lead, world.parent, reviewed_by=world.manager)

    def grow():
        for _ in range(MANY - 1):
            _hostile_incident(world.case, world.lead, world.parent, reviewed_by=world.manager)

    url = reverse("socialwork:case", kwargs={"case_pk": world.case.pk})
    html = assert_same_queries(client, url, grow, django_assert_num_queries)
    assert html.count("/hostile-incidents/") == MANY
