from engagement.practice.models import ChangeStage, RaterKind
from tests.factories import (
    AdultFactory,
    GrowGoalFactory,
    SafetyMappingFactory,
    SafetyRatingFactory,
    SupervisionActionFactory,
    SupervisionRecordFactory,
)

from .entries import CASE_TEAM, Entry


def _date(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _stage_data(w):
    return {
        "stage": ChangeStage.CONTEMPLATION,
        **_date("assessed_on", w.case.referral_date),
        "evidence": "Talked about what mornings are like and asked what might help.",
    }


def _mapping_data(w):
    return {
        "rows": "1",
        **_date("meeting_on", w.case.referral_date),
        "meeting_name": "Home visit",
        "strengths": "Grandma helps on Fridays.",
        "rating_1_name": "Practitioner A",
        "rating_1_kind": RaterKind.PROFESSIONAL,
        "rating_1_rating": "4",
    }


def _scale_rating_data(w):
    return {
        "rater_name": "Grace Walsh",
        "rater_kind": RaterKind.FAMILY,
        "rating": "5",
        "reason": "The children are at school every day now.",
    }


def _goal_data(w):
    return {**_date("agreed_on", w.case.referral_date), "goal": "Get to school on time."}


def _supervision_data(w):
    return {
        "rows": "1",
        **_date("supervised_on", w.case.referral_date),
        "supervisor": w.users["manager"].pk,
        "practitioner": w.users["lead"].pk,
        "concerns": "No answer at three visits.",
        "action_1_what": "Joint visit with the school.",
        "action_1_who": "Practitioner A",
        **_date("action_1_by_when", w.case.referral_date),
    }


def _family_data(w):
    return {**_date("discussed_on", w.case.referral_date), "notes": "Talked it through at the door."}


_case = lambda w: {"case_pk": w.case.pk}  # noqa: E731

ENTRIES = {
    "practice:overview": Entry(CASE_TEAM, kwargs=_case),
    "practice:stage": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "person_pk": w.practice_adult.pk},
        data=_stage_data,
    ),
    "practice:safety": Entry(CASE_TEAM, kwargs=_case),
    "practice:safety_new": Entry(CASE_TEAM, kwargs=_case, data=_mapping_data),
    "practice:safety_detail": Entry(CASE_TEAM, kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.mapping.pk}),
    "practice:scale_rating_new": Entry(CASE_TEAM, kwargs=_case, data=_scale_rating_data),
    "practice:goals": Entry(CASE_TEAM, kwargs=_case),
    "practice:goal_new": Entry(CASE_TEAM, kwargs=_case, data=_goal_data),
    "practice:goal_edit": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.goal.pk},
        data=_goal_data,
    ),
    "practice:supervision": Entry(CASE_TEAM, kwargs=_case),
    "practice:supervision_new": Entry(CASE_TEAM, kwargs=_case, data=_supervision_data),
    "practice:supervision_detail": Entry(
        CASE_TEAM, kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.supervision.pk}
    ),
    "practice:supervision_family": Entry(
        CASE_TEAM,
        kwargs=lambda w: {"case_pk": w.case.pk, "pk": w.supervision.pk},
        data=_family_data,
    ),
}


def extend_world(world):
    world.practice_adult = AdultFactory(case=world.case, full_name="Dean Taylor")
    world.mapping = SafetyMappingFactory(case=world.case)
    SafetyRatingFactory(mapping=world.mapping, rater_name="Dean Taylor", rating=3)
    world.goal = GrowGoalFactory(case=world.case)
    world.supervision = SupervisionRecordFactory(case=world.case, supervisor=world.users["manager"])
    SupervisionActionFactory(record=world.supervision)
