import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import AccessLogEntry, MembershipRole
from engagement.practice.models import (
    ChangeStage,
    GrowGoal,
    RaterKind,
    SafetyMapping,
    StageOfChange,
    SupervisionRecord,
)
from tests.factories import (
    AdminFactory,
    AdultFactory,
    AgencyMemberFactory,
    CaseMembershipFactory,
    GrowGoalFactory,
    ManagerFactory,
    PractitionerFactory,
    SafetyMappingFactory,
    SafetyRatingFactory,
    ScaleRatingFactory,
    StageOfChangeFactory,
    SupervisionActionFactory,
    SupervisionRecordFactory,
)

from .conftest import REFERRAL, TODAY, date_fields


def url(name, case, **kwargs):
    return reverse(f"practice:{name}", kwargs={"case_pk": case.pk, **kwargs})


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


class TestOverview:
    def test_shows_where_each_parent_is(self, lead_client, case, lead, mother, father):
        StageOfChangeFactory(person=mother, stage=ChangeStage.PRE_CONTEMPLATION, assessed_on=REFERRAL)
        StageOfChangeFactory(person=mother, stage=ChangeStage.ACTION, assessed_on=TODAY)
        response = lead_client.get(url("overview", case))
        html = text(response)
        assert response.status_code == 200
        assert "Kelly Taylor</th>" in html and "Action</strong>" in html and "(2 assessments)" in html
        assert "Dean Taylor</th>" in html and "Not yet assessed" in html
        assert AccessLogEntry.objects.filter(user=lead, case=case, what="practice tools").exists()

    def test_lists_every_practice_record_in_the_history(self, lead_client, case, mother, manager):
        StageOfChangeFactory(person=mother, stage=ChangeStage.CONTEMPLATION)
        SafetyMappingFactory(case=case, meeting_name="Team around the family meeting")
        GrowGoalFactory(case=case, goal="Mia on time every day")
        record = SupervisionRecordFactory(case=case, supervisor=manager, discussed_with_family_on=TODAY)
        html = text(lead_client.get(url("overview", case)))
        history = html.split(">History of the practice tools<")[1]
        for expected in (
            "Kelly Taylor: contemplation",
            "Team around the family meeting",
            "Mia on time every day",
            "Engagement discussed in supervision with Morgan Manager",
            "Supervision action plan discussed with the family",
        ):
            assert expected in history
        assert url("supervision_detail", case, pk=record.pk) in history

    @pytest.mark.parametrize("rows", [1, 21])
    def test_query_count_does_not_grow_with_records(
        self, lead_client, case, manager, rows, django_assert_num_queries
    ):
        for i in range(rows):
            adult = AdultFactory(case=case, full_name=f"Adult {i}")
            StageOfChangeFactory(person=adult)
            mapping = SafetyMappingFactory(case=case)
            SafetyRatingFactory(mapping=mapping)
            ScaleRatingFactory(case=case)
            GrowGoalFactory(case=case)
            SupervisionActionFactory(record=SupervisionRecordFactory(case=case, supervisor=manager))
        lead_client.get(url("overview", case))  # warm the session and the content types
        with django_assert_num_queries(QUERIES["overview"]):
            assert lead_client.get(url("overview", case)).status_code == 200


# The same for 1 row as for 21: the list pages' fixed query budgets.
# The overview's history and the safety page each read the quick safety scale ratings too.
# The stage page holds its form, so it also looks for the practitioner's draft of it (one query).
QUERIES = {"overview": 20, "safety": 10, "goals": 8, "supervision": 9, "stage": 10}


@pytest.mark.parametrize("rows", [1, 21])
def test_list_pages_keep_a_constant_query_count(
    lead_client, case, mother, manager, rows, django_assert_num_queries
):
    for i in range(rows):
        mapping = SafetyMappingFactory(case=case, meeting_on=REFERRAL + dt.timedelta(days=i % 15))
        SafetyRatingFactory(mapping=mapping, rater_name=f"Person {i % 4}")
        GrowGoalFactory(case=case)
        SupervisionActionFactory(record=SupervisionRecordFactory(case=case, supervisor=manager))
        StageOfChangeFactory(person=mother)
        ScaleRatingFactory(case=case)
    pages = {
        "safety": url("safety", case),
        "goals": url("goals", case),
        "supervision": url("supervision", case),
        "stage": url("stage", case, person_pk=mother.pk),
    }
    for name, page in pages.items():
        lead_client.get(page)
        with django_assert_num_queries(QUERIES[name]):
            assert lead_client.get(page).status_code == 200, name


class TestCycleOfChange:
    def test_the_guidance_beside_the_form_follows_the_stage(self, lead_client, case, mother):
        StageOfChangeFactory(person=mother, stage=ChangeStage.MAINTENANCE)
        html = text(lead_client.get(url("stage", case, person_pk=mother.pk)))
        assert "Help the parent identify the possibility of relapse." in html
        html = text(lead_client.get(url("stage", case, person_pk=mother.pk) + "?stage=relapse"))
        assert "Evaluate what triggered the relapse." in html
        assert 'value="relapse" checked' in html

    def test_records_a_new_stage_and_keeps_the_old(self, lead_client, case, lead, mother):
        StageOfChangeFactory(person=mother, stage=ChangeStage.PRE_CONTEMPLATION, assessed_on=REFERRAL)
        data = {
            "stage": ChangeStage.CONTEMPLATION,
            **date_fields("assessed_on", TODAY),
            "evidence": "Asked about breakfast club.",
        }
        response = lead_client.post(url("stage", case, person_pk=mother.pk), data)
        assert response.status_code == 302
        assert list(StageOfChange.objects.filter(person=mother).values_list("stage", flat=True)) == [
            ChangeStage.CONTEMPLATION,
            ChangeStage.PRE_CONTEMPLATION,
        ]
        html = text(lead_client.get(url("stage", case, person_pk=mother.pk)))
        assert "Asked about breakfast club." in html and "Pre-contemplation" in html

    def test_errors_are_specific_and_nothing_typed_is_lost(self, lead_client, case, mother):
        data = {
            "stage": "",
            **date_fields("assessed_on", TODAY + dt.timedelta(days=2)),
            "evidence": "Said she wants help.",
        }
        response = lead_client.post(url("stage", case, person_pk=mother.pk), data)
        html = text(response)
        assert response.status_code == 200
        assert "<title>Error:" in html and "There is a problem" in html
        assert "Select the stage of change" in html
        assert "The date assessed must be today or in the past" in html
        assert "Said she wants help." in html
        assert not StageOfChange.objects.exists()

    def test_a_child_or_another_family_s_adult_answers_as_missing(self, lead_client, case, child):
        assert lead_client.get(url("stage", case, person_pk=child.pk)).status_code == 404
        assert lead_client.get(url("stage", case, person_pk=AdultFactory().pk)).status_code == 404


def mapping_post(**overrides):
    data = {
        "rows": "2",
        **date_fields("meeting_on", TODAY),
        "meeting_name": "Home visit with Kelly",
        "past_harm": "Mia missed 12 days.",
        "strengths": "Gran helps on Fridays.",
        "danger_statements": "We worry Mia falls behind.",
        "safety_goals": "Mia in school every day.",
        "rating_1_name": "Kelly Taylor",
        "rating_1_kind": RaterKind.FAMILY,
        "rating_1_rating": "4",
        "rating_1_reason": "Mornings are calmer.",
        "rating_2_name": "",
        "rating_2_kind": "",
        "rating_2_rating": "",
        "rating_2_reason": "",
    }
    data.update(overrides)
    return data


class TestSignsOfSafety:
    def test_a_first_map_suggests_the_family_and_the_practitioner(self, lead_client, case, mother, father):
        form = lead_client.get(url("safety_new", case)).context["form"]
        names = [form.initial.get(f"rating_{i}_name") for i in range(1, 4)]
        assert names == ["Dean Taylor", "Kelly Taylor", "Priya Patel"]
        assert form.rows == 4

    def test_a_later_map_starts_from_the_last_one(self, lead_client, case):
        previous = SafetyMappingFactory(case=case, strengths="Gran helps.")
        SafetyRatingFactory(
            mapping=previous, rater_name="Kelly Taylor", rater_kind=RaterKind.FAMILY, rating=3
        )
        form = lead_client.get(url("safety_new", case)).context["form"]
        assert form.initial["strengths"] == "Gran helps."
        assert form.initial["rating_1_name"] == "Kelly Taylor"
        assert "rating_1_rating" not in form.initial

    def test_saves_the_map_and_the_ratings(self, lead_client, case, lead):
        response = lead_client.post(url("safety_new", case), mapping_post())
        mapping = SafetyMapping.objects.get()
        assert response.status_code == 302 and response["Location"] == url(
            "safety_detail", case, pk=mapping.pk
        )
        assert mapping.recorded_by == lead and mapping.danger_statements == "We worry Mia falls behind."
        assert [(r.rater_name, r.rating, r.reason) for r in mapping.ratings.all()] == [
            ("Kelly Taylor", 4, "Mornings are calmer.")
        ]
        html = text(lead_client.get(response["Location"]))
        for heading in ("What are we worried about?", "What&#x27;s working well?", "What needs to happen?"):
            assert heading in html
        assert "4 out of 10" in html and "Kelly Taylor: 4" in html

    def test_adding_a_person_keeps_what_was_typed_and_shows_no_errors(self, lead_client, case):
        response = lead_client.post(url("safety_new", case), mapping_post(meeting_name="", add_row="1"))
        html = text(response)
        assert response.status_code == 200
        assert "There is a problem" not in html
        assert 'name="rating_3_name"' in html and 'name="rows" value="3"' in html
        assert "Mornings are calmer." in html and "Gran helps on Fridays." in html
        assert not SafetyMapping.objects.exists()

    def test_a_half_filled_rating_says_what_is_missing(self, lead_client, case):
        response = lead_client.post(url("safety_new", case), mapping_post(rating_2_name="Dean Taylor"))
        html = text(response)
        assert "Select whether Dean Taylor is a family member or a professional" in html
        assert "Select Dean Taylor&#x27;s rating from 0 to 10" in html
        assert 'value="Dean Taylor"' in html
        assert not SafetyMapping.objects.exists()

    def test_the_chart_is_server_rendered_svg_without_inline_styles_or_scripts(self, lead_client, case):
        for day, rating in ((REFERRAL, 2), (TODAY, 6)):
            mapping = SafetyMappingFactory(case=case, meeting_on=day)
            SafetyRatingFactory(mapping=mapping, rater_name="Kelly Taylor", rating=rating)
            SafetyRatingFactory(
                mapping=mapping, rater_name="Priya Patel", rater_kind=RaterKind.PROFESSIONAL, rating=4
            )
        html = lead_client.get(url("safety", case)).content.decode()
        start = html.index('<svg class="app-safety-chart"')
        svg = html[start : html.index("</svg>", start)]
        legend = html[html.index('<ul class="govuk-list app-chart-legend">') : start]
        assert "Kelly Taylor (family member, circle): latest 6 out of 10" in re.sub(r"\s+", " ", legend)
        assert "Priya Patel (professional, square): latest 4 out of 10" in re.sub(r"\s+", " ", legend)
        assert (
            "style=" not in svg and "<script" not in svg and " on" not in svg.replace("\n", " ").split(">")[0]
        )
        assert not re.search(r"\son[a-z]+=", svg)
        assert "Kelly Taylor: 6" in svg and "Priya Patel: 4" in svg
        assert len(set(re.findall(r'data-shape="([a-z-]+)"', svg))) == 2
        assert 'id="safety-ratings"' in html

    def test_no_ratings_no_chart(self, lead_client, case):
        SafetyMappingFactory(case=case)
        html = text(lead_client.get(url("safety", case)))
        assert "<svg" not in html and "No one has been asked for a rating yet." in html


class TestGrowGoals:
    def test_set_then_change_a_goal(self, lead_client, case, mother):
        data = {
            "person": mother.pk,
            **date_fields("agreed_on", TODAY),
            "goal": "Mia on time four days a week",
            "reality": "Misses the bus twice a week",
            "options": "",
            "will": "",
            "agreement_reference": "Working together agreement, 12 November 2026",
        }
        response = lead_client.post(url("goal_new", case), data)
        goal = GrowGoal.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.pk}")
        assert goal.person == mother and goal.agreement_reference.startswith("Working together agreement")
        response = lead_client.post(
            url("goal_edit", case, pk=goal.pk), {**data, "will": "Ask about breakfast club"}
        )
        goal.refresh_from_db()
        assert goal.will == "Ask about breakfast club" and goal.history.count() == 2
        html = text(lead_client.get(url("goals", case)))
        assert "Ask about breakfast club" in html and "last changed by Priya Patel" in html

    def test_the_grow_questions_prompt_each_part(self, lead_client, case):
        html = text(lead_client.get(url("goal_new", case)))
        assert "What does success look like and feel like for you?" in html
        assert "What support do you need, and who will provide it?" in html

    def test_a_goal_needs_its_words(self, lead_client, case):
        response = lead_client.post(url("goal_new", case), {**date_fields("agreed_on", TODAY), "goal": ""})
        assert "Enter the goal, in the family&#x27;s words if you can" in text(response)

    def test_another_case_s_goal_answers_as_missing(self, lead_client, case):
        assert lead_client.get(url("goal_edit", case, pk=GrowGoalFactory().pk)).status_code == 404


def supervision_post(lead, manager, **overrides):
    data = {
        "rows": "2",
        **date_fields("supervised_on", TODAY),
        "supervisor": manager.pk,
        "practitioner": lead.pk,
        "concerns": "Two visits cancelled at short notice.",
        "action_1_what": "Offer visits after 4pm",
        "action_1_who": "Priya Patel",
        **date_fields("action_1_by_when", TODAY + dt.timedelta(days=3)),
        "action_2_what": "",
        "action_2_who": "",
        "action_2_by_when_0": "",
        "action_2_by_when_1": "",
        "action_2_by_when_2": "",
    }
    data.update(overrides)
    return data


class TestSupervision:
    def test_the_manager_is_offered_as_supervisor(self, lead_client, case, lead, manager):
        form = lead_client.get(url("supervision_new", case)).context["form"]
        assert form.initial == {"supervisor": manager.pk, "practitioner": lead.pk}
        assert form.rows == 3

    def test_records_concerns_and_the_action_plan(self, client, case, lead, manager):
        client.force_login(manager)
        response = client.post(url("supervision_new", case), supervision_post(lead, manager))
        record = SupervisionRecord.objects.get()
        assert response.status_code == 302 and response["Location"] == url(
            "supervision_detail", case, pk=record.pk
        )
        assert record.recorded_by == manager
        assert [(a.what, a.by_when) for a in record.actions.all()] == [
            ("Offer visits after 4pm", TODAY + dt.timedelta(days=3))
        ]
        html = text(client.get(response["Location"]))
        assert (
            "Offer visits after 4pm" in html
            and "Not yet. The action plan should be discussed with the family." in html
        )

    def test_adding_an_action_row_keeps_the_text(self, lead_client, case, lead, manager):
        response = lead_client.post(
            url("supervision_new", case), supervision_post(lead, manager, add_row="1")
        )
        html = text(response)
        assert 'name="action_3_what"' in html and "Two visits cancelled at short notice." in html
        assert "There is a problem" not in html

    def test_half_an_action_says_what_is_missing(self, lead_client, case, lead, manager):
        response = lead_client.post(
            url("supervision_new", case),
            supervision_post(lead, manager, action_2_what="Joint visit with school"),
        )
        html = text(response)
        assert "Enter who will do action 2" in html and "Enter the date for action 2" in html
        assert not SupervisionRecord.objects.exists()

    def test_then_record_the_discussion_with_the_family(self, lead_client, case, manager):
        record = SupervisionRecordFactory(case=case, supervisor=manager, supervised_on=REFERRAL)
        SupervisionActionFactory(record=record)
        response = lead_client.post(
            url("supervision_family", case, pk=record.pk),
            {**date_fields("discussed_on", TODAY), "notes": "Kelly agreed to a later visit."},
        )
        assert response.status_code == 302
        record.refresh_from_db()
        assert record.discussed_with_family_on == TODAY
        html = text(lead_client.get(url("supervision_detail", case, pk=record.pk)))
        assert "Yes, on 20 November 2026." in html and "Kelly agreed to a later visit." in html
        # Recorded once: the form is not offered again.
        assert lead_client.get(url("supervision_family", case, pk=record.pk)).status_code == 302


def test_a_closed_case_shows_its_records_but_offers_no_forms(lead_client, case, mother):
    StageOfChangeFactory(person=mother)
    case.status, case.closed_on = "closed", TODAY
    case.save()
    html = text(lead_client.get(url("stage", case, person_pk=mother.pk)))
    assert "Record a new assessment" not in html and ">History<" in html
    assert "Set a goal" not in text(lead_client.get(url("goals", case)))
    assert "Record a mapping" not in text(lead_client.get(url("safety", case)))


class TestWhoMayUseThem:
    def test_a_co_worker_works_with_the_tools(self, client, case, mother):
        co_worker = PractitionerFactory(full_name="Sam Coworker")
        CaseMembershipFactory(case=case, user=co_worker, role=MembershipRole.CO_WORKER)
        client.force_login(co_worker)
        assert client.get(url("overview", case)).status_code == 200
        data = {
            "stage": ChangeStage.ACTION,
            **date_fields("assessed_on", TODAY),
            "evidence": "Kept every appointment.",
        }
        assert client.post(url("stage", case, person_pk=mother.pk), data).status_code == 302
        assert StageOfChange.objects.get().assessed_by == co_worker

    @pytest.mark.parametrize("who", ["agency", "admin", "other_manager", "ended_co_worker"])
    def test_everyone_else_finds_nothing(self, client, case, mother, who):
        if who == "agency":
            user = AgencyMemberFactory()
            CaseMembershipFactory(case=case, user=user)
        elif who == "admin":
            user = AdminFactory()
        elif who == "other_manager":
            user = ManagerFactory()
        else:
            user = PractitionerFactory()
            CaseMembershipFactory(
                case=case, user=user, role=MembershipRole.CO_WORKER, ended_at=timezone.now()
            )
        client.force_login(user)
        for page in (url("overview", case), url("stage", case, person_pk=mother.pk), url("safety", case)):
            assert client.get(page).status_code == 404
        data = {"stage": ChangeStage.ACTION, **date_fields("assessed_on", TODAY), "evidence": "x"}
        assert client.post(url("stage", case, person_pk=mother.pk), data).status_code == 404
        assert not StageOfChange.objects.exists()


def test_each_tool_is_one_click_from_the_case(lead_client, case):
    html = lead_client.get(reverse("cases:case_detail", kwargs={"case_pk": case.pk})).content.decode()
    for name in ("overview", "safety", "goals", "supervision"):
        assert f'href="{url(name, case)}' in html
