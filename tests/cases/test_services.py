import datetime as dt

import pytest

from cases import services
from cases.models import CaseStatus, MembershipRole, PersonKind, RelationshipKind
from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    CaseFactory,
    ChildFactory,
    ContactAttemptFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

from .conftest import LONDON, NOW


def test_case_update_keeps_history_and_who_changed_it(case, lead):
    services.case_update(case=case, by=lead, referral_reason="Attendance 65%.", threshold_level=2)
    case.refresh_from_db()
    assert case.threshold_level == 2
    assert case.updated_at == NOW
    latest, earlier = case.history.order_by("-history_date", "-history_id")[:2]
    assert latest.referral_reason == "Attendance 65%." and latest.history_user == lead
    assert earlier.referral_reason != "Attendance 65%."


def test_case_update_refuses_a_referral_date_after_the_first_attempt(case, lead):
    ContactAttemptFactory(case=case, occurred_at=dt.datetime(2026, 11, 3, 14, 0, tzinfo=LONDON))
    with pytest.raises(services.CaseError, match="after the first contact attempt, 3 November 2026"):
        services.case_update(case=case, by=lead, referral_date=dt.date(2026, 11, 4))


def test_case_update_refuses_a_step_down_without_a_social_worker(case, lead):
    with pytest.raises(services.CaseError, match="social worker"):
        services.case_update(case=case, by=lead, is_step_down=True, social_worker_name="")


def test_case_update_refuses_unknown_fields(case, lead):
    with pytest.raises(TypeError):
        services.case_update(case=case, by=lead, status=CaseStatus.CLOSED)


def test_close_sets_status_date_and_reason_and_only_once(case, lead, manager):
    services.case_close(case=case, by=manager, reason="  Family engaged with the school nurse.  ")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closed_on == NOW.date()
    assert case.closure_reason == "Family engaged with the school nurse."
    assert case.history.order_by("-history_date", "-history_id").first().history_user == manager
    with pytest.raises(services.CaseError, match="already closed"):
        services.case_close(case=case, by=manager, reason="Again")
    with pytest.raises(services.CaseError, match="closed case"):
        services.case_update(case=case, by=lead, family_name="Renamed")


def test_close_needs_a_reason(case, manager):
    with pytest.raises(services.CaseError, match="Enter the reason"):
        services.case_close(case=case, by=manager, reason="   ")


def test_only_the_cases_line_manager_closes_it(case, lead, colleague):
    """Knowsley, Appendix 4: "Agree with Line Manager the next steps ... Close Case": the lead
    practitioner never closes a case alone."""
    other_manager = ManagerFactory(team=TeamFactory(name="South Early Help Team"))
    for someone in (lead, colleague, other_manager):
        with pytest.raises(services.CaseError, match="Only the case's line manager can close it"):
            services.case_close(case=case, by=someone, reason="Family moved away.")
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_on is None


def test_close_is_refused_while_the_flow_chart_runs(case, manager):
    """A running flow chart ends with the decision to close (flowchart.services.case_closure_record),
    never left live behind a closed case."""
    from tests.factories import EpisodeFactory

    EpisodeFactory(case=case)
    with pytest.raises(services.CaseError, match="flow chart is still running"):
        services.case_close(case=case, by=manager, reason="Family moved away.")


def test_status_changes_follow_the_allowed_moves_and_keep_who_made_them(case, lead, manager):
    services.case_status_change(case=case, to=CaseStatus.ENGAGED, by=None)
    services.case_status_change(case=case, to=CaseStatus.ESCALATED, by=lead)
    with pytest.raises(
        services.CaseError, match="'Escalated to the MASH: awaiting the decision' cannot become"
    ):
        services.case_status_change(case=case, to=CaseStatus.ENGAGED, by=lead)
    services.case_status_change(case=case, to=CaseStatus.OPEN, by=manager)
    with pytest.raises(services.CaseError, match="Enter the reason for closing the case"):
        services.case_status_change(case=case, to=CaseStatus.STEPPED_UP, by=manager)
    services.case_status_change(
        case=case, to=CaseStatus.STEPPED_UP, by=manager, reason=" Step up: risk ", on=dt.date(2026, 11, 20)
    )
    case.refresh_from_db()
    assert (case.status, case.closed_on, case.closure_reason) == (
        CaseStatus.STEPPED_UP,
        dt.date(2026, 11, 20),
        "Step up: risk",
    )
    made = case.history.order_by("history_date", "history_id").values_list("status", "history_user")
    assert list(made)[-4:] == [
        (CaseStatus.ENGAGED, None),
        (CaseStatus.ESCALATED, lead.pk),
        (CaseStatus.OPEN, manager.pk),
        (CaseStatus.STEPPED_UP, manager.pk),
    ]
    with pytest.raises(services.CaseError, match="already stepped up"):
        services.case_status_change(case=case, to=CaseStatus.OPEN, by=manager)


def test_manager_reassigns_the_lead_within_their_teams(case, manager, colleague):
    services.case_reassign_lead(case=case, by=manager, lead_practitioner=colleague)
    case.refresh_from_db()
    assert case.lead_practitioner == colleague
    assert case.history.order_by("-history_date", "-history_id").first().history_user == manager


def test_reassign_guards(case, manager, lead):
    with pytest.raises(services.CaseError, match="already the lead"):
        services.case_reassign_lead(case=case, by=manager, lead_practitioner=lead)
    elsewhere = PractitionerFactory(team=TeamFactory(manager=ManagerFactory()))
    with pytest.raises(services.CaseError, match="not in a team you manage"):
        services.case_reassign_lead(case=case, by=manager, lead_practitioner=elsewhere)
    other_manager = ManagerFactory()
    with pytest.raises(services.CaseError, match="Only the team's line manager"):
        services.case_reassign_lead(case=case, by=other_manager, lead_practitioner=lead)


def test_add_an_adult_with_a_relationship_to_each_child(case, lead):
    ada = ChildFactory(case=case, full_name="Ada")
    chidi = ChildFactory(case=case, full_name="Chidi")
    dad = services.person_add(
        case=case,
        by=lead,
        kind=PersonKind.ADULT,
        full_name="Emeka Okafor",
        lives_in_household=False,
        domestic_abuse_concern=True,
        safe_contact_notes="Only by phone; never leave a message.",
        relationships={ada: RelationshipKind.FATHER, chidi: RelationshipKind.STEP_PARENT},
    )
    assert {(r.child.full_name, r.kind) for r in dad.relationships.all()} == {
        ("Ada", "father"),
        ("Chidi", "step_parent"),
    }
    assert dad.history.get().history_user == lead


def test_a_relationship_can_be_changed_but_not_removed(case, lead):
    ada = ChildFactory(case=case, full_name="Ada")
    adult = services.person_add(
        case=case,
        by=lead,
        kind=PersonKind.ADULT,
        full_name="Kelly",
        relationships={ada: RelationshipKind.CARER},
    )
    services.person_update(person=adult, by=lead, relationships={ada: RelationshipKind.MOTHER})
    relationship = adult.relationships.get()
    assert relationship.kind == RelationshipKind.MOTHER
    assert relationship.history.count() == 2
    with pytest.raises(services.CaseError, match="can be changed, not removed"):
        services.person_update(person=adult, by=lead, relationships={ada: ""})


def test_a_child_needs_a_date_of_birth_and_belongs_to_the_family(case, lead):
    with pytest.raises(services.CaseError, match="date of birth"):
        services.person_add(case=case, by=lead, kind=PersonKind.CHILD, full_name="Ada")
    stranger_child = ChildFactory(case=CaseFactory(lead_practitioner=lead))
    with pytest.raises(services.CaseError, match="not a child of this family"):
        services.person_add(
            case=case,
            by=lead,
            kind=PersonKind.ADULT,
            full_name="Kelly",
            relationships={stranger_child: RelationshipKind.MOTHER},
        )


def test_person_update_keeps_history(case, lead):
    adult = AdultFactory(case=case, full_name="Grace", language="English")
    services.person_update(person=adult, by=lead, language="Igbo", needs_interpreter=True)
    adult.refresh_from_db()
    assert adult.needs_interpreter
    assert list(adult.history.order_by("history_date").values_list("language", flat=True)) == [
        "English",
        "Igbo",
    ]


def test_membership_add_and_end_never_deletes(case, lead, colleague):
    co = services.membership_add(case=case, by=lead, user=colleague, role=MembershipRole.CO_WORKER)
    with pytest.raises(services.CaseError, match="already on this case"):
        services.membership_add(case=case, by=lead, user=colleague, role=MembershipRole.CO_WORKER)
    services.membership_end(membership=co, by=lead)
    co.refresh_from_db()
    assert co.ended_at == NOW
    with pytest.raises(services.CaseError, match="already left"):
        services.membership_end(membership=co, by=lead)
    # Once ended, they can be added again; the first membership stays on record.
    services.membership_add(case=case, by=lead, user=colleague, role=MembershipRole.CO_WORKER)
    assert case.memberships.filter(user=colleague).count() == 2


def test_membership_roles_must_match_the_user(case, lead, colleague):
    school = AgencyMemberFactory()
    with pytest.raises(services.CaseError, match="not a practitioner"):
        services.membership_add(case=case, by=lead, user=school, role=MembershipRole.CO_WORKER)
    with pytest.raises(services.CaseError, match="not a multi-agency member"):
        services.membership_add(case=case, by=lead, user=colleague, role=MembershipRole.AGENCY_MEMBER)
    with pytest.raises(services.CaseError, match="already the lead"):
        services.membership_add(case=case, by=lead, user=lead, role=MembershipRole.CO_WORKER)
    member = services.membership_add(
        case=case, by=lead, user=school, role=MembershipRole.AGENCY_MEMBER, agency_role="DSL"
    )
    assert member.agency_role == "DSL" and member.added_by == lead


def test_a_safe_contact_plan_takes_only_its_own_codes(db):
    case = CaseFactory()
    by = case.lead_practitioner
    with pytest.raises(services.CaseError, match="safe-contact plan from the list"):
        services.person_add(case=case, by=by, kind="adult", full_name="A", safe_contact=["sometimes"])
    adult = services.person_add(
        case=case, by=by, kind="adult", full_name="Siobhan", safe_contact=["text_only"]
    )
    adult.refresh_from_db()
    assert adult.safe_contact_labels == ["Text messages only"]
