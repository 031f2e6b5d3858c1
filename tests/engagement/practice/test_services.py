import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagement.practice.models import ChangeStage, RaterKind, SafetyRating, StageOfChange, SupervisionRecord
from engagement.practice.services import (
    ActionData,
    PracticeToolError,
    RatingData,
    grow_goal_record,
    grow_goal_update,
    safety_mapping_record,
    stage_of_change_record,
    supervision_family_discussion_record,
    supervision_record,
)
from tests.factories import CaseFactory, PractitionerFactory

from .conftest import REFERRAL, TODAY


def _stage(case, lead, person, stage=ChangeStage.CONTEMPLATION, on=TODAY, evidence="Asked what might help."):
    return stage_of_change_record(
        case=case, by=lead, person=person, stage=stage, assessed_on=on, evidence=evidence
    )


class TestCycleOfChange:
    def test_each_assessment_is_a_new_record_and_the_earlier_ones_stay(self, case, lead, mother):
        first = _stage(case, lead, mother, ChangeStage.PRE_CONTEMPLATION, REFERRAL)
        second = _stage(case, lead, mother, ChangeStage.CONTEMPLATION, TODAY)
        assert StageOfChange.objects.filter(person=mother).count() == 2
        first.refresh_from_db()
        assert first.stage == ChangeStage.PRE_CONTEMPLATION
        assert second.assessed_by == lead
        assert second.history.first().history_user == lead

    def test_each_parent_has_their_own_stage(self, case, lead, mother, father):
        _stage(case, lead, mother, ChangeStage.ACTION)
        _stage(case, lead, father, ChangeStage.PRE_CONTEMPLATION)
        stages = dict(StageOfChange.objects.values_list("person__full_name", "stage"))
        assert stages == {"Kelly Taylor": ChangeStage.ACTION, "Dean Taylor": ChangeStage.PRE_CONTEMPLATION}

    def test_only_adults_of_this_family(self, case, lead, child):
        with pytest.raises(PracticeToolError, match="choose an adult"):
            _stage(case, lead, child)
        stranger = CaseFactory().people.create(kind="adult", full_name="Someone Else")
        with pytest.raises(PracticeToolError, match="not part of this family"):
            _stage(case, lead, stranger)

    def test_dates_must_be_between_the_referral_and_today(self, case, lead, mother):
        with pytest.raises(PracticeToolError, match="today or in the past"):
            _stage(case, lead, mother, on=TODAY + dt.timedelta(days=1))
        with pytest.raises(PracticeToolError, match="on or after the referral date, 3 November 2026"):
            _stage(case, lead, mother, on=REFERRAL - dt.timedelta(days=1))

    def test_evidence_is_required(self, case, lead, mother):
        with pytest.raises(PracticeToolError, match="Describe what the parent said or did"):
            _stage(case, lead, mother, evidence="   ")

    def test_someone_off_the_case_cannot_record(self, case, mother):
        with pytest.raises(PracticeToolError, match="do not work on this case"):
            _stage(case, PractitionerFactory(), mother)

    def test_a_closed_case_takes_no_new_records(self, case, lead, mother):
        case.status, case.closed_on = "closed", TODAY
        case.save()
        with pytest.raises(PracticeToolError, match="closed on 20 November 2026"):
            _stage(case, lead, mother)

    def test_the_database_refuses_an_unknown_stage(self, case, lead, mother):
        with pytest.raises(IntegrityError), transaction.atomic():
            StageOfChange.objects.create(
                case=case, person=mother, stage="denial", assessed_on=TODAY, evidence="x", assessed_by=lead
            )


def _map(case, lead, ratings, on=TODAY, **columns):
    columns.setdefault("strengths", "Gran helps on Fridays.")
    return safety_mapping_record(
        case=case, by=lead, meeting_on=on, meeting_name="Home visit", ratings=ratings, **columns
    )


class TestSignsOfSafety:
    def test_a_meeting_keeps_its_map_and_everyone_s_named_rating(self, case, lead):
        mapping = _map(
            case,
            lead,
            [
                RatingData("Kelly Taylor", RaterKind.FAMILY, 3, "Mornings are better."),
                RatingData("Priya Patel", RaterKind.PROFESSIONAL, 4),
            ],
            past_harm="Mia missed 12 days of school.",
            danger_statements="We are worried Mia will fall further behind.",
            safety_goals="Mia in school every day for 8 weeks.",
        )
        assert mapping.past_harm == "Mia missed 12 days of school."
        assert [(r.rater_name, r.rating) for r in mapping.ratings.all()] == [
            ("Kelly Taylor", 3),
            ("Priya Patel", 4),
        ]
        assert mapping.ratings.first().reason == "Mornings are better."

    def test_a_second_meeting_is_a_new_map(self, case, lead):
        first = _map(case, lead, [RatingData("Kelly Taylor", RaterKind.FAMILY, 3)], on=REFERRAL)
        second = _map(case, lead, [RatingData("Kelly Taylor", RaterKind.FAMILY, 5)])
        assert first.pk != second.pk
        assert SafetyRating.objects.filter(rater_name="Kelly Taylor").count() == 2

    def test_an_empty_map_is_refused(self, case, lead):
        with pytest.raises(PracticeToolError, match="Write at least one part of the map"):
            _map(case, lead, [], strengths="")

    @pytest.mark.parametrize(
        ("ratings", "message"),
        [
            ([RatingData("", RaterKind.FAMILY, 3)], "Enter the name"),
            ([RatingData("Kelly", RaterKind.FAMILY, 11)], "from 0 to 10"),
            ([RatingData("Kelly", "neighbour", 3)], "family member or a professional"),
            (
                [RatingData("Kelly", RaterKind.FAMILY, 3), RatingData("kelly ", RaterKind.FAMILY, 4)],
                "rated twice",
            ),
        ],
    )
    def test_ratings_are_checked(self, case, lead, ratings, message):
        with pytest.raises(PracticeToolError, match=message):
            _map(case, lead, ratings)

    def test_the_database_keeps_ratings_on_the_scale(self, case, lead):
        mapping = _map(case, lead, [])
        with pytest.raises(IntegrityError), transaction.atomic():
            SafetyRating.objects.create(
                mapping=mapping, rater_name="Kelly", rater_kind=RaterKind.FAMILY, rating=12
            )


class TestGrowGoals:
    def test_record_and_revise_keeping_history(self, case, lead, mother, manager):
        goal = grow_goal_record(
            case=case,
            by=lead,
            person=mother,
            agreed_on=TODAY,
            goal="Mia on time",
            agreement_reference="Agreement 12 Nov",
        )
        revised = grow_goal_update(grow_goal=goal, by=manager, will="Kelly asks about breakfast club.")
        assert revised.will == "Kelly asks about breakfast club."
        assert revised.updated_by == manager
        assert revised.agreement_reference == "Agreement 12 Nov"
        versions = list(revised.history.order_by("history_date"))
        assert [v.will for v in versions] == ["", "Kelly asks about breakfast club."]
        assert versions[-1].history_user == manager

    def test_a_goal_needs_words(self, case, lead):
        with pytest.raises(PracticeToolError, match="Enter the goal"):
            grow_goal_record(case=case, by=lead, agreed_on=TODAY, goal=" ")

    def test_a_goal_cannot_be_blanked_by_a_revision(self, case, lead):
        goal = grow_goal_record(case=case, by=lead, agreed_on=TODAY, goal="Mia on time")
        with pytest.raises(PracticeToolError, match="Enter the goal"):
            grow_goal_update(grow_goal=goal, by=lead, goal="")
        goal.refresh_from_db()
        assert goal.goal == "Mia on time"


def _supervision(case, lead, manager, actions=None, on=TODAY):
    return supervision_record(
        case=case,
        by=manager,
        supervised_on=on,
        supervisor=manager,
        practitioner=lead,
        concerns="Three visits with no answer.",
        actions=actions
        if actions is not None
        else [ActionData("Joint visit with the school", "Priya", on + dt.timedelta(days=5))],
    )


class TestSupervision:
    def test_concerns_and_an_action_plan_in_rows(self, case, lead, manager):
        record = _supervision(
            case,
            lead,
            manager,
            [
                ActionData("Visit after 4pm", "Priya", TODAY + dt.timedelta(days=3)),
                ActionData("Review", "Morgan", TODAY + dt.timedelta(days=14)),
            ],
        )
        assert [(a.position, a.what, a.who) for a in record.actions.all()] == [
            (1, "Visit after 4pm", "Priya"),
            (2, "Review", "Morgan"),
        ]
        assert not record.discussed_with_family

    def test_a_plan_needs_an_action(self, case, lead, manager):
        with pytest.raises(PracticeToolError, match="at least one action"):
            _supervision(case, lead, manager, [])

    def test_an_action_cannot_be_due_before_the_supervision(self, case, lead, manager):
        with pytest.raises(PracticeToolError, match="on or after the date of supervision"):
            _supervision(case, lead, manager, [ActionData("Visit", "Priya", TODAY - dt.timedelta(days=1))])

    def test_the_supervisor_must_work_on_the_case(self, case, lead):
        outsider = PractitionerFactory()
        with pytest.raises(PracticeToolError, match="does not supervise work on this case"):
            supervision_record(
                case=case,
                by=lead,
                supervised_on=TODAY,
                supervisor=outsider,
                practitioner=lead,
                concerns="x",
                actions=[ActionData("Visit", "Priya", TODAY)],
            )

    def test_then_discussed_with_the_family_once(self, case, lead, manager):
        record = _supervision(case, lead, manager, on=REFERRAL)
        updated = supervision_family_discussion_record(
            record=record, by=lead, discussed_on=TODAY, notes="Agreed."
        )
        assert updated.discussed_with_family_on == TODAY
        assert updated.family_discussion_recorded_by == lead
        with pytest.raises(
            PracticeToolError, match="already recorded as discussed with the family on 20 November 2026"
        ):
            supervision_family_discussion_record(record=record, by=lead, discussed_on=TODAY)

    def test_the_family_discussion_comes_after_the_supervision(self, case, lead, manager):
        record = _supervision(case, lead, manager)
        with pytest.raises(PracticeToolError, match="on or after the supervision"):
            supervision_family_discussion_record(
                record=record, by=lead, discussed_on=TODAY - dt.timedelta(days=1)
            )

    def test_the_database_refuses_a_discussion_before_the_supervision(self, case, lead, manager):
        record = _supervision(case, lead, manager)
        with pytest.raises(IntegrityError), transaction.atomic():
            SupervisionRecord.objects.filter(pk=record.pk).update(discussed_with_family_on=REFERRAL)

    def test_times_are_aware(self, case, lead, manager):
        assert timezone.is_aware(_supervision(case, lead, manager).recorded_at)
