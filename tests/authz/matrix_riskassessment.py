import datetime as dt

from riskassessment import services
from riskassessment.models import ActionKind, Basis, FactorSide, Timeframe
from tests.factories import ChildFactory

from .entries import AGENCY, AGENCY_MEMBERS, CASE_TEAM, MANAGER, Entry


def _case(w):
    return {"case_pk": w.case.pk}


def _draft(w):
    return {"case_pk": w.case.pk, "pk": w.assessment.pk}


def _risk(w):
    return {**_draft(w), "side": FactorSide.RISK.value}


def _risk_factor(w):
    return {**_risk(w), "factor_pk": w.assessment.factors.get(side=FactorSide.RISK).pk}


def _plan_action(w):
    return {**_draft(w), "action_pk": w.assessment.actions.get(kind=ActionKind.PLAN).pk}


def _signed(w):
    return {"case_pk": w.case.pk, "pk": w.signed_assessment.pk}


def _shared(w):
    return {"pk": w.signed_assessment.pk}


ENTRIES = {
    # Every member has a list of their own (Other Agency Member's is empty); no one else has one.
    "riskassessment:shared_list": Entry(AGENCY_MEMBERS),
    "riskassessment:shared_detail": Entry(AGENCY, kwargs=_shared),
    "riskassessment:shared_acknowledge": Entry(
        AGENCY,
        kwargs=_shared,
    ),
    "riskassessment:shared_comment": Entry(
        AGENCY, kwargs=_shared, data=lambda w: {"body": "We saw Connor in school today."}
    ),
    "riskassessment:case_assessments": Entry(CASE_TEAM, kwargs=_case),
    "riskassessment:assessment_start": Entry(
        CASE_TEAM,
        kwargs=_case,
    ),
    "riskassessment:assessment_detail": Entry(CASE_TEAM, kwargs=_signed),
    # The retired one-page edit form's address, a redirect to the task list: the case team.
    "riskassessment:assessment_edit_moved": Entry(CASE_TEAM, kwargs=_draft),
    # The draft's task list and its section pages: the case team.
    "riskassessment:assessment_tasks": Entry(CASE_TEAM, kwargs=_draft),
    "riskassessment:assessment_about": Entry(CASE_TEAM, kwargs=_draft),
    "riskassessment:assessment_analysis": Entry(CASE_TEAM, kwargs=_draft),
    "riskassessment:assessment_factors": Entry(CASE_TEAM, kwargs=_risk),
    "riskassessment:assessment_factor_add": Entry(CASE_TEAM, kwargs=_risk),
    "riskassessment:assessment_factor_change": Entry(CASE_TEAM, kwargs=_risk_factor),
    "riskassessment:assessment_factor_remove": Entry(CASE_TEAM, kwargs=_risk_factor),
    "riskassessment:assessment_actions": Entry(CASE_TEAM, kwargs=_draft),
    "riskassessment:assessment_action_add": Entry(CASE_TEAM, kwargs=_draft),
    "riskassessment:assessment_action_change": Entry(CASE_TEAM, kwargs=_plan_action),
    "riskassessment:assessment_action_remove": Entry(CASE_TEAM, kwargs=_plan_action),
    "riskassessment:assessment_submit": Entry(
        CASE_TEAM,
        kwargs=_draft,
    ),
    "riskassessment:assessment_oversight": Entry(
        MANAGER,
        kwargs=_draft,
    ),
    "riskassessment:assessment_sign": Entry(
        MANAGER, kwargs=_draft, data=lambda w: {"typed_name": "Manager A"}
    ),
    "riskassessment:assessment_return": Entry(
        MANAGER, kwargs=_draft, data=lambda w: {"reason": "Add the school's view"}
    ),
    "riskassessment:assessment_amend": Entry(
        CASE_TEAM,
        kwargs=_signed,
    ),
    "riskassessment:assessment_share": Entry(
        CASE_TEAM,
        kwargs=_signed,
    ),
    "riskassessment:assessment_changes": Entry(CASE_TEAM, kwargs=_draft),
}


def extend_world(world):
    """A signed version 1 shared with the agency member, and its amendment, version 2, in draft."""
    lead, manager = world.users["lead"], world.users["manager"]
    ChildFactory(case=world.case, full_name="Connor")
    first = services.assessment_start(case=world.case, by=lead)
    services.assessment_update(
        assessment=first,
        by=lead,
        children=list(world.case.people.filter(kind="child")),
        assessment_date=first.assessment_date,
        participants="Practitioner A",
        with_multi_agency_meeting=False,
        service="Team A",
        analysis="Non-engagement leaves the children's needs unknown.",
        elevated_risk=False,
        factors=[
            services.FactorData(
                side=FactorSide.RISK,
                timeframe=Timeframe.CURRENT,
                basis=Basis.GREY_AREA,
                description="A new partner may be living in the house",
            )
        ],
        plan_actions=[
            services.ActionData(
                what="Joint visit with the school nurse",
                who="Practitioner A",
                by_when=dt.date(2026, 11, 30),
                review_on=dt.date(2026, 12, 14),
            )
        ],
    )
    services.assessment_submit(assessment=first, by=lead)
    services.assessment_oversight_record(
        assessment=first,
        by=manager,
        actions=[
            services.ActionData(
                what="Supervision",
                who="Manager A",
                by_when=dt.date(2026, 12, 1),
                review_on=dt.date(2026, 12, 15),
            )
        ],
    )
    world.signed_assessment = services.assessment_sign(assessment=first, by=manager, typed_name="Manager A")
    world.assessment = services.assessment_amend(assessment=first, by=lead)
