"""The Supporting Families claim list: which families are on it, the evidence each rests on, who
may read it, and that every read is in the access log. The list is a return
(insight/returns/supporting_families.py); its old addresses send on to it."""

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import AccessLogEntry
from engagement.supporting_families.services import sustained_due_on
from insight.supporting_families import selectors
from tests.factories import (
    CaseFactory,
    ManagerFactory,
    PerformanceOfficerFactory,
    PractitionerFactory,
    TeamFactory,
)
from tests.factories.riskassessment import AssessmentFactory
from tests.factories.supporting_families import FamilyNeedFactory, close, signed_agreement

LONDON = ZoneInfo("Europe/London")
CLAIMS = reverse("supporting_families:claim_list")
CLAIMS_CSV = reverse("supporting_families:claim_list_csv")
RETURN = reverse("returns:return_detail", kwargs={"slug": "supporting-families-claims"})
RETURN_CSV = reverse(
    "returns:return_csv", kwargs={"slug": "supporting-families-claims", "table": "supporting_families_claims"}
)


def _at(*args):
    return dt.datetime(*args, tzinfo=LONDON)


ASSESSMENT_SIGNED_AT = _at(2026, 2, 10, 14)
PLAN_SIGNED_AT = _at(2026, 2, 20, 11)
OUTCOMES_AT = _at(2026, 3, 30, 15)
SUSTAINED_AT = _at(2026, 10, 1, 9)


def family(
    lead,
    *,
    reference,
    family_name,
    closed_on=dt.date(2026, 3, 31),
    met=("education", "health", "housing"),
    partly=(),
    withdrawn=(),
    assessment_signed_at=ASSESSMENT_SIGNED_AT,
    plan_signed_at=PLAN_SIGNED_AT,
    plan_title="Working together agreement",
    sustained_at=SUSTAINED_AT,
    outcomes_at=OUTCOMES_AT,
):
    """A family as the claim reads it; each piece of evidence can be left out (None)."""
    case = CaseFactory(
        lead_practitioner=lead,
        reference=reference,
        family_name=family_name,
        referral_date=dt.date(2026, 1, 5),
    )
    for headline in met:
        FamilyNeedFactory(
            case=case,
            headline=headline,
            met=True,
            outcome_recorded_at=outcomes_at,
            sustained_recorded_at=sustained_at,
        )
    for headline in partly:
        FamilyNeedFactory(
            case=case,
            headline=headline,
            met=True,
            outcome="partly",
            outcome_recorded_at=outcomes_at,
            sustained_recorded_at=sustained_at,
        )
    for headline in withdrawn:
        FamilyNeedFactory(case=case, headline=headline, withdrawn_by=lead, withdrawn_at=_at(2026, 1, 20, 9))
    if assessment_signed_at is not None:
        AssessmentFactory(case=case, signed=True, signed_at=assessment_signed_at)
    if plan_signed_at is not None:
        signed_agreement(case, signed_at=plan_signed_at, title=plan_title)
    if closed_on is not None:
        close(case, closed_on)
    return case


def _references(user):
    return [row["case_reference"] for row in selectors.claim_list(user)]


def test_a_family_is_claimed_only_with_every_rule_met(lead, manager):
    """ "A minimum of three family needs identified" (Supporting Families programme guidance 2022 to
    2025, chapter 5); "all identified family needs must evidence a positive outcome that is
    sustained for at least six months after closure", and "all families must have been supported
    by a lead practitioner, there must have been a whole family assessment and an action plan"
    (Hertfordshire Families First, on the 2022 framework)."""
    family(lead, reference="OK-1", family_name="Claimable family")
    family(lead, reference="OK-WITHDRAWN", family_name="A withdrawn need aside", withdrawn=["crime"])
    family(lead, reference="NO-OPEN", family_name="Still open", closed_on=None)
    family(lead, reference="NO-TWO", family_name="Two needs", met=("education", "health"))
    family(
        lead, reference="NO-PARTLY", family_name="Partly", met=("education", "health"), partly=("housing",)
    )
    family(lead, reference="NO-FERA", family_name="No signed assessment", assessment_signed_at=None)
    family(lead, reference="NO-PLAN", family_name="No signed plan", plan_signed_at=None)
    unsustained = family(lead, reference="NO-SUSTAINED", family_name="Not sustained")
    need = unsustained.supporting_families_needs.get(headline="housing")
    need.sustained = "not_sustained"
    need.save()
    pending = family(lead, reference="NO-ANSWER", family_name="Not yet judged")
    pending.supporting_families_needs.filter(headline="health").update(
        sustained="", sustained_evidence="", sustained_recorded_by=None, sustained_recorded_at=None
    )
    draft_only = family(lead, reference="NO-DRAFT", family_name="Draft assessment", assessment_signed_at=None)
    AssessmentFactory(case=draft_only)

    assert _references(manager) == ["OK-1", "OK-WITHDRAWN"]


def test_the_latest_signed_assessment_and_plan_are_the_evidence(lead, manager):
    case = family(lead, reference="EF-1", family_name="Okafor family")
    first = case.assessments.get()
    AssessmentFactory(case=case, signed=True, signed_at=_at(2026, 3, 2, 10), version=2, previous=first)
    signed_agreement(case, signed_at=_at(2026, 3, 3, 10), title="Our second agreement")

    [row] = selectors.claim_list(manager)

    assert (row["assessment_version"], row["assessment_signed_on"]) == (2, "2026-03-02")
    assert (row["plan"], row["plan_signed_on"]) == ("Our second agreement", "2026-03-03")
    assert row["lead_practitioner"] == "Priya Patel"
    assert row["assessment_signed_by"] == "Morgan Manager"


def test_hand_worked_example_three_families(client, lead, manager):
    """Three families of the North Early Help Team, worked out by hand from their records:

    - Adeyemi: three needs, each achieved at closure (31 March) and sustained (recorded
      1 October); assessment version 1 signed 10 February; agreement signed 20 February: claimed.
    - Brown: four needs met, and a fifth (crime) ticked then withdrawn, which does not count:
      claimed with four needs.
    - Clarke: three needs, but housing only partly achieved: not claimed.
    """
    family(
        lead, reference="EF2026-00101", family_name="Adeyemi family", plan_title="Adeyemi family agreement"
    )
    family(
        lead,
        reference="EF2026-00102",
        family_name="Brown family",
        closed_on=dt.date(2026, 4, 30),
        met=("early_years", "family_relationships", "domestic_abuse", "financial_stability"),
        withdrawn=("crime",),
        assessment_signed_at=_at(2026, 3, 16, 16, 45),
        plan_signed_at=_at(2026, 3, 18, 10),
        sustained_at=_at(2026, 11, 2, 12),
        outcomes_at=_at(2026, 4, 29, 16),
    )
    family(
        lead,
        reference="EF2026-00103",
        family_name="Clarke family",
        met=("education", "health"),
        partly=("housing",),
    )
    client.force_login(manager)

    # The old address sends on to the return's file, offered as every row passes its schema.
    response = client.get(CLAIMS_CSV, follow=True)

    assert response.redirect_chain == [(RETURN_CSV, 302)]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [
        [
            "case_reference",
            "family_name",
            "team",
            "lead_practitioner",
            "needs_count",
            "needs",
            "closed_on",
            "outcomes_recorded_on",
            "sustained_recorded_on",
            "assessment_version",
            "assessment_signed_on",
            "assessment_signed_by",
            "plan",
            "plan_signed_on",
        ],
        [
            "EF2026-00101",
            "Adeyemi family",
            "North Early Help Team",
            "Priya Patel",
            "3",
            "Getting a good education; Improved mental and physical health; Secure housing",
            "2026-03-31",
            "2026-03-30",
            "2026-10-01",
            "1",
            "2026-02-10",
            "Morgan Manager",
            "Adeyemi family agreement",
            "2026-02-20",
        ],
        [
            "EF2026-00102",
            "Brown family",
            "North Early Help Team",
            "Priya Patel",
            "4",
            "Good early years development; Improved family relationships; Safe from domestic abuse; "
            "Financial stability",
            "2026-04-30",
            "2026-04-29",
            "2026-11-02",
            "1",
            "2026-03-16",
            "Morgan Manager",
            "Working together agreement",
            "2026-03-18",
        ],
    ]
    assert tuple(selectors.claim_list(manager)[0]) == selectors.CLAIM_LIST_COLUMNS


def test_a_line_manager_reads_their_teams_and_the_performance_officer_the_whole_authority(lead, manager):
    family(lead, reference="NORTH-1", family_name="North family")
    other_manager = ManagerFactory(full_name="Sam South")
    south = TeamFactory(name="South Early Help Team", manager=other_manager)
    family(PractitionerFactory(team=south), reference="SOUTH-1", family_name="South family")

    assert _references(manager) == ["NORTH-1"]
    assert _references(other_manager) == ["SOUTH-1"]
    assert _references(PerformanceOfficerFactory()) == ["NORTH-1", "SOUTH-1"]
    assert _references(lead) == []


def test_every_export_is_in_the_access_log(client, lead, manager):
    """The claim list is logged as every return is: its file once on each family's case and once
    as a whole; its check page names no family while every row passes."""
    case = family(lead, reference="EF-1", family_name="Okafor family")
    client.force_login(manager)

    page = client.get(CLAIMS, follow=True)
    assert page.redirect_chain == [(RETURN, 302)]
    assert "Every row passes the return" in page.content.decode()
    client.get(CLAIMS_CSV, follow=True)

    entries = list(AccessLogEntry.objects.filter(user=manager).order_by("pk").values_list("case", "what"))
    assert entries == [
        (case.pk, "return export: supporting_families_claims"),
        (None, "return export: supporting_families_claims"),
    ]


def test_the_old_addresses_keep_their_query(client, manager):
    client.force_login(manager)
    response = client.get(CLAIMS_CSV + "?date_from_0=1&date_from_1=4&date_from_2=2026")
    assert response["Location"] == RETURN_CSV + "?date_from_0=1&date_from_1=4&date_from_2=2026"


def _queries(client, url) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", [RETURN, RETURN_CSV])
def test_the_claim_list_reads_the_same_queries_for_one_family_and_many(client, lead, manager, url):
    family(lead, reference="EF-0", family_name="Family 0")
    client.force_login(PerformanceOfficerFactory())
    one = _queries(client, url)
    for n in range(1, 8):
        family(
            PractitionerFactory(team=lead.team),
            reference=f"EF-{n}",
            family_name=f"Family {n}",
            withdrawn=("crime",),
        )
    many = _queries(client, url)
    assert many == one
    assert len(selectors.claim_list(manager)) == 8


def test_a_family_is_put_forward_from_the_day_its_sustained_check_falls_due():
    """ "Success determined six months after case closure": a family is put forward on the day
    `sustained_due_on` gives, month ends included."""
    first = dt.date(2025, 1, 1)
    for t in range(800):
        today = first + dt.timedelta(days=t)
        cutoff = selectors.last_closure_due_by(today)
        for c in range(150, 215):
            closed = today - dt.timedelta(days=c)
            assert (closed <= cutoff) == (sustained_due_on(closed) <= today), (today, closed)
