"""The seeded pathways' versions: version 2 follows Appendix 4 where version 1 did not.

Version 1 is what migration 0003 seeded; migration 0008 publishes version 2 on every database whose
latest published version is still that seed. Families already in the flow chart keep version 1.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from flowchart import services
from flowchart.models import Episode, Pathway, PathwayVersion, Step
from flowchart.pathways import (
    CAMDEN,
    CAMDEN_DAYS_NOTE,
    CAMDEN_DESCRIPTION_V1,
    CAMDEN_NOTES_V2,
    CAMDEN_STEPS_V1,
    KNOWSLEY,
    KNOWSLEY_STEPS_V1,
    publish_guidance_revision,
)
from flowchart.schedule import Status
from flowchart.selectors import current_version, episode_progress
from tests.factories import CaseFactory, EpisodeFactory
from tests.factories.flowchart import ensure_pathways

from .conftest import at

OVERSIGHT = "Manager records the discussion as management oversight"
DAY_8 = "Contact the referrer to discuss engagement methods, or arrange a joint visit"
DAY_12 = "Discuss the way forward and the risks of non-engagement with the referrer; arrange the FERA"
BEFORE = [("flowchart", "0006_episode_summary")]


def _version(code: str, number: int) -> PathwayVersion:
    return PathwayVersion.objects.get(pathway__code=code, number=number)


def _if_possible(version) -> set[str]:
    return set(version.steps.filter(if_possible=True).values_list("title", flat=True))


def _back_to_the_seed() -> None:
    """The database as migration 0003 left it, before 0008: version 1 of each pathway only."""
    Step.objects.filter(version__number__gt=1).delete()
    PathwayVersion.objects.filter(number__gt=1).delete()
    Pathway.objects.filter(code=CAMDEN).update(description=CAMDEN_DESCRIPTION_V1)


def test_the_current_knowsley_version_has_oversight_by_day_13_and_two_if_possible_steps(pathways):
    """Appendix 4: "Day 13 Inform Manager of non-engagement ... - Manager to record the discussion
    as Manager Oversight on child's record"; "Day 8 Contact referrer or other practitioner if
    possible to discuss engagement methods or arrange a joint visit"; "Day 12 Discuss with
    referrer (if possible) to agree way forward and risks of non-engagement"."""
    current = current_version(KNOWSLEY)
    assert current == _version(KNOWSLEY, 2) and current.is_published
    oversight = current.steps.get(requirement="oversight_recorded")
    assert (oversight.title, oversight.day, oversight.timing) == (OVERSIGHT, 13, "by")
    assert _if_possible(current) == {DAY_8, DAY_12}
    assert {(s.order, s.day) for s in current.steps.filter(if_possible=True)} == {(8, 8), (11, 12)}
    assert [s.spec().if_possible for s in current.steps.order_by("order")].count(True) == 2
    assert "Day 13" in current.notes and "if possible" in current.notes
    assert "Families already in the flow chart keep version 1" in current.notes
    # Everything else is as version 1 had it.
    first = _version(KNOWSLEY, 1)
    assert first.is_published and first.notes == "As published in the guidance."
    assert first.steps.get(requirement="oversight_recorded").day == 14 and not _if_possible(first)
    changed = {
        s.order
        for s, t in zip(first.steps.order_by("order"), current.steps.order_by("order"), strict=True)
        if (s.day, s.timing, s.title, s.requirement, s.attempt_kinds, s.attempt_count, s.responsible)
        != (t.day, t.timing, t.title, t.requirement, t.attempt_kinds, t.attempt_count, t.responsible)
    }
    assert changed == {14}


def test_a_new_episode_has_oversight_due_on_day_13(family, walk):
    """Appendix 4 puts the manager's oversight on "Day 13"."""
    walk.to(at(family.day1, 10))
    episode = services.episode_start(case=family.case, by=family.lead)
    assert episode.version == current_version(KNOWSLEY)
    oversight = next(s for s in episode_progress(episode).steps if s.step.title == OVERSIGHT)
    assert oversight.due_on == walk.day(13)


def test_an_episode_started_on_version_1_keeps_it_and_its_day_14(family, walk):
    walk.to(at(family.day1, 10))
    running = EpisodeFactory(case=family.case, version=_version(KNOWSLEY, 1))
    walk.to(at(walk.day(14), 10))
    ensure_pathways()  # the seeds again, as after a flush: nothing moves

    running.refresh_from_db()
    assert running.version.number == 1
    steps = {s.step.title: s for s in episode_progress(running).steps}
    assert steps[OVERSIGHT].due_on == walk.day(14) and steps[OVERSIGHT].status == Status.DUE_TODAY
    assert not any(s.step.if_possible for s in steps.values())


def test_camdens_notes_and_description_say_its_days_are_this_services_choice(pathways):
    """Camden's guidance sets no days ("The allocated social worker will convene a network meeting
    (or core group meeting ...)", with no day number): the days are this service's."""
    current = current_version(CAMDEN)
    assert current.number == 2 and current.notes == CAMDEN_NOTES_V2
    assert current.notes.startswith("Day numbers are this service's choice: Camden's guidance sets no days.")
    assert Pathway.objects.get(code=CAMDEN).description.endswith(CAMDEN_DAYS_NOTE)
    same = ["day", "timing", "title", "requirement", "attempt_kinds", "responsible", "if_possible"]
    assert list(current.steps.values_list(*same)) == list(_version(CAMDEN, 1).steps.values_list(*same))


def test_the_seeds_run_again_change_nothing(pathways):
    versions = list(PathwayVersion.objects.values_list("pk", "number", "notes", "published_at"))
    steps = Step.objects.count()
    ensure_pathways()
    assert publish_guidance_revision(Pathway, PathwayVersion, Step) == 0
    assert list(PathwayVersion.objects.values_list("pk", "number", "notes", "published_at")) == versions
    assert Step.objects.count() == steps


def test_a_draft_copies_the_if_possible_steps(family):
    draft = services.pathway_version_draft(version=current_version(KNOWSLEY), by=family.lead)
    assert draft.number == 3 and _if_possible(draft) == {DAY_8, DAY_12}


def test_a_pathway_an_admin_has_changed_is_left_alone(family):
    _back_to_the_seed()
    draft = services.pathway_version_draft(version=_version(KNOWSLEY, 1), by=family.lead)
    Step.objects.filter(version=draft, order=14).update(day=15)
    services.pathway_version_publish(version=draft, by=family.lead)

    assert publish_guidance_revision(Pathway, PathwayVersion, Step) == 1  # Camden only
    assert current_version(KNOWSLEY) == draft
    assert list(PathwayVersion.objects.filter(pathway__code=KNOWSLEY).values_list("number", flat=True)) == [
        2,
        1,
    ]


def test_a_draft_in_progress_is_numbered_after_the_revision_and_still_publishes_as_current(family):
    _back_to_the_seed()
    draft = services.pathway_version_draft(version=_version(KNOWSLEY, 1), by=family.lead)
    assert draft.number == 2

    assert publish_guidance_revision(Pathway, PathwayVersion, Step) == 2

    draft.refresh_from_db()
    revised = _version(KNOWSLEY, 2)
    assert draft.number == 3 and not draft.is_published
    assert revised.is_published and "Day 13" in revised.notes and current_version(KNOWSLEY) == revised
    services.pathway_version_publish(version=draft, by=family.lead)
    assert current_version(KNOWSLEY) == draft


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_migration_publishes_version_2_and_the_running_episode_keeps_version_1():
    """On a database seeded before the change, with a family in the flow chart on version 1:
    migrating adds version 2 (oversight by "Day 13", the "if possible" steps, Camden's days) and
    the family stays on version 1. Migrating back and forward again adds nothing."""
    # The family is made with today's models, before migrating back: going back to the flow
    # chart's 0006 also takes back the later columns of cases (a user's work phone...), which
    # today's factories would write.
    case = CaseFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldStep, OldVersion = old.get_model("flowchart", "Step"), old.get_model("flowchart", "PathwayVersion")
    OldStep.objects.filter(version__number__gt=1).delete()
    OldVersion.objects.filter(number__gt=1).delete()
    old.get_model("flowchart", "Pathway").objects.filter(code=CAMDEN).update(
        description=CAMDEN_DESCRIPTION_V1
    )
    first = OldVersion.objects.get(pathway__code=KNOWSLEY, number=1)
    assert [s.day for s in OldStep.objects.filter(version=first).order_by("order")] == [
        step[0] for step in KNOWSLEY_STEPS_V1
    ]
    camden = OldVersion.objects.get(pathway__code=CAMDEN, number=1)
    assert OldStep.objects.filter(version=camden).count() == len(CAMDEN_STEPS_V1)
    OldVersion.objects.create(pathway_id=camden.pathway_id, number=2, notes="Draft in progress")
    running = old.get_model("flowchart", "Episode").objects.create(
        case_id=case.pk, version_id=first.pk, day1=case.referral_date, started_by_id=case.lead_practitioner_id
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Episode.objects.get(pk=running.pk).version_id == first.pk
    revised = current_version(KNOWSLEY)
    assert revised.number == 2 and revised.pk != first.pk and "Day 13" in revised.notes
    assert revised.steps.get(title=OVERSIGHT).day == 13 and _if_possible(revised) == {DAY_8, DAY_12}
    assert Step.objects.get(version_id=first.pk, title=OVERSIGHT).day == 14
    assert current_version(CAMDEN).notes == CAMDEN_NOTES_V2 and current_version(CAMDEN).number == 2
    assert _version(CAMDEN, 3).notes == "Draft in progress" and not _version(CAMDEN, 3).is_published
    assert Pathway.objects.get(code=CAMDEN).description.endswith(CAMDEN_DAYS_NOTE)
    versions = list(
        PathwayVersion.objects.order_by("pk").values_list("pk", "number", "notes", "published_at")
    )

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # drops the "if possible" column; version 2 stays
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert (
        list(PathwayVersion.objects.order_by("pk").values_list("pk", "number", "notes", "published_at"))
        == versions
    )
    assert _if_possible(current_version(KNOWSLEY)) == {DAY_8, DAY_12}
    assert Episode.objects.get(pk=running.pk).version_id == first.pk
