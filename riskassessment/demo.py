"""Demo assessments: a draft on one family, a signed one shared with the school on another, and
one submitted and waiting for the line manager to sign (the Walsh family, after Connor was heard
at school)."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from cases.models import MembershipRole, PersonKind

from . import services
from .models import Basis, FactorCategory, FactorSide, Timeframe


def _factor(side, timeframe, basis, description, evidence="", category=None):
    category = FactorCategory.objects.filter(name=category).first() if category else None
    return services.FactorData(
        side=side,
        timeframe=timeframe,
        basis=basis,
        description=description,
        evidence=evidence,
        category=category,
    )


def _fill(assessment, by, *, analysis, factors, actions, participants, with_meeting):
    services.assessment_update(
        assessment=assessment,
        by=by,
        children=list(assessment.case.people.filter(kind=PersonKind.CHILD)),
        assessment_date=assessment.assessment_date,
        participants=participants,
        with_multi_agency_meeting=with_meeting,
        service=assessment.service,
        analysis=analysis,
        elevated_risk=False,
        factors=factors,
        plan_actions=actions,
    )


def seed(demo: SimpleNamespace) -> None:
    if demo.already_seeded:
        return
    practitioner, manager, agency = demo.users.practitioner, demo.users.manager, demo.users.agency
    today = timezone.localdate()
    own = [c for c in demo.cases if c.lead_practitioner_id == practitioner.pk]
    shared_cases = [
        c
        for c in own
        if c.memberships.filter(
            user=agency, role=MembershipRole.AGENCY_MEMBER, ended_at__isnull=True
        ).exists()
    ]
    signed_case = shared_cases[-1]
    draft_case = next(c for c in reversed(own) if c != signed_case)

    signed = services.assessment_start(case=signed_case, by=practitioner)
    _fill(
        signed,
        practitioner,
        participants="Priya Patel, lead practitioner\nAlex Adeyemi, designated safeguarding lead, Oakfield Primary School",
        with_meeting=True,
        analysis=(
            "Three home visits and five calls have not reached the family. The school sees the children daily "
            "and is the strongest protective factor; attendance is falling and a new partner may be in the "
            "household. Non-engagement leaves us unable to judge whether needs are met, but there is no "
            "evidence of immediate harm. Continue engagement with a joint visit alongside the school."
        ),
        factors=[
            _factor(
                FactorSide.RISK,
                Timeframe.CURRENT,
                Basis.EVIDENCED,
                "School attendance has fallen to 78% this term",
                "School attendance records, shared by Oakfield Primary on the referral.",
                "Economic and social disadvantage",
            ),
            _factor(
                FactorSide.RISK,
                Timeframe.HISTORICAL,
                Basis.EVIDENCED,
                "Domestic abuse reported in 2023",
                "Police notification to the school, March 2023.",
                "Domestic abuse",
            ),
            _factor(
                FactorSide.RISK,
                Timeframe.CURRENT,
                Basis.GREY_AREA,
                "A new partner may be living in the household",
                "Neighbour's comment during the second visit; not confirmed.",
            ),
            _factor(
                FactorSide.PROTECTIVE,
                Timeframe.CURRENT,
                Basis.EVIDENCED,
                "The school sees the children every day and they talk to their teacher",
                "Class teacher's weekly notes.",
                "Evidence of protective adults",
            ),
        ],
        actions=[
            services.ActionData(
                what="Joint home visit with the designated safeguarding lead",
                who="Priya Patel and Alex Adeyemi",
                by_when=today + dt.timedelta(days=5),
                review_on=today + dt.timedelta(days=10),
            ),
        ],
    )
    services.assessment_submit(assessment=signed, by=practitioner)
    services.assessment_oversight_record(
        assessment=signed,
        by=manager,
        actions=[
            services.ActionData(
                what="Review engagement in supervision after the joint visit",
                who=str(manager),
                by_when=today + dt.timedelta(days=12),
                review_on=today + dt.timedelta(days=28),
            )
        ],
    )
    services.assessment_sign(assessment=signed, by=manager, typed_name=manager.full_name)

    draft = services.assessment_start(case=draft_case, by=practitioner)
    _fill(
        draft,
        practitioner,
        participants="Priya Patel, lead practitioner",
        with_meeting=False,
        analysis="",
        factors=[
            _factor(
                FactorSide.RISK,
                Timeframe.CURRENT,
                Basis.EVIDENCED,
                "Appointments missed with the health visitor",
                "Health visitor's letter of last week.",
            )
        ],
        actions=[],
    )

    _submitted(demo, practitioner, today)


def _submitted(demo: SimpleNamespace, practitioner, today) -> None:
    """The Walsh family's assessment, submitted: the demo manager has an assessment to sign."""
    walsh = next((c for c in demo.cases if c.family_name == "Walsh family" and c.is_open), None)
    if walsh is None or walsh.lead_practitioner_id != practitioner.pk:
        return
    submitted = services.assessment_start(case=walsh, by=practitioner)
    _fill(
        submitted,
        practitioner,
        participants=(
            "Priya Patel, lead practitioner\nSchool nurse, Northshire Academy\n"
            "Head of Year 9, Northshire Academy"
        ),
        with_meeting=False,
        analysis=(
            "Siobhan has not been seen since the referral; contact goes only to her own mobile because "
            "of the domestic abuse concern. Lee Parker refused entry and shouted at the practitioner on "
            "day 5. Connor, seen alone at school, describes a home where his mother is under strain and "
            "he stays out when Lee has been drinking. The school is the one protective factor we can see. "
            "Risk is rising while Siobhan cannot be reached safely: discuss a referral to the MASH."
        ),
        factors=[
            _factor(
                FactorSide.RISK,
                Timeframe.CURRENT,
                Basis.EVIDENCED,
                "Domestic abuse: police called to the address before the referral",
                "Police referral to early help.",
                "Domestic abuse",
            ),
            _factor(
                FactorSide.RISK,
                Timeframe.CURRENT,
                Basis.EVIDENCED,
                "Connor avoids home when Lee Parker has been drinking",
                "Connor's own words, seen alone at school on day 8.",
            ),
            _factor(
                FactorSide.PROTECTIVE,
                Timeframe.CURRENT,
                Basis.EVIDENCED,
                "Connor trusts the school nurse and talks to her",
                "Joint visit with the school nurse on day 8.",
                "Evidence of protective adults",
            ),
        ],
        actions=[
            services.ActionData(
                what="Discuss a referral to the MASH with the line manager",
                who="Priya Patel",
                by_when=today + dt.timedelta(days=2),
                review_on=today + dt.timedelta(days=7),
            ),
        ],
    )
    services.assessment_submit(assessment=submitted, by=practitioner)
