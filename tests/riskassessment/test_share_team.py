"""Each share keeps the team of its case, for the manager's queue and the team's dashboard to read
shares by team, and follows the case when it moves to another team."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.services import case_reassign_lead
from insight.dashboard.selectors import team_figures
from riskassessment.models import Share
from tests.factories import PractitionerFactory, TeamFactory

BEFORE = [("riskassessment", "0007_assessment_awaiting_signature_index")]


def test_sharing_a_signed_assessment_keeps_its_cases_team_on_each_share(family, signed):
    [share] = signed.shares.all()
    assert share.member == family.member
    assert share.team_id == family.case.team_id is not None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_shares_made_before_the_team_was_kept_take_their_cases_team_and_so_does_their_history(family, signed):
    [share] = signed.shares.all()
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert "team" not in {field.name for field in old.get_model("riskassessment", "Share")._meta.fields}
    assert old.get_model("riskassessment", "Share").objects.filter(pk=share.pk).exists()

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert Share.objects.get(pk=share.pk).team_id == family.case.team_id
    assert [row.team_id for row in Share.history.filter(id=share.pk)] == [family.case.team_id]


def test_a_case_moved_to_another_of_the_managers_teams_takes_its_shares_with_it(family, signed):
    """A manager hands the case to a practitioner in another team they manage (the lead's team is
    the case's): its outstanding share goes with it, so that team's dashboard counts it once
    overdue and the team it left no longer does, and the share's history says who moved it."""
    south = TeamFactory(name="South Early Help Team", manager=family.manager)
    sam = PractitionerFactory(full_name="Sam Shah", team=south)
    [share] = signed.shares.all()
    overdue_on = share.due_on + dt.timedelta(days=1)

    def unacknowledged(team) -> int:
        figures = team_figures(user=family.manager, team=team, today=overdue_on, reasons=False)
        return figures.count("share_unacknowledged")

    assert (unacknowledged(family.team), unacknowledged(south)) == (1, 0)
    case_reassign_lead(case=family.case, by=family.manager, lead_practitioner=sam)

    share.refresh_from_db()
    assert share.team_id == south.pk
    latest = Share.history.filter(id=share.pk).order_by("-history_id").first()
    assert (latest.team_id, latest.history_user) == (south.pk, family.manager)
    assert (unacknowledged(family.team), unacknowledged(south)) == (0, 1)


def test_a_case_handed_to_someone_in_the_same_team_leaves_its_shares_alone(family, signed):
    colleague = PractitionerFactory(full_name="Jo Jones", team=family.team)
    [share] = signed.shares.all()
    rows = Share.history.filter(id=share.pk).count()
    case_reassign_lead(case=family.case, by=family.manager, lead_practitioner=colleague)
    assert Share.history.filter(id=share.pk).count() == rows
    share.refresh_from_db()
    assert share.team_id == family.team.pk
