"""Guards and invariants of the flow-chart services."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import CaseStatus
from engagement.services import contact_attempt_record
from flowchart import services
from flowchart.models import Episode
from flowchart.services import Considered
from tests.factories import CaseFactory, PractitionerFactory, TeamFactory, parent_of

from .conftest import at


def test_a_call_where_the_mother_agrees_to_work_with_us_ends_the_episode(family, walk):
    mother = parent_of(family.case)
    walk.to(at(walk.day(3), 10))
    episode = services.episode_start(case=family.case, by=family.lead)
    assert episode.next_due_on == walk.day(2)
    contact_attempt_record(
        case=family.case,
        by=family.lead,
        kind="phone_call",
        outcome="spoke",
        with_person=mother,
        response="agreed",
        what_agreed="A home visit on Thursday at 11am",
        occurred_at=timezone.now(),
    )
    episode.refresh_from_db()
    family.case.refresh_from_db()
    assert (episode.end_reason, episode.next_due_on) == ("engaged", None)
    assert family.case.status == CaseStatus.ENGAGED


def test_one_live_episode_per_case(family):
    services.episode_start(case=family.case, by=family.lead)
    with pytest.raises(services.FlowchartError, match="already running"):
        services.episode_start(case=family.case, by=family.lead)
    live = Episode.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(case=family.case, version=live.version, day1=live.day1, started_by=family.lead)


def test_an_unknown_pathway_is_refused_with_its_name(family):
    with pytest.raises(services.FlowchartError, match="no published pathway called 'nowhere'"):
        services.episode_start(case=family.case, by=family.lead, pathway_code="nowhere")


def test_only_the_cases_manager_records_oversight_and_decisions(family):
    services.episode_start(case=family.case, by=family.lead)
    with pytest.raises(services.FlowchartError, match="Only the case's line manager"):
        services.oversight_record(
            case=family.case, by=family.lead, discussion="x", risk_raised="no", actions=[]
        )
    with pytest.raises(services.FlowchartError, match="Only the case's line manager"):
        services.decision_record(
            case=family.case,
            by=family.lead,
            outcome="close",
            reasons="x",
            considered=Considered(mash_referral="no", multi_agency_meeting="no", level_two="no"),
        )
    with pytest.raises(services.FlowchartError, match="at least one action"):
        services.oversight_record(
            case=family.case, by=family.manager, discussion="Talked", risk_raised="no", actions=[{}]
        )


def test_informing_needs_a_team_with_a_manager(pathways):
    lead = PractitionerFactory(team=TeamFactory(name="No manager team"))
    case = CaseFactory(lead_practitioner=lead)
    services.episode_start(case=case, by=lead)
    with pytest.raises(services.FlowchartError, match="has no line manager"):
        services.manager_inform(
            case=case, by=lead, strategies_tried="Calls", fera_outcome="", risk_increased="no"
        )


def test_camdens_pathway_runs_on_the_same_engine(family, walk):
    from flowchart.schedule import Status
    from flowchart.selectors import episode_progress

    walk.to(at(walk.day(1), 10))
    episode = services.episode_start(
        case=family.case, by=family.lead, pathway_code="camden-open-to-social-care"
    )
    walk.attempt("liaison", "discussed")  # told the allocated social worker
    walk.to(at(walk.day(4), 10))
    walk.attempt("multi_agency_meeting", "discussed")  # the network meeting
    steps = {s.step.order: s for s in episode_progress(episode).steps}
    assert steps[2].status == Status.DONE
    assert steps[3].status == Status.OVERDUE  # own manager not yet informed by day 3
    assert steps[4].status == Status.DONE
    assert steps[6].step.requirement == "decision_made" and steps[6].due_on == walk.day(15)
