"""Each share keeps the team of its case, for the manager's queue to read shares by team."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from riskassessment.models import Share

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
